import { Inject } from '@nestjs/common';
import {
  Args,
  Context,
  Field,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
} from '@nestjs/graphql';
import { BadInputError, HUB_CONFIG, HubConfig, UnauthenticatedError } from '@renkei/platform';
import { AuditAction, AuditService } from '../audit/audit.service';
import { AllowWithoutSecondFactor, CurrentPrincipal, Public } from '../auth/auth.decorators';
import { AuthPayload, issue } from '../auth/auth.resolver';
import { AuthService } from '../auth/auth.service';
import { Principal } from '../auth/principal';
import { clientOf, GraphQLContext } from '../auth/request-context';
import { SessionService } from '../auth/session.service';
import { User } from '../users/user.entity';
import { MfaService } from './mfa.service';

@ObjectType()
export class PasskeyView {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) lastUsedAt: Date | null;
  @Field({ description: 'singleDevice or multiDevice (a synced passkey).' }) deviceType: string;
  @Field() backedUp: boolean;
}

@ObjectType()
export class SecurityOverview {
  @Field() totpEnabled: boolean;
  @Field(() => [PasskeyView]) passkeys: PasskeyView[];
  @Field(() => Int) recoveryCodesRemaining: number;
  @Field() passwordlessEnabled: boolean;
  @Field({ description: 'Whether this session has verified a second factor.' })
  secondFactorVerified: boolean;
}

@ObjectType()
export class TotpEnrolment {
  @Field({ description: 'otpauth:// URI for authenticator apps (SHA-1, 6 digits, 30 s).' })
  otpauthUri: string;
  @Field({ description: 'The same URI as an SVG QR code.' }) qrCodeSvg: string;
  @Field({ description: 'The base32 seed, for typing in by hand. Shown once.' }) secret: string;
}

@ObjectType()
export class EnrolmentResult {
  @Field({ description: 'Whether the factor is now active.' }) active: boolean;
  @Field(() => [String], {
    nullable: true,
    description: 'Recovery codes, shown once, when this was the first factor.',
  })
  recoveryCodes: string[] | null;
  @Field(() => AuthPayload, {
    nullable: true,
    description: 'A new full session when this was the first factor.',
  })
  session: AuthPayload | null;
}

@ObjectType()
export class WebauthnChallengePayload {
  @Field() challengeId: string;
  @Field({ description: 'PublicKeyCredential options as JSON, for @simplewebauthn/browser.' })
  optionsJson: string;
}

@ObjectType()
export class PasskeyEnrolmentResult extends EnrolmentResult {
  @Field(() => PasskeyView) passkey: PasskeyView;
}

@ObjectType()
export class SessionInfo {
  @Field(() => ID) id: string;
  @Field() createdAt: Date;
  @Field() lastSeenAt: Date;
  @Field() expiresAt: Date;
  @Field(() => String, { nullable: true }) clientAddress: string | null;
  @Field(() => String, { nullable: true }) userAgent: string | null;
  @Field() secondFactorVerified: boolean;
  @Field() current: boolean;
}

@ObjectType()
export class PasswordResetTicket {
  @Field({ description: 'One-time token; give it to the user out of band. Valid for an hour.' })
  token: string;
  @Field() expiresAt: Date;
  @Field({ description: 'Redeeming it also removes every second factor of the user.' })
  resetsSecondFactors: boolean;
}

const json = (s: string, path: string) => {
  try {
    return JSON.parse(s);
  } catch {
    throw new BadInputError([{ path, message: 'is not JSON' }]);
  }
};

@Resolver()
export class MfaResolver {
  constructor(
    private readonly mfa: MfaService,
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  @AllowWithoutSecondFactor()
  @Query(() => SecurityOverview, { description: "The caller's second factors and recovery codes." })
  async mySecurity(@CurrentPrincipal() p: Principal): Promise<SecurityOverview> {
    const [summary, passkeys, user] = await Promise.all([
      this.mfa.summary(p.userId),
      this.mfa.listPasskeys(p.userId),
      this.auth.currentUser(p),
    ]);
    return {
      totpEnabled: summary.totp,
      passkeys,
      recoveryCodesRemaining: summary.recoveryCodesRemaining,
      passwordlessEnabled: (user as User).passwordlessEnabled,
      secondFactorVerified: p.aal >= 2,
    };
  }

  // --- TOTP ---------------------------------------------------------------------------------

  @AllowWithoutSecondFactor()
  @Mutation(() => TotpEnrolment, {
    description: 'Starts authenticator-app enrolment; confirmTotpEnrolment activates it.',
  })
  async startTotpEnrolment(@CurrentPrincipal() p: Principal): Promise<TotpEnrolment> {
    const user = (await this.auth.currentUser(p)) as User;
    return this.mfa.startTotpEnrolment(p, user.email);
  }

  @AllowWithoutSecondFactor()
  @Mutation(() => EnrolmentResult, {
    description: 'A first valid code activates the authenticator app.',
  })
  async confirmTotpEnrolment(
    @CurrentPrincipal() p: Principal,
    @Args('code') code: string,
    @Context() ctx: GraphQLContext,
  ): Promise<EnrolmentResult> {
    if (!(await this.mfa.confirmTotp(p, code.trim()))) {
      throw new BadInputError([
        {
          path: 'code',
          message: 'is not the current code of the app; check the clock of the phone',
        },
      ]);
    }
    return this.afterEnrolment(p, 'totp', ctx);
  }

  @AllowWithoutSecondFactor()
  @Mutation(() => AuthPayload, {
    description: 'Second step of login with an authenticator-app code.',
  })
  async verifyTotp(
    @CurrentPrincipal() p: Principal,
    @Args('code') code: string,
    @Context() ctx: GraphQLContext,
  ): Promise<AuthPayload> {
    return issue(
      ctx,
      this.config,
      await this.auth.verifySecondFactor(p, 'totp', code, clientOf(ctx.req)),
    );
  }

  @AllowWithoutSecondFactor()
  @Mutation(() => AuthPayload, {
    description: 'Second step of login with a single-use recovery code.',
  })
  async verifyRecoveryCode(
    @CurrentPrincipal() p: Principal,
    @Args('code') code: string,
    @Context() ctx: GraphQLContext,
  ): Promise<AuthPayload> {
    return issue(
      ctx,
      this.config,
      await this.auth.verifySecondFactor(p, 'recovery_code', code, clientOf(ctx.req)),
    );
  }

  @Mutation(() => Boolean, {
    description:
      'Removes the authenticator app (needs a recent second-factor check; never the last factor).',
  })
  async removeTotp(
    @CurrentPrincipal() p: Principal,
    @Context() ctx: GraphQLContext,
  ): Promise<boolean> {
    await this.mfa.removeTotp(p);
    await this.recordFactor(p, AuditAction.FACTOR_REMOVED, 'totp', ctx);
    return true;
  }

  @Mutation(() => [String], {
    description: 'Ten new recovery codes, shown once; the old ones stop working.',
  })
  async regenerateRecoveryCodes(
    @CurrentPrincipal() p: Principal,
    @Context() ctx: GraphQLContext,
  ): Promise<string[]> {
    this.mfa.assertStepUp(p);
    const codes = await this.mfa.regenerateRecoveryCodes(p.userId);
    await this.recordFactor(p, AuditAction.RECOVERY_CODES_REGENERATED, 'recovery_codes', ctx);
    return codes;
  }

  // --- passkeys ------------------------------------------------------------------------------

  @AllowWithoutSecondFactor()
  @Mutation(() => WebauthnChallengePayload)
  async startPasskeyRegistration(
    @CurrentPrincipal() p: Principal,
  ): Promise<WebauthnChallengePayload> {
    const user = (await this.auth.currentUser(p)) as User;
    const { challengeId, options } = await this.mfa.startPasskeyRegistration(
      p,
      user.email,
      user.displayName,
    );
    return { challengeId, optionsJson: JSON.stringify(options) };
  }

  @AllowWithoutSecondFactor()
  @Mutation(() => PasskeyEnrolmentResult)
  async finishPasskeyRegistration(
    @CurrentPrincipal() p: Principal,
    @Args('challengeId') challengeId: string,
    @Args('responseJson') responseJson: string,
    @Args('name') name: string,
    @Context() ctx: GraphQLContext,
  ): Promise<PasskeyEnrolmentResult> {
    const label = name.trim();
    if (!label || label.length > 100)
      throw new BadInputError([{ path: 'name', message: 'must be 1 to 100 characters' }]);
    const passkey = await this.mfa.finishPasskeyRegistration(
      p,
      challengeId,
      json(responseJson, 'responseJson'),
      label,
    );
    return { ...(await this.afterEnrolment(p, 'passkey', ctx)), passkey };
  }

  @Public()
  @Mutation(() => WebauthnChallengePayload, {
    description:
      'Starts a passkey check: as the second step of login (with the password session), or alone for passwordless login.',
  })
  async startPasskeyAuthentication(
    @Context() ctx: GraphQLContext,
  ): Promise<WebauthnChallengePayload> {
    const p = ctx.req.principal?.kind === 'user' ? ctx.req.principal : undefined;
    const { challengeId, options } = await this.mfa.startPasskeyAuthentication(p?.userId);
    return { challengeId, optionsJson: JSON.stringify(options) };
  }

  @Public()
  @Mutation(() => AuthPayload)
  async finishPasskeyAuthentication(
    @Args('challengeId') challengeId: string,
    @Args('responseJson') responseJson: string,
    @Context() ctx: GraphQLContext,
  ): Promise<AuthPayload> {
    const p = ctx.req.principal?.kind === 'user' ? ctx.req.principal : undefined;
    const result = await this.mfa.finishPasskeyAuthentication(
      challengeId,
      json(responseJson, 'responseJson'),
    );
    if (p && p.userId === result.userId) {
      return issue(
        ctx,
        this.config,
        await this.auth.grantFullSession(p.userId, 'passkey', clientOf(ctx.req), p.sessionId),
      );
    }
    // Passwordless: the passkey must have verified the user (PIN or biometrics), and the user opted in.
    const user = await this.auth.currentUser({ userId: result.userId });
    if (!user?.passwordlessEnabled || !result.userVerified || user.status !== 'active') {
      throw new UnauthenticatedError('Log in with your password first, then use the passkey');
    }
    return issue(
      ctx,
      this.config,
      await this.auth.grantFullSession(user.id, 'passkey', clientOf(ctx.req)),
    );
  }

  @Mutation(() => PasskeyView)
  renamePasskey(
    @CurrentPrincipal() p: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('name') name: string,
  ) {
    const label = name.trim();
    if (!label || label.length > 100)
      throw new BadInputError([{ path: 'name', message: 'must be 1 to 100 characters' }]);
    return this.mfa.renamePasskey(p, id, label);
  }

  @Mutation(() => Boolean, {
    description: 'Removes a passkey (needs a recent second-factor check; never the last factor).',
  })
  async removePasskey(
    @CurrentPrincipal() p: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Context() ctx: GraphQLContext,
  ) {
    await this.mfa.removePasskey(p, id);
    await this.recordFactor(p, AuditAction.FACTOR_REMOVED, 'passkey', ctx);
    return true;
  }

  @Mutation(() => Boolean, {
    description: 'Allow logging in with a passkey alone (needs a recent second-factor check).',
  })
  async setPasswordlessLogin(
    @CurrentPrincipal() p: Principal,
    @Args('enabled') enabled: boolean,
  ): Promise<boolean> {
    this.mfa.assertStepUp(p);
    if (enabled && (await this.mfa.summary(p.userId)).passkeys === 0) {
      throw new BadInputError([{ path: 'enabled', message: 'register a passkey first' }]);
    }
    await this.auth.setPasswordless(p, enabled);
    return enabled;
  }

  // --- sessions and passwords ----------------------------------------------------------------

  @Query(() => [SessionInfo], { description: "The caller's active sessions." })
  async mySessions(@CurrentPrincipal() p: Principal): Promise<SessionInfo[]> {
    const list = await this.sessions.listActive(p.userId);
    return list.map((s) => ({
      ...s,
      secondFactorVerified: s.aal >= 2,
      current: s.id === p.sessionId,
    }));
  }

  @Mutation(() => Boolean, { description: 'Ends one of your sessions.' })
  async revokeSession(
    @CurrentPrincipal() p: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<boolean> {
    const mine = (await this.sessions.listActive(p.userId)).some((s) => s.id === id);
    if (mine) await this.sessions.revoke(id);
    return mine;
  }

  @Mutation(() => Int, {
    description: 'Ends all your sessions, this one included. Returns how many ended.',
  })
  async logoutEverywhere(@CurrentPrincipal() p: Principal): Promise<number> {
    return this.sessions.revokeAll(p.userId);
  }

  @Mutation(() => Int, {
    description: 'Changes your password and ends your other sessions (returns how many).',
  })
  changePassword(
    @CurrentPrincipal() p: Principal,
    @Args('currentPassword') currentPassword: string,
    @Args('newPassword') newPassword: string,
    @Context() ctx: GraphQLContext,
  ): Promise<number> {
    return this.auth.changePassword(p, currentPassword, newPassword, clientOf(ctx.req));
  }

  @Public()
  @Mutation(() => Boolean, {
    description:
      'Sets a new password with a one-time reset token from an admin; ends every session.',
  })
  async resetPassword(
    @Args('token') token: string,
    @Args('newPassword') newPassword: string,
    @Context() ctx: GraphQLContext,
  ) {
    await this.auth.resetPassword(token, newPassword, clientOf(ctx.req));
    return true;
  }

  private async afterEnrolment(
    p: Principal,
    method: 'totp' | 'passkey',
    ctx: GraphQLContext,
  ): Promise<EnrolmentResult> {
    await this.recordFactor(p, AuditAction.FACTOR_ENROLLED, method, ctx);
    if (p.hasSecondFactor) return { active: true, recoveryCodes: null, session: null };
    // The first factor: the user just proved possession of it, so the session becomes full,
    // and recovery codes are issued for the day the factor is lost.
    const recoveryCodes = await this.mfa.regenerateRecoveryCodes(p.userId);
    const grant = await this.auth.grantFullSession(
      p.userId,
      method,
      clientOf(ctx.req),
      p.sessionId,
    );
    return { active: true, recoveryCodes, session: issue(ctx, this.config, grant) };
  }

  private recordFactor(
    p: Principal,
    action: (typeof AuditAction)[keyof typeof AuditAction],
    method: string,
    ctx: GraphQLContext,
  ) {
    return this.audit.record({
      action,
      outcome: 'success',
      actorUserId: p.userId,
      actorOrganisationId: p.organisationId,
      organisationId: p.organisationId,
      clientAddress: clientOf(ctx.req).address ?? null,
      details: { method },
    });
  }
}
