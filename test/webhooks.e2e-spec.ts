import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo, createServer as createTcpServer } from 'node:net';
import { Client } from 'pg';
import { createOrg, member, Member, publishReport } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';

/*
 * Webhooks against two real hub processes on one PostgreSQL and a real receiver on loopback:
 * signed, in order, once each across instances, never RED or another audience's items, retried
 * through an outage, paused when failing for too long.
 */

jest.setTimeout(240_000);

interface Delivery {
  eventId: string;
  kind: string;
  title?: string;
  /** The report's title or the list's name, with the event kind: `kind title`. */
  what: string;
  raw: string;
  signatureValid: boolean;
}

/** A webhook receiver that can be taken down and brought back on the same port. */
class Receiver {
  deliveries: Delivery[] = [];
  secret = '';
  private server: Server | null = null;
  port = 0;
  /** Runs before the receiver answers (a slow receiver holds its answer back). */
  before: (req: IncomingMessage) => Promise<void> = async () => undefined;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', async () => {
        const header = String(req.headers['x-renkei-signature'] ?? '');
        const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) ?? [];
        const expected = createHmac('sha256', this.secret).update(`${t}.${body}`).digest('hex');
        const parsed = JSON.parse(body);
        this.deliveries.push({
          eventId: String(req.headers['x-renkei-event-id']),
          kind: parsed.kind,
          title: parsed.data?.report?.title,
          what: `${parsed.kind} ${parsed.data?.report?.title ?? parsed.data?.list?.name}`,
          raw: body,
          signatureValid: v1 === expected && parsed.id === req.headers['x-renkei-event-id'],
        });
        await this.before(req);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s)
      await new Promise<void>((resolve) => s.close(() => resolve()) && s.closeAllConnections());
  }
}

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

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return check();
}

const CREATE = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { secret webhook { id status } } }`;
const ENV = { WEBHOOK_BACKOFF_MAX_SECONDS: '4' };

describe('webhooks across two instances', () => {
  let a: TestHub;
  let b: TestHub;
  let admin: string;
  let orgAdmin: Member;
  let analyst: Member;
  let gasAnalyst: Member;
  let powerOrg: string;
  let gasOrg: string;
  const receiver = new Receiver();
  let webhookId: string;

  beforeAll(async () => {
    a = await startTestHub(ENV);
    admin = (await a.bootstrapAdmin()).token;
    b = await startTestHub(ENV, a.databaseUrl);
    const power = await createOrg(a, admin, {
      name: 'Kanto Electric',
      sectorCode: 'electric-power',
    });
    await createOrg(a, admin, { name: 'Chubu Power', sectorCode: 'electric-power' });
    await createOrg(a, admin, { name: 'Kansai Power', sectorCode: 'electric-power' });
    const gas = await createOrg(a, admin, { name: 'Tokai Gas', sectorCode: 'gas' });
    powerOrg = power;
    gasOrg = gas;
    orgAdmin = await member(a, admin, power, 'admin@kanto-electric.example', 'ORG_ADMIN');
    analyst = await member(a, admin, power, 'soc@kanto-electric.example');
    gasAnalyst = await member(a, admin, gas, 'soc@tokai-gas.example');
    await receiver.start();
  });

  afterAll(async () => {
    await receiver.stop();
    await b?.stop();
    await a?.stop();
  });

  it('lets organisation admins register HTTPS endpoints (http only to loopback)', async () => {
    const refused = await a.gql(
      CREATE,
      { i: { url: 'http://example.com/hook', topic: 'REPORTS' } },
      orgAdmin.token,
    );
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const notAdmin = await a.gql(
      CREATE,
      { i: { url: `http://127.0.0.1:${receiver.port}/`, topic: 'REPORTS' } },
      analyst.token,
    );
    expect(notAdmin.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const created = await must<{
      createWebhook: { secret: string; webhook: { id: string; status: string } };
    }>(
      a,
      CREATE,
      { i: { url: `http://127.0.0.1:${receiver.port}/hook`, topic: 'REPORTS' } },
      orgAdmin.token,
    );
    expect(created.createWebhook.secret).toMatch(/^whsec_/);
    expect(created.createWebhook.webhook.status).toBe('active');
    receiver.secret = created.createWebhook.secret;
    webhookId = created.createWebhook.webhook.id;
  });

  it('delivers signed events in order, once each, never RED or another audience', async () => {
    const titles = ['one', 'two', 'three', 'four'];
    for (const [i, title] of titles.entries()) {
      // Alternate the instances the changes go through.
      await publishReport(i % 2 ? b : a, analyst.token, { title, tlp: 'GREEN' });
    }
    await publishReport(a, analyst.token, {
      title: 'red one',
      tlp: 'RED',
      audience: { redRecipientEmails: ['soc@kanto-electric.example'] },
    });
    await publishReport(a, gasAnalyst.token, {
      title: 'gas amber',
      tlp: 'AMBER',
      audience: { sectorCodes: ['gas'] },
    });
    await publishReport(a, gasAnalyst.token, { title: 'five', tlp: 'CLEAR' });
    expect(await until(() => receiver.deliveries.length >= 5, 20_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 2500)); // time for a duplicate, were there one
    expect(receiver.deliveries.map((d) => d.title)).toEqual([...titles, 'five']);
    expect(receiver.deliveries.every((d) => d.signatureValid)).toBe(true);
    // In order by their titles; ids are sealed (ADR 0018), so only their uniqueness shows.
    const ids = receiver.deliveries.map((d) => d.eventId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('retries through a 30-second outage and delivers in order when the receiver is back', async () => {
    await receiver.stop();
    const before = receiver.deliveries.length;
    for (const title of ['during 1', 'during 2', 'during 3']) {
      await publishReport(b, analyst.token, { title, tlp: 'GREEN' });
    }
    await new Promise((r) => setTimeout(r, 30_000));
    const failing = await must<{
      webhooks: { status: string; attempts: number; failingSince: string | null }[];
    }>(a, '{ webhooks { status attempts failingSince } }', {}, orgAdmin.token);
    expect(failing.webhooks[0]).toMatchObject({ status: 'active' });
    expect(failing.webhooks[0].attempts).toBeGreaterThan(3);
    expect(failing.webhooks[0].failingSince).not.toBeNull();
    const attempts = await must<{
      webhookDeliveries: { statusCode: number | null; error: string | null }[];
    }>(
      a,
      'query($id: ID!) { webhookDeliveries(id: $id, first: 50) { statusCode error } }',
      { id: webhookId },
      orgAdmin.token,
    );
    expect(attempts.webhookDeliveries.some((d) => d.statusCode === null && d.error)).toBe(true);

    await receiver.start(); // same port
    expect(await until(() => receiver.deliveries.length >= before + 3, 20_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 2000));
    expect(receiver.deliveries.slice(before).map((d) => d.title)).toEqual([
      'during 1',
      'during 2',
      'during 3',
    ]);
    const ids = receiver.deliveries.map((d) => d.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    const recovered = await must<{ webhooks: { attempts: number; failingSince: string | null }[] }>(
      a,
      '{ webhooks { attempts failingSince } }',
      {},
      orgAdmin.token,
    );
    expect(recovered.webhooks[0]).toEqual({ attempts: 0, failingSince: null });
  });

  it("gives another organisation's endpoint no exact time and no author of an anonymous report", async () => {
    const gasAdmin = await member(a, admin, gasOrg, 'admin@tokai-gas.example', 'ORG_ADMIN');
    const gasReceiver = new Receiver();
    await gasReceiver.start();
    try {
      const created = await must<{ createWebhook: { secret: string } }>(
        a,
        CREATE,
        {
          i: {
            url: `http://127.0.0.1:${gasReceiver.port}/hook`,
            topic: 'REPORTS',
            reportFilter: { markings: ['CLEAR'] },
          },
        },
        gasAdmin.token,
      );
      gasReceiver.secret = created.createWebhook.secret;
      await publishReport(a, analyst.token, { title: 'anonymous clear', tlp: 'CLEAR' });
      expect(await until(() => gasReceiver.deliveries.length >= 1, 20_000)).toBe(true);
      const [d] = gasReceiver.deliveries;
      expect(d.what).toBe('report.published anonymous clear');
      expect(d.signatureValid).toBe(true);
      const body = JSON.parse(d.raw);
      expect(body.at).toBe(body.data.at);
      // Every time in it is rounded to the hour (TIMESTAMP_ROUNDING_MINUTES=60).
      const times = d.raw.match(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g) ?? [];
      expect(times.length).toBeGreaterThan(2);
      expect(times.filter((x) => !/T\d\d:00:00(\.0+)?Z$/.test(x))).toEqual([]);
      // Nothing names the author: not the organisation's id, not an internal field.
      expect(d.raw).not.toContain(powerOrg);
      expect(d.raw).not.toMatch(/ownerOrgId|linkedReportIds|"seq"/);
      expect(body.data.report.author).toEqual({
        label: 'a member organisation', // the class rule in a small community (ADR 0017)
        organisationId: null,
        own: false,
      });
    } finally {
      await gasReceiver.stop();
    }
  });

  it('delivers lists, and applies report and list filters (event kinds, sectors)', async () => {
    const reports = new Receiver();
    const lists = new Receiver();
    await reports.start();
    await lists.start();
    try {
      for (const [r, i] of [
        [reports, { topic: 'REPORTS', reportFilter: { events: ['UPDATED'], sectors: ['gas'] } }],
        [
          lists,
          { topic: 'LISTS', listFilter: { events: ['CREATED', 'RETRACTED'], sectors: ['gas'] } },
        ],
      ] as const) {
        const created = await must<{ createWebhook: { secret: string } }>(
          a,
          CREATE,
          { i: { url: `http://127.0.0.1:${r.port}/hook`, ...i } },
          orgAdmin.token,
        );
        r.secret = created.createWebhook.secret;
      }
      const gasReport = await publishReport(a, analyst.token, {
        title: 'about gas',
        tlp: 'GREEN',
        affectedSectors: ['gas'],
      });
      const powerReport = await publishReport(a, analyst.token, {
        title: 'about power',
        tlp: 'GREEN',
        affectedSectors: ['electric-power'],
      });
      const update =
        'mutation($id: ID!, $i: ReportInput!) { updateReport(id: $id, input: $i) { revision } }';
      await must(a, update, { id: powerReport, i: { summary: 'more' } }, analyst.token);
      await must(a, update, { id: gasReport, i: { summary: 'more' } }, analyst.token);

      const createList =
        'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }';
      const retract = 'mutation($id: ID!) { retractIndicatorList(id: $id, reason: "done") { id } }';
      const powerList = await must<{ createIndicatorList: { id: string } }>(
        a,
        createList,
        { i: { name: 'power list', tlp: 'GREEN', sectors: ['electric-power'] } },
        analyst.token,
      );
      const gasList = await must<{ createIndicatorList: { id: string } }>(
        a,
        createList,
        { i: { name: 'gas list', tlp: 'GREEN', sectors: ['gas'] } },
        analyst.token,
      );
      await must(
        a,
        'mutation($l: ID!) { addListEntries(listId: $l, input: { text: "45.3.3.3" }) { added } }',
        { l: gasList.createIndicatorList.id },
        analyst.token,
      );
      await must(a, retract, { id: powerList.createIndicatorList.id }, analyst.token);
      await must(a, retract, { id: gasList.createIndicatorList.id }, analyst.token);

      expect(await until(() => reports.deliveries.length >= 1, 20_000)).toBe(true);
      expect(await until(() => lists.deliveries.length >= 2, 20_000)).toBe(true);
      // Each filter passed over events before the last it let through.
      expect(reports.deliveries.map((d) => d.what)).toEqual(['report.updated about gas']);
      expect(lists.deliveries.map((d) => d.what)).toEqual([
        'list.created gas list',
        'list.retracted gas list',
      ]);
      expect([...reports.deliveries, ...lists.deliveries].every((d) => d.signatureValid)).toBe(
        true,
      );
    } finally {
      await reports.stop();
      await lists.stop();
    }
  });
});

describe('an endpoint that fails for too long', () => {
  let t: TestHub;
  afterAll(async () => {
    await t?.stop();
  });

  it('is paused, shows why, and resumes on request', async () => {
    t = await startTestHub({ WEBHOOK_BACKOFF_MAX_SECONDS: '1', WEBHOOK_GIVE_UP_SECONDS: '3' });
    const admin = (await t.bootstrapAdmin()).token;
    const org = await createOrg(t, admin, { name: 'Kanto Electric', sectorCode: 'electric-power' });
    const orgAdmin = await member(t, admin, org, 'admin@kanto-electric.example', 'ORG_ADMIN');
    const closed = new Receiver();
    await closed.start();
    const port = closed.port;
    await closed.stop(); // nothing listens there now
    const created = await must<{ createWebhook: { webhook: { id: string } } }>(
      t,
      CREATE,
      { i: { url: `http://127.0.0.1:${port}/hook`, topic: 'REPORTS' } },
      orgAdmin.token,
    );
    const id = created.createWebhook.webhook.id;
    await publishReport(t, orgAdmin.token, { title: 'nobody home', tlp: 'GREEN' });
    const paused = await until(async () => {
      const r = await must<{ webhooks: { status: string }[] }>(
        t,
        '{ webhooks { status } }',
        {},
        orgAdmin.token,
      );
      return r.webhooks[0].status === 'paused';
    }, 20_000);
    expect(paused).toBe(true);
    const r = await must<{ webhooks: { pausedReason: string }[] }>(
      t,
      '{ webhooks { pausedReason } }',
      {},
      orgAdmin.token,
    );
    expect(r.webhooks[0].pausedReason).toMatch(/failing since/);
    const resumed = await must<{ resumeWebhook: { status: string; attempts: number } }>(
      t,
      'mutation($id: ID!) { resumeWebhook(id: $id) { status attempts } }',
      { id },
      orgAdmin.token,
    );
    expect(resumed.resumeWebhook).toEqual({ status: 'active', attempts: 0 });
  });
});

describe('one instance, several endpoints', () => {
  let t: TestHub;
  let orgAdmin: Member;
  let pg: Client;
  const env = { ...ENV, EVENT_RETENTION_DAYS: '1' };

  beforeAll(async () => {
    t = await startTestHub(env);
    const admin = (await t.bootstrapAdmin()).token;
    const org = await createOrg(t, admin, { name: 'Kanto Electric', sectorCode: 'electric-power' });
    orgAdmin = await member(t, admin, org, 'admin@kanto-electric.example', 'ORG_ADMIN');
    pg = new Client({ connectionString: t.databaseUrl });
    await pg.connect();
  });

  afterAll(async () => {
    await pg?.end();
    await t?.stop();
  });

  async function endpoint(r: Receiver): Promise<string> {
    const created = await must<{ createWebhook: { secret: string; webhook: { id: string } } }>(
      t,
      CREATE,
      { i: { url: `http://127.0.0.1:${r.port}/hook`, topic: 'REPORTS' } },
      orgAdmin.token,
    );
    r.secret = created.createWebhook.secret;
    return created.createWebhook.webhook.id;
  }

  it('does not let a slow endpoint hold back another', async () => {
    const slow = new Receiver();
    const fast = new Receiver();
    let fastGotIt!: () => void;
    const fastGot = new Promise<void>((resolve) => (fastGotIt = resolve));
    // The slow one answers only once the fast one has its delivery: with one delivery at a
    // time it would time out (10 s) and fail its first attempt.
    slow.before = () => fastGot;
    fast.before = async () => fastGotIt();
    await slow.start();
    await fast.start();
    try {
      const slowId = await endpoint(slow); // first: it is due first
      await endpoint(fast);
      await publishReport(t, orgAdmin.token, { title: 'for both', tlp: 'GREEN' });
      expect(
        await until(() => slow.deliveries.length >= 1 && fast.deliveries.length >= 1, 30_000),
      ).toBe(true);
      const attempts = await must<{
        webhookDeliveries: { attempt: number; statusCode: number | null; error: string | null }[];
      }>(
        t,
        'query($id: ID!) { webhookDeliveries(id: $id) { attempt statusCode error } }',
        { id: slowId },
        orgAdmin.token,
      );
      expect(attempts.webhookDeliveries).toEqual([{ attempt: 1, statusCode: 204, error: null }]);
    } finally {
      await slow.stop();
      await fast.stop();
      await pg.query('DELETE FROM webhook_endpoint');
    }
  });

  it('pauses an endpoint whose missed events were deleted, and resumes from what is kept', async () => {
    const r = new Receiver();
    await r.start();
    try {
      const id = await endpoint(r);
      await publishReport(t, orgAdmin.token, { title: 'delivered', tlp: 'GREEN' });
      expect(await until(() => r.deliveries.length >= 1, 20_000)).toBe(true);
      // Away for long: paused (as after failing), meanwhile two events, the first purged.
      await pg.query(`UPDATE webhook_endpoint SET status = 'paused' WHERE id = $1`, [id]);
      await publishReport(t, orgAdmin.token, { title: 'purged while away', tlp: 'GREEN' });
      await publishReport(t, orgAdmin.token, { title: 'kept', tlp: 'GREEN' });
      const { rows } = await pg.query<{ id: string }>(
        `SELECT max(id)::text AS id FROM hub_event WHERE kind = 'report.published'
          AND id < (SELECT max(id) FROM hub_event)`,
      );
      await pg.query(`UPDATE hub_event SET created_at = now() - interval '2 days' WHERE id <= $1`, [
        rows[0].id,
      ]);
      await t.stop();
      t = await startTestHub(env, t.databaseUrl); // purges at start
      // Active again as if an admin had resumed it without looking: it must not skip silently.
      await pg.query(`UPDATE webhook_endpoint SET status = 'active' WHERE id = $1`, [id]);
      const paused = await until(async () => {
        const w = await must<{ webhooks: { status: string; pausedReason: string | null }[] }>(
          t,
          '{ webhooks { status pausedReason } }',
          {},
          orgAdmin.token,
        );
        return (
          w.webhooks[0].status === 'paused' &&
          /CURSOR_EXPIRED/.test(w.webhooks[0].pausedReason ?? '')
        );
      }, 20_000);
      expect(paused).toBe(true);
      expect(r.deliveries.map((d) => d.what)).toEqual(['report.published delivered']);
      await must(t, 'mutation($id: ID!) { resumeWebhook(id: $id) { id } }', { id }, orgAdmin.token);
      expect(await until(() => r.deliveries.length >= 2, 20_000)).toBe(true);
      expect(r.deliveries.map((d) => d.what)).toEqual([
        'report.published delivered',
        'report.published kept',
      ]);
    } finally {
      await r.stop();
    }
  });
});

describe('in production', () => {
  let t: TestHub;
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses internal addresses: literal ones at registration, names that resolve inside at delivery', async () => {
    t = await startTestHub({ NODE_ENV: 'production' });
    const admin = (await t.bootstrapAdmin()).token;
    const org = await createOrg(t, admin, { name: 'Kanto Electric', sectorCode: 'electric-power' });
    const orgAdmin = await member(t, admin, org, 'admin@kanto-electric.example', 'ORG_ADMIN');
    for (const url of [
      'https://10.0.0.8/hook',
      'https://169.254.169.254/latest',
      'https://[::ffff:127.0.0.1]/hook',
      'https://localhost/hook',
      'http://127.0.0.1/hook',
    ]) {
      const refused = await t.gql(CREATE, { i: { url, topic: 'REPORTS' } }, orgAdmin.token);
      expect([url, refused.errors?.[0].extensions?.code]).toEqual([url, 'BAD_USER_INPUT']);
    }
    // Something listens on loopback; the endpoint's name is public when registered and points
    // there later (DNS rebinding, or a name that was internal all along): no connection may
    // reach it.
    let connections = 0;
    const inside = createTcpServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => inside.listen(0, '127.0.0.1', resolve));
    const port = (inside.address() as AddressInfo).port;
    try {
      const created = await must<{ createWebhook: { webhook: { id: string } } }>(
        t,
        CREATE,
        { i: { url: 'https://hooks.renkei-receiver.example/hook', topic: 'REPORTS' } },
        orgAdmin.token,
      );
      const id = created.createWebhook.webhook.id;
      const pg = new Client({ connectionString: t.databaseUrl });
      await pg.connect();
      await pg.query('UPDATE webhook_endpoint SET url = $2 WHERE id = $1', [
        id,
        `https://localhost:${port}/hook`,
      ]);
      await pg.end();
      await publishReport(t, orgAdmin.token, { title: 'not for inside', tlp: 'GREEN' });
      let errors: (string | null)[] = [];
      expect(
        await until(async () => {
          const r = await must<{ webhookDeliveries: { error: string | null }[] }>(
            t,
            'query($id: ID!) { webhookDeliveries(id: $id) { error } }',
            { id },
            orgAdmin.token,
          );
          errors = r.webhookDeliveries.map((d) => d.error);
          return errors.length > 0;
        }, 20_000),
      ).toBe(true);
      expect(errors[0]).toMatch(/^refused: localhost resolves to an address that is not public$/);
      expect(connections).toBe(0);
    } finally {
      inside.close();
    }
  });
});
