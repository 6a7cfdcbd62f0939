import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { freePort } from '../support/ports';
import { rawBytes, rawExchange } from '../support/raw-http';
import { STRONG_PASSWORD } from '../support/test-hub';
import { WsClient } from '../support/ws-client';
import { ADD, createList, gq, Json, postEntries, pull, Scene, scene } from './support';

/*
 * Edge hardening (ADR 0015, ADR 0011) and leaks, from outside, as a hostile member. A test that
 * FAILS shows a finding: it states the secure behaviour.
 */

jest.setTimeout(300_000);

let s: Scene;
let metricsPort: number;
let list: string;

beforeAll(async () => {
  metricsPort = await freePort();
  s = await scene({ METRICS_PORT: String(metricsPort) });
  list = await createList(s.t, s.op.analyst.token, 'edge');
});
afterAll(async () => {
  await s?.t.stop();
});

const port = () => Number(new URL(s.t.url).port);
const hubRssPeakKb = () =>
  Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${s.t.process.pid}/status`, 'utf8'))?.[1]);

/** Worst /healthz latency while `during` runs. */
async function worstLag(during: Promise<unknown>): Promise<number> {
  let worst = 0;
  let done = false;
  during.then(
    () => (done = true),
    () => (done = true),
  );
  while (!done) {
    const t0 = Date.now();
    await fetch(`${s.t.url}/healthz`).catch(() => undefined);
    worst = Math.max(worst, Date.now() - t0);
    await new Promise((r) => setTimeout(r, 25));
  }
  return worst;
}

describe('bodies', () => {
  it('holds: gzip bombs (200 MB of spaces in 200 kB) are refused 413 everywhere, hub stays responsive', async () => {
    const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024, 0x20), { level: 9 });
    for (const [url, token, ct, status] of [
      ['/graphql', undefined, 'application/json', 413],
      ['/graphql', s.op.analyst.token, 'application/json', 413],
      [`/api/lists/${list}/entries`, s.op.writer, 'text/plain', 413],
      [`/api/lists/${list}/entries`, undefined, 'text/plain', 401],
    ] as const) {
      const req = fetch(`${s.t.url}${url}`, {
        method: 'POST',
        headers: {
          'content-type': ct,
          'content-encoding': 'gzip',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: bomb,
      });
      const lag = await worstLag(req);
      const res = await req;
      expect(res.status).toBe(status);
      const body = (await res.json()) as Json;
      expect(JSON.stringify(body)).toMatch(/"requestId":"[0-9a-f-]{36}"/);
      expect(lag).toBeLessThan(1000);
    }
    expect(hubRssPeakKb()).toBeLessThan(1_500_000);
  });

  it('a deeply nested STIX bundle over REST is refused as bad input (4xx), not a 500', async () => {
    const body = `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{"type":"indicator","x":${'['.repeat(500_000)}${']'.repeat(500_000)}}]}`;
    const r = await postEntries(s.t, s.op.writer, list, body, 'application/json');
    // Before the fix: 500 INTERNAL_SERVER_ERROR (the hub survives). Secure: 400/422 naming the problem.
    expect(r.status).toBeLessThan(500);
    expect(r.status).toBeGreaterThanOrEqual(400);
  });

  it('a deeply nested STIX bundle over GraphQL (format STIX) is refused as bad input', async () => {
    const text = `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{"type":"indicator","x":${'['.repeat(45_000)}${']'.repeat(45_000)}}]}`;
    const r = await s.t.gql<Json>(
      ADD,
      { l: list, i: { text, format: 'STIX' } },
      s.op.analyst.token,
    );
    const code = r.errors?.[0]?.extensions?.code;
    expect(code === undefined ? r.data?.addListEntries?.applied : code).not.toBe(
      'INTERNAL_SERVER_ERROR',
    );
  });
});

describe('error bodies carry a code and a request id', () => {
  it('holds: POST /graphql with Content-Type application/json; charset=utf-7 (id in header)', async () => {
    const o = await rawExchange(
      port(),
      rawBytes(
        'POST',
        '/graphql',
        [
          ['Content-Type', 'application/json; charset=utf-7'],
          ['Authorization', `Bearer ${s.op.analyst.token}`],
          ['Content-Length', '2'],
        ],
        Buffer.from('{}'),
      ),
      { timeoutMs: 5000 },
    );
    expect(o.kind).toBe('answer');
    const body = o.kind === 'answer' ? o.response.body.toString() : '';
    // Apollo's own answers carry the request id in the X-Request-Id header only (as resolver
    // errors do, by design).
    expect(body).toMatch(/"code":"BAD_REQUEST"/);
    expect(o.kind === 'answer' && o.response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('holds: GET /graphql?query=% (Apollo CSRF refusal, id in header)', async () => {
    const o = await rawExchange(port(), rawBytes('GET', '/graphql?query=%', []), {
      timeoutMs: 5000,
    });
    const body = o.kind === 'answer' ? o.response.body.toString() : '';
    expect(body).toMatch(/"code"/);
    expect(o.kind === 'answer' && o.response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('holds: a GraphQL validation error (id in header)', async () => {
    const res = await fetch(`${s.t.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${s.op.analyst.token}`,
      },
      body: JSON.stringify({ query: 'query($v: Int) { me { email } }' }),
    });
    const body = await res.text();
    expect(body).toMatch(/"code"/);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('holds: a resolver error (NOT_FOUND) carries its code and request id', async () => {
    const res = await fetch(`${s.t.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${s.op.analyst.token}`,
      },
      body: JSON.stringify({
        query: '{ indicatorList(id: "00000000-0000-4000-8000-000000000000") { id } }',
      }),
    });
    const body = await res.text();
    expect(body).toMatch(/"code":"NOT_FOUND"/);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    '/feeds/%E0%A4%A',
    '/feeds/ipv4.txt?list=%E0%A4%A',
    '/feeds/ipv4.txt?max=1e400',
    '/feeds/ipv4.txt?parts=0&part=0',
    '/api/lists/%E0%A4%A/entries',
    '/api/lists/%00/stix',
    '/taxii2/api/collections/%ZZ/',
    '//feeds/ipv4.txt',
    '*',
  ])('holds: %s answers 4xx with a code and request id, no stack', async (target) => {
    const o = await rawExchange(
      port(),
      rawBytes('GET', target, [['Authorization', `Bearer ${s.peer.feeds}`]]),
      { timeoutMs: 5000 },
    );
    expect(o.kind).toBe('answer');
    if (o.kind !== 'answer') return;
    expect(o.response.status).toBeGreaterThanOrEqual(400);
    expect(o.response.status).toBeLessThan(500);
    const body = o.response.body.toString();
    expect(body).toMatch(/"requestId"|"error_id"/);
    expect(body).not.toMatch(/at .*\.js:\d+/);
  });

  it('holds: an 80 kB header answers 431 with a code', async () => {
    const o = await rawExchange(
      port(),
      rawBytes('GET', '/feeds/ipv4.txt', [['X-Big', 'a'.repeat(80000)]]),
      { timeoutMs: 5000 },
    );
    expect(o.kind === 'answer' && o.response.status).toBe(431);
  });
});

describe('client times', () => {
  it.each([
    '9999-12-31T23:59:59-14:00',
    '0001-01-01T00:00:00+14:00',
    '+275760-09-13T00:00:00Z',
    '2026-12-05T10:00:00+99:00',
  ])('holds: seenAt %s is refused as BAD_USER_INPUT', async (d) => {
    const r = await s.t.gql(
      'mutation($l: ID!, $d: DateTime) { addListEntries(listId: $l, input: { text: "45.9.9.9", seenAt: $d }) { applied } }',
      { l: list, d },
      s.op.analyst.token,
    );
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('holds: year-0001 CSV times render in every feed format', async () => {
    const r = await postEntries(
      s.t,
      s.op.writer,
      list,
      'value,first_seen,last_seen\n45.8.8.8,0001-01-01,0001-01-01\n',
      'text/csv',
    );
    expect(r.status).toBe(200);
    for (const f of [
      '/feeds/all.stix',
      '/feeds/all.csv',
      '/feeds/all.json',
      `/taxii2/api/collections/${list}/objects/`,
      `/api/lists/${list}/stix`,
    ]) {
      expect((await pull(s.t, f, s.peer.feeds)).status).toBe(200);
    }
  });
});

describe('graphql-ws', () => {
  it('holds: server-only frames and big frames before auth close the socket cleanly', async () => {
    const a = await WsClient.open(s.t.url);
    a.send({ type: 'next', id: '1', payload: { data: {} } });
    expect((await a.closed).code).toBe(4400);
    const b = await WsClient.open(s.t.url);
    b.send('x'.repeat(5000));
    expect((await b.closed).code).toBe(1009);
    const c = await WsClient.connect(s.t.url, s.op.analyst.token);
    for (let i = 0; i < 21; i++) c.subscribe(String(i), 'subscription { listEvents { cursor } }');
    const err = await c.take((f) => f.type === 'error', 3000);
    expect(JSON.stringify(err)).toContain('TOO_MANY_SUBSCRIPTIONS');
    expect((await fetch(`${s.t.url}/healthz`)).status).toBe(200);
  });
});

describe('push of held changes', () => {
  let receiver: Server;
  const deliveries: string[] = [];
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let b = '';
      req.on('data', (c) => (b += c));
      req.on('end', () => {
        deliveries.push(b);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await new Promise((r) => receiver.close(r));
  });

  it('holds: a held /11 reaches neither a peer subscription nor a peer webhook', async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const w = await gq(
      s.t,
      'mutation($u: String!) { createWebhook(input: { url: $u, topic: LISTS }) { secret } }',
      { u: url },
      s.peer.orgAdmin.token,
    );
    expect(w.createWebhook).toBeTruthy();
    const ws = await WsClient.connect(s.t.url, s.peer.analyst.token);
    ws.subscribe('l', 'subscription { listEvents { kind added } }');
    const l = await createList(s.t, s.op.analyst.token, 'held push');
    const r = await gq(s.t, ADD, { l, i: { text: '51.0.0.0/11' } }, s.op.analyst.token);
    expect(r.addListEntries.held).toBeTruthy();
    await gq(s.t, ADD, { l, i: { text: '59.1.1.1' } }, s.op.analyst.token);
    const seen: string[] = [];
    for (;;) {
      const f = await ws.take((x) => x.type === 'next', 5000);
      if (!f) break;
      seen.push(JSON.stringify(f.payload));
      if (JSON.stringify(f.payload).includes('59.1.1.1')) break;
    }
    expect(seen.join()).toContain('59.1.1.1');
    for (let i = 0; i < 40 && !deliveries.join().includes('59.1.1.1'); i++)
      await new Promise((res) => setTimeout(res, 250));
    expect(deliveries.join()).toContain('59.1.1.1');
    expect(seen.join() + deliveries.join()).not.toContain('51.0.0.0');
  });
});

describe('leaks', () => {
  it('holds: metrics are not on the public port', async () => {
    for (const p of ['/metrics', '/metrics/', '/METRICS']) {
      expect((await fetch(`${s.t.url}${p}`)).status).toBe(404);
    }
    expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status).toBe(200);
  });

  it('holds: webhooks to internal addresses in embedded/odd forms are refused', async () => {
    for (const u of [
      'https://[::ffff:169.254.169.254]/',
      'https://[::ffff:a9fe:a9fe]/',
      'https://[64:ff9b::a9fe:a9fe]/',
      'https://[64:ff9b:1::a9fe:a9fe]/',
      'https://[::169.254.169.254]/',
      'https://[2002:a9fe:a9fe::1]/',
      'https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/',
      'https://0251.0376.0251.0376/',
      'https://2852039166/',
      'https://169.254.169.254./',
      'https://100.64.0.1/',
      'https://0.0.0.0/',
      'https://[::]/',
      'https://[fd00::1]/',
      'https://evil.example@10.0.0.1/',
      'https://[::ffff:10.0.0.1]:8443/',
    ]) {
      const r = await gq(
        s.t,
        'mutation($u: String!) { createWebhook(input: { url: $u, topic: LISTS }) { secret } }',
        { u },
        s.op.orgAdmin.token,
      );
      expect([u, r.createWebhook]).toEqual([u, undefined]);
    }
  });

  it('holds: anonymous list authors are not named to a peer (GraphQL, TAXII, STIX)', async () => {
    await gq(s.t, ADD, { l: list, i: { text: '45.6.6.6' } }, s.op.analyst.token);
    const g = await gq(
      s.t,
      `query { indicatorList(id: "${list}") { author { label organisationId } } indicator(value: "45.6.6.6") { sightings { author { label organisationId } } } }`,
      {},
      s.peer.analyst.token,
    );
    expect(JSON.stringify(g)).not.toMatch(/kanto/i);
    expect(JSON.stringify(g)).not.toContain(s.op.org);
    for (const p of [`/taxii2/api/collections/${list}/objects/`, `/api/lists/${list}/stix`]) {
      const body = (await pull(s.t, p, s.peer.feeds)).text;
      expect(body).not.toMatch(/kanto/i);
      expect(body).not.toContain(s.op.org);
    }
  });

  it('holds: login answers the same for an existing and an unknown e-mail', async () => {
    const q =
      'mutation($e: String!) { login(input: { email: $e, password: "wrong wrong wrong" }) { token } }';
    const a = await s.t.gql(q, { e: 'soc@chubu.example' });
    const b = await s.t.gql(q, { e: 'nobody@chubu.example' });
    expect(a.errors?.[0]?.message).toBe(b.errors?.[0]?.message);
  });

  it("an org admin creating a user cannot learn that an e-mail is another organisation's user", async () => {
    const create = (email: string) =>
      s.t.gql(
        'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
        {
          i: {
            organisationId: s.op.org,
            email,
            displayName: 'probe',
            role: 'ANALYST',
            initialPassword: STRONG_PASSWORD,
          },
        },
        s.op.orgAdmin.token,
      );
    const elsewhere = await create('soc@chubu.example');
    // Before the fix: CONFLICT "A user with this e-mail address already exists" for the peer's analyst,
    // while an unknown address is simply created: an org admin can test any address for
    // membership of another organisation. Secure: the answer does not confirm a user elsewhere.
    expect(elsewhere.errors?.[0]?.message ?? '').not.toMatch(/already exists/i);
  });

  it('holds: TAXII answers the same for a list the caller may not see and a missing one', async () => {
    const own = await createList(s.t, s.op.analyst.token, 'own only', {
      tlp: 'AMBER',
      audience: { organisationIds: [s.op.org] },
    });
    const hidden = await pull(s.t, `/taxii2/api/collections/${own}/`, s.peer.feeds);
    const missing = await pull(
      s.t,
      '/taxii2/api/collections/00000000-0000-4000-8000-000000000000/',
      s.peer.feeds,
    );
    expect(hidden.status).toBe(missing.status);
    const strip = (x: string) => x.replace(/"error_id":"[^"]+"/, '').replace(own, 'ID');
    expect(strip(hidden.text)).toBe(
      strip(missing.text).replace('00000000-0000-4000-8000-000000000000', 'ID'),
    );
  });
});
