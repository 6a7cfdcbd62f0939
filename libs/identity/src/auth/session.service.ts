import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HUB_CONFIG, HubConfig } from '@renkei/platform';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from './principal';
import { Role } from '../users/user.entity';

/** Recognisable prefix so secret scanners can find leaked session tokens. */
const TOKEN_PREFIX = 'rks_';

export const hashToken = (token: string) => createHash('sha256').update(token).digest();

/** Don't write last_seen_at on every request; a minute of precision is plenty for idle expiry. */
const TOUCH_AFTER_MS = 60_000;

export interface ClientInfo {
  address?: string;
  userAgent?: string;
}

export interface SessionView {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  clientAddress: string | null;
  userAgent: string | null;
  aal: number;
}

@Injectable()
export class SessionService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /** A new session with a fresh 256-bit token; only its hash is stored. */
  async create(
    userId: string,
    opts: { aal: 1 | 2; client?: ClientInfo; manager?: EntityManager },
  ): Promise<{ token: string; expiresAt: Date; sessionId: string }> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.sessions.absoluteHours * 3600_000);
    const [{ id }] = await (opts.manager ?? this.db).query(
      `INSERT INTO session (user_id, token_hash, last_seen_at, expires_at, client_address, user_agent, aal, second_factor_at)
       VALUES ($1, $2, now(), $3, $4, $5, $6::smallint, CASE WHEN $6::smallint = 2 THEN now() END) RETURNING id`,
      [
        userId,
        hashToken(token),
        expiresAt,
        opts.client?.address ?? null,
        opts.client?.userAgent?.slice(0, 300) ?? null,
        opts.aal,
      ],
    );
    return { token, expiresAt, sessionId: id };
  }

  /**
   * The principal behind a token, or undefined when the token is unknown, revoked, idle or
   * expired, or its user or organisation is suspended. Re-read on every request, so revocation
   * and suspension take effect at once.
   */
  async authenticate(
    token: string,
    opts: { touch?: boolean } = {},
  ): Promise<Principal | undefined> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return undefined;
    const rows: {
      session_id: string;
      user_id: string;
      organisation_id: string;
      role: Role;
      sector_code: string;
      group_id: string | null;
      idle_ms: number;
      aal: number;
      second_factor_at: Date | null;
      has_second_factor: boolean;
    }[] = await this.db.query(
      `SELECT s.id AS session_id, u.id AS user_id, o.id AS organisation_id, u.role,
              o.sector_code, o.group_id, s.aal, s.second_factor_at,
              (extract(epoch FROM now() - s.last_seen_at) * 1000)::float8 AS idle_ms,
              (EXISTS (SELECT 1 FROM totp_factor t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL)
               OR EXISTS (SELECT 1 FROM passkey p WHERE p.user_id = u.id)) AS has_second_factor
         FROM session s
         JOIN hub_user u ON u.id = s.user_id
         JOIN organisation o ON o.id = u.organisation_id
        WHERE s.token_hash = $1
          AND s.revoked_at IS NULL
          AND s.expires_at > now()
          AND s.last_seen_at > now() - make_interval(mins => $2)
          AND u.status = 'active' AND o.status = 'active'
          -- An unproven address is nobody's: no session of it works, however opened (ADR 0016).
          AND u.email_verified_at IS NOT NULL`,
      [hashToken(token), this.config.sessions.idleMinutes],
    );
    const row = rows[0];
    if (!row) return undefined;
    // A re-check of an open socket (touch: false) is not activity: it must not keep the
    // session from idling out.
    if (opts.touch !== false && row.idle_ms > TOUCH_AFTER_MS) {
      await this.db.query('UPDATE session SET last_seen_at = now() WHERE id = $1', [
        row.session_id,
      ]);
    }
    return {
      kind: 'user',
      sessionId: row.session_id,
      userId: row.user_id,
      organisationId: row.organisation_id,
      role: row.role,
      sectorCode: row.sector_code,
      groupId: row.group_id,
      aal: row.aal,
      secondFactorAt: row.second_factor_at,
      hasSecondFactor: row.has_second_factor,
    };
  }

  async revoke(sessionId: string, manager?: EntityManager): Promise<void> {
    await (manager ?? this.db).query(
      'UPDATE session SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL',
      [sessionId],
    );
  }

  /** Ends every session of the user, except one (the caller's) when given. Returns how many. */
  async revokeAll(
    userId: string,
    exceptSessionId?: string,
    manager?: EntityManager,
  ): Promise<number> {
    const [, count] = await (manager ?? this.db).query(
      `UPDATE session SET revoked_at = now()
        WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id <> $2::uuid)`,
      [userId, exceptSessionId ?? null],
    );
    return count;
  }

  async listActive(userId: string): Promise<SessionView[]> {
    return this.db.query(
      `SELECT id, created_at AS "createdAt", last_seen_at AS "lastSeenAt", expires_at AS "expiresAt",
              host(client_address) AS "clientAddress", user_agent AS "userAgent", aal
         FROM session
        WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()
          AND last_seen_at > now() - make_interval(mins => $2)
        ORDER BY last_seen_at DESC`,
      [userId, this.config.sessions.idleMinutes],
    );
  }
}
