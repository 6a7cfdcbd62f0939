import { createHash } from 'node:crypto';
import { get as httpGet, IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { aggregate, countAddresses } from '../libs/indicators/src/feeds/cidr-aggregate';
import { createOrg, member, Member } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';

/*
 * Indicator lists, bulk imports and firewall blocklists against the real server and database.
 * The scene: a sector CSIRT collects the sources of a DoS and every operator's firewall blocks
 * them; other lists (an operator's AMBER list for its sector, a RED list) must not reach the
 * wrong firewalls.
 */

jest.setTimeout(240_000);

// Answers are checked field by field; their full types would add nothing here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let t: TestHub;
let admin: string;
let coordinatorOrg: string;
let power: { org: string; analyst: Member; admin: Member; feeds: string; writer: string };
let powerPeer: { org: string; feeds: string };
let gas: { org: string; feeds: string };

const ADD = `mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) {
  applied added resighted rejectedCount rejected { line where input message }
  suppressed { line input message } warnings { line input message } ignored { where input message } } }`;

async function must<T>(
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<T> {
  const r = await t.gql<T>(query, variables, token);
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

async function add(token: string, listId: string, input: Record<string, unknown>) {
  return (await must<{ addListEntries: Record<string, Json> }>(ADD, { l: listId, i: input }, token))
    .addListEntries;
}

/** A session that holds a lock (as the superuser) and one that watches who waits for it. */
async function lockSessions(): Promise<{ db: Client; watcher: Client; end: () => Promise<void> }> {
  const db = new Client({ connectionString: t.databaseUrl });
  const watcher = new Client({ connectionString: t.databaseUrl });
  await db.connect();
  await watcher.connect();
  return { db, watcher, end: async () => void (await Promise.all([db.end(), watcher.end()])) };
}

/**
 * Waits until `count` sessions wait for a lock in a statement whose text is `like`; asked on a
 * session of its own, as pg_stat_activity stays as first read within a transaction.
 */
async function lockWaiters(watcher: Client, like: string, count: number): Promise<boolean> {
  for (let i = 0; i < 400; i++) {
    const { rows } = await watcher.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE wait_event_type = 'Lock' AND datname = current_database() AND query LIKE $1`,
      [like],
    );
    if (rows[0].n >= count) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

async function apiToken(orgAdmin: string, scopes: string[]): Promise<string> {
  const r = await must<{ createApiToken: { token: string } }>(
    'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
    { i: { name: `firewall ${scopes.join(' ')} ${Math.random()}`, scopes } },
    orgAdmin,
  );
  return r.createApiToken.token;
}

function pull(path: string, token: string, headers: Record<string, string> = {}) {
  return fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
}

/**
 * Pulls until the fast path answers (at most 20 times): a notification of an earlier change can
 * arrive just after a pull and make the next one take the full path once more.
 */
async function fromMemory(path: string, token: string, headers: Record<string, string> = {}) {
  let res = await pull(path, token, headers);
  for (let i = 0; i < 20 && res.headers.get('x-request-id'); i++) {
    await new Promise((r) => setTimeout(r, 50));
    res = await pull(path, token, headers);
  }
  return res;
}

async function lines(path: string, token: string): Promise<string[]> {
  const res = await pull(path, token);
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.text()).split('\n').filter(Boolean);
}

async function entryCount(listId: string, token: string): Promise<number> {
  const r = await must<{ indicatorList: { entries: { totalCount: number } } }>(
    'query($id: ID!) { indicatorList(id: $id) { entries(first: 1, filter: { includeExpired: true }) { totalCount } } }',
    { id: listId },
    token,
  );
  return r.indicatorList.entries.totalCount;
}

/** IPv4 address or block → [first, last] as numbers, written here independently of the hub. */
function ipv4Range(entry: string): [number, number] {
  const [addr, len = '32'] = entry.split('/');
  const n = addr.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(len));
  return [n, n + size - 1];
}

function coveredSet(entries: string[]): Set<number> {
  const out = new Set<number>();
  for (const e of entries) {
    const [a, b] = ipv4Range(e);
    for (let x = a; x <= b; x++) out.add(x);
  }
  return out;
}

/** Row counts of everything an import writes, and the feeds' change counter. */
async function databaseState(): Promise<Record<string, string>> {
  const db = new Client({ connectionString: t.databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query(
      `SELECT (SELECT count(*) FROM list_entry) AS entries, (SELECT count(*) FROM entry_batch) AS batches,
              (SELECT count(*) FROM hub_event) AS events, (SELECT change_seq FROM feed_state) AS seq,
              (SELECT string_agg(id || ':' || feed_version, ',' ORDER BY id) FROM indicator_list) AS lists`,
    );
    return rows[0];
  } finally {
    await db.end();
  }
}

/** An IPv6 address or block as [first, last], parsed here without the hub's code. */
function ipv6Range(entry: string): [bigint, bigint] {
  const [addr, len = '128'] = entry.split('/');
  const [head, tail = ''] = addr.split('::');
  const groups = (text: string) => (text ? text.split(':').map((g) => BigInt(`0x${g}`)) : []);
  const h = groups(head);
  const tl = addr.includes('::') ? groups(tail) : [];
  const all = [...h, ...new Array<bigint>(8 - h.length - tl.length).fill(0n), ...tl];
  const n = all.reduce((a, g) => (a << 16n) + g, 0n);
  return [n, n + (1n << BigInt(128 - Number(len))) - 1n];
}

/** The addresses of some blocks as sorted, merged [first, last] intervals. */
function ipv6Cover(entries: string[]): [bigint, bigint][] {
  const spans = entries.map(ipv6Range).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const [a, b] of spans) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1n) last[1] = b > last[1] ? b : last[1];
    else out.push([a, b]);
  }
  return out;
}

beforeAll(async () => {
  t = await startTestHub(process.env.SHOW_HUB_LOG ? { LOG_LEVEL: 'info' } : {});
  const boot = await t.bootstrapAdmin();
  admin = boot.token;
  coordinatorOrg = boot.organisationId;
  const powerOrg = await createOrg(t, admin, {
    name: 'Kanto Electric',
    sectorCode: 'electric-power',
    addressRanges: ['61.200.0.0/26'],
    domains: ['kanto-electric.example'],
  });
  const peerOrg = await createOrg(t, admin, { name: 'Chubu Power', sectorCode: 'electric-power' });
  const gasOrg = await createOrg(t, admin, { name: 'Tokai Gas', sectorCode: 'gas' });
  await createOrg(t, admin, { name: 'Kansai Power', sectorCode: 'electric-power' });
  // A third peer: an anonymous list names its author's sector only when at least ANONYMITY_K
  // (3) other organisations share it.
  await createOrg(t, admin, { name: 'Tohoku Power', sectorCode: 'electric-power' });
  const powerAdmin = await member(t, admin, powerOrg, 'admin@kanto-electric.example', 'ORG_ADMIN');
  const analyst = await member(t, admin, powerOrg, 'soc@kanto-electric.example');
  const peerAdmin = await member(t, admin, peerOrg, 'admin@chubu.example', 'ORG_ADMIN');
  const gasAdmin = await member(t, admin, gasOrg, 'admin@tokai-gas.example', 'ORG_ADMIN');
  power = {
    org: powerOrg,
    analyst,
    admin: powerAdmin,
    feeds: await apiToken(powerAdmin.token, ['feeds:read']),
    writer: await apiToken(powerAdmin.token, ['indicators:write']),
  };
  powerPeer = { org: peerOrg, feeds: await apiToken(peerAdmin.token, ['feeds:read']) };
  gas = { org: gasOrg, feeds: await apiToken(gasAdmin.token, ['feeds:read']) };
});

afterAll(async () => {
  await t?.stop();
  if (process.env.SHOW_HUB_LOG)
    console.log(t.output.filter((l) => /error|Error/.test(l)).join('\n'));
});

describe('bulk add', () => {
  let list: string;
  beforeAll(async () => {
    list = await createList(admin, { name: 'DoS sources 2026-11', tlp: 'GREEN' });
  });

  it('normalises values, skips comments and blank lines, and reports every bad line with its number', async () => {
    const text = [
      '# sources seen by three operators',
      '198.51.100.7',
      '',
      '2001:DB8:0:0:0:0:0:1   # upper case, long form',
      'evil[.]example.COM',
      '198.51.101.0/23',
      'not an indicator',
      'hxxps://phish.example/login?x=1#frag',
      '300.1.1.1',
    ].join('\n');
    const refused = await add(admin, list, { text, normalise: true });
    expect(refused.applied).toBe(false);
    expect(refused.rejectedCount).toBe(2);
    expect(refused.rejected.map((r: { line: number }) => r.line)).toEqual([7, 9]);
    expect(refused.rejected[0].message).toMatch(/expected an IP address/);
    expect(await entryCount(list, admin)).toBe(0); // all-or-nothing: nothing written

    const partial = await add(admin, list, {
      text,
      partial: true,
      normalise: true,
      confidence: 80,
      tags: ['dos'],
    });
    expect(partial).toMatchObject({ applied: true, added: 5, resighted: 0, rejectedCount: 2 });
    expect(partial.warnings).toEqual([
      expect.objectContaining({
        line: 6,
        input: '198.51.100.0/23',
        message: expect.stringMatching(/host bits/),
      }),
    ]);
    const entries = await must<{ indicatorList: { entries: { edges: { node: Json }[] } } }>(
      'query($id: ID!) { indicatorList(id: $id) { entries(first: 10) { edges { node { value type confidence tags } } } } }',
      { id: list },
      admin,
    );
    expect(entries.indicatorList.entries.edges.map((e) => e.node.value).sort()).toEqual(
      [
        '198.51.100.0/23',
        '198.51.100.7',
        '2001:db8::1',
        'evil.example.com',
        'https://phish.example/login?x=1',
      ].sort(),
    );
    expect(entries.indicatorList.entries.edges[0].node).toMatchObject({
      confidence: 80,
      tags: ['dos'],
    });
  });

  it('takes bare lines into a new list in one go: each kind with its validity, duplicates once', async () => {
    const l = await createList(admin, { name: 'Fresh campaign', tlp: 'CLEAR' });
    const seenAt = '2026-11-20T10:00:00.000Z';
    // Which statements write list_entry, recorded by a trigger of the test's own.
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    const writers = async () =>
      (await db.query('SELECT q FROM test_entry_writers ORDER BY at')).rows.map((w) =>
        String(w.q).trim().split(/\s+/).slice(0, 2).join(' '),
      );
    try {
      await db.query(`CREATE TABLE test_entry_writers (q text, at timestamptz DEFAULT clock_timestamp());
        GRANT INSERT ON test_entry_writers TO PUBLIC;
        CREATE FUNCTION test_entry_writer() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN INSERT INTO test_entry_writers (q) VALUES (current_query()); RETURN NULL; END $$;
        CREATE TRIGGER test_entry_writer AFTER INSERT ON list_entry
          FOR EACH STATEMENT EXECUTE FUNCTION test_entry_writer();`);
      const r = await add(admin, l, {
        text: '45.50.0.2\nbulk-evil.example\n45.50.0.1\n45.50.0.2\nhttps://bulk-evil.example/x\n45.50.0.0/31',
        seenAt,
      });
      expect(r).toMatchObject({ applied: true, added: 5, resighted: 0 });
      // The bulk path: one COPY straight into list_entry.
      expect(await writers()).toEqual(['COPY list_entry']);
      const got = await must<{ indicatorList: { entries: { edges: { node: Json }[] } } }>(
        'query($id: ID!) { indicatorList(id: $id) { entries(first: 10, filter: { includeExpired: true }) { edges { node { value type firstSeen validUntil } } } } }',
        { id: l },
        admin,
      );
      const day = 86_400_000;
      const at = Date.parse(seenAt);
      expect(
        got.indicatorList.entries.edges.map(({ node }) => [
          node.value,
          node.type,
          (Date.parse(node.validUntil) - at) / day,
          node.firstSeen,
        ]),
      ).toEqual([
        ['45.50.0.0/31', 'IPV4_CIDR', 30, seenAt],
        ['45.50.0.1', 'IPV4', 30, seenAt],
        ['45.50.0.2', 'IPV4', 30, seenAt],
        ['bulk-evil.example', 'DOMAIN', 90, seenAt],
        ['https://bulk-evil.example/x', 'URL', 90, seenAt],
      ]);
      // The same lines again: now sighted again by the general merge, which inserts nothing
      // when every value was there (the daily re-post of a whole list).
      const later = '2026-11-21T10:00:00.000Z';
      expect(
        await add(admin, l, { text: '45.50.0.1\nbulk-evil.example', seenAt: later }),
      ).toMatchObject({ added: 0, resighted: 2 });
      expect(await writers()).toEqual(['COPY list_entry']);
      // A new value among them is inserted; each kind keeps its own validity, counted from the
      // new sighting, and a shorter validity never brings an expiry forward.
      expect(
        await add(admin, l, {
          text: '45.50.0.2\nnew-evil.example\nbulk-evil.example',
          seenAt: later,
        }),
      ).toMatchObject({ added: 1, resighted: 2 });
      expect(await writers()).toEqual(['COPY list_entry', 'INSERT INTO']);
      await add(admin, l, { text: '45.50.0.1\n45.50.0.2', seenAt: later, validityDays: 1 });
      const again = await must<{ indicatorList: { entries: { edges: { node: Json }[] } } }>(
        'query($id: ID!) { indicatorList(id: $id) { entries(first: 10, filter: { includeExpired: true }) { edges { node { value lastSeen validUntil } } } } }',
        { id: l },
        admin,
      );
      expect(
        again.indicatorList.entries.edges.map(({ node }) => [
          node.value,
          node.lastSeen,
          (Date.parse(node.validUntil) - at) / day,
        ]),
      ).toEqual([
        ['45.50.0.0/31', seenAt, 30],
        ['45.50.0.1', later, 31],
        ['45.50.0.2', later, 31],
        ['bulk-evil.example', later, 91],
        ['https://bulk-evil.example/x', seenAt, 90],
        ['new-evil.example', later, 91],
      ]);
    } finally {
      await db.query(`DROP TRIGGER IF EXISTS test_entry_writer ON list_entry;
        DROP FUNCTION IF EXISTS test_entry_writer(); DROP TABLE IF EXISTS test_entry_writers;`);
      await db.end();
    }
  });

  it('re-posts a whole list in one pass, and inserts again a value deleted while it was compared', async () => {
    const l = await createList(admin, { name: 'Daily re-post', tlp: 'CLEAR' });
    const values = ['45.60.0.1', '45.60.0.2', '45.60.0.3', '45.60.0.4'];
    const seenAt = '2026-11-20T10:00:00.000Z';
    const later = '2026-11-21T10:00:00.000Z';
    expect(await add(admin, l, { text: values.join('\n'), seenAt })).toMatchObject({ added: 4 });
    const { db, watcher, end } = await lockSessions();
    try {
      // A deletion the re-post cannot have seen when it read the list: not committed yet, and
      // made without triggers (as the superuser), so it does not queue behind the import on the
      // feed counter the way every writer of the hub does.
      await db.query('BEGIN');
      await db.query('SET LOCAL session_replication_role = replica');
      await db.query(
        `DELETE FROM list_entry WHERE value = '45.60.0.2'
            AND list_seq = (SELECT seq FROM indicator_list WHERE id = $1)`,
        [l],
      );
      // The same lines but one, and a new one: three sighted again, one added.
      const posting = add(admin, l, {
        text: ['45.60.0.5', ...values.slice(0, 3)].join('\n'),
        seenAt: later,
      });
      expect(await lockWaiters(watcher, 'UPDATE list_entry%', 1)).toBe(true);
      await db.query('COMMIT');
      expect(await posting).toMatchObject({ applied: true, added: 2, resighted: 2 });
      const got = await must<{ indicatorList: { entries: { edges: { node: Json }[] } } }>(
        'query($id: ID!) { indicatorList(id: $id) { entries(first: 10, filter: { includeExpired: true }) { edges { node { value firstSeen lastSeen } } } } }',
        { id: l },
        admin,
      );
      expect(
        got.indicatorList.entries.edges.map(({ node }) => [
          node.value,
          node.firstSeen,
          node.lastSeen,
        ]),
      ).toEqual([
        ['45.60.0.1', seenAt, later],
        ['45.60.0.2', later, later],
        ['45.60.0.3', seenAt, later],
        ['45.60.0.4', seenAt, seenAt],
        ['45.60.0.5', later, later],
      ]);
      // The whole list again, in another order: every entry sighted again, nothing added.
      const last = '2026-11-22T10:00:00.000Z';
      expect(
        await add(admin, l, { text: [...values, '45.60.0.5'].reverse().join('\n'), seenAt: last }),
      ).toMatchObject({ added: 0, resighted: 5 });
      const again = await must<{ indicatorList: { entries: { edges: { node: Json }[] } } }>(
        'query($id: ID!) { indicatorList(id: $id) { entries(first: 10) { edges { node { value lastSeen } } } } }',
        { id: l },
        admin,
      );
      expect(again.indicatorList.entries.edges.map(({ node }) => node.lastSeen)).toEqual(
        Array(5).fill(last),
      );
    } finally {
      await end();
    }
  });

  it('lets two edits at once both stand: a rename never writes back a marking raised meanwhile', async () => {
    const l = await createList(power.analyst.token, { name: 'Raced', tlp: 'GREEN' });
    const { db, watcher, end } = await lockSessions();
    try {
      // Hold the list's row so both edits have read it before either can write.
      await db.query('BEGIN');
      await db.query('SELECT 1 FROM indicator_list WHERE id = $1 FOR UPDATE', [l]);
      const raise = must(
        'mutation($id: ID!, $i: IndicatorListInput!) { updateIndicatorList(id: $id, input: $i) { tlp } }',
        { id: l, i: { tlp: 'AMBER', audience: { sectorCodes: ['electric-power'] } } },
        power.analyst.token,
      );
      const rename = must(
        'mutation($id: ID!, $i: IndicatorListInput!) { updateIndicatorList(id: $id, input: $i) { name } }',
        { id: l, i: { name: 'Raced, renamed' } },
        power.admin.token,
      );
      await lockWaiters(watcher, '%indicator_list%', 2);
      await db.query('COMMIT');
      await Promise.all([raise, rename]);
    } finally {
      await end();
    }
    const after = await must<{ indicatorList: { name: string; tlp: string } }>(
      'query($id: ID!) { indicatorList(id: $id) { name tlp } }',
      { id: l },
      power.analyst.token,
    );
    expect(after.indicatorList).toEqual({ name: 'Raced, renamed', tlp: 'AMBER' });
    // And a reader outside the new audience no longer has it.
    expect(await lines(`/feeds/ipv4.txt?list=${l}`, gas.feeds)).toEqual([]);
  });

  it("refuses, in the database itself, entries written for another organisation's list", async () => {
    const theirs = await createList(power.analyst.token, { name: 'Not yours', tlp: 'GREEN' });
    await add(power.analyst.token, theirs, { text: '45.51.0.1' });
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      const [{ seq, batch }] = (
        await db.query(
          `SELECT l.seq, b.id AS batch FROM indicator_list l JOIN entry_batch b ON b.list_seq = l.seq WHERE l.id = $1`,
          [theirs],
        )
      ).rows;
      await db.query('BEGIN');
      // As the login role (which bypasses row-level security, as the bulk COPY does), acting for
      // the coordinator: the entries' trigger still says no.
      await db.query(`SELECT set_config('renkei.org_id', $1, true)`, [coordinatorOrg]);
      await expect(
        db.query(
          `INSERT INTO list_entry (list_seq, value, type, first_batch, last_batch) VALUES ($1, '45.51.0.2', 'ipv4', $2, $2)`,
          [seq, batch],
        ),
      ).rejects.toThrow(/another organisation/);
      await db.query('ROLLBACK');
      // The same with COPY, as the bulk path writes.
      await db.query('BEGIN');
      await db.query(`SELECT set_config('renkei.org_id', $1, true)`, [coordinatorOrg]);
      await expect(
        new Promise((resolve, reject) => {
          const stream = db.query(
            copyFrom('COPY list_entry (value, type, list_seq, first_batch, last_batch) FROM STDIN'),
          );
          stream.on('finish', resolve);
          stream.on('error', reject);
          stream.end(`45.51.0.3\tipv4\t${seq}\t${batch}\t${batch}\n`);
        }),
      ).rejects.toThrow(/another organisation/);
      await db.query('ROLLBACK');
    } finally {
      await db.end();
    }
  });

  it('extends the expiry of a value sighted again, and keeps one indicator with several sightings', async () => {
    const before = await must<{ indicator: Json }>(
      'query { indicator(value: "198.51.100.7") { validUntil sightings { listName } } }',
      {},
      admin,
    );
    const added = await add(admin, list, { text: '198.51.100.7\n198.51.100.8', validityDays: 90 });
    expect(added).toMatchObject({ added: 1, resighted: 1 });
    const other = await createList(admin, { name: 'Scanners', tlp: 'CLEAR' });
    await add(admin, other, { text: '198[.]51.100.7' });
    const after = await must<{ indicator: Json }>(
      'query { indicator(value: "198.51.100.7") { value validUntil sightings { listName } } }',
      {},
      admin,
    );
    expect(new Date(after.indicator.validUntil).getTime()).toBeGreaterThan(
      new Date(before.indicator.validUntil).getTime() + 50 * 86_400_000,
    );
    expect(after.indicator.sightings.map((s: { listName: string }) => s.listName).sort()).toEqual([
      'DoS sources 2026-11',
      'Scanners',
    ]);
  });

  it('reads CSV with a header and per-line columns, naming the bad line and column', async () => {
    const csvList = await createList(admin, { name: 'CSV import', tlp: 'GREEN' });
    const bad = await add(admin, csvList, {
      format: 'CSV',
      text: 'value,confidence,tags,note\n192.0.2.200,90,c2;botnet,"seen, twice"\n203.0.113.200,101,,\n',
    });
    expect(bad.rejected).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringMatching(/confidence "101"/) }),
    ]);
    const good = await add(admin, csvList, {
      format: 'CSV',
      text: 'value,confidence,tags,note,valid_until\n192.0.2.200,90,c2;botnet,"seen, twice",2031-01-01\n',
    });
    expect(good.added).toBe(1);
    const r = await must<{ indicator: Json }>(
      'query { indicator(value: "192.0.2.200") { confidence validUntil sightings { tags note } } }',
      {},
      admin,
    );
    expect(r.indicator).toMatchObject({
      confidence: 90,
      validUntil: '2031-01-01T00:00:00.000Z',
      sightings: [{ tags: ['c2', 'botnet'], note: 'seen, twice' }],
    });
  });

  it('imports a STIX bundle and reports what it did not understand', async () => {
    const stixList = await createList(admin, { name: 'From a partner TIP', tlp: 'GREEN' });
    const bundle = {
      type: 'bundle',
      id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
      objects: [
        {
          type: 'indicator',
          spec_version: '2.1',
          id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
          created: '2026-11-01T00:00:00.000Z',
          modified: '2026-11-01T00:00:00.000Z',
          pattern: "[ipv4-addr:value = '198.51.100.99']",
          pattern_type: 'stix',
          valid_from: '2026-11-01T00:00:00Z',
          confidence: 70,
        },
        {
          type: 'malware',
          spec_version: '2.1',
          id: 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b',
          created: '2026-11-01T00:00:00.000Z',
          modified: '2026-11-01T00:00:00.000Z',
          name: 'x',
          is_family: false,
        },
      ],
    };
    const r = await add(admin, stixList, { format: 'STIX', text: JSON.stringify(bundle) });
    expect(r).toMatchObject({ applied: true, added: 1 });
    expect(r.ignored).toEqual([expect.objectContaining({ where: 'objects[1]', input: 'malware' })]);
  });

  it('tells the poster which entries no blocklist will serve', async () => {
    const r = await add(admin, list, { text: '10.1.2.3\n8.8.8.8\n45.77.0.0/24' });
    expect(r.applied).toBe(true);
    expect(r.suppressed.map((s: { input: string }) => s.input)).toEqual(['10.1.2.3', '8.8.8.8']);
    expect(r.suppressed[0].message).toMatch(/never served in blocklists: within 10\.0\.0\.0\/8/);
  });

  it('names every allowed range a posted block is served without', async () => {
    const l = await createList(admin, { name: 'Wide blocks', tlp: 'GREEN' });
    // (A /17: broader ranges reach feeds only after review, ADR 0012.)
    const r = await add(admin, l, { text: '192.0.0.0/22\n8.8.0.0/17' });
    expect(r.applied).toBe(true);
    // Out again, so the feeds the other tests read stay as they were.
    await must(
      'mutation($l: ID!, $v: [String!]!) { removeListEntries(listId: $l, values: $v) { removed } }',
      { l, v: ['192.0.0.0/22', '8.8.0.0/17'] },
      admin,
    );
    const said = Object.fromEntries(
      r.suppressed.map((s: { input: string; message: string }) => [s.input, s.message]),
    );
    // 192.0.0.0/24 (with the /29 and /32s inside it) and 192.0.2.0/24 are withheld, not only
    // the narrowest range that overlaps.
    expect(said['192.0.0.0/22']).toBe(
      'served in blocklists without the part in 192.0.0.0/24 (IETF Protocol Assignments (RFC 6890, section 2.1)), 192.0.2.0/24 (Documentation, TEST-NET-1 (RFC 5737))',
    );
    expect(said['8.8.0.0/17']).toMatch(
      /8\.8\.4\.4\/32 \(Public DNS resolver: Google\), 8\.8\.8\.8\/32/,
    );
  });

  it('removes entries and expires a list', async () => {
    const l = await createList(admin, { name: 'Short-lived', tlp: 'CLEAR' });
    await add(admin, l, { text: '192.0.2.10\n192.0.2.11\n192.0.2.12' });
    const removed = await must<{ removeListEntries: { removed: number; notFound: string[] } }>(
      'mutation($l: ID!, $v: [String!]!) { removeListEntries(listId: $l, values: $v) { removed notFound } }',
      { l, v: ['192.0.2.10', '192.0.2.99'] },
      admin,
    );
    expect(removed.removeListEntries).toEqual({ removed: 1, notFound: ['192.0.2.99'] });
    const expired = await must<{ expireIndicatorList: { liveEntries: number } }>(
      'mutation($id: ID!) { expireIndicatorList(id: $id) { liveEntries } }',
      { id: l },
      admin,
    );
    expect(expired.expireIndicatorList.liveEntries).toBe(0);
    expect(await lines(`/feeds/ipv4.txt?list=${l}`, power.feeds)).toEqual([]);
    const events = new Client({ connectionString: t.databaseUrl });
    await events.connect();
    try {
      const { rows } = await events.query(
        'SELECT kind FROM hub_event WHERE list_id = $1 ORDER BY id',
        [l],
      );
      expect(rows.map((r) => r.kind)).toEqual([
        'list.created',
        'list.entries_added',
        'list.entries_removed',
        'list.expired',
      ]);
    } finally {
      await events.end();
    }
  });

  it('takes a million lines over REST, and refuses all of them for one bad line', async () => {
    const big = await createList(admin, {
      name: 'A million',
      tlp: 'AMBER_STRICT',
      audience: { organisationIds: [coordinatorOrg] },
    });
    const values: string[] = [];
    for (let i = 0; i < 1_000_000; i++) {
      values.push(`${11 + (i >>> 16)}.${(i >>> 8) & 255}.${i & 255}.${1 + (i % 200)}`);
    }
    const bad = [...values];
    bad[654_320] = '11.22.33.444';
    const post = (body: string) =>
      fetch(`${t.url}/api/lists/${big}/entries`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/plain' },
        body,
      });
    const before = await databaseState();
    const refused = await post(bad.join('\n'));
    expect(refused.status).toBe(422);
    expect(await databaseState()).toEqual(before);
    const refusal = (await refused.json()) as Record<string, Json>;
    expect(refusal).toMatchObject({ applied: false, rejectedCount: 1, added: 0 });
    expect(refusal.rejected).toEqual([
      expect.objectContaining({ line: 654_321, input: '11.22.33.444' }),
    ]);
    expect(await entryCount(big, admin)).toBe(0);

    const accepted = await post(values.join('\n'));
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ applied: true, added: new Set(values).size });
    expect(await entryCount(big, admin)).toBe(new Set(values).size);
  });

  it('lists every bad line over REST, and the first thousand over GraphQL, counting all', async () => {
    const l = await createList(admin, { name: 'Mostly typos', tlp: 'CLEAR' });
    const text = Array.from({ length: 1500 }, (_, i) => `not-an-ip-${i}`).join('\n');
    const rest = await fetch(`${t.url}/api/lists/${l}/entries`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/plain' },
      body: `46.40.0.1\n${text}`,
    });
    expect(rest.status).toBe(422);
    const refusal = (await rest.json()) as Json;
    expect(refusal.rejectedCount).toBe(1500);
    expect(refusal.rejected.map((r: Json) => r.line)).toEqual(
      Array.from({ length: 1500 }, (_, i) => i + 2),
    );
    const gql = await add(admin, l, { text });
    expect(gql).toMatchObject({ applied: false, rejectedCount: 1500 });
    expect(gql.rejected).toHaveLength(1000);
    expect(await entryCount(l, admin)).toBe(0);
  });

  it('answers bad REST input with the parameter at fault, and unknown lists as not found', async () => {
    const r = await fetch(`${t.url}/api/lists/${randomId()}/entries?confidance=90`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/plain' },
      body: '192.0.2.1',
    });
    expect(r.status).toBe(400);
    expect(((await r.json()) as Json).error.fieldErrors).toEqual([
      expect.objectContaining({ path: 'confidance' }),
    ]);
    const missing = await fetch(`${t.url}/api/lists/${randomId()}/entries`, {
      method: 'POST',
      headers: { authorization: `Bearer ${power.writer}`, 'content-type': 'text/plain' },
      body: '192.0.2.1',
    });
    expect(missing.status).toBe(404);
  });
});

function randomId(): string {
  return (
    '00000000-0000-4000-8000-' +
    Math.floor(Math.random() * 1e12)
      .toString()
      .padStart(12, '0')
  );
}

describe('blocklists', () => {
  let sectorList: string;
  let strictList: string;
  let redList: string;
  let coordList: string;

  beforeAll(async () => {
    coordList = await createList(admin, {
      name: 'Sector-wide DoS',
      tlp: 'GREEN',
      sectors: ['electric-power'],
    });
    await add(admin, coordList, {
      text: [
        '198.18.0.1', // benchmarking range: special purpose, never served
        '1.1.1.1', // public resolver
        '61.200.0.5', // inside Kanto Electric's own range
        '192.0.2.128/25', // documentation range
        '100.64.10.10', // CGNAT
        '45.33.0.0/24',
        '45.33.1.0/24',
        '45.33.3.7',
        '45.33.3.8',
        '2a00:1450:4000::/37',
        '8.8.8.0/24', // contains Google's resolvers: served without them
        'malware.example',
      ].join('\n'),
      confidence: 90,
    });
    sectorList = await createList(power.analyst.token, {
      name: 'Seen at our substations',
      tlp: 'AMBER',
      audience: { sectorCodes: ['electric-power'] },
    });
    await add(power.analyst.token, sectorList, { text: '77.88.1.1\n77.88.1.2', confidence: 40 });
    strictList = await createList(power.analyst.token, {
      name: 'Our own only',
      tlp: 'AMBER_STRICT',
      audience: { organisationIds: [power.org] },
    });
    await add(power.analyst.token, strictList, { text: '91.92.93.94' });
    redList = await createList(power.analyst.token, {
      name: 'Named people only',
      tlp: 'RED',
      audience: { redRecipientEmails: ['soc@kanto-electric.example'] },
    });
    await add(power.analyst.token, redList, { text: '66.66.66.66' });
  });

  it('serves exactly what each organisation may see, never RED, never allow-listed', async () => {
    const mine = await lines(
      `/feeds/ipv4.txt?list=${coordList}&list=${sectorList}&list=${strictList}&list=${redList}`,
      power.feeds,
    );
    expect(mine).toEqual([
      '8.8.8.0/29',
      '8.8.8.9',
      '8.8.8.10/31',
      '8.8.8.12/30',
      '8.8.8.16/28',
      '8.8.8.32/27',
      '8.8.8.64/26',
      '8.8.8.128/25',
      '45.33.0.0/24',
      '45.33.1.0/24',
      '45.33.3.7',
      '45.33.3.8',
      '77.88.1.1',
      '77.88.1.2',
      '91.92.93.94',
    ]);
    const peer = await lines(
      `/feeds/ipv4.txt?list=${coordList}&list=${sectorList}&list=${strictList}&list=${redList}`,
      powerPeer.feeds,
    );
    // Chubu (same sector) sees the AMBER sector list, and 61.200.0.5 (not its own range).
    expect(peer).toContain('77.88.1.1');
    expect(peer).toContain('61.200.0.5');
    expect(peer).not.toContain('91.92.93.94');
    expect(peer).not.toContain('66.66.66.66');
    const other = await lines('/feeds/ipv4.txt', gas.feeds);
    expect(other).not.toContain('77.88.1.1');
    expect(other).not.toContain('91.92.93.94');
    expect(other).not.toContain('66.66.66.66');
    expect(other).toContain('45.33.3.7');
  });

  it('applies the hub-wide allow-list at once, and lists every allowed range', async () => {
    const path = `/feeds/ipv4.txt?list=${coordList}`;
    expect(await lines(path, power.feeds)).toContain('45.33.3.7');
    const analyst = power.analyst.token;
    const refused = await t.gql(
      'mutation { addFeedAllowRange(range: "45.33.3.0/24", note: "our partner\'s NAT") }',
      {},
      analyst,
    );
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await must(
      'mutation { addFeedAllowRange(range: "45.33.3.0/24", note: "partner NAT") }',
      {},
      admin,
    );
    expect(await lines(path, power.feeds)).not.toContain('45.33.3.7');
    const allowed = await must<{ feedAllowList: { range: string; source: string }[] }>(
      '{ feedAllowList { range reason source } }',
      {},
      analyst,
    );
    expect(allowed.feedAllowList).toContainEqual(
      expect.objectContaining({ range: '45.33.3.0/24', source: 'hub' }),
    );
    expect(allowed.feedAllowList).toContainEqual(
      expect.objectContaining({ range: '61.200.0.0/26', source: 'own' }),
    );
    expect(allowed.feedAllowList).toContainEqual(
      expect.objectContaining({ range: '10.0.0.0/8', source: 'special-purpose' }),
    );
    await must('mutation { removeFeedAllowRange(range: "45.33.3.0/24") }', {}, admin);
    expect(await lines(path, power.feeds)).toContain('45.33.3.7');
  });

  it('aggregates to blocks covering exactly the same addresses', async () => {
    const plain = await lines(`/feeds/ipv4.txt?list=${coordList}`, power.feeds);
    const aggregated = await lines(`/feeds/ipv4.txt?list=${coordList}&aggregate=true`, power.feeds);
    expect(aggregated).toEqual([
      '8.8.8.0/29',
      '8.8.8.9',
      '8.8.8.10/31',
      '8.8.8.12/30',
      '8.8.8.16/28',
      '8.8.8.32/27',
      '8.8.8.64/26',
      '8.8.8.128/25',
      '45.33.0.0/23',
      '45.33.3.7',
      '45.33.3.8',
    ]);
    expect(coveredSet(aggregated)).toEqual(coveredSet(plain));
    expect(aggregated.length).toBeLessThan(plain.length);
  });

  it('serves IPv6, domains, CSV, JSON and a STIX bundle of the same entries', async () => {
    expect(await lines(`/feeds/ipv6.txt?list=${coordList}`, power.feeds)).toEqual([
      '2a00:1450:4000::/37',
    ]);
    expect(await lines(`/feeds/domain.txt?list=${coordList}`, power.feeds)).toEqual([
      'malware.example',
    ]);
    const csv = await lines(`/feeds/all.csv?list=${coordList}`, power.feeds);
    expect(csv[0]).toBe('value,type,confidence,first_seen,last_seen,valid_until,tlp,tags');
    expect(csv).toContainEqual(expect.stringMatching(/^45\.33\.3\.7,ipv4,90,/));
    const json = (await (
      await pull(`/feeds/all.json?list=${coordList}`, power.feeds)
    ).json()) as Json;
    expect(json.count).toBe(json.entries.length);
    expect(json.entries.map((e: { value: string }) => e.value)).toContain('malware.example');
    const stix = (await (
      await pull(`/feeds/all.stix?list=${coordList}`, power.feeds)
    ).json()) as Json;
    expect(stix.type).toBe('bundle');
    const patterns = stix.objects
      .filter((o: { type: string }) => o.type === 'indicator')
      .map((o: { pattern: string }) => o.pattern);
    expect(patterns).toContain("[ipv4-addr:value = '45.33.3.7']");
    expect(patterns).toContain("[domain-name:value = 'malware.example']");
  });

  it('filters by minimum confidence and sector', async () => {
    const all = await lines('/feeds/ipv4.txt', power.feeds);
    const confident = await lines('/feeds/ipv4.txt?min_confidence=50', power.feeds);
    expect(all).toContain('77.88.1.1');
    expect(confident).not.toContain('77.88.1.1');
    expect(confident).toContain('45.33.3.7');
    expect(await lines('/feeds/ipv4.txt?sector=gas', power.feeds)).toEqual([]);
    // About electric power: the coordinator's sector-wide list, and Kanto Electric's own lists
    // (a list is about its owner's sector unless it says otherwise); not the coordinator's others.
    const sector = await lines('/feeds/ipv4.txt?sector=electric-power', power.feeds);
    const expected = await lines(
      `/feeds/ipv4.txt?list=${coordList}&list=${sectorList}&list=${strictList}`,
      power.feeds,
    );
    for (const v of expected) expect(sector).toContain(v);
    expect(sector).toContain('45.33.3.7');
    expect(sector).toContain('77.88.1.1');
    const misc = await createList(admin, { name: 'Coordinator misc', tlp: 'GREEN' });
    await add(admin, misc, { text: '46.30.0.1' });
    expect(await lines('/feeds/ipv4.txt', power.feeds)).toContain('46.30.0.1');
    expect(await lines('/feeds/ipv4.txt?sector=electric-power', power.feeds)).not.toContain(
      '46.30.0.1',
    );
  });

  it('answers 304 from ETag or Last-Modified, and a new ETag after a change', async () => {
    const path = `/feeds/ipv4.txt?list=${coordList}`;
    const first = await pull(path, power.feeds);
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^W\/".+"$/);
    const body = await first.text();
    expect((await pull(path, power.feeds, { 'if-none-match': etag })).status).toBe(304);
    expect((await pull(path, power.feeds, { 'if-modified-since': lastModified })).status).toBe(304);
    await add(admin, coordList, { text: '45.33.9.9' });
    const changed = await pull(path, power.feeds, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(await changed.text()).not.toBe(body);
  });

  it('keeps its ETag when only lists the caller cannot see change', async () => {
    const path = '/feeds/ipv4.txt';
    const first = await pull(path, gas.feeds);
    const etag = first.headers.get('etag')!;
    const body = await first.text();
    // Kanto Electric's AMBER+STRICT list: Tokai Gas may not see it, nor learn that it changed.
    await add(power.analyst.token, strictList, { text: '91.92.93.95' });
    const mine = await pull(`/feeds/ipv4.txt?list=${strictList}`, power.feeds);
    expect(await mine.text()).toContain('91.92.93.95');
    const unchanged = await pull(path, gas.feeds, { 'if-none-match': etag });
    expect(unchanged.status).toBe(304);
    expect(unchanged.headers.get('etag')).toBe(etag);
    const full = await pull(path, gas.feeds);
    expect(full.headers.get('etag')).toBe(etag);
    expect(await full.text()).toBe(body);
    // A list it sees changes: a new ETag.
    await add(admin, coordList, { text: '45.33.12.12' });
    const changed = await pull(path, gas.feeds, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(await changed.text()).toContain('45.33.12.12');
  });

  it('moves Last-Modified with every change, even within one second', async () => {
    const path = `/feeds/ipv4.txt?list=${coordList}`;
    for (let i = 0; i < 3; i++) {
      const before = await pull(path, power.feeds);
      const lastModified = before.headers.get('last-modified')!;
      await before.text();
      await add(admin, coordList, { text: `45.33.20.${i}` });
      const after = await pull(path, power.feeds, { 'if-modified-since': lastModified });
      expect(after.status).toBe(200);
      expect(await after.text()).toContain(`45.33.20.${i}`);
      expect(Date.parse(after.headers.get('last-modified')!)).toBeGreaterThan(
        Date.parse(lastModified),
      );
    }
  });

  it("rounds another organisation's times, and shows an organisation its own exactly", async () => {
    const hour = (iso: string) => new Date(iso).getTime() % 3_600_000 === 0;
    const others = (await (
      await pull(`/feeds/all.json?list=${coordList}`, gas.feeds)
    ).json()) as Json;
    expect(others.entries.length).toBeGreaterThan(0);
    for (const e of others.entries) {
      expect([e.first_seen, e.last_seen, e.valid_until].every(hour)).toBe(true);
    }
    const csv = await lines(`/feeds/all.csv?list=${coordList}`, gas.feeds);
    for (const line of csv.slice(1)) {
      const [, , , first, last, until] = line.split(',');
      expect([first, last, until].every(hour)).toBe(true);
    }
    const own = (await (
      await pull(`/feeds/all.json?list=${sectorList}`, power.feeds)
    ).json()) as Json;
    expect(own.entries.some((e: Json) => !hour(e.first_seen) && !hour(e.valid_until))).toBe(true);
    const peer = (await (
      await pull(`/feeds/all.json?list=${sectorList}`, powerPeer.feeds)
    ).json()) as Json;
    expect(peer.entries.map((e: Json) => e.value)).toEqual(own.entries.map((e: Json) => e.value));
    expect(peer.entries.every((e: Json) => hour(e.first_seen) && hour(e.valid_until))).toBe(true);
  });

  it('never serves special-purpose IPv6, mapped IPv4 or resolvers, in any format', async () => {
    const specials = [
      'fe80::1',
      '2001:db8::1',
      '::ffff:10.0.0.1',
      '::1',
      'ff02::1',
      'fc00::5',
      '64:ff9b::808:808',
      '2001:4860:4860::8888',
      '2606:4700:4700::1112',
    ];
    const l = await createList(admin, { name: 'IPv6 oddities', tlp: 'CLEAR' });
    const posted = await add(admin, l, {
      text: [...specials, '2a01:4f8::1', '46.20.0.1'].join('\n'),
    });
    expect(posted.applied).toBe(true);
    expect(posted.suppressed.map((x: { input: string }) => x.input).sort()).toEqual(
      [...specials].sort(),
    );
    const valuesOf = (feed: string, text: string): string[] => {
      if (feed.endsWith('.txt')) return text.split('\n').filter(Boolean);
      if (feed.endsWith('.csv'))
        return text
          .split('\n')
          .slice(1)
          .filter(Boolean)
          .map((x) => x.split(',')[0]);
      if (feed.endsWith('.json')) return JSON.parse(text).entries.map((e: Json) => e.value);
      return [...text.matchAll(/-addr:value = '([^']+)'/g)].map((m) => m[1]);
    };
    for (const feed of ['ip.txt', 'ipv6.txt', 'all.txt', 'all.csv', 'all.json', 'all.stix']) {
      const res = await pull(`/feeds/${feed}?list=${l}`, gas.feeds);
      expect(res.status).toBe(200);
      const values = valuesOf(feed, await res.text());
      expect(values).toContain('2a01:4f8::1');
      for (const v of specials) expect(values).not.toContain(v);
    }
    const aggregated = await lines(`/feeds/ip.txt?list=${l}&aggregate=true`, gas.feeds);
    expect(aggregated).toEqual(['46.20.0.1', '2a01:4f8::1']);
  });

  it('aggregates IPv6 to blocks covering exactly the same addresses', async () => {
    const l = await createList(admin, { name: 'IPv6 blocks', tlp: 'CLEAR' });
    await add(admin, l, {
      text: [
        '2a01:4f8:1::/64',
        '2a01:4f8:1:1::/64',
        '2a01:4f8:1:2::/63',
        '2a01:4f8:2::',
        '2a01:4f8:2::1',
        '2a01:4f8:2::3',
        '2a01:4f8:3::/48',
        '2a01:4f8:3:1::5',
        '2a02:c7f::/32',
      ].join('\n'),
    });
    const plain = await lines(`/feeds/ipv6.txt?list=${l}`, gas.feeds);
    const aggregated = await lines(`/feeds/ipv6.txt?list=${l}&aggregate=true`, gas.feeds);
    expect(ipv6Cover(aggregated)).toEqual(ipv6Cover(plain));
    expect(aggregated).toEqual([
      '2a01:4f8:1::/62',
      '2a01:4f8:2::/127',
      '2a01:4f8:2::3',
      '2a01:4f8:3::/48',
      '2a02:c7f::/32',
    ]);
  });

  it('gzips when asked, with a checksum URL of the plain body', async () => {
    const many = await createList(admin, { name: 'Enough to compress', tlp: 'CLEAR' });
    await add(admin, many, {
      text: Array.from({ length: 300 }, (_, i) => `46.10.${i >> 8}.${i & 255}`).join('\n'),
    });
    const path = `/feeds/ipv4.txt?list=${many}`;
    // node:http, not fetch: fetch would decompress and hide whether the hub compressed.
    const gzipped = () =>
      new Promise<{ headers: IncomingHttpHeaders; text: string }>((resolve, reject) => {
        httpGet(
          `${t.url}${path}`,
          { headers: { authorization: `Bearer ${power.feeds}`, 'accept-encoding': 'gzip' } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              expect(res.headers['content-encoding']).toBe('gzip');
              resolve({ headers: res.headers, text: gunzipSync(Buffer.concat(chunks)).toString() });
            });
          },
        ).on('error', reject);
      });
    const plainMany = await (await pull(path, power.feeds)).text();
    expect(plainMany.split('\n').filter(Boolean)).toHaveLength(300);
    expect((await gzipped()).text).toBe(plainMany);
    // Again, from memory this time: compressed the same.
    const again = await gzipped();
    expect(again.text).toBe(plainMany);
    expect(again.headers['x-request-id']).toBeUndefined();
  });

  it('gives a small feed uncompressed, with a checksum URL of the plain body', async () => {
    const path = `/feeds/ipv4.txt?list=${coordList}`;
    const plain = await (await pull(path, power.feeds)).text();
    const raw = await fetch(`${t.url}${path}`, {
      headers: { authorization: `Bearer ${power.feeds}`, 'accept-encoding': 'gzip' },
      // @ts-expect-error undici option: keep the body compressed
      decompress: false,
    });
    const bytes = Buffer.from(await raw.arrayBuffer());
    const text =
      raw.headers.get('content-encoding') === 'gzip'
        ? gunzipSync(bytes).toString()
        : bytes.toString();
    expect(text).toBe(plain);
    const sha = (
      await (await pull(`/feeds/ipv4.txt.sha256?list=${coordList}`, power.feeds)).text()
    ).trim();
    expect(sha).toBe(createHash('sha256').update(plain).digest('hex'));
  });

  it('splits into stable parts and caps a response', async () => {
    const whole = await lines('/feeds/ipv4.txt', power.feeds);
    const parts = await Promise.all(
      [1, 2, 3].map((k) => lines(`/feeds/ipv4.txt?parts=3&part=${k}`, power.feeds)),
    );
    expect(parts.flat().sort()).toEqual([...whole].sort());
    expect(new Set(parts.flat()).size).toBe(whole.length);
    // A block and addresses inside it: every address in one part only, the block cut where it
    // spans parts (before, a /32 could be served in another part than its /16).
    const wide = await createList(admin, { name: 'A block and its hosts', tlp: 'GREEN' });
    const held = await must<{ addListEntries: { held: { changeId: number } | null } }>(
      'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { held { changeId } } }',
      { l: wide, i: { text: '46.64.0.0/10\n46.65.1.7\n46.100.200.1\n46.127.0.0/24' } },
      admin,
    );
    // A /10 is more than a change may add to feeds unreviewed (ADR 0012): the coordinator approves.
    expect(held.addListEntries.held).not.toBeNull();
    await must(
      'mutation($c: Int!) { approveFeedChange(changeId: $c) { state } }',
      { c: held.addListEntries.held!.changeId },
      admin,
    );
    const blockParts = await Promise.all(
      [1, 2, 3].map((k) => lines(`/feeds/ipv4.txt?list=${wide}&parts=3&part=${k}`, power.feeds)),
    );
    const blockWhole = await lines(`/feeds/ipv4.txt?list=${wide}&aggregate=true`, power.feeds);
    expect(blockWhole).toEqual(['46.64.0.0/10']);
    expect(aggregate(blockParts.flat()).v4).toEqual(blockWhole);
    expect(blockParts.map((p) => countAddresses(p)).reduce((a, b) => a + b)).toBe(2n ** 22n);
    await must(
      'mutation($l: ID!) { expireIndicatorList(id: $l) { liveEntries } }',
      { l: wide },
      admin,
    );
    await add(admin, coordList, { text: '45.33.10.10\n45.33.10.11' });
    const after = await Promise.all(
      [1, 2, 3].map((k) => lines(`/feeds/ipv4.txt?parts=3&part=${k}`, power.feeds)),
    );
    parts.forEach((p, i) => p.forEach((v) => expect(after[i]).toContain(v)));
    const capped = await pull('/feeds/ipv4.txt?max=3', power.feeds);
    expect((await capped.text()).split('\n').filter(Boolean)).toHaveLength(3);
    expect(Number(capped.headers.get('x-feed-omitted'))).toBe(whole.length + 2 - 3);
  });

  it('takes the token as HTTP Basic password, and says how to authenticate', async () => {
    const basic = await fetch(`${t.url}/feeds/ipv4.txt`, {
      headers: {
        authorization: `Basic ${Buffer.from(`firewall:${power.feeds}`).toString('base64')}`,
      },
    });
    expect(basic.status).toBe(200);
    const none = await fetch(`${t.url}/feeds/ipv4.txt`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/Basic realm="renkei"/);
    const wrongScope = await pull('/feeds/ipv4.txt', power.writer);
    expect(wrongScope.status).toBe(403);
    const typo = await pull('/feeds/ipv4.txt?min_confidance=90', power.feeds);
    expect(typo.status).toBe(400);
    expect(JSON.stringify(await typo.json())).toMatch(/min_confidance/);
  });

  it('never serves expired entries or retracted lists', async () => {
    const old = await createList(admin, { name: 'Old campaign', tlp: 'CLEAR' });
    await add(admin, old, { text: '185.1.1.1', seenAt: '2020-01-01T00:00:00Z', validityDays: 30 });
    await add(admin, old, { text: '185.1.1.2' });
    expect(await lines(`/feeds/ipv4.txt?list=${old}`, power.feeds)).toEqual(['185.1.1.2']);
    await must(
      'mutation($id: ID!) { retractIndicatorList(id: $id, reason: "false positives") { status } }',
      { id: old },
      admin,
    );
    expect(await lines(`/feeds/ipv4.txt?list=${old}`, power.feeds)).toEqual([]);
  });

  it('answers repeated pulls from memory, and forgets a revoked token or suspended organisation at once', async () => {
    const r = await must<{ createApiToken: { token: string; apiToken: { id: string } } }>(
      'mutation { createApiToken(input: { name: "edge firewall", scopes: ["feeds:read"] }) { token apiToken { id } } }',
      {},
      power.admin.token,
    );
    const token = r.createApiToken.token;
    const first = await pull('/feeds/ipv4.txt', token);
    expect(first.status).toBe(200);
    // The full path goes through the request logger, which names every request; the fast path
    // (a token it checked, a rendered feed at the current counter) answers from memory.
    expect(first.headers.get('x-request-id')).toBeTruthy();
    const again = await fromMemory('/feeds/ipv4.txt', token, {
      'if-none-match': first.headers.get('etag')!,
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('x-request-id')).toBeNull();
    await must(
      'mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }',
      { id: r.createApiToken.apiToken.id },
      power.admin.token,
    );
    expect((await pull('/feeds/ipv4.txt', token)).status).toBe(401);

    await lines('/feeds/ipv4.txt', gas.feeds);
    expect((await fromMemory('/feeds/ipv4.txt', gas.feeds)).headers.get('x-request-id')).toBeNull();
    await must(
      'mutation($id: ID!) { suspendOrganisation(id: $id) { status } }',
      { id: gas.org },
      admin,
    );
    expect((await pull('/feeds/ipv4.txt', gas.feeds)).status).toBe(401);
    await must(
      'mutation($id: ID!) { reactivateOrganisation(id: $id) { status } }',
      { id: gas.org },
      admin,
    );
    expect((await pull('/feeds/ipv4.txt', gas.feeds)).status).toBe(200);
  });

  it('records pulls per token per hour, shown to the organisation admin', async () => {
    await lines('/feeds/ipv4.txt', gas.feeds);
    const seen = await must<{
      feedPulls: { tokenName: string; requests: number; notModified: number }[];
    }>(
      '{ feedPulls { tokenName requests notModified bytes lastPath lastAt } }',
      {},
      power.admin.token,
    );
    expect(seen.feedPulls.length).toBeGreaterThan(0);
    expect(
      seen.feedPulls.every(
        (f) => f.tokenName.startsWith('firewall feeds:read') || f.tokenName === 'edge firewall',
      ),
    ).toBe(true);
    expect(seen.feedPulls.reduce((n, f) => n + f.requests, 0)).toBeGreaterThan(5);
    expect(seen.feedPulls.some((f) => f.notModified > 0)).toBe(true);
    const refused = await t.gql('{ feedPulls { requests } }', {}, power.analyst.token);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    await lines('/feeds/ipv4.txt', gas.feeds);
    await t.stop(); // what is counted since is written at shutdown
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query(
        `SELECT sum(p.requests)::int AS requests FROM feed_pull p JOIN api_token t ON t.id = p.token_id
          WHERE t.organisation_id = $1`,
        [gas.org],
      );
      expect(rows[0].requests).toBeGreaterThanOrEqual(5);
    } finally {
      await db.end();
    }
  });
});
