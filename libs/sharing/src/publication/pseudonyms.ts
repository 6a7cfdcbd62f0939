import type { PolicyPrincipal } from '../tlp-policy';
import type { ReportAuthor } from './item-author.models';

export type OrganisationKind = 'coordinator' | 'sector_csirt' | 'operator' | 'vendor';

export interface OrgInfo {
  id: string;
  name: string;
  kind: OrganisationKind | string;
  sector_code: string;
  sector_name: string;
}

/**
 * Active organisations other than the reader, counted by kind and sector: every label's
 * candidates are a sum of these. The reader is left out because it knows it did not write the
 * item, so it is no candidate to itself.
 */
export interface CandidateCounts {
  byKindSector: Map<string, number>;
  byKind: Map<string, number>;
  total: number;
}

/** What a reader's view of authors needs: the organisations shown and the candidate counts. */
export interface AuthorContext {
  reader: PolicyPrincipal;
  readerIsCoordinator: boolean;
  orgs: Map<string, OrgInfo>;
  others: CandidateCounts;
  k: number;
  /** For the reports items link to (ADR 0018): which active organisations could see each. */
  couldSee: Map<string, Set<string>>;
  /** The active organisations, when links were loaded (any of them could be an author). */
  couldSeeOrgs: string[];
  /**
   * For the reports that loaded things are attached to (comments, sightings, assistance
   * requests): the active organisations that could read each, or null when this reader cannot
   * read it (the reader then does not know the report, so it narrows nothing). Only an
   * organisation that can read a report can comment on it, sight it or ask about it: those are
   * the candidates for the author of something attached to it.
   */
  readersOf: Map<string, Set<string> | null>;
}

export const NOT_ANONYMOUS_LABEL = 'a member organisation (not anonymous: too few members)';

export function candidateCounts(
  rows: { kind: string; sector_code: string; n: number }[],
): CandidateCounts {
  const byKindSector = new Map<string, number>();
  const byKind = new Map<string, number>();
  let total = 0;
  for (const r of rows) {
    byKindSector.set(`${r.kind}|${r.sector_code}`, r.n);
    byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + r.n);
    total += r.n;
  }
  return { byKindSector, byKind, total };
}

/**
 * The candidate counts among some organisations only (those that could have written the thing),
 * the reader left out as ever. Organisations not in `orgs` (not active) are not counted.
 */
export function candidatesAmong(
  orgs: Map<string, OrgInfo>,
  ids: Iterable<string>,
  readerOrg: string,
): CandidateCounts {
  const cells = new Map<string, { kind: string; sector_code: string; n: number }>();
  for (const id of new Set(ids)) {
    const o = orgs.get(id);
    if (!o || id === readerOrg) continue;
    const key = `${o.kind}|${o.sector_code}`;
    const cell = cells.get(key) ?? { kind: o.kind, sector_code: o.sector_code, n: 0 };
    cell.n += 1;
    cells.set(key, cell);
  }
  return candidateCounts([...cells.values()]);
}

// One counts object per (context, report), so the class cache below serves every label on it.
const attachedCache = new WeakMap<AuthorContext, Map<string, CandidateCounts>>();

/** The candidates for the author of something attached to `reportId`, as this reader knows them. */
function attachedCandidates(ctx: AuthorContext, reportId: string): CandidateCounts {
  if (!ctx.readersOf.has(reportId)) {
    // A programming error, not a reader's: every labelled attached thing must load its report.
    throw new Error(`authorOf: the readers of report ${reportId} were not loaded`);
  }
  const readers = ctx.readersOf.get(reportId);
  if (!readers) return ctx.others;
  let byReport = attachedCache.get(ctx);
  if (!byReport) attachedCache.set(ctx, (byReport = new Map()));
  let counts = byReport.get(reportId);
  if (!counts) {
    const active = new Set(ctx.couldSeeOrgs);
    const ids = [...readers].filter((id) => active.has(id));
    byReport.set(reportId, (counts = candidatesAmong(ctx.orgs, ids, ctx.reader.orgId)));
  }
  return counts;
}

const MEMBER = 'member';

interface Classes {
  /** The class key of each (kind, sector) cell. */
  classOf: Map<string, string>;
  /** How many organisations each class holds. */
  sizes: Map<string, number>;
}

// The classes depend only on the reader's candidate counts and k, but every link check asks
// the label of every organisation: computed once per counts object (one per reader context).
const classCache = new WeakMap<CandidateCounts, Map<number, Classes>>();

function classesOf(others: CandidateCounts, k: number): Classes {
  let byK = classCache.get(others);
  if (!byK) classCache.set(others, (byK = new Map()));
  let classes = byK.get(k);
  if (!classes) byK.set(k, (classes = buildClasses(others, k)));
  return classes;
}

function buildClasses(others: CandidateCounts, k: number): Classes {
  // Each (kind, sector) cell of the organisations other than the reader gets a class key.
  const classOf = new Map<string, string>();
  const sizes = new Map<string, number>();
  const join = (cell: string, key: string, n: number) => {
    classOf.set(cell, key);
    sizes.set(key, (sizes.get(key) ?? 0) + n);
  };
  const pending = new Map<string, [string, number][]>();
  for (const [cell, n] of others.byKindSector) {
    const [kind, sectorCode] = cell.split('|');
    if (kind === 'operator' || kind === 'sector_csirt') {
      if (n >= k) join(cell, `${kind}|${sectorCode}`, n);
      else pending.set(kind, [...(pending.get(kind) ?? []), [cell, n]]);
    } else if (kind === 'vendor' || kind === 'coordinator') {
      join(cell, (others.byKind.get(kind) ?? 0) >= k ? kind : MEMBER, n);
    } else {
      join(cell, MEMBER, n);
    }
  }
  // What fell short in its sector pools by kind ("a critical-infrastructure operator").
  for (const [kind, cells] of pending) {
    const pool = cells.reduce((sum, [, n]) => sum + n, 0);
    for (const [cell, n] of cells) join(cell, pool >= k ? `${kind}|*` : MEMBER, n);
  }
  // A remainder too small to hide in takes in the smallest classes until it holds k.
  const member = sizes.get(MEMBER) ?? 0;
  if (member > 0 && member < k) {
    // Ties go by a fixed order, never by the order the counts arrived in (whatever order the
    // database grouped them): a label that changed with it from one request to the next would
    // let a reader intersect two classes. A class of one sector goes before a pool of small
    // sectors ("a critical-infrastructure operator"), then by key: the order the classes were
    // formed in when the counts came sorted, as they did in practice.
    const pooled = (key: string) => (key.endsWith('|*') ? 1 : 0);
    const smallest = [...sizes]
      .filter(([key]) => key !== MEMBER)
      .sort(
        (a, b) =>
          a[1] - b[1] || pooled(a[0]) - pooled(b[0]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
      );
    let size = member;
    for (const [key, n] of smallest) {
      if (size >= k) break;
      for (const [cell, c] of classOf) if (c === key) classOf.set(cell, MEMBER);
      sizes.delete(key);
      size += n;
    }
    sizes.set(MEMBER, size);
  }
  return { classOf, sizes };
}

/**
 * The narrowest label whose class holds at least k organisations other than the reader, where a
 * label's class is every organisation this reader would be shown that same label for. Counting
 * the class, not the kind, matters for the wider labels: a reader who knows the rule knows that
 * "a critical-infrastructure operator" stands only for operators whose sector label fell short,
 * so that label names just those (two gas operators, say), not every operator. Each wider
 * label's class is what fell through the narrower ones. When not even "a member organisation"
 * gathers k, the label says so rather than pretending: the item must not look anonymous.
 */
export function pseudonymOf(org: OrgInfo, others: CandidateCounts, k: number): string {
  const { classOf, sizes } = classesOf(others, k);
  const key = classOf.get(`${org.kind}|${org.sector_code}`) ?? MEMBER;
  if ((sizes.get(key) ?? 0) < k) return NOT_ANONYMOUS_LABEL;
  const sector = org.sector_name.toLowerCase();
  if (key === MEMBER) return 'a member organisation';
  if (key === 'vendor') return 'a vendor';
  if (key === 'coordinator') return 'a coordinator';
  if (key === 'operator|*') return 'a critical-infrastructure operator';
  if (key === 'sector_csirt|*') return 'a sector CSIRT';
  return org.kind === 'operator' ? `an operator in ${sector}` : `a sector CSIRT for ${sector}`;
}

/**
 * Every pseudonym an anonymous item of `author` (one not attached to a report) would be shown
 * with, over every active organisation that could read it. `all`: the active organisations,
 * the author included, counted by kind and sector. A reader's candidates are all of them but
 * itself, so the label depends only on the reader's cell: one computation per cell.
 */
export function pseudonymsForEveryReader(
  author: OrgInfo,
  all: { kind: string; sector_code: string; n: number }[],
  k: number,
): string[] {
  const authorCell = `${author.kind}|${author.sector_code}`;
  const labels = new Set<string>();
  for (const reader of all) {
    const cell = `${reader.kind}|${reader.sector_code}`;
    // Readers in this cell other than the author itself.
    if (reader.n - (cell === authorCell ? 1 : 0) < 1) continue;
    const others = all.map((c) => (c === reader ? { ...c, n: c.n - 1 } : c));
    labels.add(pseudonymOf(author, candidateCounts(others.filter((c) => c.n > 0)), k));
  }
  return [...labels].sort();
}

/**
 * How an organisation appears to this reader: itself (its own items, items not anonymous, and
 * coordinators when the author allowed it), or a pseudonym that at least k others fit.
 *
 * `attachedTo`: the report a comment, sighting or assistance request is attached to. Its author
 * can only be an organisation that reads that report, so the pseudonym's candidates are those
 * readers (other than this reader), not every organisation that fits the label: a comment on a
 * report only one other organisation reads is not anonymous, and says so (NOT_ANONYMOUS_LABEL).
 */
export function authorOf(
  ctx: AuthorContext,
  orgId: string,
  anonymous: boolean,
  revealToCoordinators: boolean,
  attachedTo?: string,
): ReportAuthor {
  const org = ctx.orgs.get(orgId)!;
  const own = orgId === ctx.reader.orgId;
  if (own || !anonymous || (ctx.readerIsCoordinator && revealToCoordinators)) {
    return { label: org.name, organisationId: org.id, own };
  }
  const others = attachedTo === undefined ? ctx.others : attachedCandidates(ctx, attachedTo);
  return { label: pseudonymOf(org, others, ctx.k), organisationId: null, own: false };
}
