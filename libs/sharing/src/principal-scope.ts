import type { AnyPrincipal } from '@renkei/identity';
import type { PolicyPrincipal } from './tlp-policy';

/** The principal as the policy sees it: the one mapping every item type and output uses. */
export function scopeOf(p: AnyPrincipal): PolicyPrincipal {
  return p.kind === 'user'
    ? {
        kind: 'user',
        userId: p.userId,
        orgId: p.organisationId,
        sector: p.sectorCode,
        groupId: p.groupId,
      }
    : { kind: 'token', orgId: p.organisationId, sector: p.sectorCode, groupId: p.groupId };
}
