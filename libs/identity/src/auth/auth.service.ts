import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  BadInputError,
  ForbiddenError,
  isUuid,
  NotFoundError,
  UnauthenticatedError,
  mailboxKey,
} from '@renkei/platform';
import { DataSource, IsNull, Not } from 'typeorm';
import { AuditAction, AuditService } from '../audit/audit.service';
import { MfaService } from '../mfa/mfa.service';
import { Organisation, OrganisationStatus } from '../organisations/organisation.entity';
import { passwordProblem } from '../users/password-policy';
import { Role, User, UserStatus } from '../users/user.entity';
import { PasswordHasher } from './password-hasher';
import { isHubAdmin, isOrgAdminOf, Principal } from './principal';
import { ClientInfo, hashToken, SessionService } from './session.service';
import { ThrottleService } from './throttle.service';

/** At this many consecutive wrong passwords the password is disabled until an admin reset. */
const PASSWORD_DISABLE_AFTER = 100;
const RESET_TTL_MS = 60 * 60_000;
const WRONG = 'Wrong e-mail address or password';

export type SecondFactorMethod = 'totp' | 'passkey' | 'recovery_code';

export interface SessionGrant {
  token: string;
  expiresAt: Date;
  user: User;
  /** Whether the session may do more than enrol or verify a second factor. */
  secondFactorVerified: boolean;
  enrolmentRequired: boolean;
}

/**
 * Logging in is two steps: the password opens a session that can only verify (or, the first
 * time, enrol) a second factor; the second factor replaces it with a full session. Every step
 * issues a new token, and every attempt is throttled and audited.
 */
@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly throttle: ThrottleService,
    private readonly mfa: MfaService,
    private readonly audit: AuditService,
  ) {}

  async login(email: string, password: string, client: ClientInfo): Promise<SessionGrant> {
    const normalised = mailboxKey(email);
    const keys = [`account:${normalised}`, `address:${client.address ?? 'unknown'}`];
    await this.throttle.attempt(keys);
    const user = await this.db
      .getRepository(User)
      // Only a proven address opens an account (ADR 0016); an unproven one is as unknown.
      .findOne({
        where: { email: normalised, emailVerifiedAt: Not(IsNull()) },
        relations: { organisation: true },
      });
    const ok = await this.hasher.verify(user?.passwordHash ?? null, password);
    const usable =
      user &&
      user.status === UserStatus.ACTIVE &&
      (user.organisation as Organisation).status === OrganisationStatus.ACTIVE &&
      user.passwordFailures < PASSWORD_DISABLE_AFTER;
    if (!user || !ok || !usable) {
      if (user && !ok) await this.countPasswordFailure(user, client);
      await this.audit.record({
        action: AuditAction.LOGIN_FAILURE,
        outcome: 'failure',
        actorUserId: user?.id ?? null,
        actorOrganisationId: user?.organisationId ?? null,
        organisationId: user?.organisationId ?? null,
        clientAddress: client.address ?? null,
        details: { reason: !user ? 'unknown_account' : !ok ? 'wrong_password' : 'not_usable' },
      });
      throw new UnauthenticatedError(WRONG);
    }
    await this.throttle.succeeded(keys);
    const updates: Partial<User> = { passwordFailures: 0 };
    if (this.hasher.needsRehash(user.passwordHash as string))
      updates.passwordHash = await this.hasher.hash(password);
    await this.db.getRepository(User).update(user.id, updates);
    const session = await this.sessions.create(user.id, { aal: 1, client });
    const factors = await this.mfa.summary(user.id);
    await this.recordSelf(
      AuditAction.LOGIN_SUCCESS,
      'success',
      { userId: user.id, organisationId: user.organisationId },
      client,
      { step: 'password', sessionId: session.sessionId },
    );
    return {
      token: session.token,
      expiresAt: session.expiresAt,
      user,
      secondFactorVerified: false,
      enrolmentRequired: !factors.totpEnrolled && factors.passkeys === 0,
    };
  }

  /**
   * After a verified second factor: the password-only session (if any) ends and a full one
   * starts with a new token.
   */
  async grantFullSession(
    userId: string,
    method: SecondFactorMethod,
    client: ClientInfo,
    previousSessionId?: string,
  ): Promise<SessionGrant> {
    const user = await this.db.getRepository(User).findOneByOrFail({ id: userId });
    const session = await this.db.transaction(async (tx) => {
      if (previousSessionId) await this.sessions.revoke(previousSessionId, tx);
      return this.sessions.create(userId, { aal: 2, client, manager: tx });
    });
    await this.throttle.clear([`second-factor:${userId}`]);
    await this.audit.record({
      action: AuditAction.SECOND_FACTOR_VERIFIED,
      outcome: 'success',
      actorUserId: userId,
      actorOrganisationId: user.organisationId,
      organisationId: user.organisationId,
      clientAddress: client.address ?? null,
      details: { method, sessionId: session.sessionId },
    });
    return {
      token: session.token,
      expiresAt: session.expiresAt,
      user,
      secondFactorVerified: true,
      enrolmentRequired: false,
    };
  }

  async verifySecondFactor(
    p: Principal,
    method: 'totp' | 'recovery_code',
    code: string,
    client: ClientInfo,
  ): Promise<SessionGrant> {
    const keys = [`second-factor:${p.userId}`, `address:${client.address ?? 'unknown'}`];
    await this.throttle.attempt(keys);
    const ok =
      method === 'totp'
        ? await this.mfa.verifyTotp(p.userId, code.trim())
        : await this.mfa.useRecoveryCode(p.userId, code);
    if (!ok) {
      await this.recordSelf(AuditAction.SECOND_FACTOR_FAILURE, 'failure', p, client, { method });
      throw new UnauthenticatedError(
        method === 'totp'
          ? 'The code is wrong, expired or already used'
          : 'The recovery code is wrong or already used',
      );
    }
    await this.throttle.succeeded(keys);
    if (method === 'recovery_code') {
      await this.recordSelf(AuditAction.RECOVERY_CODE_USED, 'success', p, client);
    }
    return this.grantFullSession(p.userId, method, client, p.sessionId);
  }

  async changePassword(
    p: Principal,
    current: string,
    next: string,
    client: ClientInfo,
  ): Promise<number> {
    const keys = [`account:${p.userId}`, `address:${client.address ?? 'unknown'}`];
    await this.throttle.attempt(keys);
    const user = await this.db
      .getRepository(User)
      .findOne({ where: { id: p.userId }, relations: { organisation: true } });
    if (!user || !(await this.hasher.verify(user.passwordHash, current))) {
      throw new BadInputError([
        { path: 'currentPassword', message: 'is not your current password' },
      ]);
    }
    await this.throttle.succeeded(keys);
    await this.setPassword(user, next, 'newPassword');
    const ended = await this.sessions.revokeAll(user.id, p.sessionId);
    await this.recordSelf(
      AuditAction.PASSWORD_CHANGED,
      'success',
      { userId: user.id, organisationId: user.organisationId },
      client,
      { otherSessionsEnded: ended },
    );
    return ended;
  }

  /**
   * An admin issues a one-time reset token for a user (hub admins: anyone; org admins: their
   * own). With `resetSecondFactors` the token also removes every factor of the user when
   * redeemed (ADR 0028): the one way back for someone who lost them all, so the admin confirms
   * their own second factor first.
   */
  async issuePasswordReset(
    admin: Principal,
    userId: string,
    client: ClientInfo,
    resetSecondFactors = false,
  ): Promise<{ token: string; expiresAt: Date; resetsSecondFactors: boolean }> {
    if (resetSecondFactors) this.mfa.assertStepUp(admin);
    const user = await this.userManagedBy(admin, userId);
    const token = `rkr_${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(Date.now() + RESET_TTL_MS);
    await this.db.transaction(async (tx) => {
      await tx.query(
        'UPDATE password_reset SET used_at = now() WHERE user_id = $1 AND used_at IS NULL',
        [user.id],
      );
      await tx.query(
        `INSERT INTO password_reset (user_id, token_hash, issued_by, expires_at, resets_factors)
         VALUES ($1, $2, $3, $4, $5)`,
        [user.id, hashToken(token), admin.userId, expiresAt, resetSecondFactors],
      );
    });
    await this.audit.record({
      action: AuditAction.PASSWORD_RESET_ISSUED,
      outcome: 'success',
      actorUserId: admin.userId,
      actorOrganisationId: admin.organisationId,
      organisationId: user.organisationId,
      targetType: 'user',
      targetId: user.id,
      clientAddress: client.address ?? null,
      details: { resetsSecondFactors: resetSecondFactors },
    });
    return { token, expiresAt, resetsSecondFactors: resetSecondFactors };
  }

  /**
   * Redeems a reset token: new password, password re-enabled, every session ended; and, for a
   * ticket issued so, every second factor removed.
   */
  async resetPassword(token: string, next: string, client: ClientInfo): Promise<void> {
    const keys = [`address:${client.address ?? 'unknown'}`];
    await this.throttle.attempt(keys);
    const found: { user_id: string; resets_factors: boolean }[] = await this.db.query(
      'SELECT user_id, resets_factors FROM password_reset WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()',
      [hashToken(token)],
    );
    if (!found[0]) {
      throw new UnauthenticatedError(
        'The reset link is wrong, expired or already used; ask an admin for a new one',
      );
    }
    await this.throttle.succeeded(keys);
    const user = await this.db
      .getRepository(User)
      .findOneOrFail({ where: { id: found[0].user_id }, relations: { organisation: true } });
    // A refused new password must not use the link up: check it before consuming the token.
    this.assertAcceptable(user, next, 'newPassword');
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [consumed]: [{ id: string }[], number] = await this.db.query(
      'UPDATE password_reset SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL RETURNING id',
      [hashToken(token)],
    );
    if (!consumed[0])
      throw new UnauthenticatedError(
        'The reset link was used meanwhile; ask an admin for a new one',
      );
    await this.setPassword(user, next, 'newPassword');
    if (found[0].resets_factors) {
      await this.db.transaction((tx) => this.mfa.forgetAllFactors(user.id, tx));
    }
    await this.sessions.revokeAll(user.id);
    await this.recordSelf(
      AuditAction.PASSWORD_RESET_USED,
      'success',
      { userId: user.id, organisationId: user.organisationId },
      client,
      { secondFactorsRemoved: found[0].resets_factors },
    );
  }

  async logout(p: Principal): Promise<void> {
    await this.sessions.revoke(p.sessionId);
    await this.recordSelf(AuditAction.SESSION_REVOKED, 'success', p, undefined, {
      sessionId: p.sessionId,
      reason: 'logout',
    });
  }

  async setPasswordless(p: Principal, enabled: boolean): Promise<void> {
    await this.db.getRepository(User).update(p.userId, { passwordlessEnabled: enabled });
  }

  /** Admin revocation: ends every session of a user (hub admins: anyone; org admins: their own). */
  async revokeUserSessions(admin: Principal, userId: string): Promise<number> {
    const user = await this.userManagedBy(admin, userId);
    const ended = await this.sessions.revokeAll(user.id);
    await this.audit.record({
      action: AuditAction.SESSION_REVOKED,
      outcome: 'success',
      actorUserId: admin.userId,
      actorOrganisationId: admin.organisationId,
      organisationId: user.organisationId,
      targetType: 'user',
      targetId: user.id,
      details: { ended, reason: 'admin' },
    });
    return ended;
  }

  currentUser(p: Pick<Principal, 'userId'>): Promise<User | null> {
    return this.db.getRepository(User).findOneBy({ id: p.userId });
  }

  /**
   * A user an admin may act on (reset, end sessions): hub admins anyone; org admins their own
   * organisation's users, never a hub admin. Others' users are NOT_FOUND, as everywhere.
   */
  private async userManagedBy(admin: Principal, userId: string): Promise<User> {
    const user = isUuid(userId)
      ? await this.db.getRepository(User).findOneBy({ id: userId })
      : null;
    if (!user || !(isHubAdmin(admin) || admin.organisationId === user.organisationId)) {
      throw new NotFoundError('User');
    }
    if (
      !isHubAdmin(admin) &&
      (!isOrgAdminOf(admin, user.organisationId) || user.role === Role.HUB_ADMIN)
    ) {
      throw new ForbiddenError(
        "Only hub admins, or org admins for their own organisation's users, may do this",
      );
    }
    return user;
  }

  /** An event a user caused about their own account: actor and subject are the same. */
  private recordSelf(
    action: AuditAction,
    outcome: 'success' | 'failure' | 'denied',
    who: { userId: string; organisationId: string },
    client?: ClientInfo,
    details?: Record<string, unknown>,
  ) {
    return this.audit.record({
      action,
      outcome,
      actorUserId: who.userId,
      actorOrganisationId: who.organisationId,
      organisationId: who.organisationId,
      clientAddress: client?.address ?? null,
      details,
    });
  }

  private async setPassword(user: User, password: string, path: string): Promise<void> {
    this.assertAcceptable(user, password, path);
    await this.db
      .getRepository(User)
      .update(user.id, { passwordHash: await this.hasher.hash(password), passwordFailures: 0 });
  }

  private assertAcceptable(user: User, password: string, path: string): void {
    const problem = passwordProblem(password, {
      email: user.email,
      displayName: user.displayName,
      organisationName: (user.organisation as Organisation | undefined)?.name,
    });
    if (problem) throw new BadInputError([{ path, message: problem }]);
  }

  private async countPasswordFailure(user: User, client: ClientInfo): Promise<void> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [rows]: [{ password_failures: number }[], number] = await this.db.query(
      'UPDATE hub_user SET password_failures = password_failures + 1 WHERE id = $1 RETURNING password_failures',
      [user.id],
    );
    if (rows[0]?.password_failures === PASSWORD_DISABLE_AFTER) {
      await this.audit.record({
        action: AuditAction.LOGIN_LOCKED,
        outcome: 'denied',
        actorUserId: user.id,
        actorOrganisationId: user.organisationId,
        organisationId: user.organisationId,
        clientAddress: client.address ?? null,
        details: {
          reason: 'password_disabled_after_consecutive_failures',
          failures: PASSWORD_DISABLE_AFTER,
        },
      });
    }
  }
}
