/**
 * Times of STIX versions as the hub serves them (ADR 0009, "Versions"). Versions are stamped in
 * commit order with microseconds (TAXII's date added); the objects carry millisecond timestamps,
 * rounded down for readers shown a pseudonym for the author (ADR 0007, 0017).
 */

/** "2026-11-22T04:05:06.123456Z" (or fewer digits) as microseconds since the epoch. */
export function microsOf(text: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?Z$/.exec(text);
  if (!m) throw new RangeError(`${JSON.stringify(text)} is not a UTC timestamp`);
  const digits = (m[2] ?? '').padEnd(6, '0');
  return Date.parse(`${m[1]}.${digits.slice(0, 3)}Z`) * 1000 + Number(digits.slice(3));
}

/** Microseconds since the epoch as TAXII writes a timestamp: UTC with six digits. */
export function microsText(us: number): string {
  const ms = Math.floor(us / 1000);
  return `${new Date(ms).toISOString().slice(0, 23)}${String(us - ms * 1000).padStart(3, '0')}Z`;
}

/** How many of the sorted `events` lie in [from, to]. */
export function countBetween(events: readonly number[], from: number, to: number): number {
  return firstAtOrAfter(events, to + 1) - firstAtOrAfter(events, from);
}

function firstAtOrAfter(events: readonly number[], x: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * `modified` of a version for a reader who sees times rounded: the version's time rounded down,
 * plus one millisecond per change counted from the start of that rounding step up to the version
 * (`changesSince(startUs)`, at least the version's own). Two versions within one step then still
 * differ, so a consumer keeps the later; versions keep their order, since a later step starts
 * later than any count within one step reaches; and nothing is told that polling would not tell
 * anyway (how many changes there were). The count is capped one millisecond short of the step.
 */
export function roundedModified(
  versionUs: number,
  round: (d: Date) => Date,
  stepMs: number,
  changesSince: (startUs: number) => number,
): Date {
  const start = round(new Date(Math.floor(versionUs / 1000)));
  const count = changesSince(start.getTime() * 1000);
  return new Date(start.getTime() + Math.min(Math.max(count, 1), Math.max(stepMs - 1, 1)));
}
