import { Client } from 'pg';
import { createOrg, member, Member, publishReport } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';
import { WsClient } from './support/ws-client';

/*
 * Push over GraphQL subscriptions (graphql-ws), against two real hub processes on one
 * PostgreSQL: TLP at delivery, resume from a cursor without gap or duplicate, delivery across
 * instances, and sockets closed when their credential is revoked.
 */

jest.setTimeout(180_000);

let a: TestHub;
let b: TestHub;
let admin: string;
let power: Member;
let powerAdmin: Member;
let gas: Member;
let gasAdmin: Member;
const open: WsClient[] = [];

const REPORTS = `subscription($after: ID, $filter: ReportEventFilter) {
  reportEvents(after: $after, filter: $filter) { cursor kind report { id title tlp author { label } } comment { body } }
}`;
const LISTS = `subscription($after: ID) {
  listEvents(after: $after) { cursor kind list { id name } added removed }
}`;

async function must<T>(
  t: TestHub,
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<T> {
  const r = await t.gql<T>(query, variables, token);
  if (!r.data || r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
}

async function connect(t: TestHub, token?: string): Promise<WsClient> {
  const c = await WsClient.connect(t.url, token);
  open.push(c);
  return c;
}

interface ReportEventData {
  reportEvents: {
    cursor: string;
    kind: string;
    report: { id: string; title: string; tlp: string; author: { label: string } };
  };
}

async function apiToken(orgAdmin: string, scopes: string[]) {
  const r = await must<{ createApiToken: { token: string; apiToken: { id: string } } }>(
    a,
    'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token apiToken { id } } }',
    { i: { name: `subscriber ${Math.random()}`, scopes } },
    orgAdmin,
  );
  return r.createApiToken;
}

beforeAll(async () => {
  a = await startTestHub();
  admin = (await a.bootstrapAdmin()).token;
  b = await startTestHub({}, a.databaseUrl);
  const powerOrg = await createOrg(a, admin, {
    name: 'Kanto Electric',
    sectorCode: 'electric-power',
  });
  await createOrg(a, admin, { name: 'Chubu Power', sectorCode: 'electric-power' });
  await createOrg(a, admin, { name: 'Kansai Power', sectorCode: 'electric-power' });
  const gasOrg = await createOrg(a, admin, { name: 'Tokai Gas', sectorCode: 'gas' });
  power = await member(a, admin, powerOrg, 'soc@kanto-electric.example');
  powerAdmin = await member(a, admin, powerOrg, 'admin@kanto-electric.example', 'ORG_ADMIN');
  gas = await member(a, admin, gasOrg, 'soc@tokai-gas.example');
  gasAdmin = await member(a, admin, gasOrg, 'admin@tokai-gas.example', 'ORG_ADMIN');
});

afterAll(async () => {
  open.forEach((c) => c.close());
  await b?.stop();
  await a?.stop();
});

it('refuses a connection without valid credentials', async () => {
  await expect(WsClient.connect(a.url)).rejects.toThrow(/4403/);
  await expect(WsClient.connect(a.url, 'rks_not-a-session')).rejects.toThrow(/4403/);
});

it('delivers each report only to subscribers who may see it, as they would read it', async () => {
  const powerSub = await connect(a, power.token);
  const gasSub = await connect(a, (await apiToken(gasAdmin.token, ['reports:read'])).token);
  powerSub.subscribe('p', REPORTS);
  gasSub.subscribe('g', REPORTS);
  await new Promise((r) => setTimeout(r, 1000)); // both subscribed before the first event
  await publishReport(a, power.token, {
    title: 'Scans against substations',
    tlp: 'AMBER',
    audience: { sectorCodes: ['electric-power'] },
  });
  await publishReport(a, power.token, { title: 'Phishing wave', tlp: 'CLEAR' });
  const first = (await powerSub.next('p')) as unknown as ReportEventData;
  const second = (await powerSub.next('p')) as unknown as ReportEventData;
  expect([first.reportEvents.report.title, second.reportEvents.report.title]).toEqual([
    'Scans against substations',
    'Phishing wave',
  ]);
  expect(first.reportEvents.kind).toBe('report.published');
  const gasGot = (await gasSub.next('g')) as unknown as ReportEventData;
  expect(gasGot.reportEvents.report.title).toBe('Phishing wave'); // never the AMBER one
  expect(gasGot.reportEvents.report.author.label).toBe('an operator in electric power');
  expect(await gasSub.next('g', 1500)).toBeUndefined();
});

it('resumes from a cursor with exactly the missed events, then live ones', async () => {
  const sub = await connect(a, power.token);
  sub.subscribe('r', REPORTS);
  await new Promise((r) => setTimeout(r, 1000));
  await publishReport(a, power.token, { title: 'before the outage', tlp: 'GREEN' });
  const seen = (await sub.next('r')) as unknown as ReportEventData;
  sub.close();
  for (const title of ['missed 1', 'missed 2', 'missed 3']) {
    await publishReport(a, power.token, { title, tlp: 'GREEN' });
  }
  const back = await connect(b, power.token); // and on the other instance, for good measure
  back.subscribe('r', REPORTS, { after: seen.reportEvents.cursor });
  const titles: string[] = [];
  for (let i = 0; i < 3; i++) {
    titles.push(((await back.next('r')) as unknown as ReportEventData).reportEvents.report.title);
  }
  expect(titles).toEqual(['missed 1', 'missed 2', 'missed 3']);
  await publishReport(a, power.token, { title: 'live again', tlp: 'GREEN' });
  const live = (await back.next('r')) as unknown as ReportEventData;
  expect(live.reportEvents.report.title).toBe('live again');
  expect(await back.next('r', 1500)).toBeUndefined(); // no duplicate of anything
});

it('delivers across instances: posted through one, received on the other', async () => {
  const onB = await connect(b, power.token);
  onB.subscribe('x', REPORTS, { filter: { markings: ['CLEAR'] } });
  await new Promise((r) => setTimeout(r, 1000));
  await publishReport(a, power.token, { title: 'via instance A', tlp: 'CLEAR' });
  const got = (await onB.next('x')) as unknown as ReportEventData;
  expect(got.reportEvents.report.title).toBe('via instance A');
});

it('catches up from the table when its notification connection was lost', async () => {
  const sub = await connect(b, power.token);
  sub.subscribe('n', REPORTS, { filter: { markings: ['CLEAR'] } });
  await new Promise((r) => setTimeout(r, 1000));
  const db = new Client({ connectionString: a.databaseUrl });
  await db.connect();
  try {
    // Cut every hub's listening connection, then post while they reconnect.
    await db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'renkei-listen'`,
    );
    await publishReport(a, power.token, { title: 'while nobody listened', tlp: 'CLEAR' });
  } finally {
    await db.end();
  }
  const got = (await sub.next('n', 15_000)) as unknown as ReportEventData;
  expect(got.reportEvents.report.title).toBe('while nobody listened');
});

it('pushes list changes with the values added and removed', async () => {
  const token = (await apiToken(powerAdmin.token, ['feeds:read'])).token;
  const sub = await connect(b, token);
  sub.subscribe('l', LISTS);
  await new Promise((r) => setTimeout(r, 1000));
  const list = await must<{ createIndicatorList: { id: string } }>(
    a,
    'mutation { createIndicatorList(input: { name: "DoS sources", tlp: GREEN }) { id } }',
    {},
    power.token,
  );
  const id = list.createIndicatorList.id;
  await must(
    a,
    'mutation($l: ID!) { addListEntries(listId: $l, input: { text: "45.1.1.1\\n45.1.1.2" }) { added } }',
    { l: id },
    power.token,
  );
  await must(
    a,
    'mutation($l: ID!) { removeListEntries(listId: $l, values: ["45.1.1.1"]) { removed } }',
    { l: id },
    power.token,
  );
  const gasList = await must<{ createIndicatorList: { id: string } }>(
    a,
    'mutation { createIndicatorList(input: { name: "gas only", tlp: AMBER, audience: { sectorCodes: ["gas"] } }) { id } }',
    {},
    gas.token,
  );
  type ListData = {
    listEvents: { kind: string; list: { id: string }; added: string[]; removed: string[] };
  };
  const events = [] as ListData['listEvents'][];
  for (let i = 0; i < 3; i++)
    events.push(((await sub.next('l')) as unknown as ListData).listEvents);
  expect(events.map((e) => [e.kind, e.added, e.removed])).toEqual([
    ['list.created', [], []],
    ['list.entries_added', ['45.1.1.1', '45.1.1.2'], []],
    ['list.entries_removed', [], ['45.1.1.1']],
  ]);
  expect(await sub.next('l', 1500)).toBeUndefined();
  expect(events.every((e) => e.list.id !== gasList.createIndicatorList.id)).toBe(true);
});

it('closes a socket whose organisation changed sector, and takes only subscriptions', async () => {
  const org = await createOrg(a, admin, { name: 'Movers Power', sectorCode: 'electric-power' });
  const mover = await member(a, admin, org, 'soc@movers.example');
  const sub = await connect(b, mover.token);
  sub.subscribe('q', '{ whoami { kind } }');
  const refused = await sub.take((f) => f.id === 'q' && f.type === 'error', 5000);
  expect(JSON.stringify(refused?.payload)).toMatch(/Only subscriptions go over WebSocket/);
  sub.subscribe('m', REPORTS);
  await new Promise((r) => setTimeout(r, 1000));
  await must(
    a,
    'mutation($id: ID!) { updateOrganisation(id: $id, input: { sectorCode: "gas" }) { id } }',
    { id: org },
    admin,
  );
  const closed = await Promise.race([
    sub.closed,
    new Promise((r) => setTimeout(() => r('still open'), 5000)),
  ]);
  expect(closed).toEqual({ code: 4403, reason: expect.any(String) });
});

it('closes a socket at once when its token is revoked or its session ends', async () => {
  const { token, apiToken: t } = await apiToken(powerAdmin.token, ['reports:read']);
  const bySocket = await connect(b, token);
  bySocket.subscribe('t', REPORTS);
  await new Promise((r) => setTimeout(r, 1000));
  await must(
    a,
    'mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }',
    { id: t.id },
    powerAdmin.token,
  );
  const closed = await Promise.race([
    bySocket.closed,
    new Promise((r) => setTimeout(() => r('still open'), 5000)),
  ]);
  expect(closed).toEqual({ code: 4403, reason: expect.stringMatching(/revoked/) });

  const sessionToken = await a.login('soc@tokai-gas.example', 'long enough passphrase for tests');
  const bySession = await connect(b, sessionToken);
  bySession.subscribe('s', REPORTS);
  await new Promise((r) => setTimeout(r, 1000));
  await must(a, 'mutation { logout }', {}, sessionToken);
  const ended = await Promise.race([
    bySession.closed,
    new Promise((r) => setTimeout(() => r('still open'), 5000)),
  ]);
  expect(ended).toEqual({ code: 4403, reason: expect.stringMatching(/revoked/) });
});

describe('a subscriber that does not read', () => {
  let t: TestHub;
  afterAll(async () => {
    await t?.stop();
  });

  it('is disconnected with a reason that says how to resume', async () => {
    t = await startTestHub({ SUBSCRIPTION_STALL_SECONDS: '2' });
    const boss = (await t.bootstrapAdmin()).token;
    const list = await must<{ createIndicatorList: { id: string } }>(
      t,
      'mutation { createIndicatorList(input: { name: "big", tlp: GREEN }) { id } }',
      {},
      boss,
    );
    const id = list.createIndicatorList.id;
    // About 5.6 MB of events in the outbox, sent once per subscription below.
    for (let round = 0; round < 20; round++) {
      const text = Array.from(
        { length: 20_000 },
        (_, k) => `${20 + (round % 60)}.${round}.${k >> 8}.${k & 255}`,
      ).join('\n');
      const r = await fetch(`${t.url}/api/lists/${id}/entries`, {
        method: 'POST',
        headers: { authorization: `Bearer ${boss}`, 'content-type': 'text/plain' },
        body: text,
      });
      expect(r.status).toBe(200);
    }
    // The subscriber stops reading, then asks twelve times for everything from the start: the
    // replays (67 MB) fill the socket buffers of both ends (Linux lets a receive buffer grow to
    // 32 MB) and stall. It reads again after the stall limit and well before ws gives up on the
    // closing handshake (30 s), so the close frame, queued behind the events, reaches it.
    const sub = await WsClient.connect(t.url, boss);
    open.push(sub);
    sub.pause();
    for (let k = 0; k < 12; k++) sub.subscribe(`l${k}`, LISTS, { after: '0' });
    await new Promise((r) => setTimeout(r, 5000));
    sub.resume();
    const result = await Promise.race([
      sub.closed,
      new Promise((r) => setTimeout(() => r(undefined), 30_000)),
    ]);
    expect(result).toEqual({
      code: 4429,
      reason: expect.stringMatching(/Slow consumer: subscribe again with after: "\d+"/),
    });
    // It got events, and it is told to resume from a cursor it got on one of its subscriptions:
    // the last one, or the one before when the event the server was stuck on had already gone
    // into the socket (then seen twice: no gap).
    const resumeFrom = /after: "(\d+)"/.exec((result as { reason: string }).reason)![1];
    const lastTwo: string[][] = [];
    for (let k = 0; k < 12; k++) {
      const got: string[] = [];
      for (;;) {
        const data = await sub.next(`l${k}`, 100).catch(() => undefined);
        if (!data) break;
        got.push((data.listEvents as { cursor: string }).cursor);
      }
      lastTwo.push(got.slice(-2));
    }
    expect(lastTwo.flat().length).toBeGreaterThan(0);
    expect(lastTwo.some((x) => x.includes(resumeFrom))).toBe(true);
  });
});
