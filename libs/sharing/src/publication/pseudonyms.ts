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
 * From the narrowest label to the widest, each with how many organisations other than the
 * reader it could name. Each label claims only what its count covers: "an operator in electric
 * power" counts operators of that sector, never the sector's CSIRT or vendors.
 */
function ladder(org: OrgInfo, c: CandidateCounts): [string, number][] {
  const sector = org.sector_name.toLowerCase();
  const inSector = (kind: string) => c.byKindSector.get(`${kind}|${org.sector_code}`) ?? 0;
  const ofKind = (kind: string) => c.byKind.get(kind) ?? 0;
  const member: [string, number] = ['a member organisation', c.total];
  switch (org.kind) {
    case 'operator':
      return [
        [`an operator in ${sector}`, inSector('operator')],
        ['a critical-infrastructure operator', ofKind('operator')],
        member,
      ];
    case 'sector_csirt':
      return [
        [`a sector CSIRT for ${sector}`, inSector('sector_csirt')],
        ['a sector CSIRT', ofKind('sector_csirt')],
        member,
      ];
    case 'vendor':
      return [['a vendor', ofKind('vendor')], member];
    case 'coordinator':
      return [['a coordinator', ofKind('coordinator')], member];
    default:
      return [member];
  }
}

/**
 * The narrowest label that at least k organisations other than the reader fit; when not even
 * "a member organisation" does (a hub of fewer than k+1 members), the label says so rather than
 * pretending: the reader can tell who wrote it, and the item must not look anonymous.
 */
export function pseudonymOf(org: OrgInfo, others: CandidateCounts, k: number): string {
  for (const [label, count] of ladder(org, others)) if (count >= k) return label;
  return NOT_ANONYMOUS_LABEL;
}

/**
 * How an organisation appears to this reader: itself (its own items, items not anonymous, and
 * coordinators when the author allowed it), or a pseudonym that at least k others fit.
 */
export function authorOf(
  ctx: AuthorContext,
  orgId: string,
  anonymous: boolean,
  revealToCoordinators: boolean,
): ReportAuthor {
  const org = ctx.orgs.get(orgId)!;
  const own = orgId === ctx.reader.orgId;
  if (own || !anonymous || (ctx.readerIsCoordinator && revealToCoordinators)) {
    return { label: org.name, organisationId: org.id, own };
  }
  return { label: pseudonymOf(org, ctx.others, ctx.k), organisationId: null, own: false };
}
