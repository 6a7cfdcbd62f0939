/**
 * ADR 0007 and 0017: another organisation's times are rounded down to a step so that a reader
 * cannot match an anonymous item to what it saw elsewhere (a login at 10:02, an outage at
 * 10:03). Rounding protects only a pseudonym: where the reader is shown who the author is (its
 * own item, an item not anonymous, a coordinator the author opened it to), the time is exact.
 * So the rule hangs on the author as shown, and an item kind added later inherits it.
 */
export function roundDown(d: Date, stepMs: number): Date {
  return new Date(Math.floor(new Date(d).getTime() / stepMs) * stepMs);
}

/** Whether this reader is shown the author's name: then nothing is gained by rounding. */
export function authorNamed(author: { organisationId: string | null }): boolean {
  return author.organisationId !== null;
}

export function shownTime(author: { organisationId: string | null }, d: Date, stepMs: number) {
  return authorNamed(author) ? d : roundDown(d, stepMs);
}

/**
 * The SQL form for filters on a time column, so that a filter compares what the reader is shown
 * (bisecting a filter must not recover an anonymous item's exact minute). It rounds every
 * anonymous row, the reader's own and revealed ones too: a coarser filter there reveals nothing.
 * `column` and `anonymous` are trusted column expressions, never input.
 */
export function shownTimeSql(column: string, anonymous: string, stepSeconds: number): string {
  const step = Number(stepSeconds);
  return `(CASE WHEN ${anonymous} THEN to_timestamp(floor(extract(epoch FROM ${column}) / ${step}) * ${step}) ELSE ${column} END)`;
}
