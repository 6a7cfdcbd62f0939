import { EventEmitter } from 'node:events';
import {
  Global,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

/** Channels the hub's triggers notify on (see the indicators migration). */
export const CHANNELS = ['renkei_feed', 'renkei_auth', 'renkei_event'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * PostgreSQL LISTEN/NOTIFY on one dedicated connection (not from the pool): how every hub
 * instance learns, right after a commit anywhere, that something changed. Notifications are a
 * wake-up, never the only record: a listener that drops its connection marks itself unhealthy
 * (callers then read the database), reconnects with backoff and emits `reconnected`, after which
 * callers resynchronise from the tables.
 *
 * In-process changes are announced with `changedHere(channel)` as well, so this process never
 * waits for its own notification to come back round.
 */
@Injectable()
export class ChangeNotifications
  extends EventEmitter
  implements OnApplicationBootstrap, OnModuleDestroy
{
  private readonly log = new Logger('ChangeNotifications');
  private client: Client | null = null;
  private stopped = false;
  private retryMs = 250;
  private readonly dead = new WeakSet<Client>();
  /** True while LISTEN is active: what arrived can be trusted to be complete from then on. */
  healthy = false;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
    this.setMaxListeners(50);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  changedHere(channel: Channel, payload = ''): void {
    this.emit(channel, payload);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const url = (this.db.options as { url?: string }).url;
    const client = new Client({ connectionString: url, application_name: 'renkei-listen' });
    client.on('notification', (n) => this.emit(n.channel, n.payload ?? ''));
    client.on('error', (e) => this.lost(client, e));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      for (const channel of CHANNELS) await client.query(`LISTEN ${channel}`);
      this.client = client;
      this.healthy = true;
      this.retryMs = 250;
      this.emit('reconnected');
    } catch (e) {
      this.lost(client, e as Error);
    }
  }

  private lost(client: Client, e: Error): void {
    if (this.dead.has(client)) return; // 'error' and 'end' both report one loss
    this.dead.add(client);
    this.client = null;
    if (this.healthy) this.log.warn(`change notifications lost (${e.message}); reconnecting`);
    this.healthy = false;
    this.emit('lost');
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    if (this.stopped) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 10_000);
    setTimeout(() => void this.connect(), wait).unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.healthy = false;
    const client = this.client;
    this.client = null;
    if (client) {
      this.dead.add(client);
      await client.end().catch(() => undefined);
    }
  }
}

/** One listener for the whole hub, whichever module asks for it. */
@Global()
@Module({
  providers: [ChangeNotifications],
  exports: [ChangeNotifications],
})
export class NotificationsModule {}
