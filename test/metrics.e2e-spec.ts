import { freePort } from './support/ports';
import { startTestHub, TestHub } from './support/test-hub';
import { WsClient } from './support/ws-client';

/**
 * Prometheus metrics on their own loopback listener: what operators alert on is there (requests
 * by route and outcome, the feed 304 share, GraphQL operations, import lines, subscriptions,
 * outbox lag, webhooks, the pool, the event loop), and nothing a caller sends becomes a label.
 */
describe('metrics', () => {
  let t: TestHub;
  let metricsUrl: string;
  let admin: string;

  const scrape = async () => {
    const r = await fetch(metricsUrl);
    expect(r.status).toBe(200);
    return r.text();
  };
  /** The value of one sample, or undefined when the series is absent. */
  const sample = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(series + ' '));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  beforeAll(async () => {
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    t = await startTestHub({ METRICS_PORT: String(port) });
    admin = (await t.bootstrapAdmin()).token;
  });
  afterAll(() => t?.stop());

  it('counts requests, feed 304s, GraphQL operations and imported lines', async () => {
    const list = await t.gql<{ createIndicatorList: { id: string } }>(
      'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
      { i: { name: 'Scanners', tlp: 'CLEAR' } },
      admin,
    );
    await t.gql(
      'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { applied } }',
      { l: list.data!.createIndicatorList.id, i: { text: '45.1.2.3\n45.1.2.4\n45.1.2.5' } },
      admin,
    );
    const token = await t.gql<{ createApiToken: { token: string } }>(
      'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
      { i: { name: 'fw', scopes: ['feeds:read'] } },
      admin,
    );
    const auth = { authorization: `Bearer ${token.data!.createApiToken.token}` };
    const first = await fetch(`${t.url}/feeds/ipv4.txt`, { headers: auth });
    await first.text();
    const etag = first.headers.get('etag')!;
    for (let i = 0; i < 3; i++) {
      const again = await fetch(`${t.url}/feeds/ipv4.txt`, {
        headers: { ...auth, 'if-none-match': etag },
      });
      expect(again.status).toBe(304);
    }
    // A caller-chosen path and operation name must not become labels.
    await fetch(`${t.url}/feeds/zz-caller-chosen-${Date.now()}.txt`, { headers: auth });
    await t.gql('query CallerChosenName { me { id } }');

    const text = await scrape();
    expect(
      sample(text, 'renkei_http_requests_total{route="/feeds",method="GET",status="304"}'),
    ).toBe(3);
    expect(
      sample(text, 'renkei_http_requests_total{route="/feeds",method="GET",status="200"}'),
    ).toBe(1);
    expect(
      sample(
        text,
        'renkei_graphql_operations_total{type="mutation",field="addListEntries",outcome="ok"}',
      ),
    ).toBe(1);
    expect(
      sample(
        text,
        'renkei_graphql_operations_total{type="query",field="me",outcome="UNAUTHENTICATED"}',
      ),
    ).toBe(1);
    expect(sample(text, 'renkei_import_lines_total{outcome="applied"}')).toBe(3);
    expect(text).not.toContain('zz-caller-chosen');
    expect(text).not.toContain('CallerChosenName');
    expect(text).toMatch(/^renkei_http_request_duration_seconds_bucket\{/m);
    expect(text).toMatch(/^renkei_nodejs_eventloop_lag_p99_seconds /m);
    expect(sample(text, 'renkei_db_pool_connections{state="idle"}')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'renkei_webhook_endpoints{state="paused"}')).toBe(0);
    expect(sample(text, 'renkei_embedded_postgres_restarts_total')).toBe(0);
  });

  it('shows open subscriptions and how far the slowest lags behind the outbox', async () => {
    const ws = await WsClient.connect(t.url, admin);
    try {
      ws.subscribe('1', 'subscription { listEvents { cursor } }');
      for (let i = 0; i < 50; i++) {
        const text = await scrape();
        if (sample(text, 'renkei_push_open{what="subscriptions"}') === 1) {
          expect(sample(text, 'renkei_push_open{what="sockets"}')).toBe(1);
          expect(sample(text, 'renkei_outbox_lag_events{reader="subscription"}')).toBe(0);
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the subscription never showed in the metrics');
    } finally {
      ws.close();
    }
  });

  it('is not served on the public port', async () => {
    const r = await fetch(`${t.url}/metrics`);
    expect(r.status).not.toBe(200);
  });
});
