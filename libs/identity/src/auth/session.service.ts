import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HUB_CONFIG, HubConfig } from '@renkei/platform';
import { DataSource } from 'typeorm';
import { Principal } from './principal';
import { Role } from '../users/user.entity';

/** Recognisable prefix so secret scanners can find leaked session tokens. */
const TOKEN_PREFIX = 'rks_';

export const hashToken = (token: string) => createHash('sha256').update(token).digest();

/** Don't write last_seen_at on every request; a minute of precision is plenty for idle expiry. */
const TOUCH_AFTER_MS = 60_000;

@Injectable()
export class SessionService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /** A new session with a fresh 256-bit token; only its hash is stored. */
  async create(
    userId: string,
    clientAddress?: string,
  ): Promise<{ token: string; expiresAt: Date }> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.sessions.absoluteHours * 3600_000);
    await this.db.query(
      `INSERT INTO session (user_id, token_hash, last_seen_at, expires_at, client_address)
       VALUES ($1, $2, now(), $3, $4)`,
      [userId, hashToken(token), expiresAt, clientAddress ?? null],
    );
    return { token, expiresAt };
  }

  /**
   * The principal behind a token, or undefined when the token is unknown, revoked, idle or
   * expired, or its user or organisation is suspended.
   */
  async authenticate(token: string): Promise<Principal | undefined> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return undefined;
    const rows: {
      session_id: string;
      user_id: string;
      organisation_id: string;
      role: Role;
      sector_code: string;
      group_id: string | null;
      idle_ms: number;
    }[] = await this.db.query(
      `SELECT s.id AS session_id, u.id AS user_id, o.id AS organisation_id, u.role,
              o.sector_code, o.group_id,
              (extract(epoch FROM now() - s.last_seen_at) * 1000)::float8 AS idle_ms
         FROM session s
         JOIN hub_user u ON u.id = s.user_id
         JOIN organisation o ON o.id = u.organisation_id
        WHERE s.token_hash = $1
          AND s.revoked_at IS NULL
          AND s.expires_at > now()
          AND s.last_seen_at > now() - make_interval(mins => $2)
          AND u.status = 'active' AND o.status = 'active'`,
      [hashToken(token), this.config.sessions.idleMinutes],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.idle_ms > TOUCH_AFTER_MS) {
      await this.db.query('UPDATE session SET last_seen_at = now() WHERE id = $1', [
        row.session_id,
      ]);
    }
    return {
      sessionId: row.session_id,
      userId: row.user_id,
      organisationId: row.organisation_id,
      role: row.role,
      sectorCode: row.sector_code,
      groupId: row.group_id,
    };
  }

  async revoke(sessionId: string): Promise<void> {
    await this.db.query(
      'UPDATE session SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL',
      [sessionId],
    );
  }
}
