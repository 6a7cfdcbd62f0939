/**
 * Links that would name the author of an anonymous item (issue 12, item 4; ADR 0018). An
 * anonymous report that links a report, or an anonymous list that names one, tells everyone who
 * can see the linked report that its author could see it too. When only a few organisations
 * could, the link names the author to them (to the linked report's owner first of all).
 *
 * The rule, for a reader not shown who the author is: the author could be any organisation the
 * reader would see under the same label (the pseudonym) that could see every linked item shown.
 * A link is shown only while that set, without the reader, still holds at least k
 * organisations; links are taken in order and one that would narrow it below k is withheld
 * from this reader (others may still see it). A link whose audience is not known here is
 * withheld: forgetting to load it hides a link, never shows one.
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
  /** Per linked item, the organisations that could see it. */
  couldSee: ReadonlyMap<string, ReadonlySet<string>>;
  k: number;
}

export function shownLinks(scope: LinkScope, linked: readonly string[]): string[] {
  if (scope.authorShown) return [...linked];
  let candidates: Set<string> | null = null;
  const shown: string[] = [];
  for (const id of linked) {
    const audience = scope.couldSee.get(id);
    if (!audience) continue;
    const next = new Set<string>();
    for (const org of candidates ?? audience) {
      if (org === scope.readerOrg || !audience.has(org)) continue;
      if (candidates || scope.labelOf(org) === scope.authorLabel) next.add(org);
    }
    if (next.size < scope.k) continue;
    candidates = next;
    shown.push(id);
  }
  return shown;
}
