import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import {
  BadInputError,
  ForbiddenError,
  HUB_CONFIG,
  HubConfig,
  NotFoundError,
  UnauthenticatedError,
} from '@renkei/platform';
import { generateSecret, generateURI, verify as verifyTotpCode } from 'otplib';
import QRCode from 'qrcode';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { Passkey, RecoveryCode, TotpFactor, WebauthnChallenge } from './mfa.entities';
import { hashRecoveryCode, newRecoveryCode } from './recovery-codes';
import { SecretBox } from './secret-box';

export const SECRET_BOX = Symbol('SECRET_BOX');

/** At 100 consecutive wrong codes an authenticator is disabled until the user re-enrols. */
const MAX_CONSECUTIVE_FAILURES = 100;
const CHALLENGE_TTL_MS = 5 * 60_000;
const RECOVERY_CODE_COUNT = 10;

export interface FactorSummary {
  /** An authenticator app that works now. */
  totp: boolean;
  /** One was confirmed, even if 100 wrong codes have disabled it since. */
  totpEnrolled: boolean;
  passkeys: number;
  recoveryCodesRemaining: number;
}

/**
 * Second factors: TOTP (RFC 6238, SHA-1, 6 digits, 30 s, ±1 step, each time step accepted once),
 * passkeys (WebAuthn) and single-use recovery codes.
 */
@Injectable()
export class MfaService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
  ) {}

  async summary(userId: string, tx?: EntityManager): Promise<FactorSummary> {
    const [row] = await (tx ?? this.db).query(
      `SELECT EXISTS (SELECT 1 FROM totp_factor WHERE user_id = $1 AND confirmed_at IS NOT NULL AND disabled_at IS NULL) AS totp,
              EXISTS (SELECT 1 FROM totp_factor WHERE user_id = $1 AND confirmed_at IS NOT NULL) AS "totpEnrolled",
              (SELECT count(*)::int FROM passkey WHERE user_id = $1) AS passkeys,
              (SELECT count(*)::int FROM recovery_code WHERE user_id = $1 AND used_at IS NULL) AS "recoveryCodesRemaining"`,
      [userId],
    );
    return row;
  }

  /** Adding or removing a factor (and other sensitive acts) needs a recent second-factor check. */
  assertStepUp(p: Principal): void {
    if (!p.hasSecondFactor) return; // the first factor is enrolled from a password-only session
    const recent =
      p.aal >= 2 &&
      p.secondFactorAt !== null &&
      Date.now() - new Date(p.secondFactorAt).getTime() <
        this.config.sessions.stepUpMinutes * 60_000;
    if (!recent) {
      throw new ForbiddenError(
        `Confirm your second factor again first (it was last checked more than ${this.config.sessions.stepUpMinutes} minutes ago)`,
        'STEP_UP_REQUIRED',
      );
    }
  }

  // --- TOTP ---------------------------------------------------------------------------------

  async startTotpEnrolment(p: Principal, email: string) {
    // A disabled app (100 wrong codes) still counts as enrolled: re-enrolling it needs a recent
    // check with another factor (a recovery code or a passkey), never the password alone.
    this.assertStepUp(p);
    const existing = await this.db.getRepository(TotpFactor).findOneBy({ userId: p.userId });
    if (existing?.confirmedAt && !existing.disabledAt) {
      throw new BadInputError([
        { path: 'totp', message: 'an authenticator app is already enrolled; remove it first' },
      ]);
    }
    const secret = generateSecret();
    const sealed = this.box.seal(secret, p.userId);
    await this.db.query(
      `INSERT INTO totp_factor (user_id, secret_sealed, key_id) VALUES ($1, $2, $3)
       ON CONFLICT (user_id) DO UPDATE SET secret_sealed = $2, key_id = $3, confirmed_at = NULL,
         last_time_step = NULL, consecutive_failures = 0, disabled_at = NULL, created_at = now()`,
      [p.userId, sealed.sealed, sealed.keyId],
    );
    const otpauthUri = generateURI({ issuer: this.config.webauthn.rpName, label: email, secret });
    const qrCodeSvg = await QRCode.toString(otpauthUri, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
    });
    return { otpauthUri, qrCodeSvg, secret };
  }

  /** The first valid code activates the factor. Returns true when it did. */
  async confirmTotp(p: Principal, code: string): Promise<boolean> {
    const factor = await this.db.getRepository(TotpFactor).findOneBy({ userId: p.userId });
    if (!factor || factor.confirmedAt)
      throw new BadInputError([
        { path: 'code', message: 'no authenticator app enrolment is in progress' },
      ]);
    const step = await this.checkCode(factor, code);
    if (step === undefined) return false;
    await this.db.query(
      'UPDATE totp_factor SET confirmed_at = now(), last_time_step = $2 WHERE user_id = $1 AND confirmed_at IS NULL',
      [p.userId, step],
    );
    return true;
  }

  /**
   * A code for the user's active TOTP factor. The accepted time step is stored with a
   * conditional update, so a replayed code (same or older step) fails even when two requests
   * race with it.
   */
  async verifyTotp(userId: string, code: string): Promise<boolean> {
    const factor = await this.db.getRepository(TotpFactor).findOneBy({ userId });
    if (!factor?.confirmedAt || factor.disabledAt) return false;
    const step = await this.checkCode(factor, code);
    if (step !== undefined) {
      const [, accepted] = await this.db.query(
        `UPDATE totp_factor SET last_time_step = $2, consecutive_failures = 0
          WHERE user_id = $1 AND (last_time_step IS NULL OR last_time_step < $2)`,
        [userId, step],
      );
      if (accepted) return true;
    }
    await this.db.query(
      `UPDATE totp_factor SET consecutive_failures = consecutive_failures + 1,
         disabled_at = CASE WHEN consecutive_failures + 1 >= $2 THEN now() ELSE disabled_at END
       WHERE user_id = $1`,
      [userId, MAX_CONSECUTIVE_FAILURES],
    );
    return false;
  }

  /**
   * Every second factor and recovery code of a user, gone, and passwordless login off: the
   * admin-assisted recovery of someone who lost them all (a reset ticket issued with
   * `resetSecondFactors`). Their next login enrols a factor again, as a new account's does.
   */
  async forgetAllFactors(userId: string, tx: EntityManager): Promise<void> {
    await tx.query('DELETE FROM totp_factor WHERE user_id = $1', [userId]);
    await tx.query('DELETE FROM passkey WHERE user_id = $1', [userId]);
    await tx.query('DELETE FROM recovery_code WHERE user_id = $1', [userId]);
    await tx.query('UPDATE hub_user SET passwordless_enabled = false WHERE id = $1', [userId]);
  }

  async removeTotp(p: Principal): Promise<void> {
    this.assertStepUp(p);
    await this.removeFactor(p.userId, 'totp', (tx) =>
      tx.query('DELETE FROM totp_factor WHERE user_id = $1', [p.userId]),
    );
  }

  /** The time step a code belongs to within ±1 step of now, or undefined. */
  private async checkCode(factor: TotpFactor, code: string): Promise<number | undefined> {
    if (!/^\d{6}$/.test(code)) return undefined;
    const secret = this.box.open(
      { keyId: factor.keyId, sealed: factor.secretSealed },
      factor.userId,
    );
    try {
      const result = await verifyTotpCode({
        secret,
        token: code,
        epochTolerance: 30,
        afterTimeStep: factor.lastTimeStep === null ? undefined : Number(factor.lastTimeStep),
      });
      return result.valid && 'timeStep' in result ? result.timeStep : undefined;
    } catch {
      // otplib refuses an afterTimeStep ahead of the window (clock moved back): not valid now.
      return undefined;
    }
  }

  // --- recovery codes ------------------------------------------------------------------------

  /** Ten new codes, shown once; any earlier ones stop working. */
  async regenerateRecoveryCodes(userId: string, manager?: EntityManager): Promise<string[]> {
    const run = async (tx: EntityManager) => {
      await tx.query('DELETE FROM recovery_code WHERE user_id = $1', [userId]);
      const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
      await tx
        .getRepository(RecoveryCode)
        .insert(codes.map((c) => ({ userId, codeHash: hashRecoveryCode(userId, c) })));
      return codes;
    };
    return manager ? run(manager) : this.db.transaction(run);
  }

  async useRecoveryCode(userId: string, code: string): Promise<boolean> {
    const [, used] = await this.db.query(
      'UPDATE recovery_code SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL',
      [userId, hashRecoveryCode(userId, code)],
    );
    return used > 0;
  }

  // --- passkeys ------------------------------------------------------------------------------

  async startPasskeyRegistration(p: Principal, email: string, displayName: string) {
    this.assertStepUp(p);
    const existing = await this.db.getRepository(Passkey).findBy({ userId: p.userId });
    const options = await generateRegistrationOptions({
      rpName: this.config.webauthn.rpName,
      rpID: this.config.webauthn.rpId,
      userName: email,
      userDisplayName: displayName,
      userID: new TextEncoder().encode(p.userId),
      attestationType: 'none',
      excludeCredentials: existing.map((k) => ({
        id: k.credentialId,
        transports: k.transports as never,
      })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    });
    const challengeId = await this.saveChallenge(p.userId, options.challenge, 'registration');
    return { challengeId, options };
  }

  async finishPasskeyRegistration(
    p: Principal,
    challengeId: string,
    response: RegistrationResponseJSON,
    name: string,
  ) {
    const challenge = await this.takeChallenge(challengeId, 'registration', p.userId);
    let verification;
    try {
      verification = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge.challenge,
        expectedOrigin: this.config.webauthn.origins,
        expectedRPID: this.config.webauthn.rpId,
        requireUserVerification: false,
      });
    } catch (e) {
      throw new BadInputError([
        {
          path: 'response',
          message: `the passkey response was not accepted (${(e as Error).message})`,
        },
      ]);
    }
    if (!verification.verified)
      throw new BadInputError([
        { path: 'response', message: 'the passkey response was not accepted' },
      ]);
    const info = verification.registrationInfo;
    const repo = this.db.getRepository(Passkey);
    return repo.save(
      repo.create({
        userId: p.userId,
        credentialId: info.credential.id,
        publicKey: Buffer.from(info.credential.publicKey),
        signCount: String(info.credential.counter),
        transports: info.credential.transports ?? [],
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
        name,
      }),
    );
  }

  /** For a second factor (userId known) or passwordless login (discoverable credentials). */
  async startPasskeyAuthentication(userId?: string) {
    const allow = userId ? await this.db.getRepository(Passkey).findBy({ userId }) : [];
    const options = await generateAuthenticationOptions({
      rpID: this.config.webauthn.rpId,
      allowCredentials: allow.map((k) => ({
        id: k.credentialId,
        transports: k.transports as never,
      })),
      userVerification: userId ? 'preferred' : 'required',
    });
    const challengeId = await this.saveChallenge(
      userId ?? null,
      options.challenge,
      'authentication',
    );
    return { challengeId, options };
  }

  /** Verifies an assertion; returns the passkey's user and whether the user was verified. */
  async finishPasskeyAuthentication(challengeId: string, response: AuthenticationResponseJSON) {
    const challenge = await this.takeChallenge(challengeId, 'authentication');
    const passkey = await this.db
      .getRepository(Passkey)
      .findOneBy({ credentialId: String(response?.id ?? '') });
    if (!passkey) throw new UnauthenticatedError('This passkey is not registered here');
    if (challenge.userId && challenge.userId !== passkey.userId)
      throw new UnauthenticatedError('This passkey belongs to another account');
    let verification;
    try {
      verification = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge.challenge,
        expectedOrigin: this.config.webauthn.origins,
        expectedRPID: this.config.webauthn.rpId,
        credential: {
          id: passkey.credentialId,
          publicKey: new Uint8Array(passkey.publicKey),
          counter: Number(passkey.signCount),
          transports: passkey.transports,
        },
        requireUserVerification: false,
      });
    } catch {
      throw new UnauthenticatedError('The passkey could not be verified');
    }
    if (!verification.verified) throw new UnauthenticatedError('The passkey could not be verified');
    await this.db.query('UPDATE passkey SET sign_count = $2, last_used_at = now() WHERE id = $1', [
      passkey.id,
      verification.authenticationInfo.newCounter,
    ]);
    return { userId: passkey.userId, userVerified: verification.authenticationInfo.userVerified };
  }

  async listPasskeys(userId: string): Promise<Passkey[]> {
    return this.db.getRepository(Passkey).find({ where: { userId }, order: { createdAt: 'ASC' } });
  }

  async renamePasskey(p: Principal, id: string, name: string): Promise<Passkey> {
    const repo = this.db.getRepository(Passkey);
    const key = await repo.findOneBy({ id, userId: p.userId });
    if (!key) throw new NotFoundError('Passkey');
    key.name = name;
    return repo.save(key);
  }

  async removePasskey(p: Principal, id: string): Promise<void> {
    this.assertStepUp(p);
    const key = await this.db.getRepository(Passkey).findOneBy({ id, userId: p.userId });
    if (!key) throw new NotFoundError('Passkey');
    await this.removeFactor(p.userId, 'passkey', (tx) =>
      tx.query('DELETE FROM passkey WHERE id = $1', [id]),
    );
  }

  /**
   * Removes a factor unless it is the last one. The user row is locked for the check and the
   * delete, so two removals racing each other cannot both pass and leave no factor.
   */
  private async removeFactor(
    userId: string,
    removing: 'totp' | 'passkey',
    remove: (tx: EntityManager) => Promise<unknown>,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT 1 FROM hub_user WHERE id = $1 FOR UPDATE', [userId]);
      await this.assertNotLast(userId, removing, tx);
      await remove(tx);
    });
  }

  private async assertNotLast(
    userId: string,
    removing: 'totp' | 'passkey',
    tx: EntityManager,
  ): Promise<void> {
    const s = await this.summary(userId, tx);
    const remaining = (s.totp ? 1 : 0) + s.passkeys - 1;
    if (remaining < 1 || (removing === 'totp' && !s.totp)) {
      throw new ForbiddenError(
        'This is your last second factor: add another before removing it',
        'LAST_FACTOR',
      );
    }
  }

  private async saveChallenge(
    userId: string | null,
    challenge: string,
    purpose: 'registration' | 'authentication',
  ) {
    await this.db.query('DELETE FROM webauthn_challenge WHERE expires_at < now()');
    const repo = this.db.getRepository(WebauthnChallenge);
    const row = await repo.save(
      repo.create({
        userId,
        challenge,
        purpose,
        expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
      }),
    );
    return row.id;
  }

  /** A challenge is used once: deleted as it is read. */
  private async takeChallenge(
    id: string,
    purpose: string,
    userId?: string,
  ): Promise<{ challenge: string; userId: string | null }> {
    if (!/^[0-9a-f-]{36}$/i.test(id))
      throw new BadInputError([
        { path: 'challengeId', message: 'is not a challenge this hub issued' },
      ]);
    // TypeORM answers a DELETE … RETURNING with [rows, affected].
    const [rows]: [{ challenge: string; user_id: string | null }[], number] = await this.db.query(
      `DELETE FROM webauthn_challenge WHERE id = $1 AND purpose = $2 AND expires_at > now()
         AND ($3::uuid IS NULL OR user_id = $3::uuid) RETURNING challenge, user_id`,
      [id, purpose, userId ?? null],
    );
    if (!rows[0])
      throw new BadInputError([
        { path: 'challengeId', message: 'has expired or was already used; start again' },
      ]);
    return { challenge: rows[0].challenge, userId: rows[0].user_id };
  }
}
