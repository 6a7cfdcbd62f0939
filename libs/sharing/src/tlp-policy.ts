import { Tlp } from './tlp';

/**
 * Who is asking: a user or an organisation's API token. `sector` and `groupId` are those of the
 * organisation now (read per request), not when the item was shared, so a new member of a sector
 * sees the sector's earlier AMBER items.
 */
export type PolicyPrincipal =
  | { kind: 'user'; userId: string; orgId: string; sector: string; groupId: string | null }
  | { kind: 'token'; orgId: string; sector: string; groupId: string | null };

/** The columns of a shareable row that decide who sees it (ADR 0006). */
export interface PolicyItem {
  ownerOrg: string;
  tlp: Tlp;
  status: 'draft' | 'published' | 'retracted';
  audienceOrgs: string[];
  audienceSectors: string[];
  audienceGroups: string[];
  redUsers: string[];
}

/**
 * ADR 0006 for rows already in memory (e.g. before pushing an event). It must agree with
 * `renkei_can_see` in tlp-policy.sql.ts, which enforces the same rule in PostgreSQL; the
 * agreement test (test/tlp-policy-agreement.e2e-spec.ts) checks both on generated cases.
 *
 * `groupOf` gives an organisation's current corporate group, or null (also for an unknown
 * organisation); only the AMBER forwarding clause needs it.
 */
export function canSee(
  p: PolicyPrincipal,
  item: PolicyItem,
  groupOf: (orgId: string) => string | null,
): boolean {
  // A principal without an organisation is malformed; fail closed rather than treat it as a
  // stranger who may still see CLEAR and GREEN. The SQL form does the same for an unset org_id.
  if (!p.orgId) return false;

  // 1. The owner sees its items in any status and marking, except that tokens never see RED.
  if (p.orgId === item.ownerOrg && (p.kind === 'user' || item.tlp !== 'RED')) return true;

  // 2. Drafts are the owner's only; retracted items stay visible, marked retracted.
  if (item.status !== 'published' && item.status !== 'retracted') return false;

  // 3. By marking.
  switch (item.tlp) {
    case 'CLEAR':
    case 'GREEN':
      return true;
    case 'AMBER':
      return inAudience(p, item) || forwarded(p, item, groupOf);
    case 'AMBER_STRICT':
      return inAudience(p, item);
    case 'RED':
      return p.kind === 'user' && item.redUsers.includes(p.userId);
    default:
      // An unknown marking (a row from a newer version, say) is shown to nobody but its owner.
      return false;
  }
}

/**
 * Principals with the same key see every row that is not RED alike: the rule reads the user only
 * for RED (which names people); every other marking is decided by kind, organisation, sector and
 * group, here and in its SQL form (`renkei_can_see`; the user's own read marks are another
 * table, which no item view reads). So one read of a row that is not RED, under the scope of one
 * of them, is what each of the others would read under its own (push, ADR 0038).
 */
export function alikeKey(p: PolicyPrincipal): string {
  return [p.kind, p.orgId, p.sector, p.groupId ?? ''].join('|');
}

/** Whether readers with the same `alikeKey` see a row of this marking alike (see there). */
export function seenAlike(tlp: string): boolean {
  return tlp !== 'RED';
}

/** Named directly: the organisation, its sector or its corporate group. */
function inAudience(p: PolicyPrincipal, item: PolicyItem): boolean {
  return (
    item.audienceOrgs.includes(p.orgId) ||
    item.audienceSectors.includes(p.sector) ||
    (p.groupId !== null && item.audienceGroups.includes(p.groupId))
  );
}

/**
 * AMBER (not AMBER+STRICT) may be passed on to the recipient's group companies, so an
 * organisation in the same group as a named organisation sees it too.
 */
function forwarded(
  p: PolicyPrincipal,
  item: PolicyItem,
  groupOf: (orgId: string) => string | null,
): boolean {
  const group = p.groupId;
  return group !== null && item.audienceOrgs.some((org) => groupOf(org) === group);
}
