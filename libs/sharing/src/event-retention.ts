import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { HUB_CONFIG, HubConfig } from '@renkei/platform';
import { ScopedDatabase } from './scoped-database';

const HOUR_MS = 3_600_000;

/**
 * Deletes outbox events older than EVENT_RETENTION_DAYS, at start and hourly. Subscribers can
 * resume and webhooks retry within that window; beyond it a client starts afresh. What goes is
 * a prefix of the ids (everything up to the newest old event), and that id is recorded in
 * `hub_event_horizon`, so push can tell a cursor that still resumes without a gap from one
 * whose events are gone (CURSOR_EXPIRED, ADR 0010) — id gaps of rolled-back writers look alike
 * otherwise.
 */
@Injectable()
export class EventRetention implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('EventRetention');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly scoped: ScopedDatabase,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.purge();
    this.timer = setInterval(() => void this.purge(), HOUR_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async purge(): Promise<number> {
    try {
      const [{ deleted }]: { deleted: number }[] = await this.scoped.run({ kind: 'system' }, (tx) =>
        tx.query(
          `WITH cut AS (
               SELECT max(id) AS id FROM hub_event
                WHERE created_at < now() - make_interval(days => $1)
             ), gone AS (
               DELETE FROM hub_event WHERE id <= (SELECT id FROM cut) RETURNING id
             ), horizon AS (
               INSERT INTO hub_event_horizon (id, purged_through)
               SELECT 1, max(id) FROM gone HAVING count(*) > 0
               ON CONFLICT (id) DO UPDATE
                 SET purged_through = greatest(hub_event_horizon.purged_through, excluded.purged_through),
                     purged_at = now()
             )
             SELECT count(*)::int AS deleted FROM gone`,
          [this.config.events.retentionDays],
        ),
      );
      if (deleted)
        this.log.log(
          `deleted ${deleted} events older than ${this.config.events.retentionDays} days`,
        );
      return deleted;
    } catch (e) {
      this.log.warn(`could not delete old events: ${(e as Error).message}`);
      return 0;
    }
  }
}
