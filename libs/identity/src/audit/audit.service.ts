import { isIP } from 'node:net';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  BadInputError,
  DEFAULT_PAGE_SIZE,
  decodeCursor,
  ForbiddenError,
  Page,
  toPage,
} from '@renkei/platform';
import { DataSource, EntityManager } from 'typeorm';
import { isHubAdmin, Principal } from '../auth/principal';
import { Role } from '../users/user.entity';
import {
  canonicalJson,
  canonicalTimestamp,
  ChainedEntry,
  ChainedFields,
  ChainPosition,
  CHAIN_START,
  checkChain,
  entryHash,
} from './audit-chain';
import { AuditEntry, AuditOutcome } from './audit-entry.entity';

/** The actions the product records. Free text in the database, so adding one needs no migration. */
export const AuditAction = {
  LOGIN_SUCCESS: 'login.success',
  LOGIN_FAILURE: 'login.failure',
  LOGIN_LOCKED: 'login.locked',
  SECOND_FACTOR_VERIFIED: 'second_factor.verified',
  SECOND_FACTOR_FAILURE: 'second_factor.failure',
  FACTOR_ENROLLED: 'factor.enrolled',
  FACTOR_REMOVED: 'factor.removed',
  RECOVERY_CODE_USED: 'recovery_code.used',
  RECOVERY_CODES_REGENERATED: 'recovery_codes.regenerated',
  PASSWORD_CHANGED: 'password.changed',
  PASSWORD_RESET_ISSUED: 'password.reset_issued',
  PASSWORD_RESET_USED: 'password.reset_used',
  SESSION_CREATED: 'session.created',
  SESSION_REVOKED: 'session.revoked',
  TOKEN_CREATED: 'token.created',
  TOKEN_REVOKED: 'token.revoked',
  USER_CREATED: 'user.created',
  EMAIL_PROOF_ISSUED: 'user.email_proof_issued',
  EMAIL_PROVEN: 'user.email_proven',
  USER_ROLE_CHANGED: 'user.role_changed',
  USER_SUSPENDED: 'user.suspended',
  USER_REACTIVATED: 'user.reactivated',
  ORGANISATION_CREATED: 'organisation.created',
  ORGANISATION_SUSPENDED: 'organisation.suspended',
  ORGANISATION_REACTIVATED: 'organisation.reactivated',
  AUDIT_VERIFIED: 'audit.verified',
  REPORT_MARKING_LOWERED: 'report.marking_lowered',
  EXERCISE_REMOVED: 'exercise.removed',
  LIST_RETRACTED: 'list.retracted',
  FEED_ALLOW_LIST_CHANGED: 'feed_allow_list.changed',
  // Blocklist guard-rails (ADR 0012).
  FEED_CHANGE_HELD: 'feed_change.held',
  FEED_CHANGE_REVIEWED: 'feed_change.reviewed',
  FEED_STOP_CHANGED: 'feed_stop.changed',
  FEED_PROTECTED_RANGE_CHANGED: 'feed_protected_range.changed',
  FEED_REACH_CHANGED: 'feed_reach.changed',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

/**
 * Targets that may be anonymous items. An entry about one, shown outside the actor's own
 * organisation, loses the target and the free-text details: with them, "organisation X lowered
 * the marking of report R" would name the author of an anonymous R (ADR 0016).
 */
const SHARED_ITEM_TARGETS = new Set(['report', 'indicator_list', 'report_comment']);

function unlinkedFor(reader: Principal, e: AuditEntry): AuditEntry {
  if (!e.targetType || !SHARED_ITEM_TARGETS.has(e.targetType)) return e;
  if (e.actorOrganisationId === reader.organisationId) return e;
  return Object.assign(new AuditEntry(), e, { targetId: null, details: {} });
}

export type AuditOutcomeValue = 'success' | 'failure' | 'denied';

export interface AuditRecord {
  action: AuditAction;
  outcome: AuditOutcomeValue;
  actorUserId?: string | null;
  actorOrganisationId?: string | null;
  /** The organisation the event concerns: its org admins see the entry. */
  organisationId?: string | null;
  targetType?: string;
  targetId?: string;
  clientAddress?: string | null;
  /** Kept forever and shown to admins: ids and codes, never secrets or personal data. */
  details?: Record<string, unknown>;
}

export interface AuditLogFilter {
  action?: string;
  outcome?: AuditOutcome;
  organisationId?: string;
  since?: Date;
  until?: Date;
}

export interface AuditChainStatus {
  intact: boolean;
  entries: number;
  firstBrokenId: string | null;
}

/** Any fixed 64-bit key, distinct from the migration lock's; every hub instance uses it. */
const AUDIT_APPEND_LOCK_KEY = 7_260_001_002;
const VERIFY_BATCH = 1000;

/** Who acted, for callers that hold a principal (or nothing, for the system and setup). */
export function actorOf(principal?: Principal | null): {
  actorUserId: string | null;
  actorOrganisationId: string | null;
} {
  return {
    actorUserId: principal?.userId ?? null,
    actorOrganisationId: principal?.organisationId ?? null,
  };
}

/**
 * The append-only, tamper-evident audit trail. Appends are serialised by a transaction-scoped
 * advisory lock, so the chain never forks across hub instances; the id is taken from the
 * sequence inside that lock, so id order is chain order.
 */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Appends an entry. With `manager` inside a transaction, the entry is part of it: it exists
   * if and only if the caller's change commits (and the append lock is held until then, so keep
   * such transactions short). Failures and denials must be recorded outside the transaction
   * that is about to roll back.
   */
  async record(entry: AuditRecord, manager?: EntityManager): Promise<AuditEntry> {
    if (manager?.queryRunner?.isTransactionActive) return this.append(manager, entry);
    return (manager ?? this.db.manager).transaction((tx) => this.append(tx, entry));
  }

  private async append(tx: EntityManager, entry: AuditRecord): Promise<AuditEntry> {
    const [{ isolation }] = await tx.query(
      `SELECT pg_advisory_xact_lock($1), current_setting('transaction_isolation') AS isolation`,
      [AUDIT_APPEND_LOCK_KEY],
    );
    // Under REPEATABLE READ or SERIALIZABLE the snapshot predates the lock, so the tail read next
    // could be stale and the chain would fork.
    if (isolation !== 'read committed') {
      throw new Error(`audit entries must be appended under READ COMMITTED, not ${isolation}`);
    }
    // A separate statement, so its snapshot is taken after the lock was granted. PostgreSQL
    // renders the values it will store (uuid, inet), so the hash covers exactly what it keeps.
    const [row] = await tx.query(
      `SELECT nextval(pg_get_serial_sequence('audit_log', 'id'))::text AS id,
              (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1) AS "prevHash",
              $1::uuid::text AS "actorUserId", $2::uuid::text AS "actorOrganisationId",
              $3::uuid::text AS "organisationId", $4::inet::text AS "clientAddress"`,
      [
        entry.actorUserId ?? null,
        entry.actorOrganisationId ?? null,
        entry.organisationId ?? null,
        // A malformed address must not cost the caller its action; the entry just lacks it.
        entry.clientAddress && isIP(entry.clientAddress) ? entry.clientAddress : null,
      ],
    );
    const fields: ChainedFields = {
      id: row.id,
      // Taken after the lock, so times follow ids within one instance; milliseconds, as JS has.
      at: canonicalTimestamp(new Date()),
      actorUserId: row.actorUserId,
      actorOrganisationId: row.actorOrganisationId,
      organisationId: row.organisationId,
      action: entry.action,
      outcome: entry.outcome,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      clientAddress: row.clientAddress,
      details: JSON.parse(canonicalJson(entry.details ?? {})),
      prevHash: row.prevHash,
    };
    const hash = entryHash(fields);
    // OVERRIDING SYSTEM VALUE: the identity is GENERATED ALWAYS, so only this deliberate insert
    // chooses ids, and it uses the value it drew from the identity sequence under the lock.
    await tx.query(
      `INSERT INTO audit_log (id, at, actor_user_id, actor_organisation_id, organisation_id,
         action, outcome, target_type, target_id, client_address, details, prev_hash, hash)
       OVERRIDING SYSTEM VALUE
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        fields.id,
        fields.at,
        fields.actorUserId,
        fields.actorOrganisationId,
        fields.organisationId,
        fields.action,
        fields.outcome,
        fields.targetType,
        fields.targetId,
        fields.clientAddress,
        canonicalJson(fields.details),
        fields.prevHash,
        hash,
      ],
    );
    return tx.getRepository(AuditEntry).create({
      ...fields,
      at: new Date(fields.at),
      outcome: fields.outcome as AuditOutcome,
      details: fields.details as Record<string, unknown>,
      hash,
    });
  }

  /**
   * Hub admins read every entry (optionally one organisation's); org admins only entries about
   * their own organisation; nobody else. Newest first.
   */
  async list(
    principal: Principal,
    filter: AuditLogFilter = {},
    first = DEFAULT_PAGE_SIZE,
    after?: string,
  ): Promise<Page<AuditEntry>> {
    let organisationId = filter.organisationId;
    if (!isHubAdmin(principal)) {
      if (principal.role !== Role.ORG_ADMIN) {
        throw new ForbiddenError('Only hub admins and org admins may read the audit log');
      }
      if (organisationId && organisationId !== principal.organisationId) {
        throw new ForbiddenError("Only your own organisation's audit entries can be read");
      }
      organisationId = principal.organisationId;
    }
    const qb = this.db.getRepository(AuditEntry).createQueryBuilder('a');
    if (organisationId) qb.andWhere('a.organisation_id = :org', { org: organisationId });
    if (filter.action) qb.andWhere('a.action = :action', { action: filter.action });
    if (filter.outcome) qb.andWhere('a.outcome = :outcome', { outcome: filter.outcome });
    if (filter.since) qb.andWhere('a.at >= :since', { since: filter.since });
    if (filter.until) qb.andWhere('a.at < :until', { until: filter.until });
    const total = await qb.getCount();
    if (after) {
      const [id] = decodeCursor(after, 1);
      if (typeof id !== 'string' || !/^[1-9]\d{0,18}$/.test(id)) {
        throw new BadInputError([{ path: 'after', message: 'is not a cursor this hub issued' }]);
      }
      qb.andWhere('a.id < :after', { after: id });
    }
    const rows = await qb
      .orderBy('a.id', 'DESC')
      .take(first + 1)
      .getMany();
    return toPage(
      rows.map((e) => unlinkedFor(principal, e)),
      first,
      total,
      (e) => [e.id],
    );
  }

  /**
   * Re-hashes the whole chain in id order, a batch at a time, from the columns as PostgreSQL
   * renders them (timestamps with microseconds, so no edit hides below JS precision).
   */
  async verify(): Promise<AuditChainStatus> {
    return (await this.walk()).status;
  }

  /** verify(), itself recorded: who checked, the outcome, and the head of the chain checked. */
  async verifyAs(principal: Principal): Promise<AuditChainStatus> {
    const { status, headId, headHash } = await this.walk();
    await this.record({
      action: AuditAction.AUDIT_VERIFIED,
      outcome: status.intact ? 'success' : 'failure',
      ...actorOf(principal),
      details: {
        ...status,
        // A copy of the head, so that a later removal of the newest entries (which leaves a
        // valid, shorter chain) shows against it.
        headId,
        headHash: headHash?.toString('hex') ?? null,
      },
    });
    return status;
  }

  private async walk(): Promise<{
    status: AuditChainStatus;
    headId: string | null;
    headHash: Buffer | null;
  }> {
    let position: ChainPosition = CHAIN_START;
    let headId: string | null = null;
    let entries = 0;
    for (;;) {
      // Batches of ids above the last one checked: concurrent appends only add higher ids, and
      // they commit in id order (the append lock), so each batch continues the previous one.
      // `a.id`, not `id`: ORDER BY would take the text column of that name and sort 10 before 2.
      const rows: ChainedEntry[] = await this.db.query(
        `SELECT id::text AS id,
                to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at,
                actor_user_id::text AS "actorUserId",
                actor_organisation_id::text AS "actorOrganisationId",
                organisation_id::text AS "organisationId",
                action, outcome, target_type AS "targetType", target_id AS "targetId",
                client_address::text AS "clientAddress", details,
                prev_hash AS "prevHash", hash
           FROM audit_log a WHERE a.id > $1 ORDER BY a.id LIMIT $2`,
        [headId ?? '0', VERIFY_BATCH],
      );
      const result = checkChain(rows, position);
      if (result.firstBrokenId !== null) {
        const [{ count }] = await this.db.query('SELECT count(*)::int AS count FROM audit_log');
        return {
          status: { intact: false, entries: count, firstBrokenId: result.firstBrokenId },
          headId: null,
          headHash: null,
        };
      }
      entries += rows.length;
      position = result.position;
      if (rows.length) headId = rows[rows.length - 1].id;
      if (rows.length < VERIFY_BATCH) {
        return {
          status: { intact: true, entries, firstBrokenId: null },
          headId,
          headHash: position.lastHash,
        };
      }
    }
  }
}
