import { Client } from 'pg';
import { createOrg, member, Member, publishReport } from './support/community';
import { freePort } from './support/ports';
import { ReplicatedPostgres, startReplicatedPostgres } from './support/replica';
import { startTestHub, TestHub } from './support/test-hub';

/**
 * The scale-out path (ADR 0030): a hub given a streaming replica reads feeds, TAXII and GraphQL
 * queries from it, on a real standby of the embedded server. A second hub on the same primary
 * without the replica is the reference: for every reader the replica path must answer exactly
 * what the primary path answers, and a writer must always read its own write.
 */
jest.setTimeout(300_000);

const REPORTS = '{ reports(first: 100) { edges { node { id title tlp } } } }';
const LISTS = '{ indicatorLists(first: 100) { edges { node { id name tlp } } } }';
const TAXII = 'application/taxii+json;version=2.1';

interface Reader {
  name: string;
  member: Member;
  feeds: string;
}

let pg: ReplicatedPostgres;
let t: TestHub; // with the replica
let t2: TestHub; // another instance with the replica
let plain: TestHub; // the same primary, no replica
let standby: Client;
let metricsUrl: string;
let admin: string;
let writer: Reader; // Kanto Electric, writes everything below
let peer: Reader; // same sector, in the AMBER audience
let gas: Reader; // another sector, GREEN only
let greenList: string;

async function must<T>(hub: TestHub, query: string, vars: Record<string, unknown>, token: string) {
  const r = await hub.gql<T>(query, vars, token);
  if (!r.data || r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
}

async function apiToken(hub: TestHub, orgAdmin: string, scopes: string[]): Promise<string> {
  const r = await must<{ createApiToken: { token: string } }>(
    hub,
    'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
    { i: { name: `reader ${scopes.join(' ')}`, scopes } },
    orgAdmin,
  );
  return r.createApiToken.token;
}

async function reader(name: string, orgId: string, email: string): Promise<Reader> {
  const m = await member(t, admin, orgId, email, 'ORG_ADMIN');
  return { name, member: m, feeds: await apiToken(t, m.token, ['feeds:read', 'reports:read']) };
}

const reportIds = async (hub: TestHub, token: string) =>
  (
    await must<{ reports: { edges: { node: { id: string } }[] } }>(hub, REPORTS, {}, token)
  ).reports.edges.map((e) => e.node.id);

async function feed(hub: TestHub, token: string, path = '/feeds/ipv4.txt') {
  const res = await fetch(`${hub.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return { etag: res.headers.get('etag'), body: await res.text() };
}

async function taxii(hub: TestHub, token: string, path: string) {
  const res = await fetch(`${hub.url}${path}`, {
    headers: { authorization: `Bearer ${token}`, accept: TAXII },
  });
  return { status: res.status, body: await res.text() };
}

/** Reads on the replica (or on the primary in its place) so far, from the hub's metrics. */
async function reads(target: 'replica' | 'primary'): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const series = `renkei_db_read_transactions_total{target="${target}"} `;
  const line = text.split('\n').find((l) => l.startsWith(series));
  return line ? Number(line.slice(series.length)) : 0;
}

async function pauseReplay(): Promise<void> {
  await standby.query('SELECT pg_wal_replay_pause()');
  for (;;) {
    const [{ state }] = (await standby.query('SELECT pg_get_wal_replay_pause_state() AS state'))
      .rows;
    if (state === 'paused') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function resumeReplay(): Promise<void> {
  await standby.query('SELECT pg_wal_replay_resume()');
  await pg.caughtUp();
}

beforeAll(async () => {
  pg = await startReplicatedPostgres();
  const db = await pg.createDatabase();
  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  t = await startTestHub(
    {
      DATABASE_REPLICA_URLS: db.standby,
      // Replay is paused for as long as a test takes: lag alone must not send reads away here.
      DATABASE_REPLICA_MAX_LAG_MS: '3600000',
      METRICS_PORT: String(port),
    },
    db.primary,
  );
  admin = (await t.bootstrapAdmin()).token;
  // After setup: a hub starting on a database not set up yet would print a new setup token.
  plain = await startTestHub({}, db.primary);
  t2 = await startTestHub(
    { DATABASE_REPLICA_URLS: db.standby, DATABASE_REPLICA_MAX_LAG_MS: '3600000' },
    db.primary,
  );
  standby = new Client({ connectionString: db.standby });
  // The last test stops the standby under this connection on purpose.
  standby.on('error', () => undefined);
  await standby.connect();
  const org = (name: string, sectorCode: string) => createOrg(t, admin, { name, sectorCode });
  const kanto = await org('Kanto Electric', 'electric-power');
  const chubu = await org('Chubu Power', 'electric-power');
  await org('Kansai Power', 'electric-power');
  const tokai = await org('Tokai Gas', 'gas');
  writer = await reader('writer', kanto, 'admin@kanto-electric.example');
  peer = await reader('peer', chubu, 'admin@chubu.example');
  gas = await reader('gas', tokai, 'admin@tokai-gas.example');
  const w = writer.member.token;
  await publishReport(t, w, { title: 'Green near miss', tlp: 'GREEN', kind: 'NEAR_MISS' });
  await publishReport(t, w, {
    title: 'Amber to Chubu',
    tlp: 'AMBER',
    audience: { organisationIds: [chubu] },
  });
  const list = async (name: string, tlp: string, text: string, audience?: unknown) => {
    const r = await must<{ createIndicatorList: { id: string } }>(
      t,
      'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
      { i: { name, tlp, ...(audience ? { audience } : {}) } },
      w,
    );
    await addEntries(r.createIndicatorList.id, text);
    return r.createIndicatorList.id;
  };
  greenList = await list('Scanners', 'GREEN', '45.50.0.10\n45.50.0.11');
  await list('Amber sources', 'AMBER', '45.51.0.20', { organisationIds: [chubu] });
  await pg.caughtUp();
});

async function addEntries(listId: string, text: string): Promise<void> {
  await must(
    t,
    'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { applied } }',
    { l: listId, i: { text } },
    writer.member.token,
  );
}

afterAll(async () => {
  await standby?.end().catch(() => undefined);
  await t?.stop();
  await t2?.stop();
  await plain?.stop();
  await pg?.stop();
});

describe('reads from a streaming replica', () => {
  it('serves a third party from the replica while the writer reads its own write at once', async () => {
    await pauseReplay();
    try {
      const onReplica = await reads('replica');
      const id = await publishReport(t, writer.member.token, {
        title: 'Written while replay is paused',
        tlp: 'GREEN',
      });
      // The writer: on the primary, since the replica has not replayed its write.
      expect(await reportIds(t, writer.member.token)).toContain(id);
      const own = await must<{ report: { title: string } }>(
        t,
        'query($id: ID!) { report(id: $id) { title } }',
        { id },
        writer.member.token,
      );
      expect(own.report.title).toBe('Written while replay is paused');
      // Through another instance too: the floor is kept on the primary, not in a process.
      expect(await reportIds(t2, writer.member.token)).toContain(id);
      // A peer who sees GREEN reports reads the replica's view, where the report is not yet...
      const peerView = await reportIds(t, peer.member.token);
      expect(peerView).toHaveLength((await reportIds(plain, peer.member.token)).length - 1);
      expect(await reads('replica')).toBeGreaterThan(onReplica);
      expect(await reportIds(t2, peer.member.token)).toEqual(peerView);
      await resumeReplay();
      // ...and sees it once the replica has replayed it.
      expect((await reportIds(t, peer.member.token)).length).toBe(peerView.length + 1);
    } finally {
      await standby.query('SELECT pg_wal_replay_resume()');
    }
  });

  it('never renders a feed from a replica behind it: the new entry is there for everyone at once', async () => {
    await pauseReplay();
    try {
      await addEntries(greenList, '45.50.0.12');
      for (const r of [writer, peer, gas]) {
        expect((await feed(t, r.feeds)).body.split('\n')).toContain('45.50.0.12');
      }
    } finally {
      await resumeReplay();
    }
    // With the replica caught up, a render reads it, with the primary's bytes and validators:
    // a client moving between instances keeps its 304 and never goes back to older content.
    await addEntries(greenList, '45.50.0.13');
    await pg.caughtUp();
    const onReplica = await reads('replica');
    const fromReplica = await feed(t, peer.feeds);
    expect(await reads('replica')).toBeGreaterThan(onReplica);
    const fromPrimary = await feed(plain, peer.feeds);
    expect(fromReplica).toEqual(fromPrimary);
    expect(fromReplica.body.split('\n')).toContain('45.50.0.13');
    const again = await fetch(`${t.url}/feeds/ipv4.txt`, {
      headers: { authorization: `Bearer ${peer.feeds}`, 'if-none-match': fromPrimary.etag! },
    });
    expect(again.status).toBe(304);
  });

  it('answers every reader exactly as the primary does, on GraphQL, feeds and TAXII', async () => {
    await pg.caughtUp();
    const onReplica = await reads('replica');
    for (const r of [writer, peer, gas]) {
      const token = r.member.token;
      for (const q of [REPORTS, LISTS]) {
        expect({ reader: r.name, q, ...(await t.gql(q, {}, token)) }).toMatchObject({
          reader: r.name,
          q,
          data: (await plain.gql(q, {}, token)).data,
        });
      }
      expect(await feed(t, r.feeds)).toEqual(await feed(plain, r.feeds));
      const collections = await taxii(t, r.feeds, '/taxii2/api/collections/');
      expect(collections).toEqual(await taxii(plain, r.feeds, '/taxii2/api/collections/'));
      for (const c of JSON.parse(collections.body).collections ?? []) {
        const path = `/taxii2/api/collections/${c.id}/objects/`;
        expect({ reader: r.name, ...(await taxii(t, r.feeds, path)) }).toEqual({
          reader: r.name,
          ...(await taxii(plain, r.feeds, path)),
        });
      }
    }
    // The AMBER items reach the peer only, on both paths.
    const lists = (token: string) =>
      must<{ indicatorLists: { edges: { node: { name: string } }[] } }>(t, LISTS, {}, token);
    expect(JSON.stringify(await lists(peer.member.token))).toContain('Amber sources');
    expect(JSON.stringify(await lists(gas.member.token))).not.toContain('Amber sources');
    expect((await feed(t, gas.feeds)).body).not.toContain('45.51.0.20');
    expect((await feed(t, peer.feeds)).body).toContain('45.51.0.20');
    expect(await reads('replica')).toBeGreaterThan(onReplica);
    // TAXII on its own reads the replica too.
    await pg.caughtUp();
    const beforeTaxii = await reads('replica');
    const [first] = JSON.parse(
      (await taxii(t, peer.feeds, '/taxii2/api/collections/')).body,
    ).collections;
    expect(
      (await taxii(t, peer.feeds, `/taxii2/api/collections/${first.id}/objects/`)).status,
    ).toBe(200);
    expect(await reads('replica')).toBeGreaterThan(beforeTaxii);
  });

  it('reads from the primary, with no error, when the replica is down', async () => {
    const expected = await reportIds(plain, peer.member.token);
    const expectedFeed = await feed(plain, peer.feeds);
    await pg.stopStandby();
    const onPrimary = await reads('primary');
    expect(await reportIds(t, peer.member.token)).toEqual(expected);
    expect(await feed(t, peer.feeds)).toEqual(expectedFeed);
    const r = await t.gql(REPORTS, {}, gas.member.token);
    expect(r.errors).toBeUndefined();
    expect(await reads('primary')).toBeGreaterThan(onPrimary);
    expect(t.output.join('\n')).toMatch(/replica 1 is unusable/);
  });
});
