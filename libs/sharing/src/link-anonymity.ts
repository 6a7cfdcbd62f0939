/**
 * Links that would name the author of an anonymous item (issue 12, item 4; ADR 0018). An
 * anonymous report that links a report, or an anonymous list that names one, tells everyone who
 * can see the linked report that its author could see it too. When only a few organisations
 * could, the link names the author to them (to the linked report's owner first of all).
 *
 * The rule, for a reader not shown who the author is: the author could be any organisation the
 * reader would see under the same label (the pseudonym). Each linked item shown narrows that
 * set to those that could see it. A link is shown only when it leaves at least k organisations
 * other than the reader, or when it narrows nothing (the label alone already says as much; that
 * a label must name k organisations is the pseudonyms' rule). Links are taken in order; one that
 * would narrow the set below k is withheld from this reader (others may still see it). A link
 * whose audience is not known here is withheld: forgetting to load it hides a link, never shows
 * one.
 */
export interface LinkScope {
  /** Who reads. */
  readerOrg: string;
  /** The reader is shown who wrote the item (its own, not anonymous, revealed to it). */
  authorShown: boolean;
  /** The label the reader is shown for the author. */
  authorLabel: string;
  /** The label the reader would see were this organisation the author. */
  labelOf: (orgId: string) => string;
  /** Every organisation that could be an author (the active ones). */
  orgs: readonly string[];
  /** Per linked item, the organisations that could see it. */
  couldSee: ReadonlyMap<string, ReadonlySet<string>>;
  k: number;
}

export function shownLinks(scope: LinkScope, linked: readonly string[]): string[] {
  if (scope.authorShown) return [...linked];
  let candidates = scope.orgs.filter(
    (org) => org !== scope.readerOrg && scope.labelOf(org) === scope.authorLabel,
  );
  const shown: string[] = [];
  for (const id of linked) {
    const audience = scope.couldSee.get(id);
    if (!audience) continue;
    const next = candidates.filter((org) => audience.has(org));
    if (next.length < scope.k && next.length < candidates.length) continue;
    candidates = next;
    shown.push(id);
  }
  return shown;
}
