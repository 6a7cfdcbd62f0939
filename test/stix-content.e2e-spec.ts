import { Client } from 'pg';
import { stixId, uuidv5 } from '../libs/indicators/src/stix';
import { createOrg, member, Member, publishReport } from './support/community';
import { itIfSchemas, schemaErrors } from './support/stix-schemas';
import { createTestDatabase, startTestHub, TestHub } from './support/test-hub';

/*
 * What the STIX objects say, against the real server and database (ADR 0009): the markings an
 * import must respect, ids that give one creator per id and differ per installation, times
 * rounded for other organisations, identities and references served where they are used,
 * versions (expiry, raised marking, removal, retraction) delivered exactly once to a poller,
 * revocations that never reach a reader who could not see the object, and a round trip.
 *
 * The scene: three operators in electric power (so the sector is named in pseudonyms, k = 3) and
 * a gas operator. Kanto Electric shares lists; Chubu Power reads them over TAXII and exports.
 */

jest.setTimeout(240_000);

// Answers are checked field by field; their full types would add nothing here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const TAXII = 'application/taxii+json;version=2.1';
const HOUR = 3_600_000;
const TLP2 = {
  CLEAR: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  GREEN: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  AMBER: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  RED: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};
const TLP1_AMBER = 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82';

// ../shared is the repository's sibling folder (/work/main/test → /work/shared).
const itWithSchemas = itIfSchemas('stix-content.e2e-spec');
const SCHEMA_FOR_TYPE: Record<string, string> = {
  'marking-definition': 'common/marking-definition.json',
  identity: 'sdos/identity.json',
  indicator: 'sdos/indicator.json',
  report: 'sdos/report.json',
};

let t: TestHub;
let admin: string;
let kanto: { org: string; analyst: Member; admin: Member; feeds: string };
let chubu: { org: string; analyst: Member; feeds: string; reports: string; client: string };
let gas: { org: string; admin: Member; feeds: string };

/** Every answer a token or session received, for the leak checks. */
const received: { who: string; text: string }[] = [];
/** Every STIX object the tests saw, from TAXII and exports, for the schema checks. */
const seenObjects: Json[] = [];
const seenBundles: Json[] = [];

async function must<T = Json>(query: string, variables: Record<string, unknown>, token: string) {
  const r = await t.gql<T>(query, variables, token);
  received.push({ who: token, text: JSON.stringify(r.data ?? r.errors) });
  if (!r.data || r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
}

async function createList(token: string, input: Record<string, unknown>): Promise<string> {
  const r = await must<{ createIndicatorList: { id: string } }>(
    'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
    { i: input },
    token,
  );
  return r.createIndicatorList.id;
}

const RESULT = `applied added rejectedCount rejected { line where input message }
  ignored { line where input message } ignoredCount`;

async function add(token: string, listId: string, input: Record<string, unknown>): Promise<Json> {
  const r = await must<{ addListEntries: Json }>(
    `mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { ${RESULT} } }`,
    { l: listId, i: input },
    token,
  );
  return r.addListEntries;
}

/** POST /api/lists/:id/entries with a STIX bundle. */
async function postStix(
  token: string,
  listId: string,
  bundle: unknown,
  query = '',
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${t.url}/api/lists/${listId}/entries${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/stix+json' },
    body: typeof bundle === 'string' ? bundle : JSON.stringify(bundle),
  });
  return { status: res.status, body: await res.json() };
}

async function entries(token: string, listId: string): Promise<Json[]> {
  const r = await must<Json>(
    `query($id: ID!) { indicatorList(id: $id) { entries(first: 100, filter: { includeExpired: true }) {
      edges { node { value confidence firstSeen validUntil tags note } } } } }`,
    { id: listId },
    token,
  );
  return r.indicatorList.entries.edges.map((e: Json) => e.node);
}

async function apiToken(orgAdmin: string, name: string, scopes: string[]): Promise<string> {
  const r = await must<{ createApiToken: { token: string } }>(
    'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
    { i: { name, scopes } },
    orgAdmin,
  );
  return r.createApiToken.token;
}

async function get(
  p: string,
  token: string,
  accept = TAXII,
): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(`${t.url}${p}`, {
    headers: { accept, authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  received.push({ who: token, text });
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const collection = (id: string) => `/taxii2/api/collections/${id}/`;

/**
 * Pages a collection's objects to the end with `next`, as a poller does, from `addedAfter`.
 * Returns the objects and the date added of the last one (where the next poll starts).
 */
async function poll(
  token: string,
  collectionId: string,
  addedAfter?: string,
  limit = 3,
): Promise<{ objects: Json[]; last?: string }> {
  const objects: Json[] = [];
  let last = addedAfter;
  let next: string | undefined;
  for (let page = 0; page < 100; page++) {
    const q = new URLSearchParams({
      limit: String(limit),
      ...(addedAfter ? { added_after: addedAfter } : {}),
      ...(next ? { next } : {}),
    });
    const a = await get(`${collection(collectionId)}objects/?${q}`, token);
    expect(`${collectionId}: ${a.status}`).toBe(`${collectionId}: 200`);
    const got: Json[] = a.body.objects ?? [];
    objects.push(...got);
    if (got.length) last = a.headers.get('x-taxii-date-added-last') ?? last;
    if (!a.body.more) break;
    next = a.body.next;
  }
  seenObjects.push(...objects);
  return { objects, last };
}

async function exportOf(p: string, token: string): Promise<Json> {
  const a = await get(p, token, 'application/stix+json;version=2.1');
  expect(`${p}: ${a.status}`).toBe(`${p}: 200`);
  seenBundles.push(a.body);
  seenObjects.push(...a.body.objects);
  return a.body;
}

const indicatorsOf = (objects: Json[]) => objects.filter((o) => o.type === 'indicator');
const byPattern = (objects: Json[], value: string) =>
  indicatorsOf(objects).filter((o) => o.pattern.includes(`'${value}'`));

/** Every reference of every object points at an object of the same answer. */
function expectSelfContained(objects: Json[], where: string) {
  const ids = new Set(objects.map((o) => o.id));
  for (const o of objects) {
    const refs = [
      ...(o.created_by_ref ? [o.created_by_ref] : []),
      ...(o.object_marking_refs ?? []),
      ...(o.object_refs ?? []),
    ];
    for (const ref of refs) expect(`${where}: ${o.id} → ${ref} ${ids.has(ref)}`).toMatch(/true$/);
  }
}

const onHour = (iso: string) => Date.parse(iso) % HOUR === 0;
/** A `modified` for another organisation: the hour, plus a few milliseconds (one per change). */
const nearHour = (iso: string) => Date.parse(iso) % HOUR < 1000;

async function db<T = Json>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: t.databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

const bundle = (...objects: unknown[]) => ({
  type: 'bundle',
  id: 'bundle--00000000-0000-4000-8000-000000000000',
  objects,
});
let serial = 0;
function indicator(value: string, extra: Record<string, unknown> = {}) {
  serial++;
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    pattern: `[ipv4-addr:value = '${value}']`,
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z',
    ...extra,
  };
}

beforeAll(async () => {
  t = await startTestHub(process.env.SHOW_HUB_LOG ? { LOG_LEVEL: 'info' } : {});
  admin = (await t.bootstrapAdmin()).token;
  const kantoOrg = await createOrg(t, admin, {
    name: 'Kanto Electric',
    sectorCode: 'electric-power',
  });
  const chubuOrg = await createOrg(t, admin, { name: 'Chubu Power', sectorCode: 'electric-power' });
  await createOrg(t, admin, { name: 'Kansai Power', sectorCode: 'electric-power' });
  const gasOrg = await createOrg(t, admin, { name: 'Tokai Gas', sectorCode: 'gas' });
  const kantoAdmin = await member(t, admin, kantoOrg, 'admin@kanto.example', 'ORG_ADMIN');
  const chubuAdmin = await member(t, admin, chubuOrg, 'admin@chubu.example', 'ORG_ADMIN');
  const gasAdmin = await member(t, admin, gasOrg, 'admin@tokai-gas.example', 'ORG_ADMIN');
  kanto = {
    org: kantoOrg,
    admin: kantoAdmin,
    analyst: await member(t, admin, kantoOrg, 'soc@kanto.example'),
    feeds: await apiToken(kantoAdmin.token, 'kanto tip', ['feeds:read', 'reports:read']),
  };
  chubu = {
    org: chubuOrg,
    analyst: await member(t, admin, chubuOrg, 'soc@chubu.example'),
    feeds: await apiToken(chubuAdmin.token, 'chubu feeds', ['feeds:read']),
    reports: await apiToken(chubuAdmin.token, 'chubu reports', ['reports:read']),
    client: await apiToken(chubuAdmin.token, 'chubu opencti', ['feeds:read', 'reports:read']),
  };
  gas = {
    org: gasOrg,
    admin: gasAdmin,
    feeds: await apiToken(gasAdmin.token, 'gas feeds', ['feeds:read', 'reports:read']),
  };
});

afterAll(async () => {
  if (process.env.SHOW_HUB_LOG)
    console.log(t?.output.filter((l) => l.includes('"level":50')).join('\n'));
  await t?.stop();
});

describe('importing STIX respects its markings', () => {
  it('refuses a TLP:RED indicator into a CLEAR list, naming the marking, and changes nothing', async () => {
    const list = await createList(kanto.analyst.token, { name: 'Open sightings', tlp: 'CLEAR' });
    const text = JSON.stringify(
      bundle(
        indicator('198.51.100.1'),
        indicator('198.51.100.2', { object_marking_refs: [TLP2.RED] }),
      ),
    );
    const r = await add(kanto.analyst.token, list, { format: 'STIX', text });
    expect(r).toMatchObject({ applied: false, added: 0, rejectedCount: 1 });
    expect(r.rejected).toEqual([
      expect.objectContaining({
        where: 'objects[1].object_marking_refs[0]',
        message: expect.stringContaining("marked TLP:RED, stricter than the list's TLP:CLEAR"),
      }),
    ]);
    expect(await entries(kanto.analyst.token, list)).toEqual([]);

    // Over REST as well, with a TLP 1.0 AMBER id and a bundle's own TLP definition.
    const own = 'marking-definition--11111111-2222-4333-8444-555555555555';
    const writer = await apiToken(kanto.admin.token, 'kanto import', ['indicators:write']);
    const rest = await postStix(
      writer,
      list,
      bundle(
        {
          type: 'marking-definition',
          spec_version: '2.1',
          id: own,
          definition_type: 'tlp',
          definition: { tlp: 'green' },
        },
        indicator('198.51.100.3', { object_marking_refs: [TLP1_AMBER] }),
        indicator('198.51.100.4', {
          granular_markings: [{ marking_ref: own, selectors: ['pattern'] }],
        }),
        indicator('198.51.100.5', { object_marking_refs: [TLP2.CLEAR] }),
      ),
    );
    expect(rest.status).toBe(422);
    expect(rest.body.rejected.map((p: Json) => p.where)).toEqual([
      'objects[1].object_marking_refs[0]',
      'objects[2].granular_markings[0].marking_ref',
    ]);
    expect(await entries(kanto.analyst.token, list)).toEqual([]);
  });

  it('imports the rest in partial mode, and takes a marking up to the list’s own', async () => {
    const list = await createList(kanto.analyst.token, {
      name: 'Amber sightings',
      tlp: 'AMBER',
      audience: { sectorCodes: ['electric-power'] },
    });
    const text = JSON.stringify(
      bundle(
        indicator('198.51.100.11', { object_marking_refs: [TLP2.AMBER] }),
        indicator('198.51.100.12', { object_marking_refs: [TLP1_AMBER] }),
        indicator('198.51.100.13', { object_marking_refs: [TLP2.RED] }),
        indicator('198.51.100.14'),
      ),
    );
    const r = await add(kanto.analyst.token, list, { format: 'STIX', text, partial: true });
    expect(r).toMatchObject({ applied: true, added: 3, rejectedCount: 1 });
    expect(r.rejected.map((p: Json) => p.where)).toEqual(['objects[2].object_marking_refs[0]']);
    expect((await entries(kanto.analyst.token, list)).map((e) => e.value).sort()).toEqual([
      '198.51.100.11',
      '198.51.100.12',
      '198.51.100.14',
    ]);
  });

  it('reports per object what it does not keep, and counts everything it ignores', async () => {
    const list = await createList(kanto.analyst.token, { name: 'Vendor feed', tlp: 'GREEN' });
    const statement = 'marking-definition--22222222-3333-4444-8555-666666666666';
    const r = await add(kanto.analyst.token, list, {
      format: 'STIX',
      text: JSON.stringify(
        bundle(
          {
            type: 'marking-definition',
            spec_version: '2.1',
            id: statement,
            definition_type: 'statement',
            definition: { statement: 'Copyright Vendor' },
          },
          indicator('198.51.100.21', {
            object_marking_refs: [statement],
            kill_chain_phases: [
              { kill_chain_name: 'lockheed-martin-cyber-kill-chain', phase_name: 'delivery' },
            ],
            external_references: [{ source_name: 'vendor', url: 'https://vendor.example/1' }],
            extensions: {
              'extension-definition--33333333-4444-4555-8666-777777777777': {
                extension_type: 'property-extension',
                rank: 3,
              },
            },
            x_vendor_score: 9,
          }),
        ),
      ),
    });
    expect(r).toMatchObject({ applied: true, added: 1 });
    const about = r.ignored.filter((p: Json) => p.where === 'objects[1]');
    expect(about.map((p: Json) => p.input).sort()).toEqual([
      'kill_chain_phases, external_references, extensions, x_vendor_score',
      `${statement} (statement "Copyright Vendor")`,
    ]);
    expect(r.ignoredCount).toBe(r.ignored.length);

    // More than the 1,000 listed: the count says how many there were.
    const many = Array.from({ length: 1200 }, (_, i) => ({
      type: 'identity',
      spec_version: '2.1',
      id: `identity--00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
      name: `org ${i}`,
    }));
    const writer = await apiToken(kanto.admin.token, 'kanto writer', ['indicators:write']);
    const rest = await postStix(writer, list, bundle(...many, indicator('198.51.100.22')));
    expect(rest.status).toBe(200);
    expect(rest.body.ignored).toHaveLength(1000);
    expect(rest.body.ignoredCount).toBe(1200);
  });
});

describe('ids, authors and times as each reader sees them', () => {
  let green: string;
  let amber: string;
  let reportId: string;

  beforeAll(async () => {
    // One value in Kanto's pseudonymous GREEN list and in its named AMBER list.
    green = await createList(kanto.analyst.token, { name: 'Scanners (anonymous)', tlp: 'GREEN' });
    amber = await createList(kanto.analyst.token, {
      name: 'Scanners (named)',
      tlp: 'AMBER',
      anonymous: false,
      audience: { sectorCodes: ['electric-power'] },
    });
    const csv = 'value,confidence,tags,note\n203.0.113.7,85,scan;botnet,seen at two substations\n';
    await add(kanto.analyst.token, green, { format: 'CSV', text: csv, validityDays: 30 });
    await add(kanto.analyst.token, amber, { format: 'CSV', text: csv, validityDays: 30 });
    reportId = await publishReport(t, kanto.analyst.token, {
      title: 'Scans of substation gateways',
      tlp: 'GREEN',
      summary: 'Scans from a botnet.',
    });
    await must(
      'mutation($id: ID!, $i: IndicatorListInput!) { updateIndicatorList(id: $id, input: $i) { id } }',
      { id: green, i: { reportId } },
      kanto.analyst.token,
    );
  });

  it('gives the same value in two lists two ids, each with one creator and marking', async () => {
    const a = byPattern((await poll(chubu.feeds, green)).objects, '203.0.113.7');
    const b = byPattern((await poll(chubu.feeds, amber)).objects, '203.0.113.7');
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    expect(a[0].id).not.toBe(b[0].id);
    expect(a[0].created_by_ref).not.toBe(b[0].created_by_ref);
    expect(a[0].object_marking_refs).toEqual([TLP2.GREEN]);
    expect(b[0].object_marking_refs).toEqual([TLP2.AMBER]);
    // The owner sees its own name on the pseudonymous list: another object, never the same id.
    const own = byPattern((await poll(kanto.feeds, green)).objects, '203.0.113.7');
    expect(own[0].id).not.toBe(a[0].id);
  });

  it('serves the identity each reader may see in every collection, pseudonyms to others', async () => {
    for (const [token, list, name] of [
      // Chubu is one of electric power's three operators: two candidates, fewer than k; the
      // coordinator alone would be the rest, so every author is "a member organisation" to it
      // (ADR 0017, classes).
      [chubu.feeds, green, 'a member organisation'],
      [chubu.feeds, amber, 'Kanto Electric'],
      [kanto.feeds, green, 'Kanto Electric'],
    ]) {
      const { objects } = await poll(token, list);
      expectSelfContained(objects, `${list} for ${token.slice(0, 8)}`);
      const identities = objects.filter((o) => o.type === 'identity');
      expect(identities.map((i) => i.name)).toEqual([name]);
      // Added no later than the first object that names it.
      expect(objects.findIndex((o) => o.type === 'identity')).toBeLessThan(
        objects.findIndex((o) => o.type === 'indicator'),
      );
    }
    const fromGreen = JSON.stringify((await poll(chubu.feeds, green)).objects);
    expect(fromGreen).not.toContain('Kanto Electric');
    expect(fromGreen).not.toContain(kanto.org);
  });

  it('rounds every time another organisation sees, date added included', async () => {
    const mine = (await entries(kanto.analyst.token, green))[0];
    const theirs = byPattern((await poll(chubu.feeds, green)).objects, '203.0.113.7')[0];
    for (const key of ['valid_from', 'valid_until', 'created']) {
      expect(`${key} ${theirs[key]} ${onHour(theirs[key])}`).toMatch(/true$/);
    }
    expect(nearHour(theirs.modified)).toBe(true);
    expect(Date.parse(theirs.valid_until)).toBe(
      Math.floor(Date.parse(mine.validUntil) / HOUR) * HOUR,
    );
    // The owner's own view is exact.
    const own = byPattern((await poll(kanto.feeds, green)).objects, '203.0.113.7')[0];
    expect(own.valid_until).toBe(new Date(mine.validUntil).toISOString());
    expect(own.valid_from).toBe(new Date(mine.firstSeen).toISOString());
    // Date added is the commit-ordered time of the batch, rounded down for others (ADR 0018).
    const [batch] = await db<{ at: string }>(
      `SELECT to_char(b.committed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at
         FROM entry_batch b JOIN indicator_list l ON l.seq = b.list_seq WHERE l.id = $1`,
      [green],
    );
    const manifest = await get(`${collection(green)}manifest/?match[type]=indicator`, chubu.feeds);
    const roundedAt = new Date(Math.floor(Date.parse(batch.at) / HOUR) * HOUR).toISOString();
    expect(manifest.body.objects.map((m: Json) => m.date_added)).toEqual([
      roundedAt.replace('Z', '000Z'),
    ]);
    const ownManifest = await get(
      `${collection(green)}manifest/?match[type]=indicator`,
      kanto.feeds,
    );
    // Kanto too: a collection mixes authors and its dates added rise with its order.
    expect(ownManifest.body.objects.map((m: Json) => m.date_added)).toEqual([
      roundedAt.replace('Z', '000Z'),
    ]);
    // Chubu never received an exact time of Kanto's entry, in any answer.
    const exact = [new Date(mine.validUntil).toISOString(), new Date(mine.firstSeen).toISOString()];
    const chubuAnswers = received.filter((r) =>
      [chubu.feeds, chubu.client, chubu.reports].includes(r.who),
    );
    for (const time of exact) {
      expect(chubuAnswers.filter((r) => r.text.includes(time)).length).toBe(0);
    }
  });

  it('builds a report the same way in its export and in the reports collection', async () => {
    const exported = await exportOf(`/api/reports/${reportId}/stix`, chubu.client);
    expectSelfContained(exported.objects, 'report export');
    const report = exported.objects.find((o: Json) => o.type === 'report');
    const linked = byPattern(exported.objects, '203.0.113.7');
    expect(linked).toHaveLength(1);
    expect(report.object_refs).toContain(linked[0].id);
    // The same indicator as in the list's own collection.
    const inList = byPattern((await poll(chubu.client, green)).objects, '203.0.113.7')[0];
    expect(linked[0]).toEqual(inList);

    const reports = (await get('/taxii2/api/collections/', chubu.client)).body.collections.find(
      (c: Json) => c.title === 'Reports',
    ).id;
    const served = (await poll(chubu.client, reports)).objects;
    expectSelfContained(served, 'reports collection');
    expect(served.find((o) => o.id === report.id)).toEqual(report);
    expect(served.find((o) => o.id === linked[0].id)).toEqual(linked[0]);
    expect(JSON.stringify(served)).not.toContain('Kanto Electric');
  });

  it('gives every installation its own namespace, and every instance of one the same', async () => {
    const [{ ns }] = await db<{ ns: string }>(
      'SELECT stix_namespace::text AS ns FROM hub_installation',
    );
    expect(ns).not.toBe('6f0b2c1e-8f4a-5c3b-9d7e-2a1b0c9d8e7f'); // the old constant
    // Kanto's own identity id is the UUIDv5 of its organisation id in this namespace.
    const identity = (await poll(kanto.feeds, amber)).objects.find((o) => o.type === 'identity');
    expect(identity.id).toBe(stixId('identity', kanto.org, ns));
    expect(uuidv5(kanto.org, ns)).toBe(identity.id.replace('identity--', ''));

    const second = await startTestHub({}, t.databaseUrl);
    const other = await startTestHub({}, await createTestDatabase());
    try {
      const viaSecond = await fetch(`${second.url}/api/lists/${amber}/stix`, {
        headers: { authorization: `Bearer ${chubu.feeds}` },
      });
      const objects = ((await viaSecond.json()) as Json).objects;
      const first = (await exportOf(`/api/lists/${amber}/stix`, chubu.feeds)).objects;
      expect(indicatorsOf(objects).map((o) => o.id)).toEqual(indicatorsOf(first).map((o) => o.id));
      const otherNs = await new Client({ connectionString: other.databaseUrl });
      await otherNs.connect();
      const { rows } = await otherNs.query(
        'SELECT stix_namespace::text AS ns FROM hub_installation',
      );
      await otherNs.end();
      expect(rows[0].ns).not.toBe(ns);
    } finally {
      await Promise.all([second.stop(), other.stop()]);
    }
  });
});

describe('versions: every change reaches a poller once', () => {
  let list: string;
  let reportsCollection: string;
  let cursor: string | undefined;
  const seen = new Map<string, string[]>(); // id → modified of every version received

  /**
   * Polls Chubu's collection from the last date added it was shown: the new versions. Chubu is
   * shown rounded dates added, so a poll gets the versions of the last rounding step again
   * (ADR 0018, at least once); like any TAXII client it drops a version it already has.
   */
  async function next(): Promise<Json[]> {
    const got = await poll(chubu.feeds, list, cursor);
    cursor = got.last;
    const fresh: Json[] = [];
    for (const o of got.objects) {
      const versions = seen.get(o.id) ?? [];
      const version = o.modified ?? o.created;
      if (versions.includes(version)) continue;
      fresh.push(o);
      if (versions.length)
        expect(Date.parse(version)).toBeGreaterThan(Date.parse(versions[versions.length - 1]));
      seen.set(o.id, [...versions, version]);
    }
    return fresh;
  }

  beforeAll(async () => {
    list = await createList(kanto.analyst.token, { name: 'Versioned', tlp: 'GREEN' });
    await add(kanto.analyst.token, list, { text: '192.0.2.1\n192.0.2.2\n192.0.2.3' });
    reportsCollection = (await get('/taxii2/api/collections/', chubu.client)).body.collections.find(
      (c: Json) => c.title === 'Reports',
    ).id;
  });

  it('starts with the markings, the author and three indicators', async () => {
    const objects = await next();
    expect(objects.map((o) => o.type).sort()).toEqual(
      [
        ...Array(5).fill('marking-definition'),
        'identity',
        'indicator',
        'indicator',
        'indicator',
      ].sort(),
    );
    expect(await next()).toEqual([]);
  });

  it('sends an expiry as a new version of each live indicator, with a later modified', async () => {
    await must(
      'mutation($id: ID!) { expireIndicatorList(id: $id) { id } }',
      { id: list },
      kanto.analyst.token,
    );
    const objects = await next();
    expect(indicatorsOf(objects)).toHaveLength(3);
    for (const o of indicatorsOf(objects))
      expect(Date.parse(o.valid_until)).toBeLessThanOrEqual(Date.now());
    expect(await next()).toEqual([]);
  });

  it('sends a sighting again as a new version, and a raised marking as one of every indicator', async () => {
    await add(kanto.analyst.token, list, { text: '192.0.2.1' });
    expect(indicatorsOf(await next()).map((o) => o.pattern)).toEqual([
      "[ipv4-addr:value = '192.0.2.1']",
    ]);
    await must(
      'mutation($id: ID!, $i: IndicatorListInput!) { updateIndicatorList(id: $id, input: $i) { tlp } }',
      { id: list, i: { tlp: 'AMBER', audience: { sectorCodes: ['electric-power'] } } },
      kanto.analyst.token,
    );
    const objects = indicatorsOf(await next());
    expect(objects).toHaveLength(3);
    for (const o of objects) expect(o.object_marking_refs).toEqual([TLP2.AMBER]);
    // Gas may no longer see the list: it is gone for it, with nothing sent to say so.
    expect((await get(`${collection(list)}objects/`, gas.feeds)).status).toBe(404);
  });

  it('refuses to change the author of what was shared', async () => {
    const r = await t.gql(
      'mutation($id: ID!, $i: IndicatorListInput!) { updateIndicatorList(id: $id, input: $i) { id } }',
      { id: list, i: { anonymous: false } },
      kanto.analyst.token,
    );
    expect(JSON.stringify(r.errors)).toContain('input.anonymous');
  });

  it('sends a removed entry as a revoked version of the same object; a value added again is another', async () => {
    const before = byPattern(
      [...indicatorsOf((await poll(chubu.feeds, list)).objects)],
      '192.0.2.2',
    )[0];
    await add(kanto.analyst.token, list, { text: '192.0.2.2', validityDays: 5 });
    const resighted = byPattern(await next(), '192.0.2.2')[0];
    expect(resighted.id).toBe(before.id);
    await must(
      'mutation($l: ID!, $v: [String!]!) { removeListEntries(listId: $l, values: $v) { removed } }',
      { l: list, v: ['192.0.2.2'] },
      kanto.analyst.token,
    );
    const revoked = await next();
    expect(revoked.map((o) => [o.id, o.revoked])).toEqual([[before.id, true]]);
    await add(kanto.analyst.token, list, { text: '192.0.2.2' });
    const again = byPattern(await next(), '192.0.2.2');
    expect(again).toHaveLength(1);
    expect(again[0].id).not.toBe(before.id);
    expect(again[0].revoked).toBeUndefined();
  });

  it('keeps a tombstone from organisations that joined after the removal', async () => {
    const lateOrg = await createOrg(t, admin, {
      name: 'Hokuriku Power',
      sectorCode: 'electric-power',
    });
    const late = await member(t, admin, lateOrg, 'admin@hokuriku.example', 'ORG_ADMIN');
    const lateFeeds = await apiToken(late.token, 'late feeds', ['feeds:read']);
    const objects = (await poll(lateFeeds, list)).objects;
    expect(objects.filter((o) => o.revoked)).toEqual([]);
    expect(byPattern(objects, '192.0.2.2')).toHaveLength(1); // the entry added again, live
    // Chubu, which existed then, still gets the tombstone from the start of the collection.
    expect((await poll(chubu.feeds, list)).objects.filter((o) => o.revoked)).toHaveLength(1);
  });

  it('sends a retraction as revoked versions, and exports the retracted list revoked', async () => {
    await must(
      'mutation($id: ID!) { retractIndicatorList(id: $id, reason: "false positives") { status } }',
      { id: list },
      kanto.analyst.token,
    );
    const objects = indicatorsOf(await next());
    expect(objects).toHaveLength(3);
    for (const o of objects) expect(o.revoked).toBe(true);
    expect(await next()).toEqual([]);
    const exported = await exportOf(`/api/lists/${list}/stix`, chubu.feeds);
    expect(indicatorsOf(exported.objects).every((o: Json) => o.revoked === true)).toBe(true);
    const collections = (await get('/taxii2/api/collections/', chubu.feeds)).body.collections;
    expect(collections.find((c: Json) => c.id === list).description).toMatch(/^Retracted/);
  });

  it('serves the next page of a list retracted between pages: its indicators, revoked', async () => {
    const id = await createList(kanto.analyst.token, { name: 'Retracted mid-walk', tlp: 'GREEN' });
    await add(kanto.analyst.token, id, { text: '198.18.0.1\n198.18.0.2' });
    const first = await get(`${collection(id)}objects/?limit=5`, chubu.feeds);
    expect(first.body.more).toBe(true);
    expect(first.body.objects.map((o: Json) => o.type)).toEqual(
      Array(5).fill('marking-definition'),
    );
    await must(
      'mutation($id: ID!) { retractIndicatorList(id: $id, reason: "wrong campaign") { status } }',
      { id },
      kanto.analyst.token,
    );
    const rest = await get(
      `${collection(id)}objects/?limit=50&next=${first.body.next}`,
      chubu.feeds,
    );
    expect(rest.status).toBe(200);
    seenObjects.push(...rest.body.objects);
    expect(rest.body.objects.map((o: Json) => [o.type, o.revoked])).toEqual([
      ['identity', undefined],
      ['indicator', true],
      ['indicator', true],
    ]);
  });

  it('sends a retracted report as a revoked version', async () => {
    const report = await publishReport(t, kanto.analyst.token, {
      title: 'Short-lived',
      tlp: 'GREEN',
      summary: 'Wrong.',
    });
    const before = await poll(chubu.reports, reportsCollection);
    const had = new Set(before.objects.map((o) => `${o.id} ${o.modified}`));
    await must(
      'mutation($id: ID!) { retractReport(id: $id, reason: "duplicate") { status } }',
      { id: report },
      kanto.analyst.token,
    );
    // Versions of the last rounding step come again (ADR 0018): the new one is the retraction.
    const got = (await poll(chubu.reports, reportsCollection, before.last)).objects.filter(
      (o) => o.type === 'report' && !had.has(`${o.id} ${o.modified}`),
    );
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ name: 'Short-lived', revoked: true });
    const exported = await exportOf(`/api/reports/${report}/stix`, chubu.reports);
    expect(exported.objects.find((o: Json) => o.type === 'report')).toEqual(got[0]);
  });
});

describe('versions under concurrent changes', () => {
  it('delivers every version once to a poller while imports, expiries and removals commit', async () => {
    const list = await createList(kanto.analyst.token, { name: 'Busy list', tlp: 'GREEN' });
    await add(kanto.analyst.token, list, { text: '192.0.2.101\n192.0.2.102' });
    const seen = new Set<string>();
    let cursor: string | undefined;
    let writersDone = false;
    const pollOnce = async () => {
      const got = await poll(chubu.feeds, list, cursor, 2);
      cursor = got.last;
      // Versions of the last rounding step come again (ADR 0018): new ones are counted.
      let fresh = 0;
      for (const o of got.objects) {
        const version = `${o.id} ${o.modified ?? o.created}`;
        if (!seen.has(version)) fresh++;
        seen.add(version);
      }
      return fresh;
    };
    const writers = (async () => {
      for (let i = 0; i < 4; i++) {
        await add(kanto.analyst.token, list, { text: `192.0.2.10${i + 1}\n192.0.2.11${i}` });
        if (i === 1) {
          await must(
            'mutation($id: ID!) { expireIndicatorList(id: $id) { id } }',
            { id: list },
            kanto.analyst.token,
          );
        }
        if (i === 2) {
          await must(
            'mutation($l: ID!, $v: [String!]!) { removeListEntries(listId: $l, values: $v) { removed } }',
            { l: list, v: ['192.0.2.112'] }, // added after the expiry: still valid
            kanto.analyst.token,
          );
        }
      }
      writersDone = true;
    })();
    for (let round = 0; round < 500; round++) {
      const n = await pollOnce();
      if (writersDone && n === 0) break;
    }
    await writers;
    while ((await pollOnce()) > 0);
    // Everything the collection holds now, the poller received in exactly this version.
    const now = (await poll(chubu.feeds, list)).objects;
    expect(now.filter((o) => o.revoked).length).toBe(1);
    for (const o of now) expect(seen.has(`${o.id} ${o.modified ?? o.created}`)).toBe(true);
  });
});

describe('revocations never reach a reader who could not see the object', () => {
  it('keeps the tombstones of a gas-only list from electric power', async () => {
    const gasList = await createList(gas.admin.token, {
      name: 'Compressor scans',
      tlp: 'AMBER',
      audience: { sectorCodes: ['gas'] },
    });
    await add(gas.admin.token, gasList, { text: '203.0.113.201\n203.0.113.202' });
    await must(
      'mutation($l: ID!, $v: [String!]!) { removeListEntries(listId: $l, values: $v) { removed } }',
      { l: gasList, v: ['203.0.113.201'] },
      gas.admin.token,
    );
    const own = (await poll(gas.feeds, gasList)).objects;
    expect(own.filter((o) => o.revoked)).toHaveLength(1);
    for (const token of [chubu.feeds, chubu.client, kanto.feeds]) {
      expect((await get(`${collection(gasList)}objects/`, token)).status).toBe(404);
      expect((await get(`/api/lists/${gasList}/stix`, token, 'application/stix+json')).status).toBe(
        404,
      );
    }

    // Linked to a GREEN report everyone reads, its indicators go with the report to gas only.
    const report = await publishReport(t, gas.admin.token, {
      title: 'Compressor station scans',
      tlp: 'GREEN',
      summary: 'Scans.',
    });
    await must(
      'mutation($id: ID!, $i: IndicatorListInput!) { updateIndicatorList(id: $id, input: $i) { id } }',
      { id: gasList, i: { reportId: report } },
      gas.admin.token,
    );
    const reportsOf = async (token: string) => {
      const id = (await get('/taxii2/api/collections/', token)).body.collections.find(
        (c: Json) => c.title === 'Reports',
      ).id;
      return (await poll(token, id)).objects;
    };
    const forGas = await reportsOf(gas.feeds);
    expect(byPattern(forGas, '203.0.113.202')).toHaveLength(1);
    expect(byPattern(forGas, '203.0.113.201').map((o) => o.revoked)).toEqual([true]);
    const forPower = await reportsOf(chubu.client);
    const gasReport = forPower.find(
      (o) => o.type === 'report' && o.name === 'Compressor station scans',
    );
    expect(gasReport.object_refs).toEqual([gasReport.created_by_ref]);
    const exported = await exportOf(`/api/reports/${report}/stix`, chubu.client);
    expect(indicatorsOf(exported.objects)).toEqual([]);
    expect(exported.objects.find((o: Json) => o.type === 'report')).toEqual(gasReport);

    const power = received.filter((r) => [chubu.feeds, chubu.client, kanto.feeds].includes(r.who));
    for (const value of ['203.0.113.201', '203.0.113.202']) {
      expect(power.filter((r) => r.text.includes(value))).toEqual([]);
    }
  });
});

describe('a round trip keeps what an entry says', () => {
  it('exports a list and imports it into another with values, confidence, validity, tags and notes', async () => {
    const source = await createList(kanto.analyst.token, {
      name: 'Round trip source',
      tlp: 'GREEN',
    });
    await add(kanto.analyst.token, source, {
      format: 'CSV',
      text:
        'value,confidence,first_seen,valid_until,tags,note\n' +
        '192.0.2.50,90,2026-10-01T00:00:00Z,2031-01-01T00:00:00Z,c2;botnet,"seen, twice"\n' +
        'evil.example,10,2026-10-02T00:00:00Z,2030-06-01T12:00:00Z,,\n' +
        'https://evil.example/login,55,2026-10-03T00:00:00Z,2029-01-01T00:00:00Z,phishing,\n',
    });
    const exported = await exportOf(`/api/lists/${source}/stix`, kanto.analyst.token);
    const target = await createList(kanto.analyst.token, {
      name: 'Round trip target',
      tlp: 'GREEN',
    });
    const r = await add(kanto.analyst.token, target, {
      format: 'STIX',
      text: JSON.stringify(exported),
    });
    expect(r).toMatchObject({ applied: true, added: 3, rejectedCount: 0, ignoredCount: 6 });
    // Only the markings and the identity are left aside: no property of an indicator is lost.
    expect(r.ignored.map((p: Json) => p.input).sort()).toEqual(
      [...Array(5).fill('marking-definition'), 'identity'].sort(),
    );
    const sort = (xs: Json[]) => [...xs].sort((a, b) => (a.value < b.value ? -1 : 1));
    expect(sort(await entries(kanto.analyst.token, target))).toEqual(
      sort(await entries(kanto.analyst.token, source)),
    );
    expect(sort(await entries(kanto.analyst.token, target))[0]).toMatchObject({
      value: '192.0.2.50',
      confidence: 90,
      tags: ['c2', 'botnet'],
      note: 'seen, twice',
    });
  });
});

describe('against the OASIS STIX 2.1 schemas (skipped where ../shared is absent)', () => {
  const errors = schemaErrors;

  itWithSchemas(
    'finds every bundle and object above valid, revoked versions and identities included',
    () => {
      expect(seenObjects.some((o) => o.revoked === true && o.type === 'indicator')).toBe(true);
      expect(seenObjects.some((o) => o.revoked === true && o.type === 'report')).toBe(true);
      expect(seenObjects.some((o) => o.type === 'identity')).toBe(true);
      for (const b of seenBundles)
        expect(`${b.id}: ${errors('common/bundle.json', b)}`).toBe(`${b.id}: `);
      for (const o of seenObjects) {
        const schema = SCHEMA_FOR_TYPE[o.type];
        expect(`${o.id}: ${schema ? errors(schema, o) : 'no schema for its type'}`).toBe(
          `${o.id}: `,
        );
        if (o.type === 'indicator') {
          expect(Date.parse(o.valid_until)).toBeGreaterThan(Date.parse(o.valid_from));
        }
        if ('modified' in o)
          expect(Date.parse(o.modified)).toBeGreaterThanOrEqual(Date.parse(o.created));
      }
    },
  );
});
