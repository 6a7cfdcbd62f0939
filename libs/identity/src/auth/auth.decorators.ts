import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { requestOf } from './request-context';
import { AnyPrincipal, Principal } from './principal';
import { Role } from '../users/user.entity';

export const PUBLIC_KEY = 'renkei:public';
export const ROLES_KEY = 'renkei:roles';
export const WITHOUT_SECOND_FACTOR_KEY = 'renkei:without-second-factor';
export const TOKEN_SCOPES_KEY = 'renkei:token-scopes';

/** Reachable without a session. Every use is listed in schema/permissions.json. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only these roles pass; finer checks (own organisation) stay in the service. */
export const RequireRole = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/**
 * Reachable from a password-only session: what it takes to verify or enrol a second factor.
 * Everything else needs a session whose second factor was verified.
 */
export const AllowWithoutSecondFactor = () => SetMetadata(WITHOUT_SECOND_FACTOR_KEY, true);

/** API tokens with one of these scopes may call it too (tokens reach nothing else). */
export const AllowTokens = (...scopes: string[]) => SetMetadata(TOKEN_SCOPES_KEY, scopes);

/** The calling user (handlers that admit API tokens use CurrentCaller instead). */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal | undefined => {
    const p = requestOf(ctx).principal;
    return p?.kind === 'user' ? p : undefined;
  },
);

export const CurrentCaller = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AnyPrincipal | undefined => requestOf(ctx).principal,
);
