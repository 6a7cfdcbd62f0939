import { Client } from 'pg';
import { createOrg, member, Member } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';
import { WsClient } from './support/ws-client';

/*
 * Blocklists that cannot be turned against their members (ADR 0012), against the real server
 * and database. Firewalls at every member apply the feeds automatically: a /0 from one member,
 * a typo with host bits, or a stolen token must not black-hole the sector. Each guard-rail is
 * tried on every input path, and read back from every output (text, CSV, JSON, STIX, TAXII).
 */

jest.setTimeout(240_000);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let t: TestHub;
let admin: string;
let operator: { org: string; analyst: Member; writer: string };
let peer: { org: string; feeds: string; analyst: Member };

const ADD = `mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) {
  applied added rejectedCount rejected { line where input message } warnings { input message }
  held { changeId reason } } }`;

async function must<T = Json>(
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<T> {
  const r = await t.gql<T>(query, variables, token);
  if (!r.data || r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
}

async function createList(token: string, name: string, tlp = 'GREEN'): Promise<string> {
  const r = await must<{ createIndicatorList: { id: string } }>(
    'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
    { i: { name, tlp } },
    token,
  );
  return r.createIndicatorList.id;
}

async function add(token: string, listId: string, input: Record<string, unknown>): Promise<Json> {
  return (await must(ADD, { l: listId, i: input }, token)).addListEntries;
}

async function apiToken(orgAdmin: string, scopes: string[]): Promise<string> {
  const r = await must<{ createApiToken: { token: string } }>(
    'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
    { i: { name: `token ${scopes.join(' ')} ${Math.random()}`, scopes } },
    orgAdmin,
  );
  return r.createApiToken.token;
}

function post(listId: string, body: string, contentType: string, query = '') {
  return fetch(`${t.url}/api/lists/${listId}/entries${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${operator.writer}`, 'content-type': contentType },
    body,
  });
}

async function pull(path: string, token = peer.feeds): Promise<{ etag: string; text: string }> {
  const res = await fetch(`${t.url}${path}`, {
    headers: {
      authorization: `Bearer ${token}`,
      accept: path.startsWith('/taxii2/') ? 'application/taxii+json;version=2.1' : '*/*',
    },
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text}`);
  return { etag: res.headers.get('etag') ?? '', text };
}

/** Every output a firewall or a TIP reads one list from. */
function outputs(listId: string): string[] {
  return [
    `/feeds/ip.txt?list=${listId}`,
    `/feeds/ip.csv?list=${listId}`,
    `/feeds/ip.json?list=${listId}`,
    `/feeds/ip.stix?list=${listId}`,
    `/taxii2/api/collections/${listId}/objects/`,
  ];
}

async function entryValues(listId: string, token: string): Promise<string[]> {
  const r = await must(
    'query($id: ID!) { indicatorList(id: $id) { entries(first: 100) { edges { node { value } } } } }',
    { id: listId },
    token,
  );
  return r.indicatorList.entries.edges.map((e: Json) => e.node.value);
}

function stixBundle(values: string[]): string {
  return JSON.stringify({
    type: 'bundle',
    id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
    objects: values.map((v, i) => ({
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd${i.toString(16).padStart(2, '0')}`,
      created: '2026-11-01T00:00:00.000Z',
      modified: '2026-11-01T00:00:00.000Z',
      pattern: `[${v.includes(':') ? 'ipv6' : 'ipv4'}-addr:value = '${v}']`,
      pattern_type: 'stix',
      valid_from: '2026-11-01T00:00:00Z',
    })),
  });
}

/** The audit log's guard-rail entries: action and the organisations they name. */
async function auditActions(): Promise<string[]> {
  const db = new Client({ connectionString: t.databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query(
      `SELECT action, concat_ws(',', actor_organisation_id, organisation_id) AS orgs
         FROM audit_log WHERE action LIKE 'feed%' ORDER BY id`,
    );
    return rows.map((r) => (r.orgs ? `${r.action} ${r.orgs}` : r.action));
  } finally {
    await db.end();
  }
}

beforeAll(async () => {
  t = await startTestHub();
  admin = (await t.bootstrapAdmin()).token;
  const opOrg = await createOrg(t, admin, { name: 'Kanto Electric', sectorCode: 'electric-power' });
  const peerOrg = await createOrg(t, admin, { name: 'Chubu Power', sectorCode: 'electric-power' });
  const opAdmin = await member(t, admin, opOrg, 'admin@kanto.example', 'ORG_ADMIN');
  const peerAdmin = await member(t, admin, peerOrg, 'admin@chubu.example', 'ORG_ADMIN');
  operator = {
    org: opOrg,
    analyst: await member(t, admin, opOrg, 'soc@kanto.example'),
    writer: await apiToken(opAdmin.token, ['indicators:write']),
  };
  peer = {
    org: peerOrg,
    feeds: await apiToken(peerAdmin.token, ['feeds:read']),
    analyst: await member(t, admin, peerOrg, 'soc@chubu.example'),
  };
});

afterAll(async () => {
  await t?.stop();
});

describe('breadth', () => {
  const WORLD = ['0.0.0.0/0', '::/0', '128.0.0.0/1'];

  it('refuses 0.0.0.0/0, ::/0 and a /1 from GraphQL, saying why and what to do', async () => {
    const l = await createList(operator.analyst.token, 'Typo on GraphQL');
    const r = await add(operator.analyst.token, l, { text: WORLD.join('\n') });
    expect(r).toMatchObject({ applied: false, rejectedCount: 3 });
    expect(r.rejected.map((x: Json) => x.line)).toEqual([1, 2, 3]);
    expect(r.rejected[0].message).toMatch(/broader than \/10, the broadest IPv4 range/);
    expect(r.rejected[0].message).toMatch(/List the attacking addresses or narrower ranges/);
    expect(r.rejected[1].message).toMatch(/broader than \/24, the broadest IPv6 range/);
    // partial: the good line in, the broad ones still out.
    const partial = await add(operator.analyst.token, l, {
      text: [...WORLD, '45.33.3.7', '45.64.0.0/17'].join('\n'),
      partial: true,
    });
    expect(partial).toMatchObject({ applied: true, added: 2, rejectedCount: 3 });
    expect((await entryValues(l, operator.analyst.token)).sort()).toEqual([
      '45.33.3.7',
      '45.64.0.0/17',
    ]);
  });

  it.each([
    ['REST text', 'text/plain', WORLD.join('\n'), ['line 1', 'line 2', 'line 3']],
    ['REST CSV', 'text/csv', ['value', ...WORLD].join('\n'), ['line 2', 'line 3', 'line 4']],
    [
      'REST STIX (the bulk paths too: an empty list, bare lines)',
      'application/stix+json',
      stixBundle(WORLD),
      ['objects[0].pattern', 'objects[1].pattern', 'objects[2].pattern'],
    ],
  ])('refuses them on %s', async (_, type, body, where) => {
    const l = await createList(operator.analyst.token, `Typo on ${type}`);
    const res = await post(l, body, type);
    const r = (await res.json()) as Json;
    expect(res.status).toBe(422);
    expect(r).toMatchObject({ applied: false, rejectedCount: 3 });
    expect(r.rejected.map((x: Json) => x.where)).toEqual(where);
    for (const x of r.rejected) expect(x.message).toMatch(/broader than \/(10|24)/);
    expect(await entryValues(l, operator.analyst.token)).toEqual([]);
  });
});

describe('host bits', () => {
  it('are refused with both readings, on GraphQL and REST', async () => {
    const l = await createList(operator.analyst.token, 'Host bits');
    const r = await add(operator.analyst.token, l, { text: '198.18.100.7/24' });
    expect(r.applied).toBe(false);
    expect(r.rejected[0].message).toMatch(
      /the network is 198\.18\.100\.0\/24, the single address 198\.18\.100\.7\/32/,
    );
    const res = await post(l, 'value\n2001:db8:1::7/48\n', 'text/csv');
    expect(res.status).toBe(422);
    expect(((await res.json()) as Json).rejected[0].message).toMatch(
      /the network is 2001:db8:1::\/48, the single address 2001:db8:1::7\/128/,
    );
    expect(await entryValues(l, operator.analyst.token)).toEqual([]);
  });

  it('are masked, with a warning, when normalisation is asked for', async () => {
    const l = await createList(operator.analyst.token, 'Host bits, normalised');
    const r = await add(operator.analyst.token, l, { text: '198.18.100.7/24', normalise: true });
    expect(r).toMatchObject({ applied: true, added: 1 });
    expect(r.warnings[0].message).toMatch(/masked to 198\.18\.100\.0\/24/);
    const res = await post(l, '198.18.7.9/24\n', 'text/plain', '?normalise=true');
    expect(res.status).toBe(200);
    expect((await entryValues(l, operator.analyst.token)).sort()).toEqual([
      '198.18.100.0/24',
      '198.18.7.0/24',
    ]);
  });
});

describe('review before reach', () => {
  it('holds a 10-million-address change out of feeds and TAXII until a coordinator approves it', async () => {
    const l = await createList(operator.analyst.token, 'Campaign, big');
    const [before] = await Promise.all([pull(`/feeds/ip.txt?list=${l}`)]);
    const r = await add(operator.analyst.token, l, {
      text: '45.0.0.0/10\n46.0.0.0/10\n47.0.0.0/10\n45.77.0.1',
    });
    expect(r).toMatchObject({ applied: true, added: 4 });
    expect(r.held.reason).toMatch(
      /adds 12,582,913 IPv4 addresses to blocklists, more than 1,048,576/,
    );
    const changeId = r.held.changeId;

    for (const path of outputs(l)) expect((await pull(path)).text).not.toMatch(/45\.0\.0\.0/);
    expect((await pull(`/feeds/ip.txt?list=${l}`)).text).toBe(before.text);
    // The author sees its own change held; another member does not learn of it.
    const own = await must(
      '{ feedReviews { changeId reason added values } }',
      {},
      operator.analyst.token,
    );
    expect(own.feedReviews).toEqual([
      expect.objectContaining({
        changeId,
        added: 4,
        values: expect.arrayContaining(['45.0.0.0/10']),
      }),
    ]);
    const other = await must('{ feedReviews { changeId } }', {}, peer.analyst.token);
    expect(other.feedReviews).toEqual([]);
    // Only a coordinator approves.
    const denied = await t.gql(
      'mutation($c: Int!) { approveFeedChange(changeId: $c) { state } }',
      { c: changeId },
      operator.analyst.token,
    );
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    // The list is anonymous: coordinators review it without learning who posted it.
    const coord = await must(
      '{ feedReviews { changeId reason author { label organisationId } } }',
      {},
      admin,
    );
    expect(coord.feedReviews).toEqual([
      expect.objectContaining({
        changeId,
        // Two organisations besides the coordinator: fewer than k=3, and the label says so (ADR 0017).
        author: {
          label: 'a member organisation (not anonymous: too few members)',
          organisationId: null,
        },
      }),
    ]);
    expect(JSON.stringify(coord)).not.toMatch(/Kanto/);
    const approved = await must(
      'mutation($c: Int!) { approveFeedChange(changeId: $c, note: "DoS sources, checked") { state reviewedAt } }',
      { c: changeId },
      admin,
    );
    expect(approved.approveFeedChange.state).toBe('APPROVED');
    const served = await pull(`/feeds/ip.txt?list=${l}`);
    expect(served.text.split('\n').filter(Boolean).sort()).toEqual(
      ['45.0.0.0/10', '45.77.0.1', '46.0.0.0/10', '47.0.0.0/10'].sort(),
    );
    const taxii = JSON.parse((await pull(outputs(l)[4])).text);
    expect(taxii.objects.map((o: Json) => o.pattern).join(' ')).toMatch(/47\.0\.0\.0\/10/);
    // Held anonymously (no organisation named), reviewed by the coordinator.
    const audit = await auditActions();
    expect(audit).toContain('feed_change.held');
    expect(audit.filter((a) => a.startsWith('feed_change.held'))).toEqual(['feed_change.held']);
    expect(audit.join('\n')).not.toContain(operator.org);
    expect(audit).toEqual(
      expect.arrayContaining([expect.stringMatching(/^feed_change\.reviewed /)]),
    );
  });

  it('holds every change of an organisation set to review, and keeps one set to none out of every feed', async () => {
    const l = await createList(operator.analyst.token, 'Small, reviewed');
    await add(operator.analyst.token, l, { text: '45.90.0.1' });
    expect((await pull(`/feeds/ip.txt?list=${l}`)).text).toBe('45.90.0.1\n');

    await must(
      'mutation($o: ID!) { setFeedReach(organisationId: $o, reach: REVIEW) { reach } }',
      { o: operator.org },
      admin,
    );
    const r = await add(operator.analyst.token, l, { text: '45.90.0.2' });
    expect(r.held.reason).toMatch(/reviews every change/);
    expect((await pull(`/feeds/ip.txt?list=${l}`)).text).toBe('45.90.0.1\n');

    await must(
      'mutation($o: ID!) { setFeedReach(organisationId: $o, reach: NONE) { reach } }',
      { o: operator.org },
      admin,
    );
    for (const path of outputs(l)) expect((await pull(path)).text).not.toMatch(/45\.90\.0\.1/);
    await must(
      'mutation($o: ID!) { setFeedReach(organisationId: $o, reach: DIRECT) { reach } }',
      { o: operator.org },
      admin,
    );
    expect((await pull(`/feeds/ip.txt?list=${l}`)).text).toBe('45.90.0.1\n');
  });
});

describe('review before reach, pushed', () => {
  it('pushes a held change to nobody until it is approved, then with its values', async () => {
    const held = await createList(operator.analyst.token, 'Pushed, big');
    const marker = await createList(operator.analyst.token, 'Pushed, small');
    const ws = await WsClient.connect(t.url, peer.analyst.token);
    try {
      ws.subscribe(
        'l',
        `subscription($f: ListEventFilter) { listEvents(filter: $f) { kind list { id } added } }`,
        { f: { listIds: [held, marker], events: ['ENTRIES_ADDED'] } },
      );
      // No acknowledgement for a subscription in graphql-ws: a first event proves it is live.
      let first: Json;
      for (let i = 0; i < 20 && !first; i++) {
        await add(operator.analyst.token, marker, { text: `45.12.0.${i + 1}` });
        first = await ws.next('l', 500);
      }
      expect(first.listEvents.list.id).toBe(marker);
      while (await ws.next('l', 300));

      const r = await add(operator.analyst.token, held, { text: '45.128.0.0/10\n45.192.0.0/10' });
      expect(r.held).not.toBeNull();
      await add(operator.analyst.token, marker, { text: '45.12.1.1' });
      // Events arrive in commit order: the marker's comes, and nothing of the held change before.
      const next = (await ws.next('l')) as Json;
      expect(next.listEvents).toMatchObject({ list: { id: marker }, added: ['45.12.1.1'] });

      await must(
        'mutation($c: Int!) { approveFeedChange(changeId: $c) { state } }',
        { c: r.held.changeId },
        admin,
      );
      const released = (await ws.next('l')) as Json;
      expect(released.listEvents).toMatchObject({
        kind: 'list.entries_added',
        list: { id: held },
        added: ['45.128.0.0/10', '45.192.0.0/10'],
      });
    } finally {
      ws.close();
    }
  });
});

describe('holds over push', () => {
  it("tell the author's organisation and the coordinators, and no one else", async () => {
    const list = await createList(operator.analyst.token, 'Pushed hold, reviewed');
    const SUB = `subscription { feedReviewEvents { kind review { changeId state listId author { label } } } }`;
    const author = await WsClient.connect(t.url, operator.analyst.token);
    const coordinator = await WsClient.connect(t.url, admin);
    const bystander = await WsClient.connect(t.url, peer.analyst.token);
    try {
      for (const ws of [author, coordinator, bystander]) ws.subscribe('f', SUB);
      await new Promise((r) => setTimeout(r, 300)); // subscriptions start after the ack
      const r = await add(operator.analyst.token, list, { text: '46.0.0.0/10\n46.64.0.0/10' });
      expect(r.held).not.toBeNull();
      for (const ws of [author, coordinator]) {
        expect(((await ws.next('f')) as Json).feedReviewEvents).toMatchObject({
          kind: 'feed.change_held',
          review: { changeId: r.held.changeId, state: 'HELD', listId: list },
        });
      }
      await must(
        'mutation($c: Int!) { refuseFeedChange(changeId: $c, note: "too broad") { state } }',
        { c: r.held.changeId },
        admin,
      );
      for (const ws of [author, coordinator]) {
        expect(((await ws.next('f')) as Json).feedReviewEvents).toMatchObject({
          kind: 'feed.change_reviewed',
          review: { changeId: r.held.changeId, state: 'REFUSED' },
        });
      }
      // The bystander's stream read the same two events meanwhile and was told nothing.
      expect(await bystander.next('f', 1500)).toBeUndefined();
    } finally {
      for (const ws of [author, coordinator, bystander]) ws.close();
    }
  });
});

describe('protected ranges', () => {
  it('are never in any feed: entries within or overlapping them are refused, older ones withheld', async () => {
    const l = await createList(operator.analyst.token, 'Near the sector DNS');
    await add(operator.analyst.token, l, { text: '151.101.7.7\n151.102.0.1' });
    await must(
      'mutation { addProtectedRange(range: "151.101.0.0/16", note: "sector shared DNS") }',
      {},
      admin,
    );
    for (const path of outputs(l)) {
      const { text } = await pull(path);
      expect(text).not.toMatch(/151\.101\./);
      if (path.includes('.txt')) expect(text).toBe('151.102.0.1\n');
    }
    const r = await add(operator.analyst.token, l, {
      text: '151.101.53.53\n151.100.0.0/14\n151.103.0.1',
      partial: true,
    });
    expect(r).toMatchObject({ applied: true, added: 1, rejectedCount: 2 });
    expect(r.rejected[0].message).toMatch(
      /151\.101\.53\.53 is within 151\.101\.0\.0\/16 \(sector shared DNS\), a range the coordinator protected/,
    );
    expect(r.rejected[1].message).toMatch(/151\.100\.0\.0\/14 overlaps 151\.101\.0\.0\/16/);
    const res = await post(l, '151.101.1.1\n', 'text/plain');
    expect(res.status).toBe(422);
  });
});

describe('emergency stop', () => {
  it('empties a value from every format at once, and every ETag changes', async () => {
    const mine = await createList(operator.analyst.token, 'Stop: operator');
    const coord = await createList(admin, 'Stop: coordinator', 'CLEAR');
    await add(operator.analyst.token, mine, { text: '45.33.3.7\n45.33.3.8' });
    await add(admin, coord, { text: '45.33.3.7' });
    const paths = [...outputs(mine), ...outputs(coord), '/feeds/ip.txt'];
    const before = await Promise.all(paths.map((p) => pull(p)));
    for (const b of before) expect(b.text).toMatch(/45\.33\.3\.7/);

    const stop = await must(
      'mutation($i: FeedStopInput!) { stopInFeeds(input: $i) { id kind value } }',
      { i: { kind: 'VALUE', value: '45.33.3.7', reason: 'our own mail relay, misreported' } },
      admin,
    );
    expect(stop.stopInFeeds).toMatchObject({ kind: 'VALUE', value: '45.33.3.7' });
    const after = await Promise.all(paths.map((p) => pull(p)));
    after.forEach((a, i) => {
      expect(`${paths[i]}: ${a.text}`).not.toMatch(/45\.33\.3\.7/);
      if (!paths[i].startsWith('/taxii2/')) expect(a.etag).not.toBe(before[i].etag);
    });
    expect((await pull(`/feeds/ip.txt?list=${mine}`)).text).toBe('45.33.3.8\n');
    // Nor does any other reader find it (search, entry listings): the rule is the database's.
    const search = await must(
      'query($v: String!) { indicator(value: $v) { value } }',
      { v: '45.33.3.7' },
      peer.analyst.token,
    );
    expect(search.indicator).toBeNull();
    expect(await entryValues(coord, peer.analyst.token)).toEqual([]);

    await must(
      'mutation($id: Int!) { liftFeedStop(id: $id) { liftedAt } }',
      { id: stop.stopInFeeds.id },
      admin,
    );
    expect((await pull(`/feeds/ip.txt?list=${coord}`)).text).toBe('45.33.3.7\n');
  });

  it("pulls one list, or one organisation's contributions, out of every feed", async () => {
    const l = await createList(operator.analyst.token, 'Stop: whole list');
    await add(operator.analyst.token, l, { text: '45.44.0.1' });
    const list = await must(
      'mutation($i: FeedStopInput!) { stopInFeeds(input: $i) { id } }',
      { i: { kind: 'LIST', listId: l, reason: 'stolen token suspected' } },
      admin,
    );
    expect((await pull(`/feeds/ip.txt?list=${l}`)).text).toBe('');
    await must(
      'mutation($id: Int!) { liftFeedStop(id: $id) { id } }',
      { id: list.stopInFeeds.id },
      admin,
    );
    expect((await pull(`/feeds/ip.txt?list=${l}`)).text).toBe('45.44.0.1\n');

    await must(
      'mutation($i: FeedStopInput!) { stopInFeeds(input: $i) { id } }',
      { i: { kind: 'ORGANISATION', organisationId: operator.org, reason: 'compromised account' } },
      admin,
    );
    const all = (await pull('/feeds/ip.txt')).text;
    expect(all).not.toMatch(/45\.44\.0\.1|45\.33\.3\.8/);
    expect(all).toMatch(/45\.33\.3\.7/); // the coordinator's own list still serves it
    expect(await auditActions()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^feed_stop\.changed/)]),
    );
    // Members do not stop feeds.
    const denied = await t.gql(
      'mutation($i: FeedStopInput!) { stopInFeeds(input: $i) { id } }',
      { i: { kind: 'VALUE', value: '45.33.3.7', reason: 'try' } },
      peer.analyst.token,
    );
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('review before reach, by growth', () => {
  // A hub of its own, whose absolute limit never triggers: only the share rule holds here.
  let g: TestHub;
  let gAdmin: string;
  let gFeeds: string;

  beforeAll(async () => {
    g = await startTestHub({
      FEED_REVIEW_IPV4_ADDRESSES: '4294967296',
      FEED_REVIEW_GROWTH_PERCENT: '50',
    });
    gAdmin = (await g.bootstrapAdmin()).token;
    const r = await g.gql<{ createApiToken: { token: string } }>(
      'mutation { createApiToken(input: { name: "firewall", scopes: ["feeds:read"] }) { token } }',
      {},
      gAdmin,
    );
    gFeeds = r.data!.createApiToken.token;
  });
  afterAll(async () => {
    await g?.stop();
  });

  async function gAdd(listId: string, text: string): Promise<Json> {
    const r = await g.gql<Json>(ADD, { l: listId, i: { text } }, gAdmin);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data.addListEntries;
  }

  async function served(listId: string): Promise<string> {
    const res = await fetch(`${g.url}/feeds/ip.txt?list=${listId}`, {
      headers: { authorization: `Bearer ${gFeeds}` },
    });
    return res.text();
  }

  it('holds a change that would grow every member blocklist by more than the share', async () => {
    const r = await g.gql<Json>(
      'mutation { createIndicatorList(input: { name: "growth", tlp: GREEN }) { id } }',
      {},
      gAdmin,
    );
    const l = r.data.createIndicatorList.id;
    // Below a /16's worth, nothing is held, however empty the feeds are.
    expect((await gAdd(l, '45.9.0.0/17')).held).toBeNull();
    // A /16 on 32,768 served addresses: 200%, more than 50%.
    const big = await gAdd(l, '45.10.0.0/16');
    expect(big.held.reason).toMatch(
      /grows the blocklists every member receives by 200% \(65,536 IPv4 addresses on 32,768\), more than the 50%/,
    );
    expect(await served(l)).toBe('45.9.0.0/17\n');
    const approved = await g.gql<Json>(
      'mutation($c: Int!) { approveFeedChange(changeId: $c) { state } }',
      { c: big.held.changeId },
      gAdmin,
    );
    expect(approved.data.approveFeedChange.state).toBe('APPROVED');
    expect((await served(l)).split('\n').filter(Boolean).sort()).toEqual([
      '45.10.0.0/16',
      '45.9.0.0/17',
    ]);
    // 65,536 on 98,304 served: 67%, still more than 50%; a /17 more (33%) is not.
    expect((await gAdd(l, '45.11.0.0/16')).held).not.toBeNull();
    expect((await gAdd(l, '45.12.0.0/17')).held).toBeNull();
  });

  it('counts single addresses by what the merge added: a re-post of the same ones is not held again', async () => {
    const r = await g.gql<Json>(
      'mutation { createIndicatorList(input: { name: "growth singles", tlp: GREEN }) { id } }',
      {},
      gAdmin,
    );
    const l = r.data.createIndicatorList.id;
    const post = async (body: string) => {
      const res = await fetch(`${g.url}/api/lists/${l}/entries`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gAdmin}`, 'content-type': 'text/plain' },
        body,
      });
      expect(res.status).toBe(200);
      return (await res.json()) as Json;
    };
    const lines = Array.from(
      { length: 70_000 },
      (_, i) => `46.${(i >>> 8) & 255}.${i & 255}.${1 + (i >>> 16)}`,
    );
    // 70,000 new addresses: more than half of what the feeds serve (at most the 131,072 of
    // the test before), so held.
    const first = await post(lines.join('\n'));
    expect(first).toMatchObject({ added: 70_000, resighted: 0 });
    expect(first.held.reason).toMatch(
      /grows the blocklists every member receives by .* \(70,000 IPv4/,
    );
    // The same addresses again add nothing to any blocklist: not held, however many lines.
    expect(await post(lines.join('\n'))).toMatchObject({ added: 0, resighted: 70_000, held: null });
    // Ten new among them: ten addresses, below the growth rule's floor.
    const more = [...lines, ...Array.from({ length: 10 }, (_, i) => `47.0.0.${i + 1}`)];
    expect(await post(more.join('\n'))).toMatchObject({ added: 10, resighted: 70_000, held: null });
  });

  it('weighs an import into an empty list against exactly what every member already receives', async () => {
    // The bulk path reads that base on a second connection while it writes (ADR 0034): the
    // share must come out as the scan inside the import's transaction made it.
    const servedSpace = async () => {
      const res = await fetch(`${g.url}/feeds/ip.txt`, {
        headers: { authorization: `Bearer ${gFeeds}` },
      });
      expect(res.status).toBe(200);
      return (await res.text())
        .split('\n')
        .filter(Boolean)
        .reduce((n, v) => n + (v.includes('/') ? 2 ** (32 - Number(v.split('/')[1])) : 1), 0);
    };
    const fresh = async (name: string, n: number, octet: number): Promise<Json> => {
      const r = await g.gql<Json>(
        'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
        { i: { name, tlp: 'GREEN' } },
        gAdmin,
      );
      const lines = Array.from(
        { length: n },
        (_, i) => `${octet}.${(i >>> 8) & 255}.${i & 255}.${1 + (i >>> 16)}`,
      );
      const res = await fetch(`${g.url}/api/lists/${r.data.createIndicatorList.id}/entries`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gAdmin}`, 'content-type': 'text/plain' },
        body: lines.join('\n'),
      });
      expect(res.status).toBe(200);
      return res.json();
    };
    let base = await servedSpace();
    if (base < 2 * 65_536) {
      const seed = await fresh('growth seed', 2 * 65_536, 50);
      if (seed.held) {
        await g.gql(
          'mutation($c: Int!) { approveFeedChange(changeId: $c) { state } }',
          {
            c: seed.held.changeId,
          },
          gAdmin,
        );
      }
      base = await servedSpace();
    }
    // Exactly the share (50%) of what is served is not more than it: not held.
    const half = Math.floor(base / 2);
    expect(await fresh('growth at the share', half, 48)).toMatchObject({ added: half, held: null });
    // One address more than the share of the new base: held, the base named exactly.
    const over = Math.floor((base + half) / 2) + 1;
    const held = await fresh('growth over the share', over, 49);
    expect(held.added).toBe(over);
    expect(held.held.reason).toContain(
      `(${over.toLocaleString('en-US')} IPv4 addresses on ${(base + half).toLocaleString('en-US')})`,
    );
  });

  it('finishes more large imports at once than the hub has database connections', async () => {
    // Each import into an empty list reads the growth base on a second connection; with every
    // connection held by an import waiting for its second one, none would ever finish.
    const n = 65_536;
    const lines = (octet: number) =>
      Array.from({ length: n }, (_, i) => `${octet}.${(i >>> 8) & 255}.${i & 255}.1`).join('\n');
    const lists = await Promise.all(
      Array.from({ length: 14 }, async (_, k) => {
        const r = await g.gql<Json>(
          'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
          { i: { name: `at once ${k}`, tlp: 'GREEN' } },
          gAdmin,
        );
        return r.data.createIndicatorList.id as string;
      }),
    );
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('imports still waiting after 150 s')), 150_000);
    });
    try {
      const answers = await Promise.race([
        Promise.all(
          lists.map(async (l, k) => {
            const res = await fetch(`${g.url}/api/lists/${l}/entries`, {
              method: 'POST',
              headers: { authorization: `Bearer ${gAdmin}`, 'content-type': 'text/plain' },
              body: lines(100 + k),
            });
            return { status: res.status, body: (await res.json()) as Json };
          }),
        ),
        stuck,
      ]);
      for (const a of answers) expect(a).toMatchObject({ status: 200, body: { added: n } });
    } finally {
      clearTimeout(timer);
    }
  });
});
