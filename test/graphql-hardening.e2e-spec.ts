import { IncomingHttpHeaders, request } from 'node:http';
import { Client } from 'pg';
import { STRONG_PASSWORD, startTestHub, TestHub } from './support/test-hub';

/** What a client must never see in an error: a stack frame, a stack trace field, SQL. */
const STACK_FRAME = /\bat .*\.js:\d+/;
const STACKTRACE = /stacktrace/i;
const SQL = /SELECT|INSERT|QueryFailedError/;

const HUB_STATUS = '{ hubStatus { setupRequired } }';
const LOGIN = 'mutation($i: LoginInput!) { login(input: $i) { token } }';
const ADMIN_EMAIL = 'admin@ci-csirt.example';

interface GqlBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

async function send(t: TestHub, path: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(`${t.url}${path}`, init);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** POSTs a JSON body (or a raw string) to /graphql. */
function post(t: TestHub, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return send(t, '/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function json(reply: Reply): GqlBody {
  return JSON.parse(reply.text) as GqlBody;
}

/** A GET with the path sent byte for byte (fetch would resolve `..` before sending). */
function rawGet(
  t: TestHub,
  path: string,
): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  const { hostname, port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: 'GET' }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function sessionCount(t: TestHub): Promise<number> {
  const client = new Client({ connectionString: t.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM session');
    return rows[0].n;
  } finally {
    await client.end();
  }
}

/** The hub's log lines arrive through a pipe: wait until one matches. */
async function waitForLine(t: TestHub, match: (line: string) => boolean): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const line = t.output.find(match);
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`no such log line in:\n${t.output.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function expectRejectedByValidation(reply: Reply, message: RegExp) {
  expect(reply.status).toBe(400);
  const body = json(reply);
  expect(body.data).toBeUndefined();
  expect(body.errors).toEqual([
    {
      message: expect.stringMatching(message),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', requestId: expect.any(String) },
    },
  ]);
  expect(reply.text).not.toMatch(/Internal server error/i);
  expect(reply.text).not.toMatch(STACK_FRAME);
}

/**
 * Requests that go wrong in different layers: body parsing, GraphQL validation, variable
 * coercion, the auth guard, the database (a NUL byte and a malformed uuid reach PostgreSQL).
 */
async function badRequests(
  t: TestHub,
  token: string,
  oversized: number,
): Promise<[string, Reply][]> {
  const auth = { authorization: `Bearer ${token}` };
  return [
    ['malformed JSON', await post(t, '{"query": ')],
    ['JSON that is not an object', await post(t, '"just a string"')],
    ['a query that is not a string', await post(t, { query: 42 })],
    ['a syntax error', await post(t, { query: '{ hubStatus { ' })],
    ['an unknown field', await post(t, { query: '{ hubStatus { nope } }' })],
    [
      'a bad variable type',
      await post(t, {
        query: 'query($f: Int) { organisations(first: $f) { totalCount } }',
        variables: { f: 'abc' },
      }),
    ],
    ['an unauthenticated call', await post(t, { query: '{ me { id email } }' })],
    [
      'a bogus session token',
      await post(t, { query: '{ me { id } }' }, { authorization: 'Bearer rks_x' }),
    ],
    [
      'a NUL byte in a login e-mail',
      await post(t, {
        query: LOGIN,
        variables: { i: { email: 'a\u0000b@x.example', password: 'p' } },
      }),
    ],
    ['a malformed id', await post(t, { query: '{ organisation(id: "not-a-uuid") { id } }' }, auth)],
    [
      'an oversized body',
      await post(t, { query: HUB_STATUS, variables: { pad: 'x'.repeat(oversized) } }),
    ],
    ['an unknown route', await send(t, '/no/such/route')],
  ];
}

function expectNoLeak(replies: [string, Reply][]) {
  for (const [name, reply] of replies) {
    const shown = `${name}: ${reply.status} ${reply.text}`;
    expect(reply.text.length).toBeGreaterThan(0);
    expect({ shown, frame: STACK_FRAME.test(reply.text) }).toEqual({ shown, frame: false });
    expect({ shown, trace: STACKTRACE.test(reply.text) }).toEqual({ shown, trace: false });
    expect({ shown, sql: SQL.test(reply.text) }).toEqual({ shown, sql: false });
    expect({ shown, html: /<html|<pre>/i.test(reply.text) }).toEqual({ shown, html: false });
  }
}

describe('GraphQL hardening: a hub with tight limits, explorer and introspection on', () => {
  let t: TestHub;
  let admin: string;

  beforeAll(async () => {
    t = await startTestHub({
      NODE_ENV: 'test',
      GRAPHQL_MAX_DEPTH: '4',
      GRAPHQL_MAX_COST: '50',
      REQUEST_BODY_LIMIT: '10kb',
      GRAPHQL_EXPLORER: 'true',
      GRAPHQL_INTROSPECTION: 'true',
    });
    admin = (await t.bootstrapAdmin()).token;
  });
  afterAll(() => t.stop());

  describe('depth limit', () => {
    it('rejects a query deeper than GRAPHQL_MAX_DEPTH before running it', async () => {
      const r = await post(
        t,
        { query: '{ users { edges { node { organisation { sector { code } } } } } }' },
        { authorization: `Bearer ${admin}` },
      );
      expectRejectedByValidation(r, /^Syntax Error: Query depth limit of 4 exceeded, found 6\.$/);
    });

    it('does not execute a too-deep mutation: no session is created', async () => {
      const before = await sessionCount(t);
      const r = await post(t, {
        query:
          'mutation($i: LoginInput!) { login(input: $i) { user { organisation { sector { code } } } } }',
        variables: { i: { email: ADMIN_EMAIL, password: STRONG_PASSWORD } },
      });
      expectRejectedByValidation(r, /Query depth limit of 4 exceeded, found 5/);
      expect(await sessionCount(t)).toBe(before);

      // The same login within the limit does run: the count above would have seen it.
      const ok = await post(t, {
        query: 'mutation($i: LoginInput!) { login(input: $i) { user { organisation { id } } } }',
        variables: { i: { email: ADMIN_EMAIL, password: STRONG_PASSWORD } },
      });
      expect(json(ok).errors).toBeUndefined();
      expect(await sessionCount(t)).toBe(before + 1);
    });

    it('answers a query exactly at the limit', async () => {
      const r = await post(
        t,
        { query: '{ me { organisation { sector { code } } } }' },
        { authorization: `Bearer ${admin}` },
      );
      expect(r.status).toBe(200);
      expect(json(r)).toEqual({ data: { me: { organisation: { sector: { code: 'other' } } } } });
    });
  });

  describe('cost limit', () => {
    it('rejects a query costing more than GRAPHQL_MAX_COST, and answers a cheaper one', async () => {
      const auth = { authorization: `Bearer ${admin}` };
      // (2 + 1.5 × 1) × first: 350 for first: 100, 35 for first: 10; depth 2 either way.
      const costly = await post(t, { query: '{ organisations(first: 100) { totalCount } }' }, auth);
      expectRejectedByValidation(
        costly,
        /^Syntax Error: Query Cost limit of 50 exceeded, found 350\.$/,
      );

      const cheap = await post(t, { query: '{ organisations(first: 10) { totalCount } }' }, auth);
      expect(cheap.status).toBe(200);
      expect(json(cheap)).toEqual({ data: { organisations: { totalCount: 1 } } });
    });
  });

  describe('batching', () => {
    it('refuses a JSON array of operations as a whole', async () => {
      const before = await sessionCount(t);
      const r = await post(t, [
        { query: HUB_STATUS },
        { query: LOGIN, variables: { i: { email: ADMIN_EMAIL, password: STRONG_PASSWORD } } },
      ]);
      expect(r.status).toBe(400);
      const body = json(r);
      expect(Array.isArray(body)).toBe(false);
      expect(body.data).toBeUndefined();
      expect(body.errors).toEqual([
        {
          message: expect.stringMatching(/batching disabled/i),
          extensions: { code: 'BAD_REQUEST', requestId: expect.any(String) },
        },
      ]);
      expect(r.text).not.toContain('setupRequired');
      expect(await sessionCount(t)).toBe(before);
    });
  });

  describe('request body size', () => {
    it('answers a body over REQUEST_BODY_LIMIT with 413 and no stack trace', async () => {
      const r = await post(t, { query: HUB_STATUS, variables: { pad: 'x'.repeat(50_000) } });
      expect(r.status).toBe(413);
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      expect(JSON.parse(r.text)).toMatchObject({
        errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE', requestId: expect.any(String) } }],
      });
      expect(r.text).not.toMatch(STACK_FRAME);
      expect(r.text).not.toMatch(/stack|PayloadTooLargeError|node_modules/i);
    });

    it('answers a body under the limit', async () => {
      const r = await post(t, { query: HUB_STATUS, variables: { pad: 'x'.repeat(5_000) } });
      expect(r.status).toBe(200);
      expect(json(r)).toEqual({ data: { hubStatus: { setupRequired: false } } });
    });
  });

  describe('CSRF prevention', () => {
    const query = `/graphql?query=${encodeURIComponent('{hubStatus{setupRequired}}')}`;

    it('refuses a simple GET (no preflight header, no JSON content type)', async () => {
      const r = await send(t, query);
      expect(r.status).toBe(400);
      const body = json(r);
      expect(body.data).toBeUndefined();
      expect(body.errors![0].message).toMatch(/Cross-Site Request Forgery/);
      expect(body.errors![0].extensions).toEqual({
        code: 'BAD_REQUEST',
        requestId: expect.any(String),
      });
    });

    it('refuses a text/plain POST, which a browser sends cross-site without preflight', async () => {
      const r = await send(t, '/graphql', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ query: HUB_STATUS }),
      });
      expect(r.status).toBe(400);
      expect(json(r).data).toBeUndefined();
      expect(json(r).errors![0].message).toMatch(/Cross-Site Request Forgery/);
    });

    it('answers the same query via POST application/json and via a preflighted GET', async () => {
      const viaPost = await post(t, { query: '{hubStatus{setupRequired}}' });
      expect(viaPost.status).toBe(200);
      expect(json(viaPost)).toEqual({ data: { hubStatus: { setupRequired: false } } });
      const viaGet = await send(t, query, { headers: { 'apollo-require-preflight': 'true' } });
      expect(viaGet.status).toBe(200);
      expect(json(viaGet)).toEqual({ data: { hubStatus: { setupRequired: false } } });
    });
  });

  describe('introspection and suggestions when enabled', () => {
    it('answers introspection with GRAPHQL_INTROSPECTION=true', async () => {
      const r = await post(t, { query: '{ __schema { types { name } } }' });
      expect(r.status).toBe(200);
      const types = (json(r).data!.__schema as { types: { name: string }[] }).types;
      expect(types.map((x) => x.name)).toEqual(
        expect.arrayContaining(['Query', 'Mutation', 'User', 'LoginInput']),
      );
    });

    it('suggests field names while introspection is on', async () => {
      const r = await post(t, { query: '{ hubStatus { setupRequird } }' });
      expect(r.status).toBe(400);
      expect(json(r).errors![0].message).toContain('Did you mean "setupRequired"?');
    });
  });

  describe('errors', () => {
    it('never carry stack traces or SQL', async () => {
      expectNoLeak(await badRequests(t, admin, 50_000));
    });
  });

  describe('explorer (GRAPHQL_EXPLORER=true)', () => {
    let html: string;

    beforeAll(async () => {
      const r = await send(t, '/graphql', { headers: { accept: 'text/html' } });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      html = r.text;
    });

    it('serves the GraphiQL page at GET /graphql for browsers, from the hub itself', () => {
      expect(html).toContain('<script src="/explorer/graphiql.js"></script>');
      expect(html).toContain('href="/explorer/graphiql.css"');
      expect(html).not.toMatch(/unpkg|jsdelivr|cdn|https?:\/\/|src="\/\/|href="\/\//i);
      const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      expect(refs.sort()).toEqual([
        '/explorer/graphiql.css',
        '/explorer/graphiql.js',
        '/explorer/init.js',
        '/explorer/react-dom.js',
        '/explorer/react.js',
      ]);
    });

    it.each([
      ['graphiql.js', /^text\/javascript/, 100_000],
      ['react.js', /^text\/javascript/, 5_000],
      ['react-dom.js', /^text\/javascript/, 50_000],
      ['graphiql.css', /^text\/css/, 10_000],
      ['init.js', /^text\/javascript/, 200],
    ])('serves /explorer/%s', async (file, type, minSize) => {
      const r = await send(t, `/explorer/${file}`);
      expect({ file, status: r.status, body: r.status === 200 ? '' : r.text }).toEqual({
        file,
        status: 200,
        body: '',
      });
      expect(r.headers.get('content-type')).toMatch(type);
      expect(Buffer.byteLength(r.text)).toBeGreaterThan(minSize);
    });

    it.each([
      '/explorer/../package.json',
      '/explorer/..%2fpackage.json',
      '/explorer/%2e%2e%2fpackage.json',
      '/explorer/%2e%2e%2f%2e%2e%2fpackage.json',
      '/explorer/unknown.js',
      '/explorer/__proto__',
      '/explorer/constructor',
    ])('answers %s with 404', async (path) => {
      const r = await rawGet(t, path);
      expect(r.status).toBe(404);
      expect(r.text).not.toContain('"dependencies"');
    });
  });

  // Last in this describe, so that it also sees the log lines of every request above.
  describe('logs', () => {
    it('are JSON with request ids, echo a sane X-Request-Id, and hold no secret', async () => {
      // A few more requests that carry secrets: a wrong password (which contains the real one),
      // and a coercion error whose message echoes the whole input, password included.
      const wrong = await t.gql(LOGIN, {
        i: { email: ADMIN_EMAIL, password: `${STRONG_PASSWORD}!` },
      });
      expect(wrong.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
      const extra = await t.gql(LOGIN, {
        i: { email: ADMIN_EMAIL, password: STRONG_PASSWORD, extra: 1 },
      });
      expect(extra.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      expect((await t.gql('{ me { id } }', {}, admin)).errors).toBeUndefined();

      const given = await post(t, { query: HUB_STATUS }, { 'x-request-id': 'test-req-12345678' });
      expect(given.headers.get('x-request-id')).toBe('test-req-12345678');
      const line = await waitForLine(t, (l) => l.includes('"requestId":"test-req-12345678"'));
      expect(JSON.parse(line)).toMatchObject({
        requestId: 'test-req-12345678',
        req: { id: 'test-req-12345678', method: 'POST', url: '/graphql' },
      });

      // An id that could forge or break log lines is replaced, not echoed.
      const forged = await post(
        t,
        { query: HUB_STATUS },
        { 'x-request-id': 'forged-zz9 "},{"level":60,"msg":"x' },
      );
      const replaced = forged.headers.get('x-request-id')!;
      expect(replaced).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      await waitForLine(t, (l) => l.includes(replaced));

      const jsonLines = t.output.filter((l) => l.startsWith('{'));
      const entries = jsonLines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const requestLines = entries.filter((e) => e.req);
      expect(requestLines.length).toBeGreaterThan(20);
      for (const e of requestLines) {
        expect(e.requestId).toEqual(expect.any(String));
        expect(e.requestId).toBe((e.req as { id: string }).id);
      }
      expect(t.output.join('\n')).not.toContain('forged-zz9');

      for (const l of t.output) {
        expect(l).not.toContain(STRONG_PASSWORD);
        expect(l).not.toContain(admin);
        expect(l).not.toMatch(/\brks_/);
      }
      for (const l of jsonLines) {
        expect(l).not.toContain('rksetup_');
        // Not exercised above (see the report), but no password hash belongs in a log.
        expect(l).not.toContain('$argon2');
      }
      // The setup token is printed once, to stdout, as a plain banner line: by design.
      const banner = t.output.filter((l) => l.includes('rksetup_'));
      expect(banner).toHaveLength(1);
      expect(banner[0].trim()).toMatch(/^rksetup_[A-Za-z0-9_-]+$/);
    });
  });
});

describe('GraphQL hardening: a production hub with default settings', () => {
  let t: TestHub;
  let admin: string;

  beforeAll(async () => {
    t = await startTestHub({ NODE_ENV: 'production' });
    admin = (await t.bootstrapAdmin()).token;
  });
  afterAll(() => t.stop());

  describe('alias limit', () => {
    it('rejects more than 15 aliases as a whole: no login runs', async () => {
      const before = await sessionCount(t);
      const logins = Array.from({ length: 20 }, (_, i) => `l${i}: login(input: $i) { token }`).join(
        '\n',
      );
      const r = await post(t, {
        query: `mutation($i: LoginInput!) {\n${logins}\n}`,
        variables: { i: { email: ADMIN_EMAIL, password: STRONG_PASSWORD } },
      });
      expectRejectedByValidation(r, /^Syntax Error: Aliases limit of 15 exceeded, found 20\.$/);
      expect(r.text).not.toContain('rks_');
      expect(await sessionCount(t)).toBe(before);

      // The count does move when a login runs.
      await t.passwordLogin(ADMIN_EMAIL, STRONG_PASSWORD);
      expect(await sessionCount(t)).toBe(before + 1);
    });

    it('answers 15 aliases', async () => {
      const fields = Array.from({ length: 15 }, (_, i) => `s${i}: hubStatus { setupRequired }`);
      const r = await post(t, { query: `{ ${fields.join(' ')} }` });
      expect(r.status).toBe(200);
      expect(Object.keys(json(r).data!)).toHaveLength(15);
    });
  });

  describe('introspection and suggestions in production', () => {
    it('refuses introspection', async () => {
      for (const query of [
        '{ __schema { types { name } } }',
        '{ __type(name: "User") { fields { name } } }',
      ]) {
        const r = await post(t, { query });
        expect(r.status).toBe(400);
        const body = json(r);
        expect(body.data).toBeUndefined();
        expect(body.errors![0].message).toMatch(/introspection is not allowed/i);
        expect(body.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(r.text).not.toContain('LoginInput');
      }
    });

    it('gives no "Did you mean" suggestion for a misspelt field', async () => {
      const r = await post(t, { query: '{ hubStatus { setupRequird } }' });
      expect(r.status).toBe(400);
      const body = json(r);
      expect(body.data).toBeUndefined();
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0].message).toContain('Cannot query field "setupRequird"');
      expect(body.errors![0].message).not.toMatch(/Did you mean/i);
      expect(r.text).not.toContain('"setupRequired"');
    });

    it('still answers an ordinary query', async () => {
      const r = await post(t, { query: HUB_STATUS });
      expect(json(r)).toEqual({ data: { hubStatus: { setupRequired: false } } });
    });
  });

  describe('explorer off by default', () => {
    it('does not serve the explorer page at GET /graphql', async () => {
      const r = await send(t, '/graphql', { headers: { accept: 'text/html' } });
      expect(r.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
      expect(r.text).not.toMatch(/<html|graphiql|\/explorer\//i);
    });
  });

  describe('errors', () => {
    it('never carry stack traces or SQL', async () => {
      // Default REQUEST_BODY_LIMIT is 100kb.
      expectNoLeak(await badRequests(t, admin, 200_000));
    });
  });
});
