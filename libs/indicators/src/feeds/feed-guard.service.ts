import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AnyPrincipal, AuditAction, AuditService, Principal, Role } from '@renkei/identity';
import {
  BadInputError,
  ConflictError,
  HUB_CONFIG,
  HubConfig,
  isUuid,
  NotFoundError,
} from '@renkei/platform';
import { PublicationBoundary, recordEvent, ScopedDatabase, scopeOf } from '@renkei/sharing';
import { ChangeNotifications, lockCommitOrder } from '@renkei/platform';
import { DataSource, EntityManager } from 'typeorm';
import { EntryRow } from '../imports/entry-input';
import { parseIndicator } from '../values/indicator-value';
import {
  AddedSpace,
  addedSpace,
  mayNeedReview,
  ProtectedRange,
  reviewReason,
  singleAddresses,
} from './feed-guard';
import {
  FeedReach,
  FeedReachSetting,
  FeedReview,
  FeedReviewState,
  FeedStop,
  FeedStopInput,
  FeedStopKind,
} from './feed-guard.models';

/** Up to this many values travel with the event an approval writes, as at import (ADR 0008). */
const EVENT_VALUES = 10_000;
/** Address space of entries, as feed-guard's addedSpace counts it: IPv4 addresses, IPv6 /64s. */
const SPACE = `coalesce(sum(CASE WHEN type = 'ipv4' THEN 1
    WHEN type = 'ipv4-cidr' THEN 2 ^ (32 - masklen(value::cidr)) ELSE 0 END), 0)::float8 AS ipv4,
  coalesce(sum(CASE WHEN type = 'ipv6' THEN 1
    WHEN type = 'ipv6-cidr' THEN 2 ^ greatest(0, 64 - masklen(value::cidr)) ELSE 0 END), 0)::float8 AS ipv6`;
const REVIEW_VALUES = 100;

/** IPv4 addresses and IPv6 /64 networks served, as SPACE counts them. */
export interface ServedSpace {
  ipv4: number;
  ipv6: number;
}

const RANGE_TABLES = {
  allowed: { table: 'feed_allow_entry', action: AuditAction.FEED_ALLOW_LIST_CHANGED },
  protected: { table: 'feed_protected_range', action: AuditAction.FEED_PROTECTED_RANGE_CHANGED },
} as const;

/**
 * The coordinator's side of the blocklist guard-rails (ADR 0012): holds and their review, each
 * organisation's reach, protected ranges and emergency stops. What they keep out of feeds is
 * decided in one place, the database's `list_entry_released` policy; this service only keeps
 * the tables it reads. The entry-level checks (breadth, protected ranges) are in feed-guard.ts.
 */

/** The window in which an organisation's changes count together for review. */
export const REVIEW_WINDOW_HOURS = 24;
@Injectable()
export class FeedGuardService {
  constructor(
    private readonly scoped: ScopedDatabase,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly audit: AuditService,
    private readonly changes: ChangeNotifications,
    private readonly boundary: PublicationBoundary,
  ) {}

  async protectedRanges(): Promise<ProtectedRange[]> {
    return this.db.query(
      'SELECT range::text AS range, note FROM feed_protected_range ORDER BY range',
    );
  }

  /**
   * Many small changes add up: 256 imports of a /17 each make a /9 that no single one shows, and
   * 17 imports of 65,536 addresses a /12. Each change records the address space it adds that is
   * new to its list (its new ranges exactly; its single addresses bounded by the number of
   * values new to the list, so re-posting a list adds nothing), and the organisation's released
   * changes of the last REVIEW_WINDOW_HOURS count together with it against the review limits.
   */
  private async windowReason(
    tx: EntityManager,
    orgId: string,
    listSeq: number,
    batchId: number,
    rows: EntryRow[],
    newValues: number,
  ): Promise<string | null> {
    const ranges = rows.filter((r) => r.type === 'ipv4-cidr' || r.type === 'ipv6-cidr');
    const fresh: { value: string; type: string }[] = ranges.length
      ? await tx.query(
          `SELECT value, type FROM list_entry
            WHERE list_seq = $1 AND first_batch = $2 AND value = ANY ($3::text[])
              AND type IN ('ipv4-cidr', 'ipv6-cidr')`,
          [listSeq, batchId, ranges.map((r) => r.value)],
        )
      : [];
    const added = addedSpace(fresh);
    let singles4 = 0;
    let singles6 = 0;
    for (const r of rows) {
      if (r.type === 'ipv4') singles4++;
      else if (r.type === 'ipv6') singles6++;
    }
    added.ipv4 += Math.min(singles4, newValues);
    added.ipv6Nets += Math.min(singles6, newValues);
    if (!added.ipv4 && !added.ipv6Nets) return null;
    await tx.query('UPDATE entry_batch SET new_ipv4 = $2, new_ipv6 = $3 WHERE id = $1', [
      batchId,
      added.ipv4,
      added.ipv6Nets,
    ]);
    const [recent]: { ipv4: number; ipv6: number }[] = await tx.query(
      `SELECT coalesce(sum(new_ipv4), 0)::float8 AS ipv4,
              coalesce(sum(new_ipv6), 0)::float8 AS ipv6
         FROM entry_batch
        WHERE owner_org_id = $1 AND id <> $2
          AND created_at > now() - make_interval(hours => $3)
          AND review IS DISTINCT FROM 'held' AND review IS DISTINCT FROM 'refused'`,
      [orgId, batchId, REVIEW_WINDOW_HOURS],
    );
    const together = reviewReason(
      { ipv4: recent.ipv4 + added.ipv4, ipv6Nets: recent.ipv6 + added.ipv6Nets },
      this.config.indicators.guard.review,
    );
    return together
      ? `together with your organisation's other changes of the last ${REVIEW_WINDOW_HOURS} hours, ${together}`
      : null;
  }

  /** The address space of the values this batch added to the list (their first batch). */
  private async newSpace(tx: EntityManager, listSeq: number, batchId: number): Promise<AddedSpace> {
    const [exact]: { ipv4: number; ipv6: number }[] = await tx.query(
      `SELECT ${SPACE} FROM list_entry WHERE list_seq = $1 AND first_batch = $2`,
      [listSeq, batchId],
    );
    return { ipv4: exact.ipv4, ipv6Nets: exact.ipv6 };
  }

  /**
   * Holds an import's batch when the organisation's lists reach feeds only after review, or
   * when it adds more address space than the configured limits. Runs in the importing
   * transaction, after the merge: only values new to the list count (they are the ones whose
   * first batch is this one; re-sighted values were in feeds already). Returns why, or null.
   */
  async holdIfNeeded(
    tx: EntityManager,
    orgId: string,
    listSeq: number,
    batchId: number,
    rows: EntryRow[],
    newValues: number,
    served?: Promise<ServedSpace>,
  ): Promise<string | null> {
    const [reach]: { mode: FeedReach }[] = await tx.query(
      'SELECT mode FROM feed_reach WHERE org_id = $1',
      [orgId],
    );
    let reason: string | null = null;
    if (reach?.mode === FeedReach.REVIEW) {
      reason = "a coordinator reviews every change of your organisation's lists";
    } else if (mayNeedReview(addedSpace(rows), this.config.indicators.guard.review)) {
      // The rows bound it from above (re-sighted values count too); count exactly, and only
      // then, if the change is large enough for the growth rule, what every member already
      // receives (live, released entries of CLEAR and GREEN lists; the sum of their sizes,
      // overlaps counted twice): a scan of every such entry, which a re-post that adds a few
      // values need not pay.
      const exact = singleAddresses(rows, newValues) ?? (await this.newSpace(tx, listSeq, batchId));
      if (mayNeedReview(exact, this.config.indicators.guard.review)) {
        const base = await (served ?? this.servedSpace(tx, batchId));
        reason = reviewReason(exact, this.config.indicators.guard.review, {
          ipv4: base.ipv4,
          ipv6Nets: base.ipv6,
        });
      }
    }
    reason ??= await this.windowReason(tx, orgId, listSeq, batchId, rows, newValues);
    if (reason) {
      await tx.query(`UPDATE entry_batch SET review = 'held', review_reason = $2 WHERE id = $1`, [
        batchId,
        reason,
      ]);
    }
    return reason;
  }

  /**
   * Whether an import of these rows may be large enough for the growth rule, and so need
   * `servedSpace` (an upper bound: re-sighted values count too).
   */
  mayApplyGrowthRule(rows: EntryRow[]): boolean {
    return mayNeedReview(addedSpace(rows), this.config.indicators.guard.review);
  }

  /**
   * What every member already receives, the growth rule's base: the live, released entries of
   * CLEAR and GREEN lists (sizes summed, overlaps counted twice), but those of `batchId`. A scan
   * of every such entry, in the caller's scope.
   */
  async servedSpace(tx: EntityManager, batchId: number): Promise<ServedSpace> {
    const [served]: ServedSpace[] = await tx.query(
      `SELECT ${SPACE} FROM list_entry e JOIN entry_batch lb ON lb.id = e.last_batch
        WHERE e.list_seq IN (SELECT l.seq FROM indicator_list l
                              WHERE l.status = 'published' AND l.tlp IN ('CLEAR', 'GREEN'))
          AND e.type IN ('ipv4', 'ipv4-cidr', 'ipv6', 'ipv6-cidr')
          AND coalesce(e.valid_until, lb.valid_until) > now()
          AND e.first_batch NOT IN (SELECT b.id FROM entry_batch b WHERE b.review IN ('held', 'refused'))
          AND e.first_batch <> $1`,
      [batchId],
    );
    return served;
  }

  /**
   * Told to the author's organisation (its own holds) and to coordinators (all of them). The
   * author is shown as everywhere else (ADR 0007): a pseudonym unless the list reveals its
   * author to coordinators; the list's name and values only where the reader may see the list.
   */
  async reviews(p: Principal, state = FeedReviewState.HELD): Promise<FeedReview[]> {
    const all = p.role === Role.HUB_ADMIN;
    const rows: {
      id: number;
      review: FeedReviewState;
      review_reason: string;
      review_note: string | null;
      org_id: string;
      list_id: string;
      list_seq: number;
      anonymous: boolean;
      reveal_to_coordinators: boolean;
      added: number;
      created_at: Date;
      reviewed_at: Date | null;
    }[] = await this.scoped.run({ kind: 'system' }, (tx) =>
      tx.query(
        `SELECT b.id, b.review, b.review_reason, b.review_note, b.owner_org_id AS org_id,
                l.id AS list_id, l.seq AS list_seq, l.anonymous, l.reveal_to_coordinators, b.added,
                b.created_at, b.reviewed_at
           FROM entry_batch b JOIN indicator_list l ON l.seq = b.list_seq
          WHERE b.review = $1 AND ($2::boolean OR b.owner_org_id = $3)
          ORDER BY b.id DESC LIMIT 500`,
        [state, all, p.organisationId],
      ),
    );
    if (!rows.length) return [];
    const scope = this.scopeOf(p);
    const { names, ctx } = await this.scoped.run(scope, async (tx) => {
      const visible: { id: string; name: string }[] = await tx.query(
        'SELECT id, name FROM indicator_list WHERE id = ANY($1)',
        [rows.map((r) => r.list_id)],
      );
      return {
        names: new Map(visible.map((v) => [v.id, v.name])),
        ctx: await this.boundary.authorContext(
          tx,
          scope,
          rows.map((r) => r.org_id),
        ),
      };
    });
    const out: FeedReview[] = [];
    for (const r of rows) {
      const seen = names.has(r.list_id);
      const author = this.boundary.author(ctx, r.org_id, r.anonymous, r.reveal_to_coordinators);
      out.push({
        changeId: r.id,
        state: r.review,
        reason: r.review_reason,
        note: r.review_note,
        author,
        listId: seen ? r.list_id : null,
        listName: seen ? names.get(r.list_id)! : null,
        added: r.added,
        values: seen ? await this.broadestValues(r.org_id, r.list_seq, r.id) : [],
        heldAt: this.boundary.time(author, r.created_at),
        reviewedAt: r.reviewed_at,
      });
    }
    return out;
  }

  /** The widest values a change added first: what a reviewer most needs to look at. */
  private broadestValues(ownerOrg: string, listSeq: number, batchId: number): Promise<string[]> {
    return this.asOwner(ownerOrg, async (tx) => {
      const rows: { value: string }[] = await tx.query(
        `SELECT value FROM list_entry WHERE list_seq = $1 AND first_batch = $2
          ORDER BY CASE WHEN type LIKE '%-cidr' THEN masklen(value::cidr) ELSE 128 END, value
          LIMIT ${REVIEW_VALUES}`,
        [listSeq, batchId],
      );
      return rows.map((r) => r.value);
    });
  }

  /**
   * Approves or refuses a held change. Approved: its new values reach every feed, TAXII
   * (dated now, so clients paging by date added receive them) and push (the event the import
   * left out is written now). Refused: they stay withheld; the owner may remove them.
   */
  async review(
    p: Principal,
    changeId: number,
    approve: boolean,
    note: string,
  ): Promise<FeedReview> {
    await this.scoped.run({ kind: 'system' }, async (tx) => {
      // The feed's counter first, as every writer of lists (ADR 0043): the decision takes the
      // commit-order lock below, which an import, holding the counter, takes last.
      await tx.query('SELECT renkei_take_feed()');
      const [batch]: {
        review: string | null;
        owner_org_id: string;
        list_id: string;
        list_seq: number;
        named: boolean;
      }[] = await tx.query(
        `SELECT b.review, b.owner_org_id, l.id AS list_id, l.seq AS list_seq,
                NOT l.anonymous OR l.reveal_to_coordinators AS named
           FROM entry_batch b JOIN indicator_list l ON l.seq = b.list_seq
          WHERE b.id = $1`,
        [changeId],
      );
      if (!batch) throw new NotFoundError('Held change');
      // The owner's write policies apply to what follows (FOR UPDATE included): act for it,
      // under the system's reads.
      await tx.query(
        `SELECT set_config('renkei.org_id', $1, true), set_config('renkei.withheld', 'shown', true)`,
        [batch.owner_org_id],
      );
      // Locked and read again: two coordinators deciding at once, one decides.
      const [locked]: { review: string | null }[] = await tx.query(
        'SELECT review FROM entry_batch WHERE id = $1 FOR UPDATE',
        [changeId],
      );
      if (locked?.review !== FeedReviewState.HELD) {
        throw new ConflictError(
          `This change is not held (it is ${locked?.review ?? 'not reviewed'})`,
        );
      }
      await lockCommitOrder(tx);
      await tx.query(
        `UPDATE entry_batch SET review = $2, reviewed_by = $3, reviewed_at = now(), review_note = $4,
                committed_at = CASE WHEN $2 = 'approved' THEN clock_timestamp() ELSE committed_at END
          WHERE id = $1`,
        [changeId, approve ? FeedReviewState.APPROVED : FeedReviewState.REFUSED, p.userId, note],
      );
      if (approve) {
        const [[list]]: [{ id: string; owner_org_id: string }[], number] = await tx.query(
          'UPDATE indicator_list SET updated_at = now() WHERE seq = $1 RETURNING id, owner_org_id',
          [batch.list_seq],
        );
        const values: { value: string }[] = await tx.query(
          `SELECT value FROM list_entry WHERE list_seq = $1 AND last_batch = $2 ORDER BY value
            LIMIT ${EVENT_VALUES + 1}`,
          [batch.list_seq, changeId],
        );
        const [{ added, resighted }]: { added: number; resighted: number }[] = await tx.query(
          'SELECT added, resighted FROM entry_batch WHERE id = $1',
          [changeId],
        );
        await recordEvent(tx, {
          kind: 'list.entries_added',
          orgId: list.owner_org_id,
          listId: list.id,
          batchId: changeId,
          payload: {
            added,
            resighted,
            ...(values.length <= EVENT_VALUES ? { values: values.map((v) => v.value) } : {}),
          },
        });
      }
      await recordEvent(tx, {
        kind: 'feed.change_reviewed',
        orgId: batch.owner_org_id,
        listId: batch.list_id,
        batchId: changeId,
        payload: { decision: approve ? 'approved' : 'refused' },
      });
      // The audit log is the login role's, as for every other audited change.
      await tx.query('SET LOCAL ROLE NONE');
      await this.audit.record(
        {
          action: AuditAction.FEED_CHANGE_REVIEWED,
          outcome: 'success',
          actorUserId: p.userId,
          actorOrganisationId: p.organisationId,
          // As for the hold: an author hidden from coordinators is not named to them here.
          organisationId: batch.named ? batch.owner_org_id : null,
          targetType: 'entry_batch',
          targetId: String(changeId),
          details: { change: changeId, decision: approve ? 'approved' : 'refused' },
        },
        tx,
      );
    });
    this.changes.changedHere('renkei_feed');
    const state = approve ? FeedReviewState.APPROVED : FeedReviewState.REFUSED;
    const found = (await this.reviews(p, state)).find((r) => r.changeId === changeId);
    if (!found) throw new NotFoundError('Held change');
    return found;
  }

  /**
   * Audited after the import committed, in its own transaction (the audit chain's lock). A list
   * whose author is hidden from coordinators is not tied to its organisation here either: hub
   * admins read every audit entry, and the entry's exact time would match the held change.
   */
  async recordHeld(
    p: AnyPrincipal,
    orgId: string,
    named: boolean,
    changeId: number,
    reason: string,
  ): Promise<void> {
    await this.audit.record({
      action: AuditAction.FEED_CHANGE_HELD,
      outcome: 'success',
      actorUserId: named && p.kind === 'user' ? p.userId : null,
      actorOrganisationId: named ? orgId : null,
      organisationId: named ? orgId : null,
      targetType: 'entry_batch',
      targetId: String(changeId),
      details: { change: changeId, reason },
    });
  }

  // --- reach ---------------------------------------------------------------------------------

  async setReach(
    p: Principal,
    organisationId: string,
    reach: FeedReach,
  ): Promise<FeedReachSetting> {
    if (!isUuid(organisationId)) throw new NotFoundError('Organisation');
    await this.db.transaction(async (tx) => {
      const [org] = await tx.query('SELECT 1 FROM organisation WHERE id = $1', [organisationId]);
      if (!org) throw new NotFoundError('Organisation');
      await tx.query(
        `INSERT INTO feed_reach (org_id, mode, set_by) VALUES ($1, $2, $3)
         ON CONFLICT (org_id) DO UPDATE SET mode = excluded.mode, set_by = excluded.set_by, set_at = now()`,
        [organisationId, reach, p.userId],
      );
      await this.audit.record(
        {
          action: AuditAction.FEED_REACH_CHANGED,
          outcome: 'success',
          actorUserId: p.userId,
          actorOrganisationId: p.organisationId,
          organisationId,
          details: { reach },
        },
        tx,
      );
    });
    this.changes.changedHere('renkei_feed');
    return { organisationId, reach };
  }

  async reaches(): Promise<FeedReachSetting[]> {
    const rows: { org_id: string; mode: FeedReach }[] = await this.db.query(
      'SELECT org_id, mode FROM feed_reach ORDER BY org_id',
    );
    return rows.map((r) => ({ organisationId: r.org_id, reach: r.mode }));
  }

  // --- protected ranges ----------------------------------------------------------------------

  /**
   * Adds or removes a hub-wide range: `allowed` ones are served minus the range (the allow-list,
   * ADR 0008), `protected` ones are never blocked at all (entries overlapping them refused and
   * withheld). Both are audited and change every feed's fingerprint.
   */
  async setRange(
    kind: 'allowed' | 'protected',
    p: Principal,
    range: string,
    note: string,
    add: boolean,
  ): Promise<void> {
    const { table, action } = RANGE_TABLES[kind];
    const parsed = parseIndicator(range, { hostBits: 'reject' });
    if (!parsed.ok || !['ipv4', 'ipv6', 'ipv4-cidr', 'ipv6-cidr'].includes(parsed.type)) {
      throw new BadInputError([
        {
          path: 'range',
          message: parsed.ok ? 'must be an IP address or CIDR range' : parsed.message,
        },
      ]);
    }
    await this.db.transaction(async (tx) => {
      if (add) {
        await tx.query(
          `INSERT INTO ${table} (range, note, added_by) VALUES ($1, $2, $3)
           ON CONFLICT (range) DO UPDATE SET note = excluded.note`,
          [parsed.value, note.trim().slice(0, 500), p.userId],
        );
      } else {
        await tx.query(`DELETE FROM ${table} WHERE range = $1`, [parsed.value]);
      }
      await this.audit.record(
        {
          action,
          outcome: 'success',
          actorUserId: p.userId,
          actorOrganisationId: p.organisationId,
          details: { range: parsed.value, change: add ? 'added' : 'removed' },
        },
        tx,
      );
    });
    this.changes.changedHere('renkei_feed');
  }

  // --- emergency stops -----------------------------------------------------------------------

  /**
   * Pulls a value, a list or an organisation's contributions out of every feed at once: the
   * read policy withholds them from the next statement on, and the guard version in every
   * feed's fingerprint changes, so every ETag does.
   */
  async stop(p: Principal, input: FeedStopInput): Promise<FeedStop> {
    const target = await this.stopTarget(p, input);
    const [row] = await this.db.transaction(async (tx) => {
      const inserted: StopRow[] = await tx.query(
        `INSERT INTO feed_stop (kind, value, list_seq, org_id, reason, stopped_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [input.kind, target.value, target.listSeq, target.orgId, input.reason.trim(), p.userId],
      );
      await this.audit.record(
        {
          action: AuditAction.FEED_STOP_CHANGED,
          outcome: 'success',
          actorUserId: p.userId,
          actorOrganisationId: p.organisationId,
          organisationId: target.orgId,
          targetType: 'feed_stop',
          targetId: String(inserted[0].id),
          details: { change: 'stopped', kind: input.kind, reason: input.reason.trim() },
        },
        tx,
      );
      return inserted;
    });
    this.changes.changedHere('renkei_feed');
    return (await this.stops()).find((s) => s.id === row.id)!;
  }

  async lift(p: Principal, id: number): Promise<FeedStop> {
    await this.db.transaction(async (tx) => {
      const lifted: StopRow[] = await tx.query(
        `UPDATE feed_stop SET lifted_at = now(), lifted_by = $2 WHERE id = $1 AND lifted_at IS NULL
         RETURNING *`,
        [id, p.userId],
      );
      if (!lifted.length) throw new NotFoundError('Active stop');
      await this.audit.record(
        {
          action: AuditAction.FEED_STOP_CHANGED,
          outcome: 'success',
          actorUserId: p.userId,
          actorOrganisationId: p.organisationId,
          targetType: 'feed_stop',
          targetId: String(id),
          details: { change: 'lifted' },
        },
        tx,
      );
    });
    this.changes.changedHere('renkei_feed');
    return (await this.stops()).find((s) => s.id === id)!;
  }

  async stops(): Promise<FeedStop[]> {
    const rows: (StopRow & { list_id: string | null })[] = await this.scoped.run(
      { kind: 'system' },
      (tx) =>
        tx.query(
          `SELECT s.*, l.id AS list_id FROM feed_stop s
             LEFT JOIN indicator_list l ON l.seq = s.list_seq
            ORDER BY s.id DESC LIMIT 1000`,
        ),
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      value: r.value,
      listId: r.list_id,
      organisationId: r.org_id,
      reason: r.reason,
      stoppedAt: r.stopped_at,
      liftedAt: r.lifted_at,
    }));
  }

  private async stopTarget(
    p: Principal,
    input: FeedStopInput,
  ): Promise<{ value: string | null; listSeq: number | null; orgId: string | null }> {
    const missing = (path: string) =>
      new BadInputError([
        { path: `input.${path}`, message: `is required for a ${input.kind} stop` },
      ]);
    if (input.kind === FeedStopKind.VALUE) {
      if (!input.value) throw missing('value');
      const parsed = parseIndicator(input.value, { hostBits: 'reject' });
      if (!parsed.ok) throw new BadInputError([{ path: 'input.value', message: parsed.message }]);
      return { value: parsed.value, listSeq: null, orgId: null };
    }
    if (input.kind === FeedStopKind.LIST) {
      if (!input.listId) throw missing('listId');
      // A list the coordinator may see; one it may not is stopped through its organisation.
      const [list]: { seq: number; owner_org_id: string }[] = await this.scoped.run(
        this.scopeOf(p),
        (tx) =>
          tx.query('SELECT seq, owner_org_id FROM indicator_list WHERE id = $1', [input.listId]),
      );
      if (!list) throw new NotFoundError('List');
      return { value: null, listSeq: list.seq, orgId: null };
    }
    if (!input.organisationId) throw missing('organisationId');
    const [org] = await this.db.query('SELECT id FROM organisation WHERE id = $1', [
      input.organisationId,
    ]);
    if (!org) throw new NotFoundError('Organisation');
    return { value: null, listSeq: null, orgId: input.organisationId };
  }

  private scopeOf(p: Principal) {
    return scopeOf(p);
  }

  /** Reads of one organisation's withheld entries, as the policy lets its own writes see them. */
  private asOwner<T>(orgId: string, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.scoped.run({ kind: 'system' }, async (tx) => {
      await tx.query(
        `SELECT set_config('renkei.org_id', $1, true), set_config('renkei.withheld', 'shown', true)`,
        [orgId],
      );
      return work(tx);
    });
  }
}

interface StopRow {
  id: number;
  kind: FeedStopKind;
  value: string | null;
  list_seq: number | null;
  org_id: string | null;
  reason: string;
  stopped_at: Date;
  lifted_at: Date | null;
}
