import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { requestOf } from './request-context';
import { Principal } from './principal';
import { Role } from '../users/user.entity';

export const PUBLIC_KEY = 'renkei:public';
export const ROLES_KEY = 'renkei:roles';

/** Reachable without a session. Every use is listed in the endpoint-permission snapshot test. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only these roles pass; finer checks (own organisation) stay in the service. */
export const RequireRole = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal | undefined => requestOf(ctx).principal,
);
