import {
  buildSchema,
  getNamedType,
  GraphQLInputObjectType,
  GraphQLInputType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
} from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createOrg, member, Member, publishReport } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';

/*
 * Issue 11: nothing a member sends can take the hub down or break it for others. Every time a
 * client gives (GraphQL DateTime, REST `seen_at`, CSV columns, STIX timestamps) is read by the
 * one reader of client instants (impossible dates refused, never rolled over) and bounded
 * (observations not in the future beyond the clock skew, expiries within the longest validity);
 * and what is already stored never breaks an output (STIX feed, TAXII, GraphQL), whatever it is.
 */

jest.setTimeout(240_000);

// Answers are checked field by field; their full types would add nothing here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const TAXII = 'application/taxii+json;version=2.1';
const FAR = '9999-12-31T23:59:59Z';

let t: TestHub;
let admin: string;
let poster: Member;
let posterAdmin: Member;
let writer: string;
let peerFeeds: string;
let peerAdminToken: string;

async function gql(query: string, variables: Record<string, unknown>, token: string) {
  return t.gql<Json>(query, variables, token);
}

async function must(query: string, variables: Record<string, unknown>, token: string) {
  const r = await gql(query, variables, token);
  if (!r.data || r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
}

async function createList(name: string): Promise<string> {
  const r = await must(
    'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
    { i: { name, tlp: 'GREEN' } },
    poster.token,
  );
  return r.createIndicatorList.id;
}

const ADD = `mutation($l: ID!, $input: ListEntriesInput!) { addListEntries(listId: $l, input: $input) {
  applied added rejectedCount rejected { line where message } } }`;

async function apiToken(orgAdmin: string, name: string, scopes: string[]): Promise<string> {
  const r = await must(
    'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
    { i: { name, scopes } },
    orgAdmin,
  );
  return r.createApiToken.token;
}

async function post(listId: string, body: string, contentType: string, query = '') {
  const res = await fetch(`${t.url}/api/lists/${listId}/entries${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${writer}`, 'content-type': contentType },
    body,
  });
  return { status: res.status, body: (await res.json()) as Json };
}

async function get(path: string, token: string, accept = TAXII) {
  const res = await fetch(`${t.url}${path}`, {
    headers: { accept, authorization: `Bearer ${token}` },
  });
  return { status: res.status, text: await res.text() };
}

function bundle(indicator: Record<string, unknown>): string {
  return JSON.stringify({
    type: 'bundle',
    id: 'bundle--6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b',
    objects: [
      {
        type: 'indicator',
        spec_version: '2.1',
        id: 'indicator--0b1c2d3e-4f50-4a6b-8c7d-8e9fa0b1c2d3',
        created: '2026-11-01T00:00:00.000Z',
        modified: '2026-11-01T00:00:00.000Z',
        pattern: "[ipv4-addr:value = '198.51.100.77']",
        pattern_type: 'stix',
        valid_from: '2026-11-01T00:00:00.000Z',
        ...indicator,
      },
    ],
  });
}

async function db<T = Json>(sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: t.databaseUrl });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

/** The same hub on the same database, started again (migrations pending run at start). */
async function restart(env: Record<string, string> = {}) {
  await t.stop();
  t = await startTestHub(env, t.databaseUrl);
}

beforeAll(async () => {
  t = await startTestHub();
  admin = (await t.bootstrapAdmin()).token;
  const org = await createOrg(t, admin, { name: 'Kanto Electric', sectorCode: 'electric-power' });
  const peer = await createOrg(t, admin, { name: 'Chubu Power', sectorCode: 'electric-power' });
  posterAdmin = await member(t, admin, org, 'admin@kanto.example', 'ORG_ADMIN');
  poster = await member(t, admin, org, 'soc@kanto.example');
  const peerAdmin = await member(t, admin, peer, 'admin@chubu.example', 'ORG_ADMIN');
  writer = await apiToken(posterAdmin.token, 'kanto importer', ['indicators:write']);
  peerFeeds = await apiToken(peerAdmin.token, 'chubu tip', ['feeds:read']);
  peerAdminToken = peerAdmin.token;
});

afterAll(async () => {
  await t?.stop();
});

describe('GraphQL: every DateTime goes through the one reader, with its field path', () => {
  it('refuses a far-future seenAt (which broke every STIX feed) and adds nothing', async () => {
    const list = await createList('far future by GraphQL');
    const r = await gql(
      ADD,
      { l: list, input: { text: '198.51.100.1', seenAt: FAR } },
      poster.token,
    );
    expect(r.data?.addListEntries ?? null).toBeNull();
    expect(r.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ path: 'input.seenAt', message: expect.stringMatching(/in the future/) }],
    });
    expect(
      await db('SELECT 1 FROM entry_batch WHERE seen_at > now() + interval $$1 day$$'),
    ).toEqual([]);
  });

  it.each([
    ['2026-02-30T00:00:00Z', 'February 2026 has no day 30'],
    ['2026-13-01T00:00:00Z', 'no month 13'],
    ['2026-01-01T23:60:00Z', 'no minute 60'],
    ['0000-01-01T00:00:00Z', 'no year 0000'],
  ])('refuses seenAt %s with its field path, never rolled over', async (seenAt, why) => {
    const list = await createList(`impossible ${seenAt}`);
    const r = await gql(ADD, { l: list, input: { text: '198.51.100.2', seenAt } }, poster.token);
    expect(r.data?.addListEntries ?? null).toBeNull();
    expect(r.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ path: 'input.seenAt', message: expect.stringContaining(why) }],
    });
  });

  it('refuses an impossible date written in the document, with its line', async () => {
    const r = await gql(
      '{ reportStatistics(period: MONTH, from: "2026-02-30T00:00:00Z") { count } }',
      {},
      poster.token,
    );
    expect(r.errors?.[0].message).toContain('February 2026 has no day 30');
    expect(r.errors?.[0].extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
    expect(r.errors?.[0]).toHaveProperty('locations', [{ line: 1, column: 41 }]);
  });

  it('refuses an impossible filter time with its path', async () => {
    const r = await gql(
      'query($since: DateTime) { feedPulls(since: $since) { tokenName } }',
      { since: '2026-04-31T00:00:00Z' },
      posterAdmin.token,
    );
    expect(r.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [
        { path: 'since', message: expect.stringContaining('April 2026 has no day 31') },
      ],
    });
  });

  it('refuses a report timeline in the future or impossible, naming the field', async () => {
    const create = (timeline: Record<string, string>) =>
      gql(
        'mutation($input: ReportInput!) { createReport(input: $input) { id } }',
        { input: { kind: 'INCIDENT', title: 'Timeline', tlp: 'GREEN', timeline } },
        posterAdmin.token,
      );
    const future = await create({ occurredAt: '2026-01-01T00:00:00Z', detectedAt: FAR });
    expect(future.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [
        { path: 'input.timeline.detectedAt', message: expect.stringMatching(/in the future/) },
      ],
    });
    const draft = await create({ occurredAt: '2026-01-01T00:00:00Z' });
    const updated = await gql(
      'mutation($id: ID!, $input: ReportInput!) { updateReport(id: $id, input: $input) { id } }',
      { id: draft.data.createReport.id, input: { timeline: { recoveredAt: FAR } } },
      posterAdmin.token,
    );
    expect(updated.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [
        { path: 'input.timeline.recoveredAt', message: expect.stringMatching(/in the future/) },
      ],
    });
    const impossible = await create({ occurredAt: '2026-02-29T10:00:00Z' });
    expect(impossible.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [
        {
          path: 'input.timeline.occurredAt',
          message: expect.stringContaining('February 2026 has no day 29'),
        },
      ],
    });
  });

  it('refuses a sighting date in the future or impossible, naming the field', async () => {
    const report = await publishReport(t, posterAdmin.token, {
      title: 'Scans',
      tlp: 'GREEN',
      summary: 'Scans of gateways.',
    });
    const sight = (seenOn: string) =>
      gql(
        'mutation($r: ID!, $d: String) { addReportSighting(reportId: $r, seenOn: $d) { id } }',
        { r: report, d: seenOn },
        poster.token,
      );
    for (const [seenOn, why] of [
      ['9999-12-31', 'in the future'],
      ['2026-02-30', 'February 2026 has no day 30'],
    ]) {
      const r = await sight(seenOn);
      expect(r.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fieldErrors: [{ path: 'seenOn', message: expect.stringContaining(why) }],
      });
    }
    expect((await sight('2026-01-15')).errors).toBeUndefined();
  });
});

describe('GraphQL: no DateTime of the served schema goes round the reader', () => {
  /** Paths to every DateTime inside a type (through lists and input objects), as [] for itself. */
  function dateTimePaths(type: GraphQLInputType, depth = 0): string[][] {
    const named = getNamedType(type);
    if (named.name === 'DateTime') return [[]];
    if (!isInputObjectType(named) || depth > 4) return [];
    return Object.values(named.getFields()).flatMap((f) =>
      dateTimePaths(f.type, depth + 1).map((p) => [f.name, ...p]),
    );
  }

  /** A value of `type` holding `leaf` at `path` (lists get one element). */
  function valueAt(type: GraphQLInputType, path: string[], leaf: string): unknown {
    const inner = isNonNullType(type) ? type.ofType : type;
    if (isListType(inner)) return [valueAt(inner.ofType, path, leaf)];
    if (!path.length) return leaf;
    const field = (getNamedType(inner) as GraphQLInputObjectType).getFields()[path[0]];
    return { [path[0]]: valueAt(field.type, path.slice(1), leaf) };
  }

  it('refuses an impossible date in every DateTime argument and input field, with its path', async () => {
    const schema = buildSchema(
      readFileSync(join(__dirname, '..', 'schema', 'schema.graphql'), 'utf8'),
    );
    const seen: string[] = [];
    for (const [kind, root] of [
      ['query', schema.getQueryType()!],
      ['mutation', schema.getMutationType()!],
    ] as const) {
      for (const field of Object.values(root.getFields())) {
        for (const arg of field.args) {
          for (const path of dateTimePaths(arg.type)) {
            // Every other required argument is a variable left unset: graphql-js reports every
            // variable's problem at once, before any resolver (or guard) runs.
            const others = field.args.filter((a) => a !== arg && isNonNullType(a.type));
            const vars = [arg, ...others].map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
            const args = [arg, ...others].map((a) => `${a.name}: $${a.name}`).join(', ');
            const selection = isLeafType(getNamedType(field.type)) ? '' : '{ __typename }';
            const r = await gql(
              `${kind}(${vars}) { ${field.name}(${args}) ${selection} }`,
              { [arg.name]: valueAt(arg.type, path, '2026-02-30T00:00:00Z') },
              posterAdmin.token,
            );
            const where = [arg.name, ...path].join('.');
            const fieldErrors = (r.errors ?? []).flatMap((e) => e.extensions?.fieldErrors ?? []);
            expect([`${root.name}.${field.name}`, fieldErrors]).toEqual([
              `${root.name}.${field.name}`,
              expect.arrayContaining([
                {
                  path: expect.stringMatching(
                    new RegExp(`^${where.replace(/\./g, '(\\.0)?\\.')}$`),
                  ),
                  message: expect.stringContaining('February 2026 has no day 30'),
                },
              ]),
            ]);
            seen.push(`${root.name}.${field.name}(${where})`);
          }
        }
      }
    }
    expect(seen).toEqual(
      expect.arrayContaining([
        'Mutation.addListEntries(input.seenAt)',
        'Mutation.createReport(input.timeline.occurredAt)',
        'Mutation.updateReport(input.timeline.recoveredAt)',
        'Mutation.createApiToken(input.expiresAt)',
        'Query.feedPulls(since)',
        'Query.reportStatistics(from)',
        'Query.reports(filter.publishedBefore)',
        'Query.auditLog(filter.until)',
      ]),
    );
  });
});

describe('REST imports: every time goes through the one reader, with its line', () => {
  it('text: refuses seen_at in the future or impossible, naming the parameter', async () => {
    const list = await createList('rest text');
    for (const [seenAt, why] of [
      [FAR, 'in the future'],
      ['2026-02-30', 'February 2026 has no day 30'],
      ['2026-01-01T24:00:00Z', 'no hour 24'],
    ]) {
      const r = await post(list, '198.51.100.3\n', 'text/plain', `?seen_at=${seenAt}`);
      expect(r.status).toBe(400);
      // The error document's shape is the REST layer's; what it says is checked here.
      const error = r.body.error ?? r.body;
      expect(error).toMatchObject({
        code: 'BAD_USER_INPUT',
        fieldErrors: [{ path: 'seen_at', message: expect.stringContaining(why) }],
      });
    }
  });

  it('CSV: refuses impossible and out-of-bounds times with their line, never rolled over', async () => {
    const list = await createList('rest csv');
    const csv = [
      'value,first_seen,last_seen,valid_until',
      '198.51.100.10,2026-02-30,,',
      `198.51.100.11,,${FAR},`,
      `198.51.100.12,,,${FAR}`,
      '198.51.100.13,2026-01-01T10:00:00Z,2026-01-02T10:00:00Z,2027-01-01T00:00:00Z',
    ].join('\n');
    const r = await post(list, csv, 'text/csv');
    expect(r.status).toBe(422);
    expect(r.body.rejected).toEqual([
      {
        line: 2,
        where: 'line 2',
        input: expect.any(String),
        message: expect.stringContaining('February 2026 has no day 30'),
      },
      {
        line: 3,
        where: 'line 3',
        input: expect.any(String),
        message: expect.stringMatching(/^last_seen: .*in the future/),
      },
      {
        line: 4,
        where: 'line 4',
        input: expect.any(String),
        message: expect.stringMatching(/^valid_until: .*longest validity/),
      },
    ]);
    expect(await db('SELECT 1 FROM list_entry WHERE value = $1', ['198.51.100.13'])).toEqual([]);
  });

  it('STIX: refuses a valid_until beyond the longest validity and impossible timestamps, by path', async () => {
    const list = await createList('rest stix');
    for (const [indicator, path, why] of [
      [{ valid_until: FAR.replace('Z', '.000Z') }, 'objects[0].valid_until', /longest validity/],
      [{ valid_from: '9999-01-01T00:00:00.000Z' }, 'objects[0].valid_from', /in the future/],
      [{ valid_from: '0000-01-01T00:00:00.000Z' }, 'objects[0].valid_from', /no year 0000/],
      [{ valid_from: '2026-02-30T00:00:00.000Z' }, 'objects[0].valid_from', /has no day 30/],
    ] as const) {
      const r = await post(list, bundle(indicator), 'application/stix+json');
      expect(r.status).toBe(422);
      expect(r.body.rejected).toEqual([
        expect.objectContaining({ where: path, message: expect.stringMatching(why) }),
      ]);
    }
  });
});

describe('what is stored never breaks an output', () => {
  let list: string;
  let report: string;

  beforeAll(async () => {
    list = await createList('stored extremes');
    await must(
      ADD,
      {
        l: list,
        input: {
          text: 'c2-a.attacker.net\nc2-b.attacker.net\nc2-c.attacker.net',
          validityDays: 30,
        },
      },
      poster.token,
    );
    // What the hub stored before its inputs were bounded: a batch seen at the end of year 9999
    // (so valid until +010000), an entry valid until year 12000, and a removed one kept as a
    // tombstone; a report timeline and a sighting in the far future.
    await db(
      `UPDATE entry_batch SET seen_at = '9999-12-31T23:59:59Z', valid_until = '10000-01-30T23:59:59Z'
        WHERE list_seq = (SELECT seq FROM indicator_list WHERE id = $1)`,
      [list],
    );
    await db(
      `UPDATE list_entry SET valid_until = '12000-01-01T00:00:00Z', last_seen = '20000-01-01T00:00:00Z'
        WHERE value = 'c2-b.attacker.net' AND list_seq = (SELECT seq FROM indicator_list WHERE id = $1)`,
      [list],
    );
    await must(
      'mutation($l: ID!, $v: [String!]!) { removeListEntries(listId: $l, values: $v) { removed } }',
      { l: list, v: ['c2-c.attacker.net'] },
      poster.token,
    );
    report = await publishReport(t, posterAdmin.token, {
      title: 'Stored extremes',
      tlp: 'GREEN',
      summary: 'A report whose times were stored unbounded.',
    });
    await must(
      'mutation($r: ID!) { addReportSighting(reportId: $r, seenOn: "2026-01-15") { id } }',
      { r: report },
      poster.token,
    );
    await db(
      `UPDATE report SET timeline = '{"occurredAt": "+010000-01-01T00:00:00.000Z", "detectedAt": "2026-01-01T00:00:00.000Z"}'
        WHERE id = $1`,
      [report],
    );
    await db(`UPDATE report_sighting SET seen_on = '9999-12-31' WHERE report_id = $1`, [report]);
  });

  it('serves the STIX feed, the TAXII collection and GraphQL with the times clamped', async () => {
    const feed = await get(`/feeds/all.stix?list=${list}`, peerFeeds, 'application/stix+json');
    expect(feed.status).toBe(200);
    expect(feed.text).not.toMatch(/[+-]0\d{5}-/);
    expect(feed.text).toContain('"valid_until":"9999-12-31T23:59:59.999Z"');
    const taxii = await get(`/taxii2/api/collections/${list}/objects/`, peerFeeds);
    expect(taxii.status).toBe(200);
    const objects = JSON.parse(taxii.text).objects as Json[];
    expect(objects.filter((o) => o.type === 'indicator')).toHaveLength(3);
    for (const o of objects.filter((o) => o.type === 'indicator')) {
      expect(Date.parse(o.valid_until)).toBeGreaterThan(Date.parse(o.valid_from));
    }
    const r = await gql(
      `query($id: ID!) { indicatorList(id: $id) { entries(first: 10, filter: { includeExpired: true }) {
        edges { node { value firstSeen lastSeen validUntil } } } } }`,
      { id: list },
      poster.token,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.indicatorList.entries.edges.map((e: Json) => e.node.validUntil)).toContain(
      '9999-12-31T23:59:59.999Z',
    );
    const timeline = await gql(
      'query($id: ID!) { report(id: $id) { timeline { occurredAt detectedAt } sightings { seenOn } } }',
      { id: report },
      peerAdminToken,
    );
    expect(timeline.errors).toBeUndefined();
    expect(timeline.data.report.timeline.occurredAt).toMatch(/^9999-12-31T/);
  });

  it('the repair migration clamps what was stored, in every table that keeps client times', async () => {
    await db(`DELETE FROM migrations WHERE name IN ($1, $2)`, [
      'ClientTimes1764900000000',
      'ReportClientTimes1764900000100',
    ]);
    const version = `SELECT feed_version FROM indicator_list WHERE id = $1`;
    const [before] = await db(version, [list]);
    await restart();
    const [after] = await db(version, [list]);
    expect(Number(after.feed_version)).toBeGreaterThan(Number(before.feed_version));
    const over = await db(
      `SELECT 'batch' AS t FROM entry_batch WHERE seen_at > now() + interval '1 hour' OR valid_until > now() + interval '3651 days'
       UNION ALL SELECT 'entry' FROM list_entry WHERE last_seen > now() + interval '1 hour' OR valid_until > now() + interval '3651 days'
       UNION ALL SELECT 'tombstone' FROM stix_tombstone WHERE first_seen > now() + interval '1 hour' OR valid_until > now() + interval '3651 days'`,
    );
    expect(over).toEqual([]);
    const [stored] = await db(
      `SELECT timeline, seen_on::text AS seen_on, r.created_at FROM report r JOIN report_sighting s ON s.report_id = r.id WHERE r.id = $1`,
      [report],
    );
    expect(stored.timeline).toEqual({
      occurredAt: stored.created_at.toISOString(),
      detectedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(stored.seen_on).toBe(stored.created_at.toISOString().slice(0, 10));
    // A batch keeps the validity it was given, from its repaired sighting.
    const [batch] = await db(
      `SELECT valid_until - seen_at AS validity FROM entry_batch
        WHERE list_seq = (SELECT seq FROM indicator_list WHERE id = $1) ORDER BY id LIMIT 1`,
      [list],
    );
    expect(batch.validity).toMatchObject({ days: 30 });
    const feed = await get(`/feeds/all.stix?list=${list}`, peerFeeds, 'application/stix+json');
    expect(feed.status).toBe(200);
  });

  it('bounds by the configured longest validity and clock skew (60 days, none)', async () => {
    await restart({ INDICATOR_MAX_VALIDITY_DAYS: '60', CLOCK_SKEW_SECONDS: '0' });
    const bounded = await createList('configured bounds');
    const r = await gql(
      ADD,
      { l: bounded, input: { text: 'short.attacker.net', validityDays: 90 } },
      poster.token,
    );
    expect(r.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ path: 'input.validityDays', message: expect.stringContaining('at most 60') }],
    });
    const rest = await post(bounded, 'short.attacker.net\n', 'text/plain', '?validity_days=61');
    expect(rest.status).toBe(400);
    expect(JSON.stringify(rest.body)).toContain('"path":"validity_days"');
    const in61 = new Date(Date.now() + 61 * 86_400_000).toISOString();
    const csv = await post(bounded, `value,valid_until\nshort.attacker.net,${in61}\n`, 'text/csv');
    expect(csv.body.rejected).toEqual([
      expect.objectContaining({
        line: 2,
        message: expect.stringMatching(/^valid_until: .*60 days/),
      }),
    ]);
    const soon = new Date(Date.now() + 60_000).toISOString();
    const seen = await gql(
      ADD,
      { l: bounded, input: { text: 'x.attacker.net', seenAt: soon } },
      poster.token,
    );
    expect(seen.errors?.[0].extensions?.fieldErrors).toEqual([
      { path: 'input.seenAt', message: expect.stringContaining('in the future') },
    ]);
    // A list's default from before the limit was lowered is capped by it.
    const old = await must(
      'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
      { i: { name: 'long default', tlp: 'GREEN', defaultValidityDays: 365 } },
      poster.token,
    );
    const list = old.createIndicatorList.id;
    await must(ADD, { l: list, input: { text: 'long.attacker.net' } }, poster.token);
    const entry = await must(
      `query($id: ID!) { indicatorList(id: $id) { entries(first: 1) { edges { node { validUntil } } } } }`,
      { id: list },
      poster.token,
    );
    const until = Date.parse(entry.indicatorList.entries.edges[0].node.validUntil);
    expect(until).toBeLessThanOrEqual(Date.now() + 60 * 86_400_000);
  });
});
