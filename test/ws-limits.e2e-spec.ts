import { Client } from 'pg';
import { createOrg, member, Member, publishReport } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';
import { latestEventId, sealedCursor } from './support/sealed-cursor';
import { Frame, WsClient } from './support/ws-client';

/*
 * What one member can send over graphql-ws must not take the hub down or slow it for others:
 * the query limits HTTP applies (depth, cost, aliases, tokens), frame sizes (small before
 * authentication), subscriptions per connection and connections per principal.
 */

jest.setTimeout(120_000);

const ENV = {
  GRAPHQL_MAX_DEPTH: '6',
  GRAPHQL_MAX_COST: '50',
  GRAPHQL_MAX_TOKENS: '300',
  SUBSCRIPTION_MAX_MESSAGE_BYTES: '16384',
  SUBSCRIPTION_MAX_PER_CONNECTION: '2',
  SUBSCRIPTION_MAX_CONNECTIONS_PER_PRINCIPAL: '2',
};

let t: TestHub;
let db: Client;
let admin: string;
let power: Member;
let other: Member;
const open: WsClient[] = [];

const EVENTS =
  'subscription($after: ID) { reportEvents(after: $after) { cursor report { title } } }';

async function connect(token?: string): Promise<WsClient> {
  const c = await WsClient.connect(t.url, token);
  open.push(c);
  return c;
}

async function raw(): Promise<WsClient> {
  const c = await WsClient.open(t.url);
  open.push(c);
  return c;
}

interface ErrorBody {
  message: string;
  extensions?: { code?: string };
}

/** The errors of the first frame answering subscription `id` (an `error`, or a `next` with errors). */
async function refusal(c: WsClient, id: string): Promise<ErrorBody[] | undefined> {
  const f: Frame | undefined = await c.take((x) => x.id === id, 10_000);
  if (f?.type === 'error') return f.payload as unknown as ErrorBody[];
  return f?.payload?.errors as ErrorBody[] | undefined;
}

/** What HTTP answers for the same document: its errors, as a client sees them. */
async function overHttp(query: string): Promise<ErrorBody[] | undefined> {
  const r = await t.gql(query, {}, power.token);
  return r.errors as ErrorBody[] | undefined;
}

const pick = (errors: ErrorBody[] | undefined) =>
  errors?.map((e) => ({ message: e.message, code: e.extensions?.code }));

/** A cursor at the newest event, for this credential: as `after` it misses nothing from now on. */
async function cursorNow(token: string): Promise<string> {
  return sealedCursor(t, token, await latestEventId(t));
}

/** Publishes a report and waits until subscription `id` delivers it. */
async function delivered(c: WsClient, id: string): Promise<void> {
  const title = `delivered ${Math.random()}`;
  await publishReport(t, power.token, { title, tlp: 'CLEAR' });
  for (;;) {
    const got = (await c.next(id)) as { reportEvents: { report: { title: string } } } | undefined;
    if (!got) throw new Error(`${id} got nothing`);
    if (got.reportEvents.report.title === title) return;
  }
}

/** Within a bound so a hub that never answers fails the test instead of hanging it. */
async function closedWithin(c: WsClient): Promise<{ code: number; reason: string } | 'still open'> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'still open'>(
    (r) => (timer = setTimeout(() => r('still open'), 10_000)),
  );
  try {
    return await Promise.race([c.closed, bound]);
  } finally {
    clearTimeout(timer);
  }
}

beforeAll(async () => {
  t = await startTestHub(ENV);
  admin = (await t.bootstrapAdmin()).token;
  const org = await createOrg(t, admin, { name: 'Kanto Electric', sectorCode: 'electric-power' });
  const gasOrg = await createOrg(t, admin, { name: 'Tokai Gas', sectorCode: 'gas' });
  power = await member(t, admin, org, 'soc@kanto-electric.example');
  db = new Client({ connectionString: t.databaseUrl });
  await db.connect();
  other = await member(t, admin, gasOrg, 'soc@tokai-gas.example');
});

afterAll(async () => {
  open.forEach((c) => c.close());
  await db?.end();
  await t?.stop();
});

describe('query limits: the same rules on both transports', () => {
  const aliases = Array.from({ length: 20 }, (_, i) => `s${i}: sightings { id }`).join(' ');
  const deep = 'linkedReports { '.repeat(6) + 'id' + ' }'.repeat(6);
  const many = Array.from({ length: 400 }, () => 'cursor').join(' ');

  it.each([
    ['too many aliases', `subscription { reportEvents { report { ${aliases} } } }`],
    ['too deep', `subscription { reportEvents { report { ${deep} } } }`],
    [
      'too costly',
      'subscription { reportEvents { report { comments { body } revisions { revision } sightings { id } linkedReports { title comments { body } sightings { id } } } } }',
    ],
    ['too many tokens', `subscription { reportEvents { ${many} } }`],
    ['an unknown field', 'subscription { reportEvents { cursr } }'],
    ['a syntax error', 'subscription { reportEvents { cursor '],
    [
      'two operations and no operationName',
      'subscription A { reportEvents { cursor } } subscription B { listEvents { cursor } }',
    ],
  ])('refuses a subscription %s as HTTP refuses it, and keeps the socket', async (_name, query) => {
    const http = pick(await overHttp(query));
    expect(http?.length).toBeGreaterThan(0);
    const c = await connect(power.token);
    c.subscribe('bad', query);
    expect(pick(await refusal(c, 'bad'))).toEqual(http);

    // The socket still serves a subscription within the limits.
    c.subscribe('ok', EVENTS, { after: await cursorNow(power.token) });
    await delivered(c, 'ok');
    c.close();
  });

  it('answers a subscription sent over HTTP with a clear refusal', async () => {
    const errors = await overHttp(EVENTS);
    expect(pick(errors)).toEqual([
      {
        message:
          'Subscriptions go over WebSocket (graphql-ws, /graphql); send queries and mutations over HTTP',
        code: 'BAD_REQUEST',
      },
    ]);
  });

  it('answers queries and mutations over WebSocket with a clear refusal', async () => {
    const c = await connect(power.token);
    c.subscribe('q', '{ me { id } }');
    expect(pick(await refusal(c, 'q'))).toEqual([
      {
        message: 'Only subscriptions go over WebSocket; send queries and mutations over HTTP',
        code: 'BAD_REQUEST',
      },
    ]);
    c.close();
  });
});

describe('frame sizes', () => {
  it('closes a connection_init larger than a few KB before authenticating it', async () => {
    // Within SUBSCRIPTION_MAX_MESSAGE_BYTES, over what connection_init may weigh.
    const c = await raw();
    c.send({
      type: 'connection_init',
      payload: { authorization: `Bearer ${power.token}`, pad: 'x'.repeat(8000) },
    });
    expect(await closedWithin(c)).toEqual({
      code: 1009,
      reason: 'MESSAGE_TOO_BIG: at most 4096 bytes before connection_ack',
    });
    expect(await c.take((f) => f.type === 'connection_ack', 0)).toBeUndefined();

    // Over both: ws refuses the frame as it arrives, before it is buffered whole.
    const huge = await raw();
    huge.send({ type: 'connection_init', payload: { pad: 'x'.repeat(1024 * 1024) } });
    expect(await closedWithin(huge)).toEqual({ code: 1009, reason: '' });
  });

  it.each(['connection_ack', 'next', 'error'])(
    'closes with 4400, not 4500, a client sending %s (a frame only servers send)',
    async (type) => {
      const c = await raw();
      // Before connection_init: a refused init would close the socket first (4403).
      c.send({ type, id: '1', payload: {} });
      const closed = await closedWithin(c);
      expect(closed).toEqual({
        code: 4400,
        reason: `Bad request: ${type} is sent by the server only`,
      });
    },
  );

  it('accepts a connection_init of ordinary size', async () => {
    const c = await raw();
    c.send({
      type: 'connection_init',
      payload: { authorization: `Bearer ${power.token}`, pad: 'x'.repeat(2000) },
    });
    expect(await c.take((f) => f.type === 'connection_ack', 10_000)).toEqual({
      type: 'connection_ack',
    });
    c.close();
  });

  it('closes an authenticated socket sending more than SUBSCRIPTION_MAX_MESSAGE_BYTES', async () => {
    const c = await connect(power.token);
    // Well past the pre-authentication cap, within the one after it: taken.
    c.send({
      id: 'a',
      type: 'subscribe',
      payload: { query: EVENTS, variables: { pad: 'x'.repeat(8000) } },
    });
    expect(await c.take((f) => f.id === 'a' && f.type !== 'next', 1000)).toBeUndefined();
    c.send({
      id: 'b',
      type: 'subscribe',
      payload: { query: EVENTS, variables: { pad: 'x'.repeat(32_000) } },
    });
    expect(await closedWithin(c)).toEqual({ code: 1009, reason: expect.any(String) });
  });

  it('answers a request to another path than /graphql with no upgrade', async () => {
    await expect(
      new Promise((resolve, reject) => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const WebSocket = require('ws') as typeof import('ws');
        const ws = new WebSocket(
          `${t.url.replace(/^http/, 'ws')}/elsewhere`,
          'graphql-transport-ws',
          {
            handshakeTimeout: 10_000,
          },
        );
        ws.on('open', () => resolve('upgraded'));
        ws.on('error', reject);
      }),
    ).rejects.toThrow(/Unexpected server response: 404/);
  });
});

describe('request ids', () => {
  /** The X-Request-Id the handshake answered with. */
  function handshakeId(headers: Record<string, string>): Promise<string | undefined> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const WebSocket = require('ws') as typeof import('ws');
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${t.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', {
        headers,
      });
      ws.on('upgrade', (res) => resolve(res.headers['x-request-id'] as string | undefined));
      ws.on('open', () => ws.close());
      ws.on('error', reject);
    });
  }

  it('answers the handshake with its request id, as HTTP does: a sane one echoed, else a new one', async () => {
    expect(await handshakeId({ 'x-request-id': 'ws-test-12345678' })).toBe('ws-test-12345678');
    const replaced = await handshakeId({ 'x-request-id': 'forged "},{"level":60' });
    expect(replaced).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});

describe('caps', () => {
  it('refuses a subscription past SUBSCRIPTION_MAX_PER_CONNECTION with a code, and takes one again once one ends', async () => {
    const c = await connect(power.token);
    c.subscribe('one', EVENTS);
    c.subscribe('two', EVENTS);
    c.subscribe('three', EVENTS);
    expect(pick(await refusal(c, 'three'))).toEqual([
      {
        message: 'At most 2 subscriptions per connection: complete one, or open another connection',
        code: 'TOO_MANY_SUBSCRIPTIONS',
      },
    ]);
    c.complete('one');
    c.subscribe('four', EVENTS, { after: await cursorNow(power.token) });
    await delivered(c, 'four');
    c.close();
  });

  it('closes a connection past SUBSCRIPTION_MAX_CONNECTIONS_PER_PRINCIPAL, not another principal’s', async () => {
    const first = await connect(other.token);
    await connect(other.token);
    const third = await raw();
    third.send({ type: 'connection_init', payload: { authorization: `Bearer ${other.token}` } });
    expect(await closedWithin(third)).toEqual({
      code: 1008,
      reason: 'TOO_MANY_CONNECTIONS: at most 2 open connections per user or token',
    });
    // Someone else is not held back by it.
    (await connect(admin)).close();
    // Once one of the two closes, the user connects again.
    first.close();
    await first.closed;
    for (let i = 0; ; i++) {
      const again = await raw();
      again.send({ type: 'connection_init', payload: { authorization: `Bearer ${other.token}` } });
      const ack = await again.take((f) => f.type === 'connection_ack', 5000);
      if (ack) break;
      // The hub may see the close a moment after the client: try again, a few times only.
      if (i === 5) throw new Error(`refused: ${JSON.stringify(await again.closed)}`);
    }
  });
});

describe('shutdown', () => {
  it('tells open subscribers to go (1001) and exits cleanly, instead of waiting on their sockets', async () => {
    const own = await startTestHub({ SHUTDOWN_TIMEOUT_MS: '2000' });
    try {
      const token = (await own.bootstrapAdmin()).token;
      const c = await WsClient.connect(own.url, token);
      c.subscribe('s', EVENTS);
      const exit = own.stop();
      // With the cursor to resume from once the subscription runs (test/shutdown.e2e-spec.ts).
      const closed = await closedWithin(c);
      if (closed === 'still open') throw new Error('the socket was not closed');
      expect(closed.code).toBe(1001);
      expect(closed.reason).toMatch(
        /^(Going away: resume from your cursor|Hub restarting: resubscribe with after: .+)$/,
      );
      expect(await exit).toBe(0);
    } finally {
      own.process.kill('SIGKILL');
    }
  });
});
