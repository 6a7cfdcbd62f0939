import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, UnauthenticatedError } from '@renkei/platform';
import {
  PUBLIC_KEY,
  ROLES_KEY,
  TOKEN_SCOPES_KEY,
  WITHOUT_SECOND_FACTOR_KEY,
} from './auth.decorators';
import { requestOf, tokenFrom } from './request-context';
import { RequestAuthenticator } from './request-authenticator';
import { Role } from '../users/user.entity';

/**
 * The one guard, applied globally for GraphQL and REST: deny by default. RequestAuthenticator
 * says who the caller is (usually before the body was read); this guard then decides:
 * - @Public() handlers are open (a valid token still identifies the caller);
 * - API tokens reach only handlers marked @AllowTokens with one of their scopes;
 * - users need a session whose second factor was verified, except on the few handlers marked
 *   @AllowWithoutSecondFactor (verify or enrol one), and the roles of @RequireRole.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: RequestAuthenticator,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = requestOf(ctx);
    const token = tokenFrom(req);
    // A subscription's request carries its socket's principal already.
    if (!req.principal) await this.authenticator.authenticate(req);
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const p = req.principal;
    if (!p) {
      if (req.credentialRefusal) throw req.credentialRefusal;
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
