import { request as httpRequest, IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { createOrg, member, Member } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';
import { WsClient } from './support/ws-client';

/*
 * Issue #11, "nothing a member sends can take the hub down or break it for others": what an
 * adversarial member (a normal session, a firewall's feed token) found at the edge of the real
 * hub process, each reproduced here first.
 */

jest.setTimeout(180_000);

// Answers are checked field by field; their full types would add nothing here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let t: TestHub;
let analyst: Member;
let peer: Member;
let listId: string;
let feeds: string;
let writer: string;
let fenced: string;
let orgAdmin: Member;

async function must<T = Json>(query: string, variables: Record<string, unknown>, token: string) {
  const r = await t.gql<T>(query, variables, token);
  if (!r.data || r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
}

async function apiToken(orgAdmin: string, scopes: string[], allowedRanges?: string[]) {
  const r = await must<{ createApiToken: { token: string } }>(
    'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
    { i: { name: `edge ${scopes.join(' ')} ${Math.random()}`, scopes, allowedRanges } },
    orgAdmin,
  );
  return r.createApiToken.token;
}

interface Raw {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
  /** Bytes of the request body written before the answer came. */
  sent: number;
}

/**
 * A request whose body is announced in full but sent only in part until the hub answers: a hub
 * that reads a body before deciding answers only once all of it arrived, so it never answers
 * here (the wait ends with an error, never with a pass).
 */
function partialPost(path: string, headers: Record<string, string>, announced: number) {
  return new Promise<Raw>((resolve, reject) => {
    let sent = 0;
    const req = httpRequest(`${t.url}${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(announced) },
    });
    const giveUp = setTimeout(
      () => reject(new Error(`no answer with ${sent} of ${announced} bytes sent`)),
      20_000,
    );
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        clearTimeout(giveUp);
        req.destroy();
        resolve({ status: res.statusCode!, headers: res.headers, body, sent });
      });
    });
    req.on('error', () => undefined); // the hub may close the socket on the unread rest
    const chunk = Buffer.alloc(256 * 1024, 'a');
    const more = () => {
      if (sent + chunk.length >= announced) return; // never the whole body
      sent += chunk.length;
      if (req.write(chunk)) setImmediate(more);
      else req.once('drain', more);
    };
    more();
  });
}

function get(path: string, headers: Record<string, string> = {}) {
  return fetch(`${t.url}${path}`, { headers });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Every REST error body: a stable code, a message, the request id (also in the header). */
async function expectRestError(res: Response, status: number, code: string): Promise<Json> {
  const text = await res.text();
  expect({ status: res.status, text }).toMatchObject({ status });
  const body = JSON.parse(text);
  expect(body).toMatchObject({
    error: { code, message: expect.any(String) },
    requestId: expect.any(String),
  });
  expect(body.requestId).toBe(res.headers.get('x-request-id'));
  expect(text).not.toMatch(/\bat \w+ \(|node_modules|statusCode/);
  return body;
}

beforeAll(async () => {
  // Its tests of token ranges send X-Forwarded-For from the loopback proxy.
  t = await startTestHub({ TRUSTED_PROXIES: 'loopback' });
  const { token: admin } = await t.bootstrapAdmin();
  const org = await createOrg(t, admin, { name: 'Kanto Power', sectorCode: 'electric-power' });
  const other = await createOrg(t, admin, { name: 'Tohoku Gas', sectorCode: 'electric-power' });
  orgAdmin = await member(t, admin, org, 'admin@kanto.example', 'ORG_ADMIN');
  analyst = await member(t, admin, org, 'analyst@kanto.example');
  peer = await member(t, admin, other, 'analyst@tohoku.example');
  const created = await must<{ createIndicatorList: { id: string } }>(
    'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
    { i: { name: 'DoS sources', tlp: 'GREEN' } },
    analyst.token,
  );
  listId = created.createIndicatorList.id;
  await must(
    'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { applied } }',
    { l: listId, i: { text: '198.51.100.7\n203.0.113.9' } },
    analyst.token,
  );
  feeds = await apiToken(orgAdmin.token, ['feeds:read']);
  writer = await apiToken(orgAdmin.token, ['indicators:write']);
  // Requests in these tests come from 127.0.0.1: outside this token's ranges.
  fenced = await apiToken(orgAdmin.token, ['feeds:read', 'reports:read'], ['192.0.2.0/24']);
});

afterAll(async () => {
  await t?.stop();
});

/** Everything the hub answers to bytes sent as they are, until it closes the connection. */
function rawAnswer(raw: string): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const socket = connect(Number(new URL(t.url).port), '127.0.0.1', () => socket.write(raw));
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (got += c));
    socket.on('close', () => resolve(got));
    socket.on('error', () => resolve(got));
  });
}

describe('one request cannot stop the hub', () => {
  it('answers a feed path that does not decode with 400, after pulls the fast path serves', async () => {
    // The first pull teaches the fast path the token; the next ones are answered from memory.
    for (let i = 0; i < 3; i++)
      expect((await get('/feeds/all.txt', bearer(feeds))).status).toBe(200);
    const basic = { authorization: `Basic ${Buffer.from(`x:${feeds}`).toString('base64')}` };
    expect((await get('/feeds/all.txt', basic)).status).toBe(200);

    const res = await get('/feeds/%E0%A4%A', basic);
    const body = await expectRestError(res, 400, 'BAD_USER_INPUT');
    expect(body.error.message).toMatch(/path/i);

    expect(t.process.exitCode).toBeNull();
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/feeds/all.txt', bearer(feeds))).status).toBe(200);
  });

  it('answers the same path with 400 on the full path, where the router decodes it', async () => {
    // Another address than the pulls above: the fast path does not know the token from there.
    const res = await get('/feeds/%E0%A4%A', {
      ...bearer(feeds),
      'x-forwarded-for': '203.0.113.5',
    });
    await expectRestError(res, 400, 'BAD_USER_INPUT');
  });

  it('answers a query string that does not decode with 400 on the full path too', async () => {
    const res = await get('/feeds/all.txt?aggregate=%E0%A4%A', bearer(writer));
    expect([400, 403]).toContain(res.status);
    expect(t.process.exitCode).toBeNull();
  });

  it('answers a request that is not HTTP in the REST error shape', async () => {
    for (const raw of ['GARBAGE\r\n\r\n', `GET / HTTP/1.1\r\nX: ${'a'.repeat(20_000)}\r\n\r\n`]) {
      const answer = await rawAnswer(raw);
      const [head, body] = answer.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 4(00|31) /);
      expect(JSON.parse(body)).toMatchObject({
        error: { code: 'BAD_USER_INPUT', message: expect.any(String) },
        requestId: /x-request-id: (\S+)/i.exec(head)?.[1],
      });
    }
    expect(t.process.exitCode).toBeNull();
  });

  it('answers a TAXII request that is not HTTP in the TAXII error shape', async () => {
    for (const path of ['/taxii2/', '/TAXII2/api/collections/']) {
      // A header value with bytes Node's parser refuses.
      const raw = `GET ${path} HTTP/1.1\r\nHost: hub\r\nX-Bad: a\u0001b\r\n\r\n`;
      const answer = await rawAnswer(raw);
      const [head, body] = answer.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 400 /);
      expect(head).toMatch(/content-type: application\/taxii\+json;version=2\.1/i);
      expect(JSON.parse(body)).toEqual({
        title: 'The request is not valid HTTP',
        error_id: /x-request-id: (\S+)/i.exec(head)?.[1],
        http_status: '400',
      });
    }
  });

  it("answers a path that only begins like TAXII's in the REST shape", async () => {
    const r = await fetch(`${t.url}/taxii2x/collections`, { method: 'PUT' });
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('survives websocket upgrades to other paths and malformed upgrades', async () => {
    for (const path of ['/nowhere', '/graphql', '/feeds/%E0%A4%A']) {
      const raw = await new Promise<string>((resolve) => {
        // An upgrade nobody takes used to stay open, unanswered, for ever.
        setTimeout(() => resolve('no answer'), 15_000).unref();
        const req = httpRequest(`${t.url}${path}`, {
          headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13' },
        });
        req.on('response', (res) => resolve(String(res.statusCode)));
        req.on('upgrade', () => resolve('upgraded'));
        req.on('error', (e) => resolve(e.message));
        req.end();
      });
      expect(raw).toMatch(/^4\d\d$/);
    }
    expect(t.process.exitCode).toBeNull();
    expect((await get('/healthz')).status).toBe(200);
  });
});

describe('bodies are read only for callers allowed to send them', () => {
  const big = 60 * 1024 * 1024;
  const importPath = () => `/api/lists/${listId}/entries`;

  it('refuses an unauthenticated import before reading its body', async () => {
    const r = await partialPost(importPath(), { 'content-type': 'text/plain' }, big);
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses an import by a token without the write scope before reading its body', async () => {
    const r = await partialPost(
      importPath(),
      { 'content-type': 'text/plain', ...bearer(feeds) },
      big,
    );
    expect(r.status).toBe(403);
  });

  it("refuses an import into another organisation's list before reading its body", async () => {
    const r = await partialPost(
      importPath(),
      { 'content-type': 'text/plain', ...bearer(peer.token) },
      big,
    );
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('keeps unauthenticated GraphQL bodies small, and login still works', async () => {
    const r = await partialPost('/graphql', { 'content-type': 'application/json' }, 1024 * 1024);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({
      errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
    });
    const login = await t.passwordLogin(
      'analyst@kanto.example',
      'long enough passphrase for tests',
    );
    expect(login.token).toMatch(/^rks_/);
  });

  it('still takes a large import from a caller allowed to write the list', async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => `10.${i >> 8}.${i & 255}.1`);
    const res = await fetch(`${t.url}${importPath()}?partial=true`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...bearer(writer) },
      body: `198.51.100.${8}\n${lines.join('\n')}\n`,
    });
    expect(res.status).toBe(200);
  });
});

describe('cookie sessions cannot be used across sites', () => {
  const cookie = () => ({
    cookie: `renkei_session=${analyst.token}`,
    'content-type': 'text/plain',
  });
  const post = (headers: Record<string, string>) =>
    fetch(`${t.url}/api/lists/${listId}/entries`, {
      method: 'POST',
      headers,
      body: '198.51.100.20\n',
    });

  it('refuses a cross-site write authenticated by the cookie', async () => {
    const body = await expectRestError(
      await post({ ...cookie(), origin: 'https://evil.example' }),
      403,
      'FORBIDDEN',
    );
    expect(body.error.reason).toBe('CROSS_SITE_REQUEST');
    await expectRestError(
      await post({ ...cookie(), 'sec-fetch-site': 'cross-site' }),
      403,
      'FORBIDDEN',
    );
    await expectRestError(
      await post({ ...cookie(), 'sec-fetch-site': 'same-site' }),
      403,
      'FORBIDDEN',
    );
  });

  it('accepts the same write from the hub’s own pages, and a bearer token from anywhere', async () => {
    expect(
      (await post({ ...cookie(), origin: t.url, 'sec-fetch-site': 'same-origin' })).status,
    ).toBe(200);
    expect((await post({ ...cookie() })).status).toBe(200); // scripts and curl send neither header
    expect(
      (
        await post({
          ...bearer(analyst.token),
          'content-type': 'text/plain',
          origin: 'https://evil.example',
        })
      ).status,
    ).toBe(200);
  });
});

describe('HTTP Basic credentials cannot be used across sites either', () => {
  // A browser keeps Basic credentials someone typed (opening a feed URL, say) and sends them
  // with any page's form to the hub, as it does a cookie: only Bearer is sent on purpose.
  const basic = () => ({
    authorization: `Basic ${Buffer.from(`firewall:${writer}`).toString('base64')}`,
    'content-type': 'text/plain',
  });
  const post = (headers: Record<string, string>) =>
    fetch(`${t.url}/api/lists/${listId}/entries`, {
      method: 'POST',
      headers,
      body: '198.51.100.21\n',
    });

  it('refuses a cross-site write authenticated by Basic, and takes it from a script', async () => {
    const body = await expectRestError(
      await post({ ...basic(), 'sec-fetch-site': 'cross-site' }),
      403,
      'FORBIDDEN',
    );
    expect(body.error.reason).toBe('CROSS_SITE_REQUEST');
    await expectRestError(
      await post({ ...basic(), origin: 'https://evil.example' }),
      403,
      'FORBIDDEN',
    );
    expect((await post(basic())).status).toBe(200); // curl, a firewall: neither header
  });
});

describe('a token used from outside its allowed ranges', () => {
  it('answers 403 naming the address rule on REST feeds', async () => {
    const body = await expectRestError(
      await get('/feeds/all.txt', bearer(fenced)),
      403,
      'FORBIDDEN',
    );
    expect(body.error.reason).toBe('TOKEN_ADDRESS_NOT_ALLOWED');
    expect(body.error.message).toMatch(/allowed address ranges/);
    expect(body.error.message).not.toContain(fenced);
  });

  it('answers 403 on feeds after pulls from inside its ranges the fast path learned', async () => {
    // The hub believes X-Forwarded-For from loopback (a reverse proxy on the same host).
    const from = (address: string) => ({ ...bearer(fenced), 'x-forwarded-for': address });
    for (let i = 0; i < 3; i++) {
      expect((await get('/feeds/all.txt', from('192.0.2.10'))).status).toBe(200);
    }
    const body = await expectRestError(
      await get('/feeds/all.txt', from('198.51.100.1')),
      403,
      'FORBIDDEN',
    );
    expect(body.error).toMatchObject({
      reason: 'TOKEN_ADDRESS_NOT_ALLOWED',
      message: expect.stringContaining('198.51.100.1'),
    });
  });

  it('answers 403 on TAXII, as a TAXII error', async () => {
    const res = await get('/taxii2/', {
      ...bearer(fenced),
      accept: 'application/taxii+json;version=2.1',
    });
    expect(res.status).toBe(403);
    const body = (await res.json()) as Json;
    expect(body).toMatchObject({
      http_status: '403',
      description: expect.stringMatching(/allowed address ranges/),
    });
  });

  it('answers FORBIDDEN on GraphQL and closes graphql-ws with 4403 and the reason', async () => {
    const r = await t.gql('{ whoami { kind } }', {}, fenced);
    expect(r.errors?.[0].extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'TOKEN_ADDRESS_NOT_ALLOWED',
    });
    await expect(WsClient.connect(t.url, fenced)).rejects.toThrow(/4403.*allowed address ranges/);
  });

  it('still answers 401 for a token that does not exist', async () => {
    await expectRestError(
      await get('/feeds/all.txt', bearer(`rkt_${'x'.repeat(40)}`)),
      401,
      'UNAUTHENTICATED',
    );
  });
});

describe('every REST and TAXII error has a code, a message and the request id', () => {
  it('answers a body over the limit, bad JSON and an unknown route in the hub’s shape', async () => {
    const tooBig = await fetch(`${t.url}/api/lists/${listId}/entries`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...bearer(writer) },
      body: 'x'.repeat(101 * 1024 * 1024),
    });
    await expectRestError(tooBig, 413, 'PAYLOAD_TOO_LARGE');
    await expectRestError(await get('/api/nowhere', bearer(writer)), 404, 'NOT_FOUND');
    const badJson = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(analyst.token) },
      body: '{"query": ',
    });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({
      errors: [
        { extensions: { code: 'BAD_USER_INPUT', requestId: badJson.headers.get('x-request-id') } },
      ],
    });
  });

  it('answers a TAXII path that does not decode with a TAXII 400', async () => {
    const res = await get('/taxii2/api/collections/%E0%A4%A/', {
      ...bearer(feeds),
      accept: 'application/taxii+json;version=2.1',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/taxii\+json/);
    expect(await res.json()).toMatchObject({
      http_status: '400',
      error_id: res.headers.get('x-request-id'),
    });
  });

  it('gives TAXII errors the request id as error_id', async () => {
    const res = await get('/taxii2/api/collections/nope/', {
      ...bearer(feeds),
      accept: 'application/taxii+json;version=2.1',
    });
    expect(res.status).toBe(404);
    const body = (await res.json()) as Json;
    expect(body).toMatchObject({ title: expect.any(String), http_status: '404' });
    expect(body.error_id).toBe(res.headers.get('x-request-id'));
  });
});

describe('lone surrogates are refused with their field path', () => {
  it('in GraphQL string inputs', async () => {
    const list = await t.gql(
      'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id name } }',
      { i: { name: 'bad \ud800 name', tlp: 'GREEN' } },
      analyst.token,
    );
    expect(list.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ path: 'input.name', message: expect.stringMatching(/surrogate/) }],
    });
    const report = await t.gql(
      'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
      { i: { kind: 'INCIDENT', title: 'ok', summary: 'broken \udc00 text', tlp: 'GREEN' } },
      analyst.token,
    );
    expect(report.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ path: 'input.summary' }],
    });
  });

  // A valid indicator whose description holds half of a pair, on line 3.
  const bundle = [
    '{"type": "bundle", "id": "bundle--6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b", "objects": [',
    ' {"type": "indicator", "spec_version": "2.1", "id": "indicator--7a1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b",',
    '  "description": "scanner \\ud800",',
    '  "created": "2026-11-01T00:00:00.000Z", "modified": "2026-11-01T00:00:00.000Z",',
    '  "pattern": "[ipv4-addr:value = \'198.51.100.40\']", "pattern_type": "stix",',
    '  "valid_from": "2026-11-01T00:00:00.000Z"}]}',
  ].join('\n');
  const refusedLine3 = {
    applied: false,
    rejected: [{ line: 3, message: expect.stringMatching(/lone surrogate/) }],
  };

  it('in STIX imports over REST and GraphQL, with the line number', async () => {
    const res = await fetch(`${t.url}/api/lists/${listId}/entries?format=stix`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(writer) },
      body: bundle,
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject(refusedLine3);
    const r = await must(
      `mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) {
        applied rejected { line message } } }`,
      { l: listId, i: { text: bundle, format: 'STIX' } },
      analyst.token,
    );
    expect(r.addListEntries).toMatchObject(refusedLine3);
  });

  it('in REST text imports: bytes that are not UTF-8, with the line number', async () => {
    const bytes = Buffer.concat([
      Buffer.from('198.51.100.30\n198.51.100.31 '),
      Buffer.from([0xed, 0xa0, 0x80]), // U+D800 as CESU-8: not UTF-8
      Buffer.from('\n'),
    ]);
    const text = await fetch(`${t.url}/api/lists/${listId}/entries`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...bearer(writer) },
      body: bytes,
    });
    const textBody = await expectRestError(text, 400, 'BAD_USER_INPUT');
    expect(textBody.error.fieldErrors).toEqual([
      { path: 'body', message: expect.stringMatching(/line 2.*UTF-8/) },
    ]);
  });
});

describe('webhook addresses', () => {
  it.each(['::a9fe:a9fe', '::ffff:a9fe:a9fe', '64:ff9b:1:a9fe:a9:fe00::', '2002:a9fe:a9fe::1'])(
    'refuses https://[%s]/, an IPv6 form of 169.254.169.254',
    async (address) => {
      const r = await t.gql(
        'mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { secret } }',
        { i: { url: `https://[${address}]/hook`, topic: 'REPORTS' } },
        orgAdmin.token,
      );
      expect(r.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fieldErrors: [{ path: 'input.url', message: 'must not point to an internal address' }],
      });
    },
  );
});
