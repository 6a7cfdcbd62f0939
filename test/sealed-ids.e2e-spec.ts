import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createOrg, member, Member, publishReport } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';
import { WsClient } from './support/ws-client';

/*
 * Counters and clocks that told more than readers may know (issue 12, item 7; ADR 0018). Subscription cursors,
 * webhook event ids and X-Renkei-Event-Id were outbox ids: a reader shown two events with ids
 * 41 and 43 knew that one event it may not see happened in between. Now each is sealed for its
 * reader (an organisation, a webhook endpoint): nothing in it counts, another reader cannot use
 * it, and resuming from it is still exactly once. And TAXII's date_added gave late readers the
 * exact commit time of other organisations' items that GraphQL rounds for them.
 */

jest.setTimeout(180_000);

const REPORTS = `subscription($after: ID) { reportEvents(after: $after) { cursor report { title } } }`;
const SEALED = /^[\w-]{22}$/;

let t: TestHub;
let power: Member;
let powerAdmin: Member;
let gas: Member;
let gasAdmin: Member;
let chubu: Member;
const open: WsClient[] = [];

async function connect(token: string): Promise<WsClient> {
  const c = await WsClient.connect(t.url, token);
  open.push(c);
  return c;
}

/** `title → cursor` of the next n report events of a subscription. */
async function take(c: WsClient, id: string, n: number): Promise<[string, string][]> {
  const got: [string, string][] = [];
  for (let i = 0; i < n; i++) {
    const e = (await c.next(id)) as { reportEvents: { cursor: string; report: { title: string } } };
    got.push([e.reportEvents.report.title, e.reportEvents.cursor]);
  }
  return got;
}

/** CLEAR, then AMBER for electric power only (hidden from gas), then CLEAR. */
async function hiddenBetween(tag: string): Promise<void> {
  await publishReport(t, power.token, { title: `${tag} one`, tlp: 'CLEAR' });
  await publishReport(t, power.token, {
    title: `${tag} hidden`,
    tlp: 'AMBER',
    audience: { sectorCodes: ['electric-power'] },
  });
  await publishReport(t, power.token, { title: `${tag} two`, tlp: 'CLEAR' });
}

beforeAll(async () => {
  t = await startTestHub({ TIMESTAMP_ROUNDING_MINUTES: '15' });
  const admin = (await t.bootstrapAdmin()).token;
  const powerOrg = await createOrg(t, admin, {
    name: 'Kanto Electric',
    sectorCode: 'electric-power',
  });
  const chubuOrg = await createOrg(t, admin, { name: 'Chubu Power', sectorCode: 'electric-power' });
  const gasOrg = await createOrg(t, admin, { name: 'Tokai Gas', sectorCode: 'gas' });
  power = await member(t, admin, powerOrg, 'soc@kanto-electric.example');
  powerAdmin = await member(t, admin, powerOrg, 'admin@kanto-electric.example', 'ORG_ADMIN');
  chubu = await member(t, admin, chubuOrg, 'soc@chubu.example');
  gas = await member(t, admin, gasOrg, 'soc@tokai-gas.example');
  gasAdmin = await member(t, admin, gasOrg, 'admin@tokai-gas.example', 'ORG_ADMIN');
});

afterAll(async () => {
  open.forEach((c) => c.close());
  await t?.stop();
});

describe('subscription cursors', () => {
  it('count nothing, differ per organisation, open for their own organisation only, and resume exactly once', async () => {
    const gasSub = await connect(gas.token);
    const chubuSub = await connect(chubu.token);
    gasSub.subscribe('g', REPORTS);
    chubuSub.subscribe('c', REPORTS);
    // Both live before anything is published: a warm-up both see.
    await publishReport(t, power.token, { title: 'warm-up', tlp: 'CLEAR' });
    await take(gasSub, 'g', 1);
    await take(chubuSub, 'c', 1);
    await hiddenBetween('sub');

    const seenByGas = await take(gasSub, 'g', 2);
    const seenByChubu = await take(chubuSub, 'c', 3);
    expect(seenByGas.map(([title]) => title)).toEqual(['sub one', 'sub two']);
    expect(seenByChubu.map(([title]) => title)).toEqual(['sub one', 'sub hidden', 'sub two']);
    const [[, g1], [, g2]] = seenByGas;
    // Before: "41" and "43", so gas knew one event was kept from it. Now nothing to subtract.
    expect([g1, g2]).toEqual([expect.stringMatching(SEALED), expect.stringMatching(SEALED)]);
    expect(Number(g2) - Number(g1)).toBeNaN();
    // The same event reads differently to another organisation.
    expect(seenByChubu[0][1]).not.toBe(g1);
    expect(seenByChubu[2][1]).not.toBe(g2);

    // Another organisation cannot resume from gas's cursor (it would learn gas's position).
    chubuSub.subscribe('stolen', REPORTS, { after: g1 });
    const refused = await chubuSub.take((f) => f.id === 'stolen', 10_000);
    const [error] = (refused?.payload?.errors ?? []) as {
      message: string;
      extensions?: { code?: string };
    }[];
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error?.message).toMatch(/not a cursor this hub issued/);

    // Gas's own user resumes from its cursor: exactly the event after it, then live ones.
    const again = await connect(gas.token);
    again.subscribe('r', REPORTS, { after: g1 });
    await publishReport(t, power.token, { title: 'sub live', tlp: 'CLEAR' });
    const resumed = await take(again, 'r', 2);
    expect(resumed.map(([title]) => title)).toEqual(['sub two', 'sub live']);
    expect(resumed[0][1]).toBe(g2); // the same event, the same cursor for the same reader
  });
});

describe('webhook event ids', () => {
  let server: Server;
  const got: {
    endpoint: string;
    header: string;
    body: { id: string; data: { cursor: string; report: { title: string } } };
  }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        got.push({
          endpoint: req.url ?? '',
          header: String(req.headers['x-renkei-event-id']),
          body: JSON.parse(body),
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('count nothing, and differ per endpoint while staying the same for a retry to de-duplicate', async () => {
    const port = (server.address() as AddressInfo).port;
    const ids: string[] = [];
    for (const path of ['/first', '/second']) {
      const r = await t.gql<{ createWebhook: { webhook: { id: string } } }>(
        'mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }',
        { i: { url: `http://127.0.0.1:${port}${path}`, topic: 'REPORTS' } },
        gasAdmin.token,
      );
      if (!r.data) throw new Error(JSON.stringify(r.errors));
      ids.push(r.data.createWebhook.webhook.id);
    }
    await hiddenBetween('hook');
    const deadline = Date.now() + 30_000;
    const mine = () => got.filter((d) => d.body.data.report.title.startsWith('hook'));
    while (mine().length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));

    const first = mine().filter((d) => d.endpoint === '/first');
    const second = mine().filter((d) => d.endpoint === '/second');
    expect(first.map((d) => d.body.data.report.title)).toEqual(['hook one', 'hook two']);
    expect(second.map((d) => d.body.data.report.title)).toEqual(['hook one', 'hook two']);
    for (const d of [...first, ...second]) {
      expect(d.header).toMatch(SEALED);
      // The body carries the same id, as id and as its cursor: no outbox id anywhere.
      expect([d.body.id, d.body.data.cursor]).toEqual([d.header, d.header]);
    }
    expect(Number(first[1].header) - Number(first[0].header)).toBeNaN();
    expect(second[0].header).not.toBe(first[0].header);

    // The delivery log shows each endpoint's admin the ids its receiver got.
    const log = await t.gql<{ webhookDeliveries: { eventId: string }[] }>(
      'query($id: ID!) { webhookDeliveries(id: $id, first: 10) { eventId } }',
      { id: ids[0] },
      gasAdmin.token,
    );
    const logged = (log.data?.webhookDeliveries ?? []).map((d) => d.eventId);
    expect(logged).toEqual(expect.arrayContaining(first.map((d) => d.header)));
  });
});

describe('TAXII date added', () => {
  const TAXII = 'application/taxii+json;version=2.1';
  const STEP_MS = 15 * 60_000;
  interface Record {
    id: string;
    date_added: string;
  }

  async function taxii(path: string, token: string) {
    const res = await fetch(`${t.url}${path}`, {
      headers: { accept: TAXII, authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { objects?: Record[] };
    return { objects: body.objects ?? [], last: res.headers.get('x-taxii-date-added-last') };
  }

  async function apiToken(admin: string): Promise<string> {
    const r = await t.gql<{ createApiToken: { token: string } }>(
      'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
      { i: { name: `taxii ${Math.random()}`, scopes: ['feeds:read', 'reports:read'] } },
      admin,
    );
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.createApiToken.token;
  }

  const rounded = (d: string) => d.endsWith('.000000Z') && Date.parse(d) % STEP_MS === 0;

  it('is rounded for other organisations’ items, and added_after cannot bisect it', async () => {
    const list = await t.gql<{ createIndicatorList: { id: string } }>(
      'mutation { createIndicatorList(input: { name: "rounded", tlp: GREEN }) { id } }',
      {},
      power.token,
    );
    const listId = list.data!.createIndicatorList.id;
    await t.gql(
      'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { applied } }',
      { l: listId, i: { text: '198.51.100.23', confidence: 60 } },
      power.token,
    );
    await publishReport(t, power.token, { title: 'taxii rounded', tlp: 'GREEN' });
    const gasToken = await apiToken(gasAdmin.token);
    const collections = (await fetch(`${t.url}/taxii2/api/collections/`, {
      headers: { accept: TAXII, authorization: `Bearer ${gasToken}` },
    }).then((r) => r.json())) as { collections: { id: string }[] };
    const ids = collections.collections.map((c) => c.id);
    expect(ids).toContain(listId);

    for (const id of ids) {
      const { objects, last } = await taxii(`/taxii2/api/collections/${id}/manifest/`, gasToken);
      // Markings were added at a fixed, public time; everything else here is Kanto's.
      const others = objects.filter((o) => !o.id.startsWith('marking-definition--'));
      expect(others.length).toBeGreaterThan(0);
      for (const o of others)
        expect([o.id, o.date_added, rounded(o.date_added)]).toEqual([o.id, o.date_added, true]);
      expect(rounded(last!)).toBe(true);
    }

    // The indicator as gas is shown it; one microsecond later excludes it whatever its exact
    // time in that step (before, it was returned until the exact microsecond: a bisection).
    const manifest = await taxii(`/taxii2/api/collections/${listId}/manifest/`, gasToken);
    const indicator = manifest.objects.find((o) => o.id.startsWith('indicator--'))!;
    const shown = indicator.date_added;
    const just = new Date(Date.parse(shown)).toISOString().replace('Z', '001Z');
    const at = await taxii(
      `/taxii2/api/collections/${listId}/manifest/?added_after=${shown}`,
      gasToken,
    );
    expect(at.objects.map((o) => o.id)).toContain(indicator.id);
    const after = await taxii(
      `/taxii2/api/collections/${listId}/manifest/?added_after=${just}`,
      gasToken,
    );
    expect(after.objects.map((o) => o.id)).not.toContain(indicator.id);

    // Its own organisation is shown the same rounded time: a collection mixes authors, and its
    // dates added must rise with its order (ADR 0018); its exact times are in GraphQL.
    const ownToken = await apiToken(powerAdmin.token);
    const own = await taxii(`/taxii2/api/collections/${listId}/manifest/`, ownToken);
    const mine = own.objects.find((o) => o.id.startsWith('indicator--'))!;
    expect(mine.date_added).toBe(shown);
  });
});
