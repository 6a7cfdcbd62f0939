import { createHmac } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
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
  signatureValid: boolean;
}

/** A webhook receiver that can be taken down and brought back on the same port. */
class Receiver {
  deliveries: Delivery[] = [];
  secret = '';
  private server: Server | null = null;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const header = String(req.headers['x-renkei-signature'] ?? '');
        const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) ?? [];
        const expected = createHmac('sha256', this.secret).update(`${t}.${body}`).digest('hex');
        const parsed = JSON.parse(body);
        this.deliveries.push({
          eventId: String(req.headers['x-renkei-event-id']),
          kind: parsed.kind,
          title: parsed.data?.report?.title,
          signatureValid: v1 === expected && parsed.id === req.headers['x-renkei-event-id'],
        });
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
    const ids = receiver.deliveries.map((d) => Number(d.eventId));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
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
    const ids = receiver.deliveries.map((d) => Number(d.eventId));
    expect(new Set(ids).size).toBe(ids.length);
    const recovered = await must<{ webhooks: { attempts: number; failingSince: string | null }[] }>(
      a,
      '{ webhooks { attempts failingSince } }',
      {},
      orgAdmin.token,
    );
    expect(recovered.webhooks[0]).toEqual({ attempts: 0, failingSince: null });
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
