import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  graphqlOperations,
  HubConfig,
  httpDuration,
  httpRequests,
  metricsRegistry,
  routeClass,
  startDefaultMetrics,
} from '@renkei/platform';
import { PushService } from '@renkei/push';
import { ScopedDatabase } from '@renkei/sharing';
import { Gauge } from 'prom-client';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';

/** Every answer, the feed fast path's included (it runs before Express), by route class. */
export function countRequests(server: Server): void {
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = routeClass(req.url);
      httpRequests.inc({ route, method: req.method ?? 'OTHER', status: String(res.statusCode) });
      httpDuration.observe({ route }, Number(process.hrtime.bigint() - started) / 1e9);
    });
  });
}

/** Operations by type and root field (bounded by the schema; operation names are the caller's). */
export function graphqlMetricsPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      let type = 'unknown';
      let fields: string[] = [];
      return {
        async didResolveOperation(ctx) {
          if (!ctx.operation) return;
          type = ctx.operation.operation;
          fields = ctx.operation.selectionSet.selections.flatMap((s) =>
            s.kind === 'Field' ? [s.name.value] : [],
          );
        },
        async willSendResponse(ctx) {
          const body = ctx.response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : undefined;
          const outcome = errors?.length ? String(errors[0].extensions?.code ?? 'ERROR') : 'ok';
          if (!fields.length) graphqlOperations.inc({ type, field: '-', outcome });
          for (const field of fields) graphqlOperations.inc({ type, field, outcome });
        },
      };
    },
  };
}

/**
 * Gauges read when Prometheus scrapes: the database pool, push subscriptions and how far the
 * slowest lags behind the outbox, webhooks paused or failing and how far the slowest lags.
 */
export function registerScrapeGauges(app: INestApplication): void {
  const dataSource = app.get<DataSource>(getDataSourceToken());
  const scoped = app.get(ScopedDatabase);
  const push = app.get(PushService);
  const pool = () =>
    (
      dataSource.driver as unknown as {
        master?: { totalCount: number; idleCount: number; waitingCount: number };
      }
    ).master;

  new Gauge({
    name: 'renkei_db_pool_connections',
    help: 'Database pool connections by state (busy, idle) and requests waiting for one',
    labelNames: ['state'] as const,
    registers: [metricsRegistry],
    collect() {
      const p = pool();
      if (!p) return;
      this.set({ state: 'busy' }, p.totalCount - p.idleCount);
      this.set({ state: 'idle' }, p.idleCount);
      this.set({ state: 'waiting' }, p.waitingCount);
    },
  });
  new Gauge({
    name: 'renkei_push_open',
    help: 'Open graphql-ws sockets and running subscriptions on this instance',
    labelNames: ['what'] as const,
    registers: [metricsRegistry],
    collect() {
      const s = push.stats();
      this.set({ what: 'sockets' }, s.connections);
      this.set({ what: 'subscriptions' }, s.subscriptions);
    },
  });

  // The outbox under the system principal (its rows are policy-scoped); webhooks are the
  // delivery service's own table, read as it reads them.
  const outbox = async () => {
    const [{ newest }] = await scoped.run({ kind: 'system' }, (tx) =>
      tx.query(`SELECT coalesce(max(id), 0)::float8 AS newest FROM hub_event`),
    );
    const [webhooks] = await dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'paused')::int AS paused,
              count(*) FILTER (WHERE status = 'active' AND failing_since IS NOT NULL)::int AS failing,
              min(cursor) FILTER (WHERE status = 'active')::float8 AS slowest_webhook
         FROM webhook_endpoint`,
    );
    return { newest: newest as number, ...webhooks } as {
      newest: number;
      paused: number;
      failing: number;
      slowest_webhook: number | null;
    };
  };
  new Gauge({
    name: 'renkei_outbox_lag_events',
    help: 'Outbox events between the newest and the slowest live reader (subscription or active webhook)',
    labelNames: ['reader'] as const,
    registers: [metricsRegistry],
    async collect() {
      const o = await outbox();
      const slowestSubscription = push.stats().slowestCursor;
      this.set(
        { reader: 'subscription' },
        slowestSubscription === undefined ? 0 : Math.max(0, o.newest - slowestSubscription),
      );
      this.set(
        { reader: 'webhook' },
        o.slowest_webhook === null ? 0 : Math.max(0, o.newest - o.slowest_webhook),
      );
    },
  });
  new Gauge({
    name: 'renkei_webhook_endpoints',
    help: 'Webhook endpoints paused, or active but failing',
    labelNames: ['state'] as const,
    registers: [metricsRegistry],
    async collect() {
      const o = await outbox();
      this.set({ state: 'paused' }, o.paused);
      this.set({ state: 'failing' }, o.failing);
    },
  });
}

/**
 * Metrics on a listener of their own (METRICS_PORT, on METRICS_HOST, loopback by default), never
 * on the public port: hub-wide counts (events, webhooks, requests) are not for members to read.
 */
export async function startMetricsServer(
  config: HubConfig,
  log: Logger,
): Promise<Server | undefined> {
  if (!config.metrics.port) return undefined;
  startDefaultMetrics();
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
      return;
    }
    metricsRegistry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(text),
      (e: unknown) => {
        log.warn({ err: e }, 'metrics could not be collected');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.metrics.port, config.metrics.host, () => resolve());
  });
  log.info(
    { url: `http://${config.metrics.host}:${config.metrics.port}/metrics` },
    'metrics listening',
  );
  return server;
}
