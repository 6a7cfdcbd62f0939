import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportAuthGuard } from '@nestjs/passport';
import {
  DatabaseUnavailableError,
  ForbiddenError,
  isDatabaseUnavailable,
  UnauthenticatedError,
} from '@renkei/platform';
import {
  PUBLIC_KEY,
  ROLES_KEY,
  TOKEN_SCOPES_KEY,
  WITHOUT_SECOND_FACTOR_KEY,
} from './auth.decorators';
import { AnyPrincipal } from './principal';
import { requestOf, tokenFrom } from './request-context';
import { Role } from '../users/user.entity';

/**
 * The one guard, applied globally for GraphQL and REST: deny by default. Passport's `session`
 * and `api-token` strategies say who the caller is; this guard then decides:
 * - @Public() handlers are open (a valid token still identifies the caller);
 * - API tokens reach only handlers marked @AllowTokens with one of their scopes;
 * - users need a session whose second factor was verified, except on the few handlers marked
 *   @AllowWithoutSecondFactor (verify or enrol one), and the roles of @RequireRole.
 */
@Injectable()
export class AuthGuard extends PassportAuthGuard(['session', 'api-token']) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override getRequest(ctx: ExecutionContext) {
    return requestOf(ctx);
  }

  /**
   * No credentials is not an error here: the decision follows in canActivate. A strategy that
   * failed (rather than refused) is not a verdict on the credentials: an unreachable database
   * answers 503, anything else is an internal error, never "invalid or expired".
   */
  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw isDatabaseUnavailable(err) ? new DatabaseUnavailableError() : err;
    return user || (undefined as T);
  }

  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = requestOf(ctx);
    const token = tokenFrom(req);
    if (token && !req.principal) {
      await super.canActivate(ctx);
      req.principal = (req.user as AnyPrincipal | undefined) ?? undefined;
    }
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const p = req.principal;
    if (!p) {
      throw new UnauthenticatedError(
        token ? 'The session or token is invalid or has expired' : 'Authentication required',
      );
    }
    if (p.kind === 'token') {
      const scopes = this.reflector.getAllAndOverride<string[]>(TOKEN_SCOPES_KEY, targets);
      if (!scopes?.some((s) => p.scopes.includes(s))) {
        throw new ForbiddenError(
          scopes
            ? `This API token lacks the scope ${scopes.join(' or ')}`
            : 'API tokens cannot use this operation; log in as a user',
          'TOKEN_NOT_ALLOWED',
        );
      }
      return true;
    }
    if (
      p.aal < 2 &&
      !this.reflector.getAllAndOverride<boolean>(WITHOUT_SECOND_FACTOR_KEY, targets)
    ) {
      throw p.hasSecondFactor
        ? new ForbiddenError(
            'Verify your second factor first (verifyTotp, a passkey or a recovery code)',
            'SECOND_FACTOR_REQUIRED',
          )
        : new ForbiddenError(
            'Enrol a second factor first (an authenticator app or a passkey); it is required',
            'SECOND_FACTOR_ENROLMENT_REQUIRED',
          );
    }
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets);
    if (roles && !roles.includes(p.role)) {
      throw new ForbiddenError(
        `This needs the role ${roles.map((r) => r.toUpperCase()).join(' or ')}`,
      );
    }
    return true;
  }
}
