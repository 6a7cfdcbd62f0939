import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { AnyPrincipal, ApiTokenService, SessionService } from '@renkei/identity';
import { FeedGuardService, FeedReviewState, ListService } from '@renkei/indicators';
import {
  BadInputError,
  ForbiddenError,
  HUB_CONFIG,
  HubConfig,
  HubError,
  metricsRegistry,
} from '@renkei/platform';
import { Report, ReportService } from '@renkei/reports';
import { alikeKey, PublicationBoundary, ScopedDatabase, scopeOf } from '@renkei/sharing';
import { ChangeNotifications } from '@renkei/platform';
import { Counter } from 'prom-client';
import type { WebSocket } from 'ws';
import { cancellable } from './cancellable';
import { EventIds } from './event-ids';
import { matchesList, matchesReport } from './push.filters';
import {
  FeedReviewEvent,
  ListEvent,
  ListEventFilter,
  ReportEvent,
  ReportEventFilter,
} from './push.models';

export interface HubEventRow {
  id: number;
  kind: string;
  org_id: string;
  report_id: string | null;
  list_id: string | null;
  batch_id: number | null;
  payload: Record<string, unknown>;
  created_at: Date;
  /** In the ring, `payload.values` is left in the table and read when an event is viewed. */
  valuesInTable?: boolean;
}

/** What a graphql-ws connection carries from connection_init (see graphql-options.ts). */
export interface PushConnection {
  socket: WebSocket;
  principal: AnyPrincipal;
  credential: string;
  address?: string;
}

/**
 * Report views read from the database for subscribers, one per reader and event (each under
 * that reader's scope): what an event's fan-out costs the database on this instance.
 */
const reportViewReads = new Counter({
  name: 'renkei_push_report_view_reads_total',
  help: 'Report views read for subscribers (each under its reader scope), per event and kind of reader',
  registers: [metricsRegistry],
});

/** The ring of recent events: at most this many, and at most about this many bytes. */
const RING_SIZE = 20_000;
const RING_BYTES = 16 * 1024 * 1024;
const VIEW_TTL_MS = 2_000;
/**
 * Readers whose views of one event are read by one statement (ADR 0041: the SQL function sets
 * each reader's scope before its row, so a reader costs no round trip of its own). Beyond this
 * many, several statements run side by side on the pool, so that one long statement does not
 * hold every subscriber of an instance at national scale (~850 readers per instance and event).
 */
const READERS_PER_STATEMENT = 250;
const POLL_MS = 2_000;
/** Events read from the outbox per statement when loading. */
const LOAD_LIMIT = 1000;
/**
 * A waiting subscription is woken by a load that moved the head (or by its own end); this is
 * only a safety net. Waking every waiter on every poll cost each instance a turn of every idle
 * subscription every two seconds (ADR 0038: 2,500 subscriptions per instance).
 */
const WAIT_MS = 30_000;
/**
 * How often the subscriptions are looked over for one stalled on an event (SUBSCRIPTION_STALL_SECONDS):
 * one timer for all, not one per event sent (a thousand timers made and cleared per event).
 */
const STALL_SWEEP_MS = 500;
/** Credentials re-checked at once (each distinct credential once per pass). */
const RECHECK_CONCURRENCY = 8;
export const CLOSE_REVOKED = 4403;
export const CLOSE_SLOW = 4429;
/** WebSocket "going away": the hub is shutting down; resume elsewhere or after the restart. */
export const CLOSE_GOING_AWAY = 1001;

/**
 * A cursor whose events were deleted after EVENT_RETENTION_DAYS: resuming from it would skip
 * them silently, so the subscription fails and the client resynchronises (ADR 0010). The oldest
 * cursor still kept goes out sealed for the subscriber (ADR 0018), never as an outbox id.
 */
export class CursorExpiredError extends GraphQLError {
  constructor(
    readonly horizon: number,
    oldestCursor?: string,
  ) {
    super(
      'Events after this cursor have been deleted (older than the retention period): ' +
        'resynchronise with a query, then subscribe without after to continue from now',
      { extensions: { code: 'CURSOR_EXPIRED', ...(oldestCursor ? { oldestCursor } : {}) } },
    );
  }
}

/**
 * Push over GraphQL subscriptions (ADR 0010), from the outbox (`hub_event`, ids in commit
 * order). Each instance loads new events once, when PostgreSQL notifies (and every two seconds
 * in case a notification was lost), into a ring of recent events; each subscription walks the
 * events after its cursor — from the ring, or from the table when it resumes from further back —
 * and delivers those its principal may see now, as a query would show them. There is no
 * separate "live" queue, so the switch from replay to live has no gap and no duplicate.
 */
@Injectable()
export class PushService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('PushService');
  private ring: HubEventRow[] = [];
  private ringBytes = 0;
  /** The highest event id loaded: where a subscription without `after` starts. */
  head = 0;
  private loading: Promise<void> | null = null;
  /** Set by every wake-up; a load that began before one goes round again. */
  private dirty = false;
  private rechecking: Promise<void> | null = null;
  private recheckPending = false;
  private waiters = new Set<() => void>();
  private readonly connections = new Map<WebSocket, PushConnection>();
  /** Where each running subscription is in the outbox (the lag metric, the shutdown cursors). */
  private readonly positions = new Set<Position>();
  private readonly views = new Map<string, { at: number; view: Promise<unknown> }>();
  /** Views read in this turn of the event loop, shared by the subscribers asking in it (`shared`). */
  private readonly thisTurn = new Map<string, Promise<unknown>>();
  /** Readers of each event's report, read together at the end of this turn (reportOf). */
  private readonly pendingReports = new Map<number, PendingRead[]>();
  /** Per shared view, the item each reader (organisation) is sent; gone with the view. */
  private readonly items = new WeakMap<object, Map<string, unknown>>();
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly scoped: ScopedDatabase,
    private readonly changes: ChangeNotifications,
    private readonly reports: ReportService,
    private readonly boundary: PublicationBoundary,
    private readonly lists: ListService,
    private readonly guard: FeedGuardService,
    private readonly sessions: SessionService,
    private readonly tokens: ApiTokenService,
    private readonly ids: EventIds,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Before migrations have run (MIGRATIONS_RUN=false, readiness says so) there is no outbox
    // yet: start from its head once it exists.
    this.head = await this.latestId().catch(() => -1);
    this.changes.on('renkei_event', () => void this.load());
    this.changes.on('reconnected', () => void this.load());
    this.changes.on('renkei_auth', () => void this.recheck());
    this.timers.push(setInterval(() => void this.load(), POLL_MS).unref());
    this.timers.push(setInterval(() => this.wakeAll(), WAIT_MS).unref());
    this.timers.push(setInterval(() => this.letGoStalled(), STALL_SWEEP_MS).unref());
    this.timers.push(
      setInterval(() => void this.recheck(), this.config.events.recheckSeconds * 1000).unref(),
    );
  }

  onModuleDestroy(): void {
    this.timers.forEach(clearInterval);
    this.wakeAll();
  }

  // --- connections ---------------------------------------------------------------------------

  /**
   * Takes a connection into the re-checks from connection_init on (its credential was just
   * checked), so a revocation closes a socket that has not subscribed yet too.
   */
  track(c: PushConnection): void {
    if (this.connections.has(c.socket)) return;
    this.connections.set(c.socket, c);
    c.socket.once('close', () => this.connections.delete(c.socket));
  }

  /**
   * Takes a connection into the re-checks, at its first subscription if connection_init did not, and checks its credential
   * once more then: it may have been revoked since connection_init, while no re-check knew the
   * socket. It is tracked before that check, so a revocation notified meanwhile finds it too.
   * Returns false (the socket closed) when the credential no longer holds.
   */
  async admit(c: PushConnection): Promise<boolean> {
    if (!this.connections.has(c.socket)) {
      this.track(c);
      await this.check([c]);
    }
    return this.connections.has(c.socket) && c.socket.readyState === c.socket.OPEN;
  }

  /**
   * Sessions and tokens are checked again whenever credentials may have changed anywhere
   * (revocation, suspension: PostgreSQL notifies) and every SUBSCRIPTION_RECHECK_SECONDS
   * (expiry); a socket whose credential no longer holds is closed at once. Passes do not pile
   * up: while one runs, any number of requests make one more pass after it.
   */
  recheck(): Promise<void> {
    if (this.rechecking) {
      this.recheckPending = true;
      return this.rechecking;
    }
    this.rechecking = (async () => {
      try {
        do {
          this.recheckPending = false;
          await this.check([...this.connections.values()]);
        } while (this.recheckPending);
      } catch (e) {
        this.log.warn(`could not re-check subscriber credentials: ${(e as Error).message}`);
      } finally {
        this.rechecking = null;
      }
    })();
    return this.rechecking;
  }

  /** Authenticates each distinct credential once, a few at a time, and closes what fails. */
  private async check(connections: PushConnection[]): Promise<void> {
    const groups = new Map<string, PushConnection[]>();
    for (const c of connections) {
      // A token's allowed ranges depend on the address; a session's validity does not.
      const key =
        c.principal.kind === 'user' ? `u|${c.credential}` : `t|${c.credential}|${c.address ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    const queue = [...groups.values()];
    const worker = async () => {
      for (let group = queue.shift(); group; group = queue.shift()) {
        const [first] = group;
        const p =
          first.principal.kind === 'user'
            ? await this.sessions.authenticate(first.credential, { touch: false })
            : await this.tokens.authenticate(first.credential, first.address);
        for (const c of group) {
          // Still valid is not enough: a user moved to another organisation, an organisation that
          // left a sector or group, a role or scopes narrowed — the socket would go on seeing
          // with what it had. Anything different closes it; the client reconnects as it is now.
          if (!p || (p.kind === 'user' && p.aal < 2) || identityOf(p) !== identityOf(c.principal)) {
            this.connections.delete(c.socket);
            c.socket.close(CLOSE_REVOKED, 'Forbidden: the session or token was revoked or expired');
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(RECHECK_CONCURRENCY, queue.length) }, worker));
  }

  // --- events --------------------------------------------------------------------------------

  private async latestId(): Promise<number> {
    const [row] = await this.scoped.run({ kind: 'system' }, (tx) =>
      tx.query('SELECT coalesce(max(id), 0)::text AS id FROM hub_event'),
    );
    return Number(row.id);
  }

  /**
   * Loads events committed since the last load (one load at a time), then wakes subscribers. A
   * notification that arrives while a load runs makes it go round once more: its last query may
   * have read before that commit.
   */
  load(): Promise<void> {
    this.dirty = true;
    this.loading ??= (async () => {
      const headBefore = this.head;
      try {
        while (this.dirty) {
          this.dirty = false;
          if (this.head < 0) this.head = await this.latestId();
          for (;;) {
            const rows = await this.fromTable(this.head, LOAD_LIMIT);
            if (rows.length) {
              this.remember(rows);
              this.head = rows[rows.length - 1].id;
            }
            // Fewer than asked: that statement saw every commit before it, and a later one
            // notifies (`dirty`). No second, empty read before the subscribers are woken.
            if (rows.length < LOAD_LIMIT) break;
          }
        }
      } catch (e) {
        this.log.warn(`could not load events: ${(e as Error).message}`);
      } finally {
        this.loading = null;
        // Nothing new, nobody to wake: a waiter registered after the head moved goes round at
        // once instead (waitForMore).
        if (this.head !== headBefore) this.wakeAll();
      }
    })();
    return this.loading;
  }

  /**
   * Into the ring, bounded by count and by size. The values of a large batch (up to 10,000 in
   * an entries_added payload) stay in the table and are read when the event is viewed.
   */
  private remember(rows: HubEventRow[]): void {
    for (const row of rows) {
      const { values, ...rest } = row.payload;
      const kept = values === undefined ? row : { ...row, payload: rest, valuesInTable: true };
      this.ring.push(kept);
      this.ringBytes += sizeOf(kept);
    }
    let drop = 0;
    while (
      drop < this.ring.length - 1 &&
      (this.ring.length - drop > RING_SIZE || this.ringBytes > RING_BYTES)
    ) {
      this.ringBytes -= sizeOf(this.ring[drop]);
      drop++;
    }
    if (drop) this.ring = this.ring.slice(drop);
  }

  private wakeAll(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    waiters.forEach((w) => w());
  }

  private fromTable(after: number, limit: number): Promise<HubEventRow[]> {
    return this.scoped.run({ kind: 'system' }, async (tx) => {
      const rows: (HubEventRow & { id: string })[] = await tx.query(
        `SELECT id, kind, org_id, report_id, list_id, batch_id, payload, created_at
           FROM hub_event WHERE id > $1 ORDER BY id LIMIT $2`,
        [after, limit],
      );
      return rows.map((r) => ({ ...r, id: Number(r.id) }));
    });
  }

  /** Events by id, in id order; those deleted since (retention) are simply not there. */
  events(ids: number[]): Promise<HubEventRow[]> {
    return this.scoped.run({ kind: 'system' }, async (tx) => {
      const rows: (HubEventRow & { id: string })[] = await tx.query(
        `SELECT id, kind, org_id, report_id, list_id, batch_id, payload, created_at
           FROM hub_event WHERE id = ANY($1::bigint[]) ORDER BY id`,
        [ids],
      );
      return rows.map((r) => ({ ...r, id: Number(r.id) }));
    });
  }

  /** Up to where the outbox was purged (EventRetention): cursors before it have lost events. */
  async horizon(): Promise<number> {
    const rows: { id: string }[] = await this.scoped.run({ kind: 'system' }, (tx) =>
      tx.query('SELECT purged_through::text AS id FROM hub_event_horizon'),
    );
    return rows.length ? Number(rows[0].id) : 0;
  }

  /** Fails with CURSOR_EXPIRED when events after the cursor have been deleted. */
  async assertKept(cursor: number): Promise<void> {
    const horizon = await this.horizon();
    if (cursor < horizon) throw new CursorExpiredError(horizon);
  }

  /**
   * Events after a cursor: from the ring when it reaches back that far, else the table. From
   * the table, CURSOR_EXPIRED when some of them were deleted (the horizon is read after the
   * events, so a purge in between is noticed rather than missed).
   */
  async after(cursor: number, limit: number): Promise<HubEventRow[]> {
    const ring = this.fromRing(cursor, limit);
    if (ring) return ring;
    const rows = (await this.fromTable(cursor, limit)).filter((e) => e.id <= this.head);
    await this.assertKept(cursor);
    return rows;
  }

  /** Events after a cursor when the ring reaches back that far (or none are newer), else undefined. */
  private fromRing(cursor: number, limit: number): HubEventRow[] | undefined {
    if (cursor >= this.head) return [];
    if (!this.ring.length || cursor < this.ring[0].id - 1) return undefined;
    let lo = 0;
    let hi = this.ring.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ring[mid].id <= cursor) lo = mid + 1;
      else hi = mid;
    }
    return this.ring.slice(lo, lo + limit);
  }

  /**
   * A subscription's way to wait until a load moves the head past `seen` (the head before it
   * looked) or the subscription ends. One listener on the end per subscription, not one per
   * wait: an instance waits thousands of times per event. The safety net for a missed wake-up
   * is one timer for all (WAIT_MS).
   */
  private waiter(signal: AbortSignal): (seen: number) => Promise<void> {
    let wake: (() => void) | undefined;
    signal.addEventListener('abort', () => wake?.(), { once: true });
    return (seen) => {
      if (this.head !== seen || signal.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          this.waiters.delete(done);
          if (wake === done) wake = undefined;
          resolve();
        };
        wake = done;
        this.waiters.add(done);
      });
    };
  }

  /**
   * The stream of one subscription: checked before it starts (the cursor is one this hub
   * issued and its events are still kept; the connection's credential still holds), so those
   * refusals reach the client with their code.
   */
  private async open<T extends { cursor: string }>(
    c: PushConnection,
    after: string | undefined,
    view: (e: HubEventRow) => Promise<T | null>,
  ): Promise<AsyncGenerator<T>> {
    const reader = EventIds.forOrganisation(c.principal);
    const from = after === undefined ? undefined : await this.ids.open(after, reader);
    if (after !== undefined && from === null) {
      throw new BadInputError([{ path: 'after', message: 'is not a cursor this hub issued' }]);
    }
    if (!(await this.admit(c))) {
      throw new ForbiddenError('The session or token was revoked or expired');
    }
    const start = from ?? this.head;
    if (from != null) await this.sealedExpiry(reader, () => this.assertKept(start));
    return cancellable((signal) => this.walk(c, reader, start, view, signal));
  }

  /** CURSOR_EXPIRED with the oldest cursor kept sealed for this reader. */
  private async sealedExpiry<R>(reader: string, run: () => Promise<R>): Promise<R> {
    try {
      return await run();
    } catch (e) {
      if (!(e instanceof CursorExpiredError)) throw e;
      throw new CursorExpiredError(e.horizon, await this.ids.seal(e.horizon, reader));
    }
  }

  /**
   * The events after `start`, each turned into what this subscriber may see, or skipped. Ends
   * when the socket closes or the client completes the subscription (at once, even while
   * waiting for events); a subscriber that does not read is let go.
   */
  private async *walk<T extends { cursor: string }>(
    c: PushConnection,
    reader: string,
    start: number,
    view: (e: HubEventRow) => Promise<T | null>,
    signal: AbortSignal,
  ): AsyncGenerator<T> {
    let cursor = start;
    const waitForMore = this.waiter(signal);
    const position: Position = {
      socket: c.socket,
      reader,
      cursor: start,
      delivered: start,
      deliveredCursor: await this.ids.seal(start, reader),
      sendingSince: 0,
    };
    // A flag rather than `signal.aborted` in the loop: that getter validates its receiver on
    // every read (Node 20), three reads per subscriber and event.
    let ended = signal.aborted;
    const forget = () => {
      ended = true;
      this.positions.delete(position);
    };
    this.positions.add(position);
    signal.addEventListener('abort', forget, { once: true });
    c.socket.once('close', () => this.positions.delete(position));
    while (!ended && c.socket.readyState === c.socket.OPEN) {
      const from = cursor;
      const seen = this.head;
      // From the ring without a promise (what every live subscriber reads); from the table only
      // when resuming from further back.
      const batch =
        this.fromRing(from, 100) ?? (await this.sealedExpiry(reader, () => this.after(from, 100)));
      if (!batch.length) {
        await waitForMore(seen);
        continue;
      }
      for (const e of batch) {
        if (ended) return;
        cursor = position.cursor = e.id;
        const shown = await view(e);
        if (!shown) continue;
        if (ended) return;
        const item = this.itemFor(shown, e.id, reader);
        // graphql-ws sends one event at a time and waits until the socket took it, so what a
        // subscriber has not read stays in the outbox, not in memory. One that leaves an event
        // unread for SUBSCRIPTION_STALL_SECONDS is let go (letGoStalled), and resumes from its
        // cursor.
        position.sendingSince = performance.now();
        try {
          yield item;
        } finally {
          position.sendingSince = 0;
        }
        position.deliveredCursor = item.cursor;
        position.delivered = e.id;
      }
    }
  }

  /** Closes the sockets of subscriptions that have left one event unread too long. */
  private letGoStalled(): void {
    const limit = performance.now() - this.config.events.stallSeconds * 1000;
    for (const p of this.positions) {
      if (p.sendingSince && p.sendingSince <= limit) {
        p.sendingSince = 0;
        p.socket.close(
          CLOSE_SLOW,
          `Slow consumer: subscribe again with after: "${p.deliveredCursor}" (your last cursor) to resume`,
        );
      }
    }
  }

  /**
   * The view with this reader's own cursor (the view may be shared with other readers; the
   * cursor is sealed for the organisation). One object per view and reader, so every
   * subscriber that shares both gets the very same object: the subscription server executes
   * an operation once per such object (shared-execution.ts), never across two of them.
   * Synchronous: a walk sealed its start before its first event, so the keys are loaded.
   */
  private itemFor<T extends { cursor: string }>(shown: T, id: number, reader: string): T {
    let byReader = this.items.get(shown);
    if (!byReader) this.items.set(shown, (byReader = new Map()));
    let item = byReader.get(reader) as T | undefined;
    if (!item) {
      item = { ...shown, cursor: this.ids.sealLoaded(id, reader) };
      byReader.set(reader, item);
    }
    return item;
  }

  /**
   * At shutdown, before the HTTP server closes (it would wait for upgraded sockets forever):
   * every socket is closed with 1001 and, where it fits the 123 bytes a close reason may hold,
   * the cursor each subscription resumes from (what its subscriber received last).
   */
  goAway(): number {
    let closed = 0;
    for (const socket of this.connections.keys()) {
      const cursors = [...this.positions]
        .filter((p) => p.socket === socket)
        .map((p) => this.ids.sealLoaded(p.delivered, p.reader));
      const exact = `Hub restarting: resubscribe with after: ${cursors.map((c) => `"${c}"`).join(', ')}`;
      const reason =
        cursors.length && Buffer.byteLength(exact) <= 123
          ? exact
          : 'Hub restarting: resubscribe with after: your last cursor';
      socket.close(CLOSE_GOING_AWAY, reason);
      closed++;
    }
    return closed;
  }

  /** Open sockets, running subscriptions, and the outbox id of the slowest of them. */
  stats(): { connections: number; subscriptions: number; head: number; slowestCursor?: number } {
    let slowest: number | undefined;
    for (const p of this.positions) slowest = Math.min(slowest ?? p.cursor, p.cursor);
    return {
      connections: this.connections.size,
      subscriptions: this.positions.size,
      head: this.head,
      slowestCursor: slowest,
    };
  }

  reportEvents(
    c: PushConnection,
    after?: string,
    filter: ReportEventFilter = {},
  ): Promise<AsyncGenerator<ReportEvent>> {
    return this.open(c, after, (e) => this.reportFor(c.principal, e, filter));
  }

  listEvents(
    c: PushConnection,
    after?: string,
    filter: ListEventFilter = {},
  ): Promise<AsyncGenerator<ListEvent>> {
    return this.open(c, after, (e) => this.listFor(c.principal, e, filter));
  }

  feedReviewEvents(c: PushConnection, after?: string): Promise<AsyncGenerator<FeedReviewEvent>> {
    return this.open(c, after, (e) => this.feedReviewFor(c.principal, e));
  }

  /**
   * A held change or its review, for the author's organisation and the coordinators only, shown
   * exactly as feedReviews shows it to this reader now (pseudonymous author, the list only where
   * the reader may see it); anyone else, and API tokens, are told nothing.
   */
  async feedReviewFor(p: AnyPrincipal, e: HubEventRow): Promise<FeedReviewEvent | null> {
    if (p.kind !== 'user' || !e.batch_id || !e.kind.startsWith('feed.')) return null;
    const review = await this.shared(e, p, 'feed', async () => {
      for (const state of [
        FeedReviewState.HELD,
        FeedReviewState.APPROVED,
        FeedReviewState.REFUSED,
      ]) {
        const found = (await this.guard.reviews(p, state)).find((r) => r.changeId === e.batch_id);
        if (found) return found;
      }
      return null;
    });
    if (!review) return null;
    const at = this.boundary.time(review.author, e.created_at);
    return { cursor: String(e.id), kind: e.kind, at, review };
  }

  /** A report event as this principal may see it now and wants it (filter), or null. */
  reportFor(
    p: AnyPrincipal,
    e: HubEventRow,
    filter: ReportEventFilter = {},
  ): Promise<ReportEvent | null> {
    if (!e.report_id || !e.kind.startsWith('report.')) return NOTHING;
    if (filter.events?.length && !(filter.events as string[]).includes(e.kind)) return NOTHING;
    const v = this.shared(e, p, 'report', () => this.reportView(p, e));
    // Without criteria every view matches: the shared promise itself, no step per subscriber.
    if (!hasCriteria(filter)) return v;
    return v.then((x) => (x && matchesReport(x, filter) ? x : null));
  }

  /** A list event as this principal may see it now and wants it (filter), or null. */
  listFor(
    p: AnyPrincipal,
    e: HubEventRow,
    filter: ListEventFilter = {},
  ): Promise<ListEvent | null> {
    if (!e.list_id || !e.kind.startsWith('list.')) return NOTHING;
    if (filter.events?.length && !(filter.events as string[]).includes(e.kind)) return NOTHING;
    if (filter.listIds?.length && !filter.listIds.includes(e.list_id)) return NOTHING;
    const v = this.shared(e, p, 'list', () => this.listView(p, e));
    if (!hasCriteria(filter)) return v;
    return v.then((x) => (x && matchesList(x, filter) ? x : null));
  }

  /**
   * One read per event and kind of reader, not per subscriber: what a token (or a webhook)
   * sees depends only on its organisation, sector and group (never RED); a user's view is its
   * own (RED names people), under the user's whole current identity (organisation, sector,
   * group, role, session). A thousand subscribers of fifty organisations cost fifty reads per
   * event.
   *
   * Shared only between the subscribers that ask in the same turn of the event loop (those one
   * load woke): a subscriber that comes to the event later — one resuming with `after:`, one
   * still sending the event before — reads it under its scope as it is then, never a view read
   * before a marking was raised, an audience narrowed or its organisation moved (attack pass 6).
   */
  private shared<T>(
    e: HubEventRow,
    p: AnyPrincipal,
    topic: string,
    read: () => Promise<T | null>,
  ): Promise<T | null> {
    const key = `${e.id}|${topic}|${readerOf(p)}`;
    const cached = this.thisTurn.get(key);
    if (cached) return cached as Promise<T | null>;
    const view = read();
    if (!this.thisTurn.size) setImmediate(() => this.thisTurn.clear());
    this.thisTurn.set(key, view);
    return view;
  }

  /** A report event as this principal may see it now, or null (invisible). */
  private async reportView(p: AnyPrincipal, e: HubEventRow): Promise<ReportEvent | null> {
    const report = await this.reportOf(p, e);
    if (!report) return null;
    const comment =
      e.kind === 'report.comment_added'
        ? ((await this.reports.comments(p, report.id)).find((x) => x.id === e.payload.commentId) ??
          null)
        : null;
    const sighting =
      e.kind === 'report.sighting_added'
        ? ((await this.reports.sightings(p, report.id)).find(
            (x) => x.id === e.payload.sightingId,
          ) ?? null)
        : null;
    // A response the reader may not see (or one deleted since) is no event for it.
    if (e.kind === 'report.comment_added' && !comment) return null;
    if (e.kind === 'report.sighting_added' && !sighting) return null;
    // The event is its actor's: a response's time is shown as the response's author is.
    const at = this.boundary.time((comment ?? sighting ?? report).author, e.created_at);
    return { cursor: String(e.id), kind: e.kind, at, report, comment, sighting };
  }

  /**
   * The report of an event as this reader may see it, read together with every other reader's
   * that asks in the same turn of the event loop (the subscribers one load woke): a few
   * transactions per event instead of one per kind of reader (ReportService.getEach, each
   * reader under its own policy). When a shared transaction fails, each reader of it reads on
   * its own, as `get` alone would.
   */
  private reportOf(p: AnyPrincipal, e: HubEventRow): Promise<Report | null> {
    let batch = this.pendingReports.get(e.id);
    if (!batch) {
      const readers: PendingRead[] = [];
      batch = readers;
      this.pendingReports.set(e.id, readers);
      setImmediate(() => {
        this.pendingReports.delete(e.id);
        void this.readReports(e.report_id!, readers);
      });
    }
    return new Promise((resolve, reject) => batch.push({ p, resolve, reject }));
  }

  /**
   * One read per kind of reader, not per subscriber (ADR 0038): the users of one organisation
   * (`alikeKey`: the same organisation, sector and group) see a report that is not RED and
   * links none alike, so the first of each kind reads it under its own scope and, when
   * `getEach` says the view is such a one (`alike`), the others of its kind get that very view;
   * otherwise (RED, links, or not visible to the first) each of them reads under its own scope
   * after, as before.
   */
  private async readReports(id: string, readers: PendingRead[]): Promise<void> {
    const kinds = new Map<string, PendingRead[]>();
    for (const r of readers) {
      const key = alikeKey(scopeOf(r.p));
      const kind = kinds.get(key);
      if (kind) kind.push(r);
      else kinds.set(key, [r]);
    }
    const later: PendingRead[] = [];
    const firsts = [...kinds.values()].map(([first, ...others]): PendingRead => ({
      p: first.p,
      resolve: (view, alike) => {
        first.resolve(view);
        if (alike) others.forEach((o) => o.resolve(view));
        else later.push(...others);
      },
      reject: (e) => {
        first.reject(e);
        later.push(...others);
      },
    }));
    await this.readEach(id, firsts);
    if (later.length) await this.readEach(id, later);
  }

  /** Each reader's view, many readers per statement (`getEach`), each under its own scope. */
  private async readEach(id: string, readers: PendingRead[]): Promise<void> {
    const n = Math.ceil(readers.length / READERS_PER_STATEMENT);
    const size = Math.ceil(readers.length / n);
    const chunks = Array.from({ length: n }, (_, i) => readers.slice(i * size, (i + 1) * size));
    await Promise.all(
      chunks.map(async (chunk) => {
        // Each subscriber goes on as soon as its own view is read, not when its chunk is.
        const read = new Set<number>();
        reportViewReads.inc(chunk.length);
        try {
          await this.reports.getEach(
            chunk.map((r) => r.p),
            id,
            (i, view, alike) => {
              read.add(i);
              chunk[i].resolve(view, alike);
            },
          );
        } catch {
          await Promise.all(
            chunk.map(async (r, i) => {
              if (read.has(i)) return;
              reportViewReads.inc();
              try {
                r.resolve(await orNull(() => this.reports.get(r.p, id)), false);
              } catch (e) {
                r.reject(e);
              }
            }),
          );
        }
      }),
    );
  }

  /** A list event as this principal may see it now, or null. */
  private async listView(p: AnyPrincipal, e: HubEventRow): Promise<ListEvent | null> {
    const list = await orNull(() => this.lists.get(p, e.list_id!));
    if (!list) return null;
    const values = async () =>
      e.valuesInTable ? await this.valuesOf(e.id) : (e.payload.values as string[] | undefined);
    let added: string[] = [];
    let removed: string[] = [];
    if (e.kind === 'list.entries_added') {
      added =
        (await values()) ??
        (e.batch_id ? await this.lists.batchValues(p, list.id, e.batch_id) : []);
    } else if (e.kind === 'list.entries_removed') {
      removed = (await values()) ?? [];
    }
    const at = this.boundary.time(list.author, e.created_at);
    return { cursor: String(e.id), kind: e.kind, at, list, added, removed };
  }

  /** The values an event carries, left out of the ring (read once per event while shared). */
  private valuesOf(id: number): Promise<string[] | undefined> {
    const key = `${id}|values`;
    const now = Date.now();
    const cached = this.views.get(key);
    if (cached && now - cached.at < VIEW_TTL_MS) return cached.view as Promise<string[]>;
    const read = this.scoped
      .run({ kind: 'system' }, (tx) =>
        tx.query(`SELECT payload->'values' AS v FROM hub_event WHERE id = $1`, [id]),
      )
      .then((rows: { v: string[] | null }[]) => rows[0]?.v ?? undefined);
    this.views.set(key, { at: now, view: read });
    if (this.views.size > 1_000) {
      for (const [k, v] of this.views) if (now - v.at >= VIEW_TTL_MS) this.views.delete(k);
    }
    return read;
  }
}

/** Where a running subscription is in the outbox (the lag metric, shutdown, the stall sweep). */
interface Position {
  socket: WebSocket;
  reader: string;
  cursor: number;
  /** The outbox id of the last event sent, and the same sealed for the reader. */
  delivered: number;
  deliveredCursor: string;
  /** When the event being sent was handed to graphql-ws (performance.now()); 0 when none is. */
  sendingSince: number;
}

/** A reader waiting for an event's report (PushService.reportOf). */
interface PendingRead {
  p: AnyPrincipal;
  /** `alike`: every reader of this one's `alikeKey` would read this very view. */
  resolve: (r: Report | null, alike?: boolean) => void;
  reject: (e: unknown) => void;
}

/** Roughly what a ring entry costs in memory. */
function sizeOf(e: HubEventRow): number {
  return 300 + JSON.stringify(e.payload).length * 2;
}

const NOTHING = Promise.resolve(null);

/** Whether a filter names any criterion (an empty one, or none, lets every event through). */
function hasCriteria(filter: object): boolean {
  return Object.values(filter).some((v) => v != null && (!Array.isArray(v) || v.length > 0));
}

/** Per principal (one per connection), what it shares views by (`shared`): made once, not per event. */
const readers = new WeakMap<AnyPrincipal, string>();

/**
 * What a view read for this principal depends on: a token's organisation, sector and group
 * (never RED); a user's whole identity.
 */
function readerOf(p: AnyPrincipal): string {
  let reader = readers.get(p);
  if (reader === undefined) {
    reader =
      p.kind === 'token'
        ? `t:${p.organisationId}:${p.sectorCode}:${p.groupId ?? ''}`
        : identityOf(p);
    readers.set(p, reader);
  }
  return reader;
}

/** What decides what a principal may see and do; two principals alike in it are the same. */
function identityOf(p: AnyPrincipal): string {
  return p.kind === 'user'
    ? ['user', p.userId, p.sessionId, p.organisationId, p.sectorCode, p.groupId ?? '', p.role].join(
        '|',
      )
    : [
        'token',
        p.tokenId,
        p.organisationId,
        p.sectorCode,
        p.groupId ?? '',
        [...p.scopes].sort().join(','),
      ].join('|');
}

/** What the caller may not see (NOT_FOUND, FORBIDDEN) is no event for it. */
async function orNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof HubError) return null;
    throw e;
  }
}
