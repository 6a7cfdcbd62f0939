import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EntryRetention } from '@renkei/indicators';
import { HUB_CONFIG, HubConfig } from '@renkei/platform';
import { DataSource } from 'typeorm';

const HOUR_MS = 3_600_000;

interface Rule {
  /** What goes, for the log. */
  what: string;
  /** A DELETE taking the retention in days as $1. */
  sql: string;
  days: (config: HubConfig) => number;
}

/**
 * Records of finished things that nothing reads once they are old: without this they grow for
 * as long as the hub runs. One list, so a new table of the kind joins it here rather than
 * growing a timer of its own. (The event outbox has its own purge: its horizon is part of the
 * push protocol, ADR 0010.) List entries are purged in batches by EntryRetention (ADR 0020).
 */
export const RETENTION_RULES: Rule[] = [
  {
    what: 'expired or revoked sessions',
    sql: `DELETE FROM session
           WHERE expires_at < now() - make_interval(days => $1)
              OR revoked_at < now() - make_interval(days => $1)`,
    days: (c) => c.retention.sessionDays,
  },
  {
    what: 'used or expired password-reset tickets',
    sql: `DELETE FROM password_reset
           WHERE expires_at < now() - make_interval(days => $1)
              OR used_at < now() - make_interval(days => $1)`,
    days: (c) => c.retention.sessionDays,
  },
  {
    what: 'brute-force counters of keys long quiet and not locked',
    sql: `DELETE FROM auth_throttle
           WHERE last_failure_at < now() - make_interval(days => $1)
             AND (locked_until IS NULL OR locked_until < now())`,
    days: (c) => c.retention.sessionDays,
  },
  {
    what: 'hourly feed-pull records',
    sql: `DELETE FROM feed_pull WHERE hour < now() - make_interval(days => $1)`,
    days: (c) => c.retention.feedPullDays,
  },
];

/**
 * Applies RETENTION_RULES at start and hourly; a failure is logged and tried again next hour.
 * Never awaited at start: walking ten million list entries takes minutes (bench/scale, ADR
 * 0033), and an instance that waited for it would not listen meanwhile. One run at a time.
 */
@Injectable()
export class Housekeeping implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Housekeeping');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly entryRetention: EntryRetention,
  ) {}

  onApplicationBootstrap(): void {
    this.runInBackground();
    this.timer = setInterval(() => this.runInBackground(), HOUR_MS).unref();
  }

  private runInBackground(): void {
    if (this.running) return;
    this.running = this.run().finally(() => (this.running = undefined));
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async run(): Promise<Record<string, number>> {
    const deleted: Record<string, number> = {};
    for (const rule of RETENTION_RULES) {
      try {
        const days = rule.days(this.config);
        const [, count] = (await this.db.query(rule.sql, [days])) as [unknown, number];
        deleted[rule.what] = count;
        if (count) this.log.log(`deleted ${count} ${rule.what} older than ${days} days`);
      } catch (e) {
        this.log.warn(`could not delete ${rule.what}: ${(e as Error).message}`);
      }
    }
    // List entries go in batches of their own (a sector's lists hold millions of rows), under
    // the row-level security of the system principal: see EntryRetention.
    const days = this.config.retention.listEntryDays;
    try {
      const { entries, tombstones } = await this.entryRetention.purge(days);
      deleted['expired list entries'] = entries;
      deleted['tombstones of removed list entries'] = tombstones;
      if (entries || tombstones) {
        this.log.log(
          `deleted ${entries} list entries and ${tombstones} tombstones expired more than ${days} days ago`,
        );
      }
    } catch (e) {
      this.log.warn(`could not delete expired list entries: ${(e as Error).message}`);
    }
    return deleted;
  }
}
