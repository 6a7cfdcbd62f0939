import { Role } from '../users/user.entity';

/** A logged-in user, as every guard, service and (later) the TLP policy sees it. */
export interface Principal {
  kind: 'user';
  userId: string;
  organisationId: string;
  role: Role;
  sectorCode: string;
  groupId: string | null;
  sessionId: string;
  /** 1: password only; 2: a second factor was verified in this session. */
  aal: number;
  secondFactorAt: Date | null;
  /** Whether the user has any second factor enrolled at all. */
  hasSecondFactor: boolean;
}

/** An organisation's API token: no user, never TLP:RED, only the operations its scopes open. */
export interface TokenPrincipal {
  kind: 'token';
  tokenId: string;
  organisationId: string;
  sectorCode: string;
  groupId: string | null;
  scopes: string[];
  /** When the token stops working, if ever (caches of it must not outlive it). */
  expiresAt?: Date | null;
}

export type AnyPrincipal = Principal | TokenPrincipal;

export const isHubAdmin = (p: Principal) => p.role === Role.HUB_ADMIN;
export const isOrgAdminOf = (p: Principal, organisationId: string) =>
  p.role === Role.ORG_ADMIN && p.organisationId === organisationId;
