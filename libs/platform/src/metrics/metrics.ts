import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { isTaxiiPath } from '../http/edge-boundary';

/**
 * The hub's Prometheus metrics, one registry per process. Counters that code increments where
 * things happen live here, so every library can reach them without a dependency on the app;
 * gauges read at scrape time (pool, subscriptions, outbox lag) are registered by the app, which
 * knows every library. Labels are bounded sets (route classes, schema fields, outcomes): a label
 * taken from what a caller sends would let any caller grow the registry without end.
 */
export const metricsRegistry = new Registry();

let defaultsStarted = false;
/** Process metrics (CPU, memory, event-loop delay, handles), started once by the app. */
export function startDefaultMetrics(): void {
  if (defaultsStarted) return;
  defaultsStarted = true;
  collectDefaultMetrics({
    register: metricsRegistry,
    prefix: 'renkei_',
    eventLoopMonitoringPrecision: 10,
  });
}

export const httpRequests = new Counter({
  name: 'renkei_http_requests_total',
  help: 'HTTP requests answered, by route class, method and status',
  labelNames: ['route', 'method', 'status'] as const,
  registers: [metricsRegistry],
});

export const httpDuration = new Histogram({
  name: 'renkei_http_request_duration_seconds',
  help: 'Time from request to the end of the answer, by route class',
  labelNames: ['route'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

export const readTransactions = new Counter({
  name: 'renkei_db_read_transactions_total',
  help: 'Reads that were allowed on a replica (ADR 0030), by where they ran: replica or primary',
  labelNames: ['target'] as const,
  registers: [metricsRegistry],
});

export const graphqlOperations = new Counter({
  name: 'renkei_graphql_operations_total',
  help: 'GraphQL operations by type, root field and outcome (ok or the error code)',
  labelNames: ['type', 'field', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const importedLines = new Counter({
  name: 'renkei_import_lines_total',
  help: 'Indicator lines offered to imports, by outcome (applied, rejected)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export const embeddedPostgresRestarts = new Counter({
  name: 'renkei_embedded_postgres_restarts_total',
  help: 'Times the hub restarted its embedded PostgreSQL after it died',
  registers: [metricsRegistry],
});

/** The route class of a path: a bounded label (ids and query strings never become labels). */
export function routeClass(path: string | undefined): string {
  const p = (path ?? '').split('?')[0];
  if (p === '/graphql') return '/graphql';
  if (p.startsWith('/feeds/')) return '/feeds';
  if (isTaxiiPath(p)) return '/taxii2';
  if (/^\/api\/lists\/[^/]+\/entries$/.test(p)) return '/api/lists/:id/entries';
  if (p.startsWith('/api/')) return '/api';
  if (p === '/healthz' || p === '/readyz') return p;
  // The console's page and assets (apps/hub/src/console/console.controller.ts, CONSOLE_ROUTES).
  if (
    /^\/(?:(?:login|account|reset-password|inbox|write|admin)(?:\/.*)?|setup|(?:reports|assets)\/.+)?$/.test(
      p,
    )
  ) {
    return 'pages';
  }
  return 'other';
}
