import { Client } from 'pg';
import WebSocket from 'ws';
import { startTestHub, TestHub } from './support/test-hub';

/*
 * Every GraphQL error names the request it answers (issue 14: the console's ErrorAlert shows
 * the request id a person quotes to an admin). Before the fix only errors written by the HTTP
 * exception filter carried `extensions.requestId`; resolver, document and Apollo errors did not.
 */

jest.setTimeout(180_000);

let t: TestHub;
let admin: string;

beforeAll(async () => {
  t = await startTestHub();
  admin = (await t.bootstrapAdmin()).token;
});

afterAll(async () => {
  await t?.stop();
});

async function post(body: unknown, token?: string) {
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { header: res.headers.get('x-request-id'), text, body: JSON.parse(text) };
}

function expectNamed(r: Awaited<ReturnType<typeof post>>, code: string) {
  expect(r.header).toMatch(/^[A-Za-z0-9._-]{8,128}$/);
  expect(r.body.errors?.length).toBeGreaterThan(0);
  for (const e of r.body.errors) {
    expect(e.extensions).toMatchObject({ code, requestId: r.header });
  }
  expect(r.text).not.toMatch(/stacktrace|\n\s+at |QueryFailedError|relation "/);
}

describe('every GraphQL error carries its code and the request id of the response', () => {
  it.each([
    ['a document that does not parse', { query: '{ sectors { ' }, 'GRAPHQL_PARSE_FAILED'],
    ['an unknown field', { query: '{ noSuchField }' }, 'GRAPHQL_VALIDATION_FAILED'],
    [
      'a body with no query (refused by Apollo before any plugin)',
      { variables: {} },
      'BAD_REQUEST',
    ],
    ['a query without a session', { query: '{ me { id } }' }, 'UNAUTHENTICATED'],
  ])('%s', async (_name, body, code) => {
    expectNamed(await post(body), code);
  });

  it('input a resolver refuses (BAD_USER_INPUT)', async () => {
    expectNamed(
      await post({ query: '{ reports(first: 1000) { totalCount } }' }, admin),
      'BAD_USER_INPUT',
    );
  });

  it('a report that does not exist (NOT_FOUND)', async () => {
    const query = '{ report(id: "00000000-0000-4000-8000-000000000000") { id } }';
    expectNamed(await post({ query }, admin), 'NOT_FOUND');
  });

  it('a variable a scalar refuses (BAD_USER_INPUT with its field path)', async () => {
    const query = 'query($q: String!) { quarterlySummary(quarter: $q) { quarter } }';
    const r = await post({ query, variables: { q: 7 } }, admin);
    expectNamed(r, 'BAD_USER_INPUT');
  });

  it('a caller-supplied X-Request-Id is the one named', async () => {
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'console-req-0001' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(res.headers.get('x-request-id')).toBe('console-req-0001');
    const body = (await res.json()) as { errors: { extensions: { requestId?: string } }[] };
    expect(body.errors[0].extensions.requestId).toBe('console-req-0001');
  });

  it('an internal failure: INTERNAL_SERVER_ERROR, the request id, nothing of the cause', async () => {
    // A real fault underneath: the table the query reads is gone.
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      await db.query('ALTER TABLE report_category RENAME TO report_category_away');
      const r = await post({ query: '{ reportCategories { code } }' }, admin);
      expectNamed(r, 'INTERNAL_SERVER_ERROR');
      expect(r.body.errors[0].message).toContain('requestId');
    } finally {
      await db.query('ALTER TABLE report_category_away RENAME TO report_category');
      await db.end();
    }
  });
});

/** The first error message of a subscription over graphql-ws, sent with this handshake id. */
function subscriptionError(query: string, handshakeId: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(t.url.replace('http', 'ws') + '/graphql', 'graphql-transport-ws', {
      headers: { 'x-request-id': handshakeId },
    });
    ws.on('error', reject);
    ws.on('open', () =>
      ws.send(
        JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${admin}` } }),
      ),
    );
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { type: string; payload?: unknown };
      if (m.type === 'connection_ack') {
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
      } else if (m.type === 'error') {
        ws.close(1000);
        resolve((m.payload as Record<string, unknown>[])[0]);
      }
    });
  });
}

describe('over graphql-ws too, every error names the handshake request', () => {
  it.each([
    ['an unknown field', 'subscription { noSuchField }'],
    ['a document that does not parse', 'subscription { reportEvents { '],
  ])('%s', async (_name, query) => {
    const e = await subscriptionError(query, 'ws-handshake-0001');
    expect(e.extensions).toMatchObject({
      code: expect.any(String),
      requestId: 'ws-handshake-0001',
    });
    expect(JSON.stringify(e)).not.toMatch(/stacktrace|\n\s+at /);
  });
});
