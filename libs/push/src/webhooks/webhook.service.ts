import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import ipaddr from 'ipaddr.js';
import { Principal, Role, SECRET_BOX, SecretBox, TokenPrincipal } from '@renkei/identity';
import {
  BadInputError,
  DEFAULT_PAGE_SIZE,
  ForbiddenError,
  HUB_CONFIG,
  HubConfig,
  isUuid,
  NotFoundError,
} from '@renkei/platform';
import { ChangeNotifications } from '@renkei/platform';
import { DataSource, QueryRunner } from 'typeorm';
import { alertItem } from '../alerts/alert-message';
import { Language, ListEventFilter, ReportEventFilter } from '../push.models';
import { ListEvent, ReportEvent } from '../push.models';
import { EventIds } from '../event-ids';
import { CursorExpiredError, HubEventRow, PushService } from '../push.service';
import { guardedLookup, isAllowedAddress, RefusedAddressError } from './address-guard';
import { slackBody, teamsBody } from './chat-body';
import { webhookBody } from './webhook-body';
import {
  CreateWebhookInput,
  Webhook,
  WebhookDelivery,
  WebhookFormat,
  WebhookTopic,
} from './webhook.models';

interface EndpointRow {
  id: string;
  org_id: string;
  url: string;
  topic: 'reports' | 'lists';
  format: WebhookFormat;
  language: Language;
  filter: ReportEventFilter & ListEventFilter;
  secret_key_id: string;
  secret_sealed: Buffer;
  status: 'active' | 'paused';
  paused_reason: string | null;
  cursor: string;
  attempts: number;
  next_attempt_at: Date;
  failing_since: Date | null;
  created_at: Date;
  sector_code: string;
  group_id: string | null;
}

const TIMEOUT_MS = 10_000;
const HOUR_MS = 3_600_000;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Webhooks (ADR 0010): an organisation admin registers an HTTPS endpoint; every event its
 * organisation may see (as a token would: never RED), matching its filter, is POSTed as JSON,
 * signed with HMAC-SHA256 over `<timestamp>.<body>` (header `X-Renkei-Signature: t=…,v1=…`),
 * in event order, one at a time. A failure is retried with doubling delays (1 s up to
 * WEBHOOK_BACKOFF_MAX_SECONDS) from the same event, so delivery is at least once and in order;
 * receivers de-duplicate on `X-Renkei-Event-Id`. An endpoint failing for WEBHOOK_GIVE_UP_SECONDS
 * is paused until an admin resumes it. The endpoint row is locked while delivering, so with
 * several hub instances each event goes out once; WEBHOOK_WORKERS deliveries run at once per
 * instance, one per endpoint, so a slow receiver holds back only itself. Connections go only to
 * public addresses, checked on the addresses each connection resolves to (address-guard.ts).
 */
@Injectable()
export class WebhookService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('WebhookService');
  private timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<void>>();
  private stopped = false;
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true }),
  };
  /** Loopback receivers only outside production (local development and tests). */
  private readonly lookup;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly push: PushService,
    private readonly changes: ChangeNotifications,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly ids: EventIds,
  ) {
    this.lookup = guardedLookup(config.env !== 'production');
  }

  onApplicationBootstrap(): void {
    this.timers.push(setInterval(() => this.tick(), 1000).unref());
    this.timers.push(setInterval(() => void this.purge(), HOUR_MS).unref());
    this.changes.on('renkei_event', () => setTimeout(() => this.tick(), 50));
    void this.purge();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.timers.forEach(clearInterval);
    await Promise.all(this.running);
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }

  /** Delivery attempts are kept as long as the events they were about (EVENT_RETENTION_DAYS). */
  async purge(): Promise<void> {
    try {
      await this.db.query(
        `DELETE FROM webhook_delivery WHERE at < now() - make_interval(days => $1)`,
        [this.config.events.retentionDays],
      );
    } catch (e) {
      this.log.warn(`could not delete old webhook deliveries: ${(e as Error).message}`);
    }
  }

  // --- management (organisation admins) ------------------------------------------------------

  async create(
    p: Principal,
    input: CreateWebhookInput,
  ): Promise<{ webhook: Webhook; secret: string }> {
    this.assertAdmin(p);
    this.checkUrl(input.url);
    const id = randomUUID();
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const sealed = this.box.seal(secret, id);
    const filter =
      input.topic === WebhookTopic.REPORTS ? (input.reportFilter ?? {}) : (input.listFilter ?? {});
    await this.db.query(
      `INSERT INTO webhook_endpoint (id, org_id, url, topic, filter, secret_key_id, secret_sealed, cursor, created_by, format, language)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        id,
        p.organisationId,
        input.url,
        input.topic,
        JSON.stringify(filter),
        sealed.keyId,
        sealed.sealed,
        this.push.head,
        p.userId,
        input.format ?? WebhookFormat.GENERIC,
        input.language ?? Language.EN,
      ],
    );
    return { webhook: await this.get(p, id), secret };
  }

  async list(p: Principal): Promise<Webhook[]> {
    this.assertAdmin(p);
    const rows: EndpointRow[] = await this.db.query(
      `SELECT * FROM webhook_endpoint WHERE org_id = $1 ORDER BY created_at, id`,
      [p.organisationId],
    );
    return rows.map(view);
  }

  async get(p: Principal, id: string): Promise<Webhook> {
    return view(await this.own(p, id));
  }

  async deliveries(
    p: Principal,
    id: string,
    first = DEFAULT_PAGE_SIZE,
  ): Promise<WebhookDelivery[]> {
    await this.own(p, id);
    const rows: (WebhookDelivery & { eventId: string })[] = await this.db.query(
      `SELECT event_id::text AS "eventId", attempt, status_code AS "statusCode", error,
              duration_ms AS "durationMs", at
         FROM webhook_delivery WHERE endpoint_id = $1 ORDER BY id DESC LIMIT $2`,
      [id, Math.min(first, 500)],
    );
    // The id the receiver got in X-Renkei-Event-Id, sealed for this endpoint (ADR 0018).
    const reader = EventIds.forWebhook(id);
    for (const r of rows) r.eventId = await this.ids.seal(Number(r.eventId), reader);
    return rows;
  }

  /**
   * Back to active from where it stopped; from the oldest event still kept when the ones after
   * its cursor were deleted meanwhile (its pausedReason said so).
   */
  async resume(p: Principal, id: string): Promise<Webhook> {
    await this.own(p, id);
    await this.db.query(
      `UPDATE webhook_endpoint SET status = 'active', paused_reason = NULL, attempts = 0,
         failing_since = NULL, next_attempt_at = now(), cursor = greatest(cursor, $2) WHERE id = $1`,
      [id, await this.push.horizon()],
    );
    return this.get(p, id);
  }

  async remove(p: Principal, id: string): Promise<boolean> {
    await this.own(p, id);
    await this.db.query('DELETE FROM webhook_endpoint WHERE id = $1', [id]);
    return true;
  }

  private assertAdmin(p: Principal): void {
    if (p.role !== Role.ORG_ADMIN && p.role !== Role.HUB_ADMIN) {
      throw new ForbiddenError('Only organisation admins manage webhooks');
    }
  }

  private async own(p: Principal, id: string): Promise<EndpointRow> {
    this.assertAdmin(p);
    const rows: EndpointRow[] = isUuid(id)
      ? await this.db.query('SELECT * FROM webhook_endpoint WHERE id = $1 AND org_id = $2', [
          id,
          p.organisationId,
        ])
      : [];
    if (!rows[0]) throw new NotFoundError('Webhook');
    return rows[0];
  }

  /** HTTPS only; plain HTTP to this machine in development (for local receivers and tests). */
  private checkUrl(url: string): void {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new BadInputError([{ path: 'input.url', message: 'is not a URL' }]);
    }
    const local = LOCAL_HOSTS.has(parsed.hostname);
    const ok =
      parsed.protocol === 'https:' ||
      (parsed.protocol === 'http:' && local && this.config.env !== 'production');
    if (!ok) {
      throw new BadInputError([
        {
          path: 'input.url',
          message: 'must be https (http only to localhost, outside production)',
        },
      ]);
    }
    // A literal internal address is refused here already, for a clear answer at once; names
    // are resolved and checked at every connection (address-guard.ts), as they may change.
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    if (
      (this.config.env === 'production' && local) ||
      (ipaddr.isValid(host) && !isAllowedAddress(host, this.config.env !== 'production'))
    ) {
      throw new BadInputError([
        { path: 'input.url', message: 'must not point to an internal address' },
      ]);
    }
    if (parsed.username || parsed.password) {
      throw new BadInputError([{ path: 'input.url', message: 'must not carry credentials' }]);
    }
  }

  // --- delivery ------------------------------------------------------------------------------

  /**
   * Starts a delivery worker unless WEBHOOK_WORKERS already run. A worker that claims an
   * endpoint starts the next one, so workers are added only while there is work for them.
   */
  tick(): void {
    if (this.stopped || this.running.size >= this.config.webhooks.workers) return;
    const worker = this.work().finally(() => this.running.delete(worker));
    this.running.add(worker);
  }

  private async work(): Promise<void> {
    try {
      while (!this.stopped && (await this.deliverNext(() => this.tick()))) {
        // next endpoint or event
      }
    } catch (e) {
      this.log.warn(`webhook delivery stopped: ${(e as Error).message}`);
    }
  }

  /** Claims one due endpoint (skipping those another worker holds) and sends it one event. */
  private async deliverNext(claimed: () => void): Promise<boolean> {
    const qr = this.db.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      const [ep]: EndpointRow[] = await qr.query(
        `SELECT w.*, o.sector_code, o.group_id FROM webhook_endpoint w
           JOIN organisation o ON o.id = w.org_id AND o.status = 'active'
          WHERE w.status = 'active' AND w.next_attempt_at <= now() AND w.cursor < $1
          ORDER BY w.next_attempt_at LIMIT 1 FOR UPDATE OF w SKIP LOCKED`,
        [this.push.head],
      );
      if (!ep) {
        await qr.commitTransaction();
        return false;
      }
      claimed();
      await this.deliver(qr, ep);
      await qr.commitTransaction();
      return true;
    } catch (e) {
      if (qr.isTransactionActive) await qr.rollbackTransaction();
      throw e;
    } finally {
      await qr.release();
    }
  }

  private async deliver(qr: QueryRunner, ep: EndpointRow): Promise<void> {
    const principal: TokenPrincipal = {
      kind: 'token',
      tokenId: ep.id,
      organisationId: ep.org_id,
      sectorCode: ep.sector_code,
      groupId: ep.group_id,
      scopes: [],
    };
    let cursor = Number(ep.cursor);
    let event: HubEventRow | undefined;
    let data: ReportEvent | ListEvent | null = null;
    // The next event this endpoint may see and wants; those it may not are passed over.
    try {
      while (!event) {
        const batch = await this.push.after(cursor, 100);
        if (!batch.length) break;
        for (const e of batch) {
          data =
            ep.topic === 'reports'
              ? await this.push.reportFor(principal, e, ep.filter)
              : await this.push.listFor(principal, e, ep.filter);
          if (data) {
            event = e;
            break;
          }
          cursor = e.id;
        }
      }
    } catch (e) {
      if (!(e instanceof CursorExpiredError)) throw e;
      // Paused for so long that events after its cursor were deleted: say so rather than skip
      // them; resumeWebhook continues from the oldest event kept.
      await qr.query(
        `UPDATE webhook_endpoint SET status = 'paused', paused_reason = $2 WHERE id = $1`,
        [
          ep.id,
          'CURSOR_EXPIRED: events after its cursor were deleted (older than EVENT_RETENTION_DAYS); resync, then resume to continue from the oldest event kept',
        ],
      );
      return;
    }
    if (!event || !data) {
      await qr.query('UPDATE webhook_endpoint SET cursor = $2 WHERE id = $1', [ep.id, cursor]);
      return;
    }
    const secret = this.box.open({ keyId: ep.secret_key_id, sealed: ep.secret_sealed }, ep.id);
    const eventId = await this.ids.seal(event.id, EventIds.forWebhook(ep.id));
    const body = this.bodyOf(ep, eventId, data);
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
    const started = Date.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      status = await this.post(ep.url, body, {
        'content-type': 'application/json',
        'user-agent': 'renkei-webhooks',
        'x-renkei-event-id': eventId,
        'x-renkei-event-kind': event.kind,
        'x-renkei-signature': `t=${timestamp},v1=${signature}`,
      });
      if (status < 200 || status > 299) error = `HTTP ${status}`;
    } catch (e) {
      error =
        (e as Error).name === 'AbortError'
          ? `no answer within ${TIMEOUT_MS / 1000} s`
          : (e as Error).message;
    }
    const duration = Date.now() - started;
    await qr.query(
      `INSERT INTO webhook_delivery (endpoint_id, event_id, attempt, status_code, error, duration_ms)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [ep.id, event.id, ep.attempts + 1, status, error?.slice(0, 500) ?? null, duration],
    );
    if (!error) {
      await qr.query(
        `UPDATE webhook_endpoint SET cursor = $2, attempts = 0, failing_since = NULL, next_attempt_at = now()
          WHERE id = $1`,
        [ep.id, event.id],
      );
      return;
    }
    const backoff = Math.min(2 ** ep.attempts, this.config.webhooks.backoffMaxSeconds);
    await qr.query(
      `UPDATE webhook_endpoint SET cursor = $2, attempts = attempts + 1,
         failing_since = coalesce(failing_since, now()),
         next_attempt_at = now() + make_interval(secs => $3),
         status = CASE WHEN coalesce(failing_since, now()) < now() - make_interval(secs => $4) THEN 'paused' ELSE status END,
         paused_reason = CASE WHEN coalesce(failing_since, now()) < now() - make_interval(secs => $4)
           THEN 'failing since ' || to_char(coalesce(failing_since, now()), 'YYYY-MM-DD HH24:MI:SS TZ') || ': ' || $5 ELSE NULL END
        WHERE id = $1`,
      [ep.id, event.id - 1, backoff, this.config.webhooks.giveUpSeconds, error],
    );
  }

  /** Chat formats go through the same AlertItem as e-mail, so the same TLP rule holds. */
  private bodyOf(ep: EndpointRow, id: string, data: ReportEvent | ListEvent): string {
    if (ep.format === WebhookFormat.GENERIC) return webhookBody(id, data);
    const item = alertItem(
      data,
      ep.language,
      this.config.alerts.publicUrl,
      this.config.alerts.timeZone,
    );
    return ep.format === WebhookFormat.SLACK ? slackBody(item) : teamsBody(item);
  }

  /**
   * POSTs the body and resolves with the status; redirects are not followed. Host names are
   * resolved through the address guard on every new connection; a literal address (never
   * resolved) is checked here.
   */
  private post(url: string, body: string, headers: Record<string, string>): Promise<number> {
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (ipaddr.isValid(host) && !isAllowedAddress(host, this.config.env !== 'production')) {
      return Promise.reject(new RefusedAddressError(`refused: ${host} is not a public address`));
    }
    const client = target.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.request(
        target,
        {
          method: 'POST',
          agent: this.agents[target.protocol as 'http:' | 'https:'],
          lookup: this.lookup,
          signal: AbortSignal.timeout(TIMEOUT_MS),
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume(); // the answer's body is not read, only drained
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}

function view(r: EndpointRow): Webhook {
  return {
    id: r.id,
    url: r.url,
    topic: r.topic as WebhookTopic,
    format: r.format,
    language: r.language,
    status: r.status,
    pausedReason: r.paused_reason,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    failingSince: r.failing_since,
    createdAt: r.created_at,
  };
}
