import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, OnApplicationShutdown, SetMetadata } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';
import { readTransactions } from '../metrics/metrics';

/**
 * How far a request's reads may lag behind the primary (ADR 0030):
 * - `primary`: every read on the primary (writes, sessions, subscriptions, jobs: the default);
 * - `own-writes`: a replica that has replayed the reader's organisation's last write and lags
 *   less than the bound (GraphQL queries);
 * - `current`: a replica that has replayed everything the primary had when the read began
 *   (feeds and TAXII, whose caches, ETags and pages are keyed by the primary's counters).
 */
export type ReadMode = 'primary' | ReplicaMode;
export type ReplicaMode = 'own-writes' | 'current';

interface ReadRoute {
  mode: ReadMode;
  /** Set once the request wrote (or began to): it reads on the primary from then on. */
  wrote: boolean;
  /** The organisation whose writes this request must see. */
  orgId?: string;
  /** Where an `own-writes` request reads, decided once by its first read. */
  target?: Promise<DataSource>;
}

const routes = new AsyncLocalStorage<ReadRoute>();

/** Runs one HTTP request's handling with its route: on the primary until the handler says. */
export function withReadRoute(next: () => void): void {
  routes.run({ mode: 'primary', wrote: false }, next);
}

/** Lets the current request read from a replica, unless it wrote; a second call only narrows. */
export function allowReplicaReads(mode: ReplicaMode, orgId?: string): void {
  const route = routes.getStore();
  if (!route || route.wrote) return;
  route.mode = route.mode === 'current' ? 'current' : mode;
  route.orgId = orgId;
}

/** The current request writes: every later read of it goes to the primary. */
export function pinToPrimary(): void {
  const route = routes.getStore();
  if (!route) return;
  route.wrote = true;
  route.mode = 'primary';
  route.target = undefined;
}

/** Controllers (or handlers) whose GET answers may be read from a replica, and how fresh. */
export const REPLICA_READS = 'renkei:replica-reads';
export const ReplicaReads = (mode: ReplicaMode) => SetMetadata(REPLICA_READS, mode);

/** How long a read waits for a replica to replay what it must see before using the primary. */
const CATCH_UP_WAIT_MS = 250;
/** A replica that failed is left alone this long, so a dead one costs no time per request. */
const DOWN_FOR_MS = 5000;

interface Replica {
  name: string;
  db: DataSource;
  ready?: Promise<DataSource>;
  downUntil: number;
}

interface ReplicaState {
  reached: boolean | null;
  current: boolean | null;
  paused: boolean;
  lag_ms: number | null;
}

/**
 * The one place that decides which PostgreSQL a read runs on (ADR 0030). Everything starts on
 * the primary; a request that may read from a replica says so (allowReplicaReads), and its
 * reads go to a replica only when that replica has replayed what the reader must see, is not
 * lagging beyond the bound, and answers; otherwise, and whenever a replica read fails for a
 * replica's reason, the read runs on the primary. A reader's own writes are remembered per
 * organisation on the primary (read_floor), so every hub instance honours them.
 */
@Injectable()
export class ReadRouter implements OnApplicationShutdown {
  private readonly log = new Logger('ReadRouter');
  private readonly replicas: Replica[];
  private readonly maxLagMs: number;
  private turn = 0;

  constructor(
    @InjectDataSource() private readonly primary: DataSource,
    @Inject(HUB_CONFIG) config: HubConfig,
  ) {
    this.maxLagMs = config.database.replicas.maxLagMs;
    this.replicas = config.database.replicas.urls.map((url, i) => ({
      name: `replica ${i + 1}`,
      downUntil: 0,
      db: new DataSource({
        ...primary.options,
        url,
        migrations: [],
        applicationName: 'renkei-hub-replica',
        // A replica that does not answer must not hold a request longer than a fallback takes.
        extra: { max: 10, connectionTimeoutMillis: 2000 },
      } as DataSourceOptions),
    }));
  }

  get enabled(): boolean {
    return this.replicas.length > 0;
  }

  /**
   * Runs a read on the database the current request may use, and on the primary if the
   * replica fails it (a replica's outage, a recovery conflict, a statement a standby refuses).
   */
  async read<T>(work: (db: DataSource) => Promise<T>): Promise<T> {
    const route = routes.getStore();
    if (!this.enabled || !route || route.mode === 'primary') return work(this.primary);
    const db =
      route.mode === 'current'
        ? await this.choose('current', route.orgId)
        : await (route.target ??= this.choose('own-writes', route.orgId));
    if (db === this.primary) {
      readTransactions.inc({ target: 'primary' });
      return work(db);
    }
    try {
      const result = await work(db);
      readTransactions.inc({ target: 'replica' });
      return result;
    } catch (e) {
      if (!isReplicaTrouble(e)) throw e;
      const replica = this.replicas.find((r) => r.db === db);
      if (replica && isConnectionTrouble(e)) this.markDown(replica, e);
      this.log.warn(`a replica read failed (${describe(e)}); read again on the primary`);
      route.target = Promise.resolve(this.primary);
      readTransactions.inc({ target: 'primary' });
      return work(this.primary);
    }
  }

  /**
   * Remembers that an organisation wrote, after its write committed and before the writer
   * hears back: the organisation's reads then wait for a replica that replayed this far.
   */
  async recordWrite(orgId: string): Promise<void> {
    if (!this.enabled) return;
    await this.primary.query(
      `INSERT INTO read_floor (organisation_id, lsn) VALUES ($1, pg_current_wal_insert_lsn())
         ON CONFLICT (organisation_id) DO UPDATE SET lsn = GREATEST(read_floor.lsn, excluded.lsn)`,
      [orgId],
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      this.replicas.map((r) => (r.db.isInitialized ? r.db.destroy().catch(() => undefined) : null)),
    );
  }

  private async choose(mode: ReplicaMode, orgId?: string): Promise<DataSource> {
    const now = Date.now();
    const candidates = this.replicas.filter((r) => r.downUntil <= now);
    if (!candidates.length) return this.primary;
    // The flushed position: past every commit acknowledged so far (the hub commits
    // synchronously), and reachable. The insert position is not: a record on a partly filled
    // page (the bgwriter's running-transactions snapshot on an idle server) stays unflushed,
    // so unsent, until the next commit, and a read waiting for it would wait for nothing.
    const [{ head, floor }]: { head: string; floor: string | null }[] = await this.primary.query(
      `SELECT pg_current_wal_flush_lsn()::text AS head,
              (SELECT lsn::text FROM read_floor WHERE organisation_id = $1::uuid) AS floor`,
      [orgId ?? null],
    );
    const need = mode === 'current' ? head : (floor ?? '0/0');
    const start = this.turn++;
    for (let i = 0; i < candidates.length; i++) {
      const replica = candidates[(start + i) % candidates.length];
      try {
        if (await this.caughtUp(replica, need, head)) return replica.db;
      } catch (e) {
        this.markDown(replica, e);
      }
    }
    return this.primary;
  }

  /** Whether the replica shows `need` and is fresh enough, waiting briefly for it to get there. */
  private async caughtUp(replica: Replica, need: string, head: string): Promise<boolean> {
    const db = await this.connect(replica);
    const until = Date.now() + CATCH_UP_WAIT_MS;
    for (;;) {
      const [s]: ReplicaState[] = await db.query(
        `SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS reached,
                pg_last_wal_replay_lsn() >= $2::pg_lsn AS current,
                pg_is_in_recovery() AND pg_is_wal_replay_paused() AS paused,
                (extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000)::float8 AS lag_ms`,
        [need, head],
      );
      if (s.reached === null) {
        throw new Error('the server is not a standby (pg_last_wal_replay_lsn() is null)');
      }
      const fresh = s.current === true || (s.lag_ms !== null && s.lag_ms <= this.maxLagMs);
      if (!fresh) return false;
      if (s.reached) return true;
      if (s.paused || Date.now() >= until) return false;
      await sleep(10);
    }
  }

  private connect(replica: Replica): Promise<DataSource> {
    replica.ready ??= replica.db.initialize().catch((e: unknown) => {
      replica.ready = undefined;
      throw e;
    });
    return replica.ready;
  }

  private markDown(replica: Replica, e: unknown): void {
    if (replica.downUntil <= Date.now()) {
      this.log.warn(
        `${replica.name} is unusable (${describe(e)}); reading from the primary for ${DOWN_FOR_MS / 1000} s`,
      );
    }
    replica.downUntil = Date.now() + DOWN_FOR_MS;
  }
}

function sqlState(e: unknown): string | undefined {
  const err = e as { code?: unknown; driverError?: { code?: unknown } };
  const code = err?.driverError?.code ?? err?.code;
  return typeof code === 'string' ? code : undefined;
}

function isConnectionTrouble(e: unknown): boolean {
  const code = sqlState(e);
  if (code && /^(08|57P|53300|E[A-Z]+)/.test(code)) return true;
  const message = e instanceof Error ? e.message : String(e);
  return /connect|terminat|ECONN|timeout/i.test(message);
}

/**
 * Failures that say nothing about the request: the replica is gone or restarting, it cancelled
 * the read for a recovery conflict (40001), or it refused a write (25006) that a read path
 * made after all. Each is answered by reading on the primary.
 */
function isReplicaTrouble(e: unknown): boolean {
  const code = sqlState(e);
  return code === '25006' || code === '40001' || isConnectionTrouble(e);
}

/** An error's code and message, never a connection string. */
function describe(e: unknown): string {
  const code = sqlState(e);
  const message = (e instanceof Error ? e.message : String(e)).replace(
    /postgres(ql)?:\/\/\S+/g,
    '<url>',
  );
  return code ? `${code}: ${message}` : message;
}
