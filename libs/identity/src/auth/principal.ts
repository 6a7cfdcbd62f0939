import { Role } from '../users/user.entity';

/** Who is calling, as every guard, service and (later) the TLP policy sees it. */
export interface Principal {
  userId: string;
  organisationId: string;
  role: Role;
  sectorCode: string;
  groupId: string | null;
  sessionId: string;
}

export const isHubAdmin = (p: Principal) => p.role === Role.HUB_ADMIN;
export const isOrgAdminOf = (p: Principal, organisationId: string) =>
  p.role === Role.ORG_ADMIN && p.organisationId === organisationId;
