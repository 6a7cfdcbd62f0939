import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import WebSocket from 'ws';
import { createOrg, member, publishReport } from './support/community';
import { RawOutcome, rawBytes, rawExchange, RawResponse } from './support/raw-http';
import { startTestHub, TestHub } from './support/test-hub';

/*
 * Issue #11: nothing a member sends can take the hub down or break it for others. Thousands of
 * generated requests (paths from the real route table, mutated; methods; headers; encodings;
 * bodies) from anonymous and authenticated callers, over raw sockets, then graphql-ws sessions
 * of random frames. Every answer must be a well-formed success or error, the process must keep
 * running, /healthz must keep answering, and nothing of another organisation may appear.
 *
 * Failures are collected, not thrown at the first: the run ends with one list of distinct
 * failures, each with its smallest reproduction. A hub that dies is recorded and restarted on
 * the same database, so one crash does not hide the rest.
 *
 * FUZZ_SEED (default fixed) and FUZZ_RUNS / FUZZ_WS_RUNS change the run; the seed is printed.
 */

jest.setTimeout(600_000);

const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
const RUNS = Number(process.env.FUZZ_RUNS ?? 5000);
const WS_RUNS = Number(process.env.FUZZ_WS_RUNS ?? 300);
/** A hub that keeps dying is restarted this often at most; the run then ends with what it found. */
const MAX_RESTARTS = Number(process.env.FUZZ_MAX_RESTARTS ?? 3);
/** /healthz is asked after every this many requests. */
const HEALTH_EVERY = 25;
/** The fast path trusts a token for a minute: a normal pull teaches it again this often. */
const RELEARN_EVERY = 200;

/** Strings only another organisation's AMBER+STRICT items hold. */
const CANARIES = ['canary-chubu-7f3e', '185.220.101.77', 'CHUBU-CANARY-REPORT'];
/** What a stack trace or a server path looks like in a body. */
const INTERNALS =
  /\n\s+at \S+ \(|\bat Object\.|\bat async\b|node_modules|\/work\/|\/dist\/|\.[jt]s:\d+:\d+/;

let t: TestHub;
let port: number;
const ids = { ownList: '', otherList: '', report: '', otherReport: '', collection: '' };
const creds = { session: '', feeds: '', taxii: '', writer: '' };

type Caller =
  'anonymous' | 'session' | 'cookie' | 'feeds-bearer' | 'feeds-basic' | 'taxii' | 'writer';

async function must<T>(query: string, variables: Record<string, unknown>, token: string) {
  const r = await t.gql<T>(query, variables, token);
  if (!r.data || r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
}

async function apiToken(orgAdmin: string, scopes: string[]): Promise<string> {
  const r = await must<{ createApiToken: { token: string } }>(
    'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
    { i: { name: `fuzz ${scopes.join(' ')}`, scopes } },
    orgAdmin,
  );
  return r.createApiToken.token;
}

async function list(token: string, input: Record<string, unknown>, text: string) {
  const r = await must<{ createIndicatorList: { id: string } }>(
    'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
    { i: input },
    token,
  );
  const id = r.createIndicatorList.id;
  await must(
    'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { applied } }',
    { l: id, i: { text } },
    token,
  );
  return id;
}

/** A normal pull: the full path answers and teaches the feed fast path this token. */
/** Feeds a firewall pulls as they are; the fuzz asks for them often, mostly well-formed. */
const PULLED = [
  '/feeds/ip.txt',
  '/feeds/all.json',
  '/feeds/domain.csv',
  '/feeds/ipv4.txt?parts=2&part=1',
];

/** Normal pulls: the full path answers and teaches the feed fast path this token and these feeds. */
async function teachFastPath(): Promise<void> {
  for (const path of PULLED) {
    const res = await fetch(`${t.url}${path}`, {
      headers: { authorization: `Bearer ${creds.feeds}` },
    });
    if (res.status !== 200) throw new Error(`normal pull: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  }
}

beforeAll(async () => {
  t = await startTestHub();
  port = Number(new URL(t.url).port);
  const admin = (await t.bootstrapAdmin()).token;
  const kanto = await createOrg(t, admin, { name: 'Kanto Electric', sectorCode: 'electric-power' });
  const chubu = await createOrg(t, admin, { name: 'Chubu Power', sectorCode: 'electric-power' });
  await createOrg(t, admin, { name: 'Kansai Power', sectorCode: 'electric-power' });
  const kantoAdmin = await member(t, admin, kanto, 'admin@kanto.example', 'ORG_ADMIN');
  const analyst = await member(t, admin, kanto, 'soc@kanto.example');
  const chubuAdmin = await member(t, admin, chubu, 'admin@chubu.example', 'ORG_ADMIN');
  creds.session = analyst.token;
  creds.feeds = await apiToken(kantoAdmin.token, ['feeds:read']);
  creds.taxii = await apiToken(kantoAdmin.token, ['feeds:read', 'reports:read']);
  creds.writer = await apiToken(kantoAdmin.token, ['indicators:write']);
  ids.ownList = await list(
    analyst.token,
    { name: 'fuzz sources', tlp: 'GREEN' },
    '45.33.32.156\n2001:db8:4::/48\nevil.example.net\nhttp://evil.example.net/x',
  );
  ids.otherList = await list(
    chubuAdmin.token,
    { name: 'Chubu only', tlp: 'AMBER_STRICT', audience: { organisationIds: [chubu] } },
    `${CANARIES[1]}\n${CANARIES[0]}.example.org`,
  );
  ids.report = await publishReport(t, analyst.token, { title: 'Fuzz scan', tlp: 'GREEN' });
  ids.otherReport = await publishReport(t, chubuAdmin.token, {
    title: `${CANARIES[2]} substation`,
    tlp: 'AMBER_STRICT',
    audience: { organisationIds: [chubu] },
  });
  // The leak check means something only if the canaries are there to leak: their owner sees them.
  const own = await fetch(`${t.url}/feeds/all.txt`, {
    headers: { authorization: `Bearer ${await apiToken(chubuAdmin.token, ['feeds:read'])}` },
  });
  const ownReport = await t.gql(
    'query($id: ID!) { report(id: $id) { title } }',
    { id: ids.otherReport },
    chubuAdmin.token,
  );
  const seenByOwner = `${await own.text()} ${JSON.stringify(ownReport.data)}`;
  for (const canary of CANARIES) expect(seenByOwner).toContain(canary);
  const collections = await fetch(`${t.url}/taxii2/api/collections/`, {
    headers: {
      authorization: `Bearer ${creds.taxii}`,
      accept: 'application/taxii+json;version=2.1',
    },
  });
  const body = (await collections.json()) as { collections?: { id: string }[] };
  ids.collection = body.collections?.[0]?.id ?? '00000000-0000-4000-8000-000000000000';
  await teachFastPath();
});

afterAll(async () => {
  await t?.stop();
});

// ---------------------------------------------------------------------------------------------
// Generators

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
const uuid = fc.oneof(
  fc.constantFrom('LIST', 'OTHER_LIST', 'REPORT', 'OTHER_REPORT', 'COLLECTION'),
  fc.uuid(),
  fc.constantFrom('0', '-1', 'null', 'undefined', '%00', 'x'.repeat(300), '1e309', '..'),
  hex(32),
);

const feedNames = fc
  .tuple(
    fc.constantFrom('ip', 'ipv4', 'ipv6', 'domain', 'url', 'email', 'hash', 'all', 'IP', 'x', ''),
    fc.constantFrom('.txt', '.csv', '.json', '.stix', '.txt.sha256', '.csv.md5', '.xml', '', '.'),
  )
  .map(([k, f]) => `/feeds/${k}${f}`);

const routes = fc.oneof(
  { weight: 4, arbitrary: feedNames },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '/taxii2/',
      '/taxii2/api/',
      '/taxii2/api/collections/',
      '/taxii2/api/collections/COLLECTION/',
      '/taxii2/api/collections/COLLECTION/objects/',
      '/taxii2/api/collections/COLLECTION/objects/indicator--ID/',
      '/taxii2/api/collections/COLLECTION/objects/indicator--ID/versions/',
      '/taxii2/api/collections/COLLECTION/manifest/',
      '/taxii2/api/collections/UUID/objects/',
      '/taxii2/nope',
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '/api/lists/LIST/entries',
      '/api/lists/OTHER_LIST/entries',
      '/api/lists/UUID/entries',
      '/api/lists/LIST/stix',
      '/api/lists/OTHER_LIST/stix',
      '/api/reports/REPORT/stix',
      '/api/reports/OTHER_REPORT/stix',
      '/api/lists',
    ),
  },
  { weight: 4, arbitrary: fc.constant('/graphql') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '/healthz',
      '/readyz',
      '/login',
      '/account',
      '/pages/style.css',
      '/pages/login.js',
      '/pages/webauthn.js',
      '/pages/__proto__',
      '/pages/constructor',
      '/explorer/init.js',
      '/explorer/graphiql.min.js',
      '/explorer/..%2f..%2fpackage.json',
      '/',
      '/favicon.ico',
      '/index.html',
    ),
  },
);

/** Ways to break a path: each keeps its route mostly recognisable. */
const pathMutation = fc.oneof(
  { weight: 6, arbitrary: fc.constant((p: string) => p) },
  ...[
    (p: string) => `${p}%`,
    (p: string) => `${p}%zz`,
    (p: string) => `${p}%E0%A4%A`,
    (p: string) => p.replace(/\/([^/]*)$/, '/%c0%af$1'), // overlong '/'
    (p: string) => `${p}%ff%fe`,
    (p: string) => `${p}%00`,
    (p: string) => `${p}%ed%a0%80`, // an encoded lone surrogate
    (p: string) => p.replace(/^\/([^/]+)/, '/$1/../$1'),
    (p: string) => `${p}/../../../../etc/passwd`,
    (p: string) => p.replace(/\//g, '//'),
    (p: string) => p.replace(/\//g, '%2f').replace(/^%2f/, '/'),
    (p: string) => p.replace(/\//g, '\\').replace(/^\\/, '/'),
    (p: string) => p.toUpperCase(),
    (p: string) => `${p};jsessionid=1`,
    (p: string) => `${p}/`,
    (p: string) => `${p}/${'a'.repeat(9000)}`,
    (p: string) => `${p}${'%41'.repeat(2000)}`,
    (p: string) => `${p}\u00e9\u6f22`, // raw UTF-8 bytes in the request line
    (p: string) => `${p}#frag`,
    (p: string) => `http://hub${p}`,
    (p: string) => `${p}%2e%2e/%2e%2e/`,
  ].map((f) => ({ weight: 1, arbitrary: fc.constant(f) })),
);

const queryValue = fc.oneof(
  fc.constantFrom(
    '',
    '1',
    '0',
    '-1',
    '3',
    '1000',
    '1001',
    '99999999999999999999999',
    '1e309',
    'NaN',
    'true',
    'LIST',
    'OTHER_LIST',
    'UUID',
    '%',
    '%zz',
    '%c0%ae',
    '%00',
    '2026-12-05T00:00:00Z',
    '+275760-09-13T00:00:00.000Z',
    '9999-99-99',
    '0000-01-01T00:00:00Z',
    'indicator',
    'indicator,report',
    'x'.repeat(5000),
  ),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  uuid,
);
const queryKey = fc.constantFrom(
  'list',
  'min_confidence',
  'sector',
  'aggregate',
  'max',
  'parts',
  'part',
  'limit',
  'next',
  'added_after',
  'match[type]',
  'match[id]',
  'match[version]',
  'match[spec_version]',
  'format',
  'partial',
  'confidence',
  'validity_days',
  'tags',
  'note',
  'seen_at',
  'query',
  'variables',
  'operationName',
  'a[]',
  'a[b][c]',
  '__proto__',
  'constructor[prototype][x]',
  '',
  '%',
);
const queryString = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  {
    weight: 4,
    arbitrary: fc
      .array(fc.tuple(queryKey, queryValue), { minLength: 1, maxLength: 6 })
      .map((kv) => `?${kv.map(([k, v]) => `${k}=${v}`).join('&')}`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '?',
      '?&&&=&=',
      '?list',
      `?${'list=LIST&'.repeat(300)}`,
      `?${'a=1&'.repeat(2000)}`,
      '?query=%7Bme%7Bid%7D%7D',
      '?query={__typename}',
      '?query=query%7B__schema%7Btypes%7Bname%7D%7D%7D',
      '?parts=3&part=2',
      '?parts=1000&part=1000',
      '?aggregate=1&max=1',
    ),
  },
);

const method = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('GET', 'POST') },
  {
    weight: 3,
    arbitrary: fc.constantFrom('HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND'),
  },
  { weight: 1, arbitrary: fc.constantFrom('get', 'FOO', 'G ET', 'POST\u0000') },
);

const caller = fc.constantFrom<Caller>(
  'anonymous',
  'session',
  'cookie',
  'feeds-bearer',
  'feeds-basic',
  'taxii',
  'writer',
);

type Header = [string, string | Buffer];
const header: fc.Arbitrary<Header> = fc.oneof(
  fc.constantFrom<Header>(
    ['Authorization', 'Basic'],
    ['Authorization', 'Basic !!!'],
    ['Authorization', `Basic ${Buffer.from('nocolon').toString('base64')}`],
    ['Authorization', `Basic ${Buffer.from(':').toString('base64')}`],
    ['Authorization', 'Bearer'],
    ['Authorization', 'Bearer a b'],
    ['Authorization', `Bearer rkt_${'x'.repeat(8000)}`],
    ['Authorization', Buffer.from('Bearer \u00e9\u00e9', 'latin1')],
    ['Authorization', Buffer.from('Bearer \u6f22', 'utf8')],
    ['Authorization', 'Digest username="x"'],
    ['Cookie', 'renkei_session=%E0%A4%A'],
    ['Cookie', 'renkei_session=; renkei_session=x'],
    ['Cookie', `renkei_session=${'y'.repeat(6000)}`],
    ['If-None-Match', '*'],
    ['If-None-Match', 'W/"x", "y", ,,'],
    ['If-None-Match', `"${'z'.repeat(4000)}"`],
    ['If-Modified-Since', 'yesterday'],
    ['If-Modified-Since', 'Fri, 31 Dec 275760 23:59:59 GMT'],
    ['If-Modified-Since', 'Thu, 01 Jan 1970 00:00:00 GMT'],
    ['Range', 'bytes=0-10'],
    ['Range', 'bytes=abc'],
    ['Range', 'bytes=-1,0-0,5-2'],
    ['Accept', 'application/taxii+json;version=2.0'],
    ['Accept', 'text/html'],
    ['Accept', ';;;,*/*;q=nope'],
    ['Accept-Encoding', 'gzip'],
    ['Accept-Encoding', 'gzip;q=0, br, x'],
    ['X-Forwarded-For', '1.2.3.4, ::ffff:10.0.0.1, garbage'],
    ['X-Forwarded-For', ''],
    ['X-Request-Id', 'fuzz-request-0001'],
    ['X-Request-Id', '<script>alert(1)</script>'],
    ['Origin', 'https://evil.example'],
    ['apollo-require-preflight', 'true'],
    ['x-apollo-operation-name', 'x'],
    ['Expect', '100-continue'],
    ['Host', ''],
    ['Host', 'evil.example:99999'],
    ['Content-Type', 'application/json; charset=utf-16'],
    ['Content-Type', 'application/json; charset=nope'],
    ['Upgrade', 'websocket'],
  ),
  fc
    .tuple(
      fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/),
      fc.string({ unit: 'binary', maxLength: 60 }),
    )
    .map(([n, v]): Header => [`X-${n}`, Buffer.from(v.replace(/[\r\n]/g, ''), 'utf8')]),
);

const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'text/csv',
  'application/stix+json',
  'application/graphql',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'garbage',
);

const jsonScalar = fc.oneof(
  fc.constantFrom(
    null,
    true,
    0,
    -1,
    2 ** 31,
    1e308,
    '',
    'LIST',
    'OTHER_LIST',
    'REPORT',
    'OTHER_REPORT',
    '9999-12-31T23:59:59Z',
    '+275760-09-13T00:00:00.000Z',
    '0000-00-00',
    'NaN',
    '\ud800',
    '\udfff\ud800',
    'x'.repeat(20_000),
    '45.33.32.156\n1.2.3.4/0\n::/0',
    'GREEN',
    'RED',
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer(),
  fc.double(),
);
const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    jsonScalar,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(
      fc.constantFrom('text', 'tlp', 'title', 'email', 'password', 'first', 'id', '__proto__', 'x'),
      tie('v'),
      { maxKeys: 4 },
    ),
  ),
})).v;

const OPERATIONS = [
  'query { me { id email organisation { id } } }',
  'query($id: ID!) { indicatorList(id: $id) { id name entries(first: 5) { totalCount } } }',
  'query($n: Int, $a: String, $f: IndicatorListFilter) { indicatorLists(first: $n, after: $a, filter: $f) { totalCount edges { cursor node { id name } } } }',
  'query($v: String!) { indicator(value: $v) { value } }',
  'query($id: ID!) { report(id: $id) { id title } }',
  'query($f: ReportFilter, $n: Int, $a: String) { reports(filter: $f, first: $n, after: $a) { totalCount edges { cursor node { id title } } } }',
  'query($from: DateTime, $to: DateTime) { reportStatistics(period: MONTH, from: $from, to: $to) { count } }',
  'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { applied added rejectedCount } }',
  'mutation($i: LoginInput!) { login(input: $i) { token } }',
  'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
  'mutation($r: ID!, $b: String!) { addReportComment(reportId: $r, body: $b) { id } }',
  'mutation($r: ID!, $n: String, $s: String) { addReportSighting(reportId: $r, note: $n, seenOn: $s) { id } }',
  'query { __schema { types { name } } }',
  `query { ${Array.from({ length: 200 }, (_, i) => `a${i}: me { id }`).join(' ')} }`,
  `query { me { organisation { ${'users { edges { node { organisation { '.repeat(8)} id ${'} } } }'.repeat(8)} } } }`,
  'subscription { listEvents { __typename } }',
  '{',
  'query { me { id } ',
  '',
];

const variables = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.dictionary(
      fc.constantFrom('id', 'n', 'a', 'f', 'v', 'from', 'to', 'l', 'i', 'r', 'b', 'n', 's'),
      jsonValue,
      { maxKeys: 5 },
    ),
  },
  { weight: 1, arbitrary: jsonValue },
);

const graphqlBody = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom(...OPERATIONS), variables, fc.option(fc.constantFrom('x', '', 'a0')))
      .map(([query, v, op]) => ({
        query,
        variables: v,
        ...(op !== null ? { operationName: op } : {}),
      })),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.constantFrom(...OPERATIONS), { minLength: 2, maxLength: 5 })
      .map((qs) => qs.map((query) => ({ query }))),
  },
  { weight: 1, arbitrary: jsonValue.map((v) => ({ query: v })) },
);

const deep = (n: number, open: string, close: string) => open.repeat(n) + close.repeat(n);
const body = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 5, arbitrary: graphqlBody.map((b) => Buffer.from(JSON.stringify(b))) },
  { weight: 2, arbitrary: jsonValue.map((v) => Buffer.from(JSON.stringify(v) ?? 'undefined')) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        '{',
        '{"query":',
        '[]',
        'null',
        '"\\ud800"',
        '{"query":"{ me { id } }","variables":{"x":"\\udc00"}}',
        '{"query":"\\ud800"}',
        `{"query":"{ me { id } }","variables":${deep(20_000, '[', ']')}}`,
        `{"query":"{ me { id } }","variables":{"a":${deep(10_000, '{"a":', '}').replace(/}$/, '1}')}}}`,
        `{"query":"${'{'.repeat(5000)}"}`,
        `{"query":"{ me { id } }","x":"${'x'.repeat(100 * 1024 - 40)}"}`,
        `{"query":"{ me { id } }","x":"${'x'.repeat(100 * 1024 + 10)}"}`,
        `{"__proto__":{"query":"{ me { id } }"}}`,
        '{"query":"{ me { id } }", "query":"mutation { logout }"}',
        'query=%7Bme%7Bid%7D%7D',
        '45.33.32.156\n1.2.3.4\n0.0.0.0/0\n::/0\n# c\n\u0000\n\ud800',
        'value,confidence\n45.33.32.156,99\n"unterminated,1',
        '{"type":"bundle","id":"bundle--1","objects":[{"type":"indicator","pattern":"[ipv4-addr:value = \'1.2.3.4\']"}]}',
        '{"type":"bundle","objects":[{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-000000000000","created":"+275760-09-13T00:00:00.000Z","modified":"2026-01-01T00:00:00Z","valid_from":"2026-01-01T00:00:00Z","pattern_type":"stix","pattern":"[ipv4-addr:value = \'45.33.32.157\']"}]}',
      )
      .map((s) => Buffer.from(s)),
  },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      Buffer.from([0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0xff, 0x22, 0x7d]), // invalid UTF-8
      Buffer.from('\ufeff{"query":"{ me { id } }"}'),
      Buffer.from('{"query":"{ me { id } }"}', 'utf16le'),
    ),
  },
);

const encoding = fc.constantFrom<
  | 'plain'
  | 'gzip'
  | 'gzip-garbage'
  | 'deflate-garbage'
  | 'br'
  | 'unknown'
  | 'chunked'
  | 'te-and-cl'
  | 'cl-short'
>(
  'plain',
  'plain',
  'plain',
  'plain',
  'gzip',
  'gzip-garbage',
  'deflate-garbage',
  'br',
  'unknown',
  'chunked',
  'chunked',
  'te-and-cl',
  'cl-short',
);

interface FuzzRequest {
  caller: Caller;
  method: string;
  route: string;
  mutate: (p: string) => string;
  query: string;
  headers: Header[];
  contentType: string | undefined;
  body: Buffer | undefined;
  encoding: string;
}

const anyRequest: fc.Arbitrary<FuzzRequest> = fc.record({
  caller,
  method,
  route: routes,
  mutate: pathMutation,
  query: queryString,
  headers: fc.array(header, { maxLength: 4 }),
  contentType,
  body,
  encoding,
});

/** A firewall's pull, slightly off: what reaches the feed fast path rather than Express. */
const firewallPull: fc.Arbitrary<FuzzRequest> = fc.record({
  caller: fc.constantFrom<Caller>('feeds-bearer', 'feeds-basic'),
  method: fc.constantFrom('GET', 'GET', 'HEAD'),
  route: fc.constantFrom(...PULLED),
  mutate: pathMutation,
  query: fc.constant(''),
  headers: fc.array(
    fc.oneof(
      header,
      fc.constantFrom<Header>(
        ['Accept-Encoding', 'gzip'],
        ['If-None-Match', '*'],
        ['If-Modified-Since', new Date(Date.now() + 86_400_000).toUTCString()],
      ),
    ),
    { maxLength: 2 },
  ),
  contentType: fc.constant(undefined),
  body: fc.constant(undefined),
  encoding: fc.constant('plain'),
});

const IMPORT_PARAMS = [
  'format',
  'partial',
  'confidence',
  'validity_days',
  'tags',
  'note',
  'report',
  'seen_at',
];

/** A script's bulk import, slightly off: what reaches the import parsers and the database. */
const bulkImport: fc.Arbitrary<FuzzRequest> = fc.record({
  caller: fc.constantFrom<Caller>('writer', 'writer', 'session'),
  method: fc.constant('POST'),
  route: fc.constantFrom('/api/lists/LIST/entries', '/api/lists/OTHER_LIST/entries'),
  mutate: fc.constant((p: string) => p),
  query: fc.oneof(
    fc.constant(''),
    fc
      .array(fc.tuple(fc.constantFrom(...IMPORT_PARAMS), queryValue), {
        minLength: 1,
        maxLength: 3,
      })
      .map((kv) => `?${kv.map(([k, v]) => `${k}=${v}`).join('&')}`),
  ),
  headers: fc.array(header, { maxLength: 1 }),
  contentType: fc.constantFrom('text/plain', 'text/csv', 'application/stix+json', undefined),
  body,
  encoding: fc.constantFrom('plain', 'plain', 'gzip', 'chunked'),
});

const request = fc.oneof(
  { weight: 8, arbitrary: anyRequest },
  { weight: 1, arbitrary: firewallPull },
  { weight: 1, arbitrary: bulkImport },
);

// ---------------------------------------------------------------------------------------------
// Rendering a generated request into bytes

function withIds(s: string): string {
  return s
    .replace(/OTHER_LIST/g, ids.otherList)
    .replace(/OTHER_REPORT/g, ids.otherReport)
    .replace(/LIST/g, ids.ownList)
    .replace(/REPORT/g, ids.report)
    .replace(/COLLECTION/g, ids.collection)
    .replace(/UUID/g, '6f1c2d7e-0000-4000-8000-000000000001')
    .replace(/indicator--ID/g, 'indicator--6f1c2d7e-0000-4000-8000-000000000002');
}

function authHeaders(c: Caller): Header[] {
  switch (c) {
    case 'anonymous':
      return [];
    case 'session':
      return [['Authorization', `Bearer ${creds.session}`]];
    case 'cookie':
      return [['Cookie', `renkei_session=${creds.session}`]];
    case 'feeds-bearer':
      return [['Authorization', `Bearer ${creds.feeds}`]];
    case 'feeds-basic':
      return [['Authorization', `Basic ${Buffer.from(`x:${creds.feeds}`).toString('base64')}`]];
    case 'taxii':
      return [['Authorization', `Bearer ${creds.taxii}`]];
    case 'writer':
      return [['Authorization', `Bearer ${creds.writer}`]];
  }
}

function render(r: FuzzRequest): { bytes: Buffer; method: string; target: string } {
  const target = Buffer.from(withIds(r.mutate(r.route) + r.query), 'utf8').toString('latin1');
  let payload: Buffer | undefined = r.body
    ? Buffer.from(withIds(r.body.toString('latin1')), 'latin1')
    : undefined;
  const headers: Header[] = [...authHeaders(r.caller)];
  if (r.contentType) headers.push(['Content-Type', r.contentType]);
  if (r.route === '/graphql' && r.method === 'POST' && r.headers.length % 2 === 0) {
    headers.push(['apollo-require-preflight', 'true']);
  }
  headers.push(...r.headers.map(([n, v]): Header => [n, typeof v === 'string' ? withIds(v) : v]));
  if (payload) {
    switch (r.encoding) {
      case 'gzip':
        payload = gzipSync(payload);
        headers.push(['Content-Encoding', 'gzip']);
        break;
      case 'gzip-garbage':
        headers.push(['Content-Encoding', 'gzip']);
        break;
      case 'deflate-garbage':
        headers.push(['Content-Encoding', 'deflate']);
        break;
      case 'br':
        headers.push(['Content-Encoding', 'br']);
        break;
      case 'unknown':
        headers.push(['Content-Encoding', 'x-fuzz, gzip']);
        break;
    }
    if (r.encoding === 'chunked' || r.encoding === 'te-and-cl') {
      headers.push(['Transfer-Encoding', 'chunked']);
      if (r.encoding === 'te-and-cl') headers.push(['Content-Length', String(payload.length)]);
      const half = Math.floor(payload.length / 2);
      const chunks = [payload.subarray(0, half), payload.subarray(half)].filter((c) => c.length);
      payload = Buffer.concat([
        ...chunks.map((c) =>
          Buffer.concat([Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n')]),
        ),
        Buffer.from('0\r\n\r\n'),
      ]);
    } else if (r.encoding === 'cl-short') {
      // Fewer bytes declared than sent: the rest reads as a second (garbage) request.
      headers.push(['Content-Length', String(Math.floor(payload.length / 2))]);
    } else {
      headers.push(['Content-Length', String(payload.length)]);
    }
  }
  return {
    bytes: rawBytes(r.method, Buffer.from(target, 'latin1'), headers, payload),
    method: r.method,
    target,
  };
}

// ---------------------------------------------------------------------------------------------
// What a well-formed answer is

interface Failure {
  kind: string;
  detail: string;
  repro: string;
}

/** Distinct failures: one per kind and route family, with every status seen and the shortest example. */
const failures = new Map<string, { count: number; statuses: Set<number>; first: Failure }>();
function fail(kind: string, detail: string, repro: string, status?: number): void {
  const key = `${kind} | ${detail}`;
  const seen = failures.get(key) ?? {
    count: 0,
    statuses: new Set(),
    first: { kind, detail, repro },
  };
  failures.set(key, seen);
  seen.count++;
  if (status !== undefined) seen.statuses.add(status);
  if (repro.length < seen.first.repro.length) seen.first.repro = repro;
}

function show(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  const shown = JSON.stringify(
    text.length > 600 ? `${text.slice(0, 600)}…(${text.length} bytes)` : text,
  );
  return shown;
}

function family(target: string): 'taxii' | 'graphql' | 'feeds' | 'api' | 'other' {
  // As Express routes it: case-insensitive, without a fragment or query.
  const path = target
    .replace(/^http:\/\/hub/, '')
    .split(/[?#]/)[0]
    .toLowerCase();
  if (/^\/taxii2(\/|$|%|\?)/.test(path)) return 'taxii';
  if (/^\/graphql\/?$/.test(path)) return 'graphql';
  if (path.startsWith('/feeds/')) return 'feeds';
  if (path.startsWith('/api/')) return 'api';
  return 'other';
}

function json(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Node's own refusal of a request it cannot parse: no application code ran. */
function parserRefusal(res: RawResponse): boolean {
  return (
    !res.headers['x-request-id'] &&
    [400, 413, 414, 431, 501, 505].includes(res.status) &&
    res.body.length === 0
  );
}

/** Reasons an answer is not well-formed (empty when it is). */
function check(method: string, target: string, res: RawResponse): string[] {
  const problems: string[] = [];
  const fam = family(target);
  if (res.status < 200 || res.status > 599) return [`status ${res.status}`];
  let body = res.body;
  if (/gzip/.test(res.headers['content-encoding'] ?? '')) {
    try {
      body = gunzipSync(body);
    } catch {
      problems.push('gzip body does not inflate');
    }
  }
  const text = body.toString('utf8');
  if (INTERNALS.test(text)) problems.push('stack trace or server path in body');
  for (const canary of CANARIES) {
    if (text.includes(canary)) problems.push(`LEAK: another organisation's "${canary}"`);
  }
  // The caller's input, however bad, is never the server's fault.
  if (res.status >= 500) problems.push(`${res.status} to a client's request`);
  if (res.status < 400 || parserRefusal(res) || method === 'HEAD') return problems;
  const requestId = res.headers['x-request-id'];
  const parsed = json(body) as Record<string, unknown> | undefined;
  if (fam === 'taxii') {
    if (!/^application\/taxii\+json/.test(res.headers['content-type'] ?? '')) {
      problems.push(`TAXII error not application/taxii+json (${res.headers['content-type']})`);
    }
    if (!parsed || typeof parsed.title !== 'string' || parsed.http_status !== String(res.status)) {
      problems.push('TAXII error body without title/http_status');
    } else if (!requestId || parsed.error_id !== requestId) {
      problems.push('TAXII error without error_id = X-Request-Id');
    }
    return problems;
  }
  if (fam === 'graphql' && parsed && Array.isArray(parsed.errors)) {
    const errors = parsed.errors as { message?: unknown; extensions?: { code?: unknown } }[];
    if (
      !errors.length ||
      errors.some((e) => typeof e.message !== 'string' || typeof e.extensions?.code !== 'string')
    ) {
      problems.push('GraphQL error without message/extensions.code');
    }
    if (!requestId) problems.push('GraphQL error without X-Request-Id');
    return problems;
  }
  // The bulk import answers a refused input with its result document (ADR 0008), not an error.
  if (fam === 'api' && res.status === 422 && parsed?.applied === false) return problems;
  const error = parsed?.error as { code?: unknown; message?: unknown } | undefined;
  if (!parsed || typeof error?.code !== 'string' || typeof error?.message !== 'string') {
    problems.push('error body not {error:{code,message}}');
  } else if (!requestId || parsed.requestId !== requestId) {
    problems.push('error body without requestId = X-Request-Id');
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Driving

let sent = 0;
let restarts = 0;
/** Feed answers that came from the fast path (it adds no request id): proof it was reached. */
let fastPathAnswers = 0;
/** What hubs that exited wrote, for the log checks at the end. */
const earlierOutputs: string[][] = [];

async function ensureAlive(repro: string): Promise<void> {
  if (t.process.exitCode === null && t.process.signalCode === null) return;
  const tail = t.output
    .slice(-40)
    .filter((l) => /error|Error|exception/i.test(l))
    .slice(-3)
    .map((l) => l.slice(0, 300))
    .join(' / ');
  fail('PROCESS EXITED', `exit ${t.process.exitCode ?? t.process.signalCode}: ${tail}`, repro);
  restarts++;
  const databaseUrl = t.databaseUrl;
  earlierOutputs.push(t.output);
  t = await startTestHub({}, databaseUrl);
  port = Number(new URL(t.url).port);
  await teachFastPath();
}

async function healthz(after: string): Promise<void> {
  const out = await rawExchange(port, rawBytes('GET', '/healthz', []));
  if (out.kind !== 'answer' || out.response.status !== 200) {
    await new Promise((r) => setTimeout(r, 200));
    await ensureAlive(after);
    fail(
      '/healthz not 200',
      out.kind === 'answer' ? `status ${out.response.status}` : out.kind,
      after,
    );
  }
}

function outcomeProblem(out: RawOutcome): string | undefined {
  if (out.kind === 'timeout') return 'no answer within 20 s (stall)';
  if (out.kind === 'closed')
    return out.received.length ? 'unparseable answer' : 'connection closed without an answer';
  if (out.kind === 'error') return `socket error ${out.message.replace(/\d+/g, 'N')}`;
  return undefined;
}

async function sendOne(r: FuzzRequest): Promise<void> {
  const { bytes, method, target } = render(r);
  const repro = `${r.caller}: ${show(bytes)}`;
  sent++;
  const out = await rawExchange(port, bytes, { head: method === 'HEAD' });
  const problem = outcomeProblem(out);
  if (problem) {
    // A method the parser cannot read, or a refused upgrade, may end the connection silently.
    const silentOk =
      out.kind === 'closed' &&
      (!/^[A-Z]+$/.test(method) || r.headers.some(([n]) => n === 'Upgrade'));
    await new Promise((res) => setTimeout(res, out.kind === 'closed' ? 20 : 0));
    if (t.process.exitCode !== null || t.process.signalCode !== null) return ensureAlive(repro);
    if (!silentOk) fail(problem, `${method} ${family(target)}`, repro);
    return;
  }
  if (out.kind !== 'answer') return;
  const { status, headers } = out.response;
  if (family(target) === 'feeds' && status < 400 && !headers['x-request-id']) fastPathAnswers++;
  for (const p of check(method, target, out.response)) {
    fail(
      p,
      family(target),
      `${repro}\n      -> ${out.response.status} ${show(out.response.body.subarray(0, 300))}`,
      out.response.status,
    );
  }
}

describe('the whole HTTP surface under generated input', () => {
  it('answers every request well-formed, keeps running, and keeps /healthz at 200', async () => {
    const requests = fc.sample(request, { numRuns: RUNS, seed: SEED });
    for (const [i, r] of requests.entries()) {
      if (restarts >= MAX_RESTARTS) {
        fail(`run stopped after ${restarts} restarts`, `${i} of ${RUNS} sent`, '');
        break;
      }
      if (i % RELEARN_EVERY === 0) await teachFastPath();
      await sendOne(r);
      await ensureAlive(`after request ${i}`);
      if (i % HEALTH_EVERY === 0) await healthz(`after request ${i}`);
    }
    await healthz('after the run');
    report('HTTP', RUNS);
    expect(summary()).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// graphql-ws

type Frame = string | Buffer;
const SUBSCRIPTION = 'subscription { listEvents { __typename } }';
const frame: fc.Arbitrary<Frame> = fc.oneof(
  fc.constantFrom<Frame>(
    '{"type":"connection_init"}',
    '{"type":"connection_init","payload":{"authorization":"Bearer SESSION"}}',
    '{"type":"connection_init","payload":"Bearer SESSION"}',
    '{"type":"connection_init","payload":{"authorization":42}}',
    '{"type":"connection_init","payload":{"authorization":"Bearer FEEDS"}}',
    '{"type":"ping"}',
    '{"type":"pong"}',
    '{"type":"ping","payload":[1,2]}',
    `{"type":"subscribe","id":"1","payload":{"query":"${SUBSCRIPTION}"}}`,
    `{"type":"subscribe","id":"1","payload":{"query":"${SUBSCRIPTION}"}}`,
    `{"type":"subscribe","id":"${'9'.repeat(5000)}","payload":{"query":"${SUBSCRIPTION}"}}`,
    `{"type":"subscribe","id":7,"payload":{"query":"${SUBSCRIPTION}"}}`,
    '{"type":"subscribe","id":"2","payload":{"query":"query { me { id } }"}}',
    '{"type":"subscribe","id":"3","payload":{"query":"subscription {"}}',
    '{"type":"subscribe","id":"4","payload":{"query":"subscription($a: ID) { listEvents(after: $a) { __typename } }","variables":{"a":{"x":1}}}}',
    '{"type":"subscribe","id":"5","payload":{"query":"subscription { reportEvents(after: \\"garbage\\") { __typename } }"}}',
    '{"type":"subscribe","id":"6"}',
    '{"type":"subscribe","id":"\\ud800","payload":{"query":"subscription { listEvents { __typename } }"}}',
    '{"type":"complete","id":"1"}',
    '{"type":"complete","id":"nope"}',
    '{"type":"next","id":"1","payload":{}}',
    '{"type":"error","id":"1","payload":[]}',
    '{"type":"connection_ack"}',
    '{"type":5}',
    '{"type":null}',
    '{}',
    '[]',
    'null',
    '"text"',
    'not json',
    '{"type":"subscribe","id":"1","payload":{"query":"subscription { listEvents { __typename } }"}',
    `{"type":"ping","payload":{"x":"${'p'.repeat(60_000)}"}}`,
    `{"type":"subscribe","id":"8","payload":{"query":"${'{'.repeat(3000)}"}}`,
  ),
  fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
  jsonValue.map((v) => JSON.stringify(v) ?? 'null'),
);

const SYNC_MARK = 'sync-7d1e';
const ALLOWED_CLOSE = new Set([1000, 1001, 1008, 1009, 4400, 4401, 4403, 4406, 4408, 4409, 4429]);
const SERVER_TYPES = new Set(['connection_ack', 'next', 'error', 'complete', 'ping', 'pong']);

async function wsSession(credential: string, frames: Frame[]): Promise<void> {
  const filled = frames.map((f) =>
    typeof f === 'string' ? f.replace('SESSION', creds.session).replace('FEEDS', creds.feeds) : f,
  );
  const repro = `ws ${credential || 'no header'}: ${JSON.stringify(filled.map((f) => (typeof f === 'string' ? f.slice(0, 200) : `<binary ${f.toString('hex').slice(0, 40)}>`)))}`;
  sent++;
  const ws = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
  const received: string[] = [];
  const outcome = await new Promise<{ code?: number; error?: string; pong?: boolean }>(
    (resolve) => {
      const timer = setTimeout(
        () => resolve({ error: 'no pong or close within 20 s (stall)' }),
        20_000,
      );
      const done = (o: { code?: number; error?: string; pong?: boolean }) => {
        clearTimeout(timer);
        resolve(o);
      };
      ws.on('message', (data) => {
        const text = data.toString();
        received.push(text);
        if (text.includes(SYNC_MARK)) done({ pong: true });
      });
      ws.on('close', (code) => done({ code }));
      ws.on('error', (e) => done({ error: `socket error ${e.message}` }));
      ws.on('open', () => {
        for (const f of filled) ws.send(f);
        // Its pong (the payload comes back) means every frame before it was read.
        ws.send(`{"type":"ping","payload":{"fuzz":"${SYNC_MARK}"}}`);
      });
    },
  );
  if (ws.readyState === WebSocket.OPEN) ws.close(1000);
  if (outcome.error) fail(outcome.error, 'graphql-ws', repro);
  if (outcome.code !== undefined && !ALLOWED_CLOSE.has(outcome.code)) {
    fail(`graphql-ws closed with ${outcome.code}`, 'graphql-ws', repro);
  }
  for (const text of received) {
    const f = json(Buffer.from(text)) as { type?: unknown; payload?: unknown } | undefined;
    if (!f || !SERVER_TYPES.has(String(f.type)))
      fail(
        'graphql-ws frame not a protocol message',
        'graphql-ws',
        `${repro}\n      -> ${text.slice(0, 200)}`,
      );
    if (INTERNALS.test(text)) fail('graphql-ws stack trace or server path', 'graphql-ws', repro);
    for (const canary of CANARIES)
      if (text.includes(canary)) fail(`LEAK over graphql-ws: ${canary}`, 'graphql-ws', repro);
    if (f?.type === 'error') {
      const errors = f.payload as { message?: unknown; extensions?: { code?: unknown } }[];
      if (
        !Array.isArray(errors) ||
        errors.some((e) => typeof e.message !== 'string' || typeof e.extensions?.code !== 'string')
      ) {
        fail(
          'graphql-ws error frame without message/extensions.code',
          'graphql-ws',
          `${repro}\n      -> ${text.slice(0, 200)}`,
        );
      }
    }
  }
}

describe('graphql-ws under generated frames', () => {
  it('answers in the protocol or closes with a protocol code, and the hub keeps running', async () => {
    const sessions = fc.sample(
      fc.tuple(
        fc.constantFrom('', 'SESSION', 'FEEDS', 'garbage'),
        fc.array(frame, { minLength: 1, maxLength: 6 }),
      ),
      { numRuns: WS_RUNS, seed: SEED },
    );
    failures.clear();
    for (const [i, [who, frames]] of sessions.entries()) {
      const init =
        who === 'garbage'
          ? ['{"type":"connection_init","payload":{"authorization":"Bearer rkt_nope"}}']
          : who
            ? [`{"type":"connection_init","payload":{"authorization":"Bearer ${who}"}}`]
            : [];
      await wsSession(who, [...init, ...frames]);
      await ensureAlive(`after ws session ${i}`);
      if (i % HEALTH_EVERY === 0) await healthz(`after ws session ${i}`);
    }
    await healthz('after the ws run');
    report('graphql-ws', WS_RUNS);
    expect(summary()).toEqual([]);
  });
});

describe('the hub log after the fuzz', () => {
  it('holds no credential the callers sent, and only JSON records', () => {
    const problems = new Set<string>();
    for (const output of [...earlierOutputs, t.output]) {
      // The start banner (and a first start's setup token) come before this line, on purpose.
      const start = output.findIndex((l) => l.includes('"msg":"renkei hub listening"'));
      for (const line of output.slice(start + 1)) {
        for (const [name, secret] of Object.entries(creds)) {
          if (line.includes(secret))
            problems.add(`the ${name} credential in: ${line.slice(0, 200)}`);
        }
        // Besides the JSON log, stdout carries the one-time e-mail proof links on purpose, as
        // the setup token (ADR 0016): secrets the operator forwards, kept out of shipped logs.
        const proofLink = /^ {2}e-mail proof for \S+: redeem rkv_[\w-]+ with verifyEmail$/.test(
          line,
        );
        if (!line.startsWith('{') && !proofLink)
          problems.add(`not a JSON record: ${line.slice(0, 120)}`);
      }
    }
    console.log(`log check: ${problems.size} distinct problem(s)\n  ${[...problems].join('\n  ')}`);
    expect([...problems]).toEqual([]);
  });
});

function summary(): string[] {
  return [...failures.entries()].map(
    ([key, { count, statuses }]) => `${key} ${[...statuses].sort().join(',')} (${count}×)`,
  );
}

function report(what: string, runs: number): void {
  const lines = [
    `${what} fuzz: seed ${SEED} (FUZZ_SEED), ${runs} generated, ${sent} sent in all (${fastPathAnswers} feed answers from the fast path), ${restarts} restart(s) after the hub exited`,
    ...[...failures.values()].map(
      ({ count, statuses, first }) =>
        `  ✗ ${first.kind} [${first.detail} ${[...statuses].sort().join(',')}] ${count}×\n      ${first.repro}`,
    ),
  ];
  console.log(lines.join('\n'));
}
