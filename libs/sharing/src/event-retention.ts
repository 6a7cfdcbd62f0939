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
 * resume and webhooks retry within that window; beyond it a client starts afresh.
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
      const [, deleted]: [unknown, number] = await this.scoped.run({ kind: 'system' }, (tx) =>
        tx.query(`DELETE FROM hub_event WHERE created_at < now() - make_interval(days => $1)`, [
          this.config.events.retentionDays,
        ]),
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
