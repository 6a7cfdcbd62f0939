import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, UnauthenticatedError } from '@renkei/platform';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { requestOf, tokenFrom } from './request-context';
import { SessionService } from './session.service';
import { Role } from '../users/user.entity';

/**
 * The one guard, applied globally: deny by default. It resolves the principal from the bearer
 * token or session cookie for GraphQL and REST alike; handlers opt out with @Public() and narrow
 * with @RequireRole().
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = requestOf(ctx);
    const token = tokenFrom(req);
    if (token && !req.principal) {
      req.principal = await this.sessions.authenticate(token);
    }
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    if (!req.principal) {
      throw new UnauthenticatedError(
        token ? 'The session is invalid or has expired; log in again' : 'Authentication required',
      );
    }
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets);
    if (roles && !roles.includes(req.principal.role)) {
      throw new ForbiddenError(
        `This needs the role ${roles.map((r) => r.toUpperCase()).join(' or ')}`,
      );
    }
    return true;
  }
}
