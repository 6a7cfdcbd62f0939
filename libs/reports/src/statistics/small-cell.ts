/**
 * The small-cell rule, the one place every count shown to members applies it (`statistics`,
 * `reportStatistics`, the quarterly summary).
 *
 * A reader's own reports tell it nothing new, so what a cell reveals is the anonymous authors
 * behind it other than the reader's organisation (`others`). One or two of them would be named to
 * anyone who knows who was hit, so a cell with some but fewer than k is withheld. Named authors
 * (advisories) are known anyway and do not count.
 */
export function suppressedFor(others: number, k: number): boolean {
  return others > 0 && others < k;
}

/**
 * A table circulated to every member is read by each contributor too, who sees `anonymous - 1`
 * others; so it must pass the rule for a non-contributor and for a contributor alike: at least
 * k + 1 anonymous authors, or suppressed.
 */
export function suppressedForEveryone(anonymous: number, k: number): boolean {
  return suppressedFor(anonymous, k) || suppressedFor(anonymous - 1, k);
}
