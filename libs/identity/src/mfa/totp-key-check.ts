import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HUB_CONFIG, HubConfig, StartupRefusal } from '@renkei/platform';
import { DataSource } from 'typeorm';
import { SECRET_BOX } from './mfa.service';
import { SecretBox } from './secret-box';

/**
 * At start, one enrolled seed per key id must open with the configured keys. Without the keys
 * the hub would run and answer every TOTP login with an internal error: every user locked out of
 * their authenticator app, silently. A lost or wrong KEYS_DIR (a restore that forgot it, a new
 * machine) is refused at start instead, with what to do.
 */
@Injectable()
export class TotpKeyCheck implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Before its migrations ran (MIGRATIONS_RUN=false) there is nothing sealed to check.
    const [{ exists }] = await this.db.query(
      `SELECT to_regclass('totp_factor') IS NOT NULL AS exists`,
    );
    if (!exists) return;
    const samples: { user_id: string; key_id: string; secret_sealed: Buffer }[] =
      await this.db.query(
        `SELECT DISTINCT ON (key_id) user_id, key_id, secret_sealed FROM totp_factor ORDER BY key_id, user_id`,
      );
    const unopenable = samples.filter((s) => {
      try {
        this.box.open({ keyId: s.key_id, sealed: s.secret_sealed }, s.user_id);
        return false;
      } catch {
        return true;
      }
    });
    if (!unopenable.length) return;
    const where = this.config.secrets.totpKeys?.length
      ? 'TOTP_ENCRYPTION_KEYS'
      : `the keys directory ${this.config.secrets.keysDir} (KEYS_DIR)`;
    throw new StartupRefusal(
      `Authenticator-app seeds in this database were sealed with key ${unopenable
        .map((s) => `"${s.key_id}"`)
        .join(', ')}, which ${where} does not hold. Starting would lock every user out of their ` +
        'authenticator app. Restore the keys that belong to this database (a renkei backup holds ' +
        'them: --restore), or configure TOTP_ENCRYPTION_KEYS with them, then start again.',
    );
  }
}
