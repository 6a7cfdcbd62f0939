import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { AnyPrincipal, ApiTokenService, SessionService } from '@renkei/identity';
import { ListService } from '@renkei/indicators';
import { BadInputError, HUB_CONFIG, HubConfig, HubError } from '@renkei/platform';
import { ReportService } from '@renkei/reports';
import { ChangeNotifications, ScopedDatabase } from '@renkei/sharing';
import type { WebSocket } from 'ws';
import { ListEvent, ListEventFilter, ReportEvent, ReportEventFilter } from './push.models';

export interface HubEventRow {
  id: number;
  kind: string;
  org_id: string;
  report_id: string | null;
  list_id: string | null;
  batch_id: number | null;
  payload: Record<string, unknown>;
  created_at: Date;
}

/** What a graphql-ws connection carries from connection_init (see graphql-options.ts). */
export interface PushConnection {
  socket: WebSocket;
  principal: AnyPrincipal;
  credential: string;
  address?: string;
}

const RING_SIZE = 20_000;
const VIEW_TTL_MS = 2_000;
const POLL_MS = 2_000;
const RECHECK_MS = 30_000;
export const CLOSE_REVOKED = 4403;
export const CLOSE_SLOW = 4429;

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
  /** The highest event id loaded: where a subscription without `after` starts. */
  head = 0;
  private loading: Promise<void> | null = null;
  private waiters = new Set<() => void>();
  private readonly connections = new Map<WebSocket, PushConnection>();
  private readonly views = new Map<string, { at: number; view: Promise<unknown> }>();
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly scoped: ScopedDatabase,
    private readonly changes: ChangeNotifications,
    private readonly reports: ReportService,
    private readonly lists: ListService,
    private readonly sessions: SessionService,
    private readonly tokens: ApiTokenService,
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
    this.timers.push(setInterval(() => void this.recheck(), RECHECK_MS).unref());
  }

  onModuleDestroy(): void {
    this.timers.forEach(clearInterval);
    this.wakeAll();
  }

  // --- connections ---------------------------------------------------------------------------

  track(c: PushConnection): void {
    if (this.connections.has(c.socket)) return;
    this.connections.set(c.socket, c);
    c.socket.once('close', () => this.connections.delete(c.socket));
  }

  /**
   * Sessions and tokens are checked again whenever credentials may have changed anywhere
   * (revocation, suspension: PostgreSQL notifies) and every 30 s (expiry); a socket whose
   * credential no longer holds is closed at once.
   */
  async recheck(): Promise<void> {
    for (const c of [...this.connections.values()]) {
      const p =
        c.principal.kind === 'user'
          ? await this.sessions.authenticate(c.credential, { touch: false })
          : await this.tokens.authenticate(c.credential, c.address);
      // Still valid is not enough: a user moved to another organisation, an organisation that
      // left a sector or group, a role or scopes narrowed — the socket would go on seeing with
      // what it had. Anything different closes it; the client reconnects as what it is now.
      if (!p || (p.kind === 'user' && p.aal < 2) || identityOf(p) !== identityOf(c.principal)) {
        this.connections.delete(c.socket);
        c.socket.close(CLOSE_REVOKED, 'Forbidden: the session or token was revoked or expired');
      }
    }
  }

  // --- events --------------------------------------------------------------------------------

  private async latestId(): Promise<number> {
    const [row] = await this.scoped.run({ kind: 'system' }, (tx) =>
      tx.query('SELECT coalesce(max(id), 0)::int AS id FROM hub_event'),
    );
    return row.id;
  }

  /** Loads events committed since the last load (one load at a time), then wakes subscribers. */
  load(): Promise<void> {
    this.loading ??= (async () => {
      try {
        if (this.head < 0) this.head = await this.latestId();
        for (;;) {
          const rows = await this.fromTable(this.head, 1000);
          if (!rows.length) break;
          this.ring.push(...rows);
          this.head = rows[rows.length - 1].id;
          if (this.ring.length > RING_SIZE) this.ring = this.ring.slice(-RING_SIZE);
        }
      } catch (e) {
        this.log.warn(`could not load events: ${(e as Error).message}`);
      } finally {
        this.loading = null;
        this.wakeAll();
      }
    })();
    return this.loading;
  }

  private wakeAll(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    waiters.forEach((w) => w());
  }

  private fromTable(after: number, limit: number): Promise<HubEventRow[]> {
    return this.scoped.run({ kind: 'system' }, async (tx) => {
      const rows: HubEventRow[] = await tx.query(
        `SELECT id::int, kind, org_id, report_id, list_id, batch_id, payload, created_at
           FROM hub_event WHERE id > $1 ORDER BY id LIMIT $2`,
        [after, limit],
      );
      return rows;
    });
  }

  /** Events after a cursor: from the ring when it reaches back that far, else the table. */
  async after(cursor: number, limit: number): Promise<HubEventRow[]> {
    if (cursor >= this.head) return [];
    if (this.ring.length && cursor >= this.ring[0].id - 1) {
      let lo = 0;
      let hi = this.ring.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.ring[mid].id <= cursor) lo = mid + 1;
        else hi = mid;
      }
      return this.ring.slice(lo, lo + limit);
    }
    return (await this.fromTable(cursor, limit)).filter((e) => e.id <= this.head);
  }

  private waitForMore(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, POLL_MS);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.add(done);
    });
  }

  /**
   * The events after `after` (or from now), each turned into what this subscriber may see, or
   * skipped. Ends when the socket closes; a subscriber that does not read is let go.
   */
  private async *stream<T>(
    c: PushConnection,
    after: string | undefined,
    view: (e: HubEventRow) => Promise<T | null>,
  ): AsyncGenerator<T> {
    if (after !== undefined && !/^\d{1,15}$/.test(after)) {
      throw new BadInputError([{ path: 'after', message: 'is not a cursor this hub issued' }]);
    }
    let cursor = after === undefined ? this.head : Number(after);
    let delivered = cursor;
    while (c.socket.readyState === c.socket.OPEN) {
      const batch = await this.after(cursor, 100);
      if (!batch.length) {
        await this.waitForMore();
        continue;
      }
      for (const e of batch) {
        cursor = e.id;
        const item = await view(e);
        if (!item) continue;
        // graphql-ws sends one event at a time and waits until the socket took it, so what a
        // subscriber has not read stays in the outbox, not in memory. One that leaves an event
        // unread for SUBSCRIPTION_STALL_SECONDS is let go, and resumes from its cursor.
        const watchdog = setTimeout(
          () =>
            c.socket.close(
              CLOSE_SLOW,
              `Slow consumer: subscribe again with after: "${delivered}" (your last cursor) to resume`,
            ),
          this.config.events.stallSeconds * 1000,
        );
        try {
          yield item;
        } finally {
          clearTimeout(watchdog);
        }
        delivered = e.id;
      }
    }
  }

  reportEvents(c: PushConnection, after?: string, filter: ReportEventFilter = {}) {
    return this.stream<ReportEvent>(c, after, (e) =>
      this.shared(e, c.principal, 'report', () => this.reportView(c.principal, e)).then((v) =>
        v && matchesReport(v, filter) ? v : null,
      ),
    );
  }

  listEvents(c: PushConnection, after?: string, filter: ListEventFilter = {}) {
    return this.stream<ListEvent>(c, after, (e) =>
      this.shared(e, c.principal, 'list', () => this.listView(c.principal, e)).then((v) =>
        v && matchesList(v, filter) ? v : null,
      ),
    );
  }

  /**
   * One read per event and kind of reader, not per subscriber: what a token sees depends only
   * on its organisation, sector and group (never RED); a user's view is its own (RED names
   * people). A thousand subscribers of fifty organisations cost fifty reads per event.
   */
  private shared<T>(
    e: HubEventRow,
    p: AnyPrincipal,
    topic: string,
    read: () => Promise<T | null>,
  ): Promise<T | null> {
    const reader =
      p.kind === 'token'
        ? `t:${p.organisationId}:${p.sectorCode}:${p.groupId ?? ''}`
        : `u:${p.userId}`;
    const key = `${e.id}|${topic}|${reader}`;
    const now = Date.now();
    const cached = this.views.get(key);
    // Shared only briefly: a subscriber resuming later is shown the item as it is then (a
    // marking raised since, an audience narrowed), not as it was.
    if (cached && now - cached.at < VIEW_TTL_MS) return cached.view as Promise<T | null>;
    const view = read();
    this.views.set(key, { at: now, view });
    if (this.views.size > 10_000) {
      for (const [k, v] of this.views) if (now - v.at >= VIEW_TTL_MS) this.views.delete(k);
    }
    return view;
  }

  /** A report event as this principal may see it now, or null (invisible, filtered out). */
  async reportView(
    p: AnyPrincipal,
    e: HubEventRow,
    filter: ReportEventFilter = {},
  ): Promise<ReportEvent | null> {
    if (!e.report_id || !e.kind.startsWith('report.')) return null;
    const report = await orNull(() => this.reports.get(p, e.report_id!));
    if (!report) return null;
    if (filter.kinds?.length && !filter.kinds.includes(report.kind)) return null;
    if (filter.markings?.length && !filter.markings.includes(report.tlp)) return null;
    if (
      filter.categories?.length &&
      !report.categories.some((x) => filter.categories!.includes(x))
    ) {
      return null;
    }
    if (
      filter.sectors?.length &&
      !report.affectedSectors.some((x) => filter.sectors!.includes(x))
    ) {
      return null;
    }
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
    const at = this.reports.roundFor(p.organisationId, e.org_id, e.created_at);
    return { cursor: String(e.id), kind: e.kind, at, report, comment, sighting };
  }

  /** A list event as this principal may see it now, or null. */
  async listView(
    p: AnyPrincipal,
    e: HubEventRow,
    filter: ListEventFilter = {},
  ): Promise<ListEvent | null> {
    if (!e.list_id || !e.kind.startsWith('list.')) return null;
    if (filter.listIds?.length && !filter.listIds.includes(e.list_id)) return null;
    const list = await orNull(() => this.lists.get(p, e.list_id!));
    if (!list) return null;
    if (filter.markings?.length && !filter.markings.includes(list.tlp)) return null;
    const added =
      e.kind !== 'list.entries_added'
        ? []
        : Array.isArray(e.payload.values)
          ? (e.payload.values as string[])
          : e.batch_id
            ? await this.lists.batchValues(p, list.id, e.batch_id)
            : [];
    const removed =
      e.kind === 'list.entries_removed' ? ((e.payload.values as string[] | undefined) ?? []) : [];
    const at = this.reports.roundFor(p.organisationId, e.org_id, e.created_at);
    return { cursor: String(e.id), kind: e.kind, at, list, added, removed };
  }
}

function matchesReport(v: ReportEvent, filter: ReportEventFilter): boolean {
  const r = v.report;
  return (
    (!filter.kinds?.length || filter.kinds.includes(r.kind)) &&
    (!filter.markings?.length || filter.markings.includes(r.tlp)) &&
    (!filter.categories?.length || r.categories.some((x) => filter.categories!.includes(x))) &&
    (!filter.sectors?.length || r.affectedSectors.some((x) => filter.sectors!.includes(x)))
  );
}

function matchesList(v: ListEvent, filter: ListEventFilter): boolean {
  return (
    (!filter.listIds?.length || filter.listIds.includes(v.list.id)) &&
    (!filter.markings?.length || filter.markings.includes(v.list.tlp))
  );
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
