import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createGroup, createOrg, member, Member, publishReport } from './support/community';
import { SmtpSink } from './support/smtp-sink';
import { startTestHub, TestHub } from './support/test-hub';

/*
 * E-mail alerts and chat webhooks against the real hub, a real SMTP server in this process
 * (smtp-server, messages parsed with mailparser) and a real HTTP receiver for Slack and Teams
 * bodies. A small community and one report per marking and audience: every user with a rule must
 * get exactly the alerts the rule of ADR 0006 (written out again below as the oracle) lets them
 * read, once, in their language, with the TLP label first and no content for AMBER+STRICT and RED;
 * the anonymous author is never named to another organisation. Then, with the SMTP server down,
 * alerts are recorded, one report's marking is raised before sending, the hub restarts, the
 * server comes back: each alert arrives exactly once, and the raised one is not sent.
 */

jest.setTimeout(300_000);

const PUBLIC_URL = 'https://hub.example';
const PUBLISHED = { events: ['PUBLISHED'] };

type Marking = 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER_STRICT' | 'RED';
type OrgName = 'kanto' | 'chubu' | 'kansai' | 'trading' | 'tokai';

interface Plan {
  marker: string;
  tlp: Marking;
  orgs?: OrgName[];
  sectors?: string[];
  groups?: boolean;
  red?: string[];
  id?: string;
}

const ORGS: Record<OrgName, { sector: string; group: boolean }> = {
  kanto: { sector: 'electric-power', group: true },
  chubu: { sector: 'electric-power', group: false },
  kansai: { sector: 'electric-power', group: false },
  trading: { sector: 'gas', group: true },
  tokai: { sector: 'gas', group: false },
};

/** ADR 0006 for a user reading a published report of kansai's. */
function sees(org: OrgName, email: string, r: Plan): boolean {
  if (org === 'kansai') return true;
  const o = ORGS[org];
  switch (r.tlp) {
    case 'CLEAR':
    case 'GREEN':
      return true;
    case 'AMBER':
    case 'AMBER_STRICT':
      if (r.orgs?.includes(org) || r.sectors?.includes(o.sector)) return true;
      if (r.groups && o.group) return true;
      return r.tlp === 'AMBER' && o.group && (r.orgs ?? []).some((x) => ORGS[x].group);
    case 'RED':
      return (r.red ?? []).includes(email);
  }
}

const label = (tlp: string) => `TLP:${tlp.replace('_', '+')}`;

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${check.toString()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function must<T>(t: TestHub, q: string, v: Record<string, unknown>, token: string) {
  const r = await t.gql<T>(q, v, token);
  if (!r.data || r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
}

interface Recipient extends Member {
  org: OrgName;
  lang: 'JA' | 'EN';
}

interface Send {
  period: string;
  status: string;
  attempts: number;
  lastError: string | null;
  events: number;
}

const SENDS = `{ myAlertSends(first: 100) { period status attempts lastError events } }`;

describe('alerts by e-mail and chat', () => {
  let t: TestHub;
  let admin: string;
  const smtp = new SmtpSink();
  const ids = {} as Record<OrgName, string>;
  let author: Member;
  let kantoAdmin: Member;
  const users: Recipient[] = [];
  let digestUser: Recipient;
  let chat: Server;
  const chatBodies: { path: string; body: string }[] = [];
  const plans: Plan[] = [
    { marker: 'AlertM1', tlp: 'CLEAR' },
    { marker: 'AlertM2', tlp: 'GREEN' },
    { marker: 'AlertM3', tlp: 'AMBER', orgs: ['kanto'] },
    { marker: 'AlertM4', tlp: 'AMBER_STRICT', orgs: ['kanto'] },
    { marker: 'AlertM5', tlp: 'AMBER', sectors: ['gas'] },
    { marker: 'AlertM6', tlp: 'RED', red: ['red@kanto-electric.example'] },
    { marker: 'AlertM7', tlp: 'AMBER', groups: true },
  ];
  let groupId: string;

  async function publish(p: Plan): Promise<string> {
    p.id = await publishReport(t, author.token, {
      title: `${p.marker} title`,
      summary: `${p.marker} summary`,
      tlp: p.tlp,
      categories: ['cyberattack.dos'],
      audience:
        p.tlp === 'AMBER' || p.tlp === 'AMBER_STRICT'
          ? {
              organisationIds: (p.orgs ?? []).map((o) => ids[o]),
              sectorCodes: p.sectors ?? [],
              groupIds: p.groups ? [groupId] : [],
            }
          : p.tlp === 'RED'
            ? { redRecipientEmails: p.red }
            : undefined,
    });
    return p.id;
  }

  async function sendsOf(u: Member): Promise<Send[]> {
    return (await must<{ myAlertSends: Send[] }>(t, SENDS, {}, u.token)).myAlertSends;
  }

  beforeAll(async () => {
    await smtp.start();
    chat = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        chatBodies.push({ path: req.url ?? '', body });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => chat.listen(0, '127.0.0.1', resolve));
    t = await startTestHub({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'renkei <alerts@hub.example>',
      PUBLIC_URL,
      WEBHOOK_BACKOFF_MAX_SECONDS: '1',
    });
    admin = (await t.bootstrapAdmin()).token;
    groupId = await createGroup(t, admin, 'Kanto Holdings');
    for (const [name, o] of Object.entries(ORGS) as [OrgName, (typeof ORGS)[OrgName]][]) {
      ids[name] = await createOrg(t, admin, {
        name: {
          kanto: 'Kanto Electric',
          chubu: 'Chubu Power',
          kansai: 'Kansai Power',
          trading: 'Kanto Trading',
          tokai: 'Tokai Gas',
        }[name],
        sectorCode: o.sector,
        ...(o.group ? { groupId } : {}),
      });
    }
    author = await member(t, admin, ids.kansai, 'author@kansai-power.example');
    kantoAdmin = await member(t, admin, ids.kanto, 'admin@kanto-electric.example', 'ORG_ADMIN');
    const people: [OrgName, string, 'JA' | 'EN'][] = [
      ['kanto', 'soc@kanto-electric.example', 'EN'],
      ['kanto', 'red@kanto-electric.example', 'JA'],
      ['chubu', 'soc@chubu-power.example', 'JA'],
      ['trading', 'soc@kanto-trading.example', 'EN'],
      ['tokai', 'soc@tokai-gas.example', 'JA'],
      ['kansai', 'soc@kansai-power.example', 'EN'],
    ];
    for (const [org, email, lang] of people) {
      const m = await member(t, admin, ids[org], email);
      users.push({ ...m, org, lang });
    }
    digestUser = {
      ...(await member(t, admin, ids.tokai, 'digest@tokai-gas.example')),
      org: 'tokai',
      lang: 'JA',
    };
    for (const u of [...users, digestUser]) {
      await must(
        t,
        'mutation($l: Language!) { setMyLanguage(language: $l) }',
        { l: u.lang },
        u.token,
      );
      await must(
        t,
        'mutation($i: AlertRuleInput!) { createAlertRule(input: $i) { id } }',
        {
          i: {
            topic: 'REPORTS',
            delivery: u === digestUser ? 'DAILY' : 'IMMEDIATE',
            reportFilter: PUBLISHED,
          },
        },
        u.token,
      );
    }
    const base = `http://127.0.0.1:${(chat.address() as AddressInfo).port}`;
    for (const format of ['SLACK', 'TEAMS']) {
      await must(
        t,
        'mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { secret } }',
        {
          i: {
            url: `${base}/${format.toLowerCase()}`,
            topic: 'REPORTS',
            format,
            reportFilter: PUBLISHED,
          },
        },
        kantoAdmin.token,
      );
    }
    for (const p of plans) await publish(p);
  });

  afterAll(async () => {
    await t?.stop();
    await smtp.stop();
    chat?.close();
  });

  it('mails every user exactly the reports they may read, once, in their language', async () => {
    const expected = (u: Recipient) => plans.filter((p) => sees(u.org, u.email, p));
    await until(() => users.every((u) => smtp.to(u.email).length >= expected(u).length));
    // Everything recorded has been sent: nothing more is coming.
    for (const u of users) {
      await until(async () => (await sendsOf(u)).every((s) => s.status === 'sent'));
    }
    for (const u of users) {
      const got = smtp.to(u.email);
      const want = expected(u);
      expect({ who: u.email, count: got.length }).toEqual({ who: u.email, count: want.length });
      for (const p of plans) {
        const mine = got.filter((m) => m.text.includes(`/reports/${p.id}`));
        expect({ who: u.email, marker: p.marker, n: mine.length }).toEqual({
          who: u.email,
          marker: p.marker,
          n: want.includes(p) ? 1 : 0,
        });
        if (!mine.length) continue;
        const [m] = mine;
        expect(m.to).toEqual([u.email]);
        expect(m.subject.startsWith(`[${label(p.tlp)}] `)).toBe(true);
        expect(m.text.split('\n')[0]).toBe(label(p.tlp));
        expect(m.subject).toContain(
          u.lang === 'JA' ? '報告が公開されました' : 'A report was published',
        );
        const withheld = p.tlp === 'AMBER_STRICT' || p.tlp === 'RED';
        if (withheld) {
          expect({ marker: p.marker, subject: m.subject.includes(p.marker) }).toEqual({
            marker: p.marker,
            subject: false,
          });
          expect({ marker: p.marker, body: m.text.includes(p.marker) }).toEqual({
            marker: p.marker,
            body: false,
          });
        } else {
          expect(m.subject).toContain(`${p.marker} title`);
        }
        if (!withheld) expect(m.text).toContain(`${p.marker} summary`);
        expect(m.text).toContain(`${PUBLIC_URL}/reports/${p.id}`);
        if (u.org !== 'kansai') {
          expect(m.text).not.toMatch(/Kansai|author@kansai/);
        }
      }
    }
  });

  it('puts a daily digest together and sends it when asked', async () => {
    const want = plans.filter((p) => sees('tokai', digestUser.email, p));
    await until(async () => (await sendsOf(digestUser)).some((s) => s.events === want.length));
    const [pending] = await sendsOf(digestUser);
    const tokyoToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(
      new Date(),
    );
    expect(pending).toMatchObject({ status: 'pending', period: `daily:${tokyoToday}` });
    expect(smtp.to(digestUser.email)).toHaveLength(0);
    // Switching the rule to immediate from now on still sends what was collected as a digest.
    const rules = await must<{ myAlertRules: { id: string }[] }>(
      t,
      '{ myAlertRules { id } }',
      {},
      digestUser.token,
    );
    await must(
      t,
      'mutation($id: ID!, $i: AlertRuleInput!) { updateAlertRule(id: $id, input: $i) { id } }',
      {
        id: rules.myAlertRules[0].id,
        i: { topic: 'REPORTS', delivery: 'IMMEDIATE', reportFilter: PUBLISHED },
      },
      digestUser.token,
    );
    const sent = await must<{ sendMyDigestsNow: number }>(
      t,
      'mutation { sendMyDigestsNow }',
      {},
      digestUser.token,
    );
    expect(sent.sendMyDigestsNow).toBe(1);
    await until(() => smtp.to(digestUser.email).length > 0);
    await until(async () => (await sendsOf(digestUser)).every((s) => s.status === 'sent'));
    const mails = smtp.to(digestUser.email);
    expect(mails).toHaveLength(1);
    const [m] = mails;
    expect(m.subject).toBe(
      `[${label('AMBER')}] renkei 日次ダイジェスト ${tokyoToday} (${want.length} 件)`,
    );
    for (const p of plans) {
      expect({ marker: p.marker, in: m.text.includes(`/reports/${p.id}`) }).toEqual({
        marker: p.marker,
        in: want.includes(p),
      });
    }
  });

  it('posts Slack and Teams bodies under the same TLP rules', async () => {
    const want = plans.filter((p) => sees('kanto', '', p) && p.tlp !== 'RED');
    await until(() => chatBodies.length >= 2 * want.length);
    for (const format of ['slack', 'teams']) {
      const bodies = chatBodies.filter((b) => b.path === `/${format}`).map((b) => b.body);
      expect(bodies).toHaveLength(want.length);
      for (const p of plans) {
        const mine = bodies.filter((b) => b.includes(`/reports/${p.id}`));
        expect({ format, marker: p.marker, n: mine.length }).toEqual({
          format,
          marker: p.marker,
          n: want.includes(p) ? 1 : 0,
        });
        if (!mine.length) continue;
        const body = JSON.parse(mine[0]);
        if (format === 'slack') {
          expect(body.text.startsWith(`${label(p.tlp)} `)).toBe(true);
          expect(body.blocks[0].text.text).toBe(`*${label(p.tlp)}* A report was published`);
        } else {
          expect(body.type).toBe('message');
          expect(body.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
          expect(body.attachments[0].content.body[0].text).toBe(label(p.tlp));
        }
        expect({ marker: p.marker, leaked: mine[0].includes(p.marker) }).toEqual({
          marker: p.marker,
          leaked: p.tlp !== 'AMBER_STRICT',
        });
        expect(mine[0]).not.toMatch(/Kansai|author@kansai/);
      }
    }
  });

  it('loses and duplicates nothing across a hub restart while SMTP is down, and re-checks before sending', async () => {
    // Start from quiet: everything recorded so far has gone out.
    for (const u of users) {
      await until(async () => (await sendsOf(u)).every((s) => s.status !== 'pending'));
    }
    await smtp.stop();
    const before = smtp.mails.length;
    const r1: Plan = { marker: 'Alert-R1', tlp: 'GREEN' };
    const r2: Plan = { marker: 'Alert-R2', tlp: 'AMBER', orgs: ['chubu', 'tokai'] };
    await publish(r1);
    await publish(r2);
    const chubu = users.find((u) => u.org === 'chubu')!;
    // Recorded, tried, failed: and the user can see why.
    for (const u of users) {
      await until(async () =>
        (await sendsOf(u)).some((s) => s.status === 'pending' && s.attempts > 0 && s.lastError),
      );
    }
    await until(
      async () => (await sendsOf(chubu)).filter((s) => s.status === 'pending').length === 2,
    );
    // Chubu may no longer read R2 when it is finally sent (narrowing needs no new publication).
    await must(
      t,
      'mutation($id: ID!, $i: ReportInput!) { updateReport(id: $id, input: $i) { id } }',
      { id: r2.id, i: { audience: { organisationIds: [ids.tokai] } } },
      author.token,
    );
    const { databaseUrl } = t;
    await t.stop();
    await smtp.start();
    t = await startTestHub(
      { SMTP_URL: smtp.url, PUBLIC_URL, WEBHOOK_BACKOFF_MAX_SECONDS: '1' },
      databaseUrl,
    );
    for (const u of users) {
      await until(async () => (await sendsOf(u)).every((s) => s.status !== 'pending'));
    }
    const after = smtp.mails.slice(before);
    for (const u of users) {
      const r1Mails = after.filter((m) => m.to.includes(u.email) && m.text.includes(r1.id!));
      expect({ who: u.email, r1: r1Mails.length }).toEqual({ who: u.email, r1: 1 });
      const r2Mails = after.filter((m) => m.to.includes(u.email) && m.text.includes(r2.id!));
      // The owner and Tokai still read it; Chubu, taken out of the audience, gets nothing.
      expect({ who: u.email, r2: r2Mails.length }).toEqual({
        who: u.email,
        r2: u.org === 'kansai' || u.org === 'tokai' ? 1 : 0,
      });
    }
    expect((await sendsOf(chubu)).find((s) => s.status === 'skipped')).toBeDefined();
    // Nothing else went to these users (the digest user's rule changes with the digest test).
    expect(after.filter((m) => users.some((u) => m.to.includes(u.email)))).toHaveLength(
      users.length + 2,
    );
  });
});

describe('alerts without SMTP_URL: the local mailbox', () => {
  let t: TestHub;
  let adminToken: string;

  beforeAll(async () => {
    t = await startTestHub({ PUBLIC_URL });
    adminToken = (await t.bootstrapAdmin()).token;
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('keeps mail for its recipient only, shown by myMailbox, never to API tokens', async () => {
    const admin = adminToken;
    const org = await createOrg(t, admin, { name: 'Hokuriku Power', sectorCode: 'electric-power' });
    const other = await createOrg(t, admin, { name: 'Tohoku Power', sectorCode: 'electric-power' });
    await createOrg(t, admin, { name: 'Shikoku Power', sectorCode: 'electric-power' });
    const reader = await member(t, admin, org, 'soc@hokuriku-power.example');
    const neighbour = await member(t, admin, other, 'soc@tohoku-power.example');
    const writer = await member(t, admin, other, 'author@tohoku-power.example');
    await must(
      t,
      'mutation($i: AlertRuleInput!) { createAlertRule(input: $i) { id delivery } }',
      { i: { topic: 'REPORTS', delivery: 'IMMEDIATE' } },
      reader.token,
    );
    const id = await publishReport(t, writer.token, {
      title: 'Mailbox marker',
      summary: 'Mailbox summary',
      tlp: 'GREEN',
    });
    const box = 'query { myMailbox { subject body } }';
    type Box = { myMailbox: { subject: string; body: string }[] };
    await until(async () => (await must<Box>(t, box, {}, reader.token)).myMailbox.length > 0);
    const [m] = (await must<Box>(t, box, {}, reader.token)).myMailbox;
    expect(m.subject).toBe('[TLP:GREEN] renkei: 報告が公開されました: Mailbox marker');
    expect(m.body.split('\n')[0]).toBe('TLP:GREEN');
    expect(m.body).toContain(`${PUBLIC_URL}/reports/${id}`);
    expect(m.body).not.toContain('Tohoku');
    // Nobody else's mailbox holds it; a token cannot read mailboxes at all.
    expect((await must<Box>(t, box, {}, neighbour.token)).myMailbox).toEqual([]);
    const token = await must<{ createApiToken: { token: string } }>(
      t,
      'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
      { i: { name: 'siem', scopes: ['reports:read'] } },
      admin,
    );
    const denied = await t.gql(box, {}, token.createApiToken.token);
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('a paused rule alerts about nothing; resumed, it alerts about what happens from then on', async () => {
    const admin = adminToken;
    const org = await createOrg(t, admin, { name: 'Chugoku Power', sectorCode: 'electric-power' });
    const other = await createOrg(t, admin, {
      name: 'Setouchi Grid',
      sectorCode: 'electric-power',
    });
    const reader = await member(t, admin, org, 'soc@chugoku-power.example');
    const writer = await member(t, admin, other, 'author@setouchi-grid.example');
    const { createAlertRule: rule } = await must<{ createAlertRule: { id: string } }>(
      t,
      'mutation($i: AlertRuleInput!) { createAlertRule(input: $i) { id } }',
      { i: { topic: 'REPORTS', delivery: 'IMMEDIATE' } },
      reader.token,
    );
    const PAUSE =
      'mutation($id: ID!, $p: Boolean!) { pauseAlertRule(id: $id, paused: $p) { paused } }';
    type Paused = { pauseAlertRule: { paused: boolean } };
    // Someone else's rule is not theirs to pause: NOT_FOUND, like a rule that does not exist.
    const foreign = await t.gql(PAUSE, { id: rule.id, p: true }, writer.token);
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(
      (await must<Paused>(t, PAUSE, { id: rule.id, p: true }, reader.token)).pauseAlertRule,
    ).toEqual({ paused: true });
    await publishReport(t, writer.token, { title: 'Published while paused', tlp: 'GREEN' });
    expect(
      (await must<Paused>(t, PAUSE, { id: rule.id, p: false }, reader.token)).pauseAlertRule,
    ).toEqual({ paused: false });
    await publishReport(t, writer.token, { title: 'Published after resuming', tlp: 'GREEN' });
    const box = 'query { myMailbox { subject } }';
    type Box = { myMailbox: { subject: string }[] };
    await until(async () => (await must<Box>(t, box, {}, reader.token)).myMailbox.length > 0);
    // Alerts are recorded in event order: once the later one is in, the earlier one never comes.
    const subjects = (await must<Box>(t, box, {}, reader.token)).myMailbox.map((m) => m.subject);
    expect(subjects).toEqual([
      '[TLP:GREEN] renkei: 報告が公開されました: Published after resuming',
    ]);
  });

  it('manages only your own rules, with clear errors', async () => {
    const org = await createOrg(t, adminToken, {
      name: 'Hokkaido Power',
      sectorCode: 'electric-power',
    });
    const a = await member(t, adminToken, org, 'rules-a@hokkaido-power.example');
    const b = await member(t, adminToken, org, 'rules-b@hokkaido-power.example');
    const rule = await must<{ createAlertRule: { id: string } }>(
      t,
      'mutation($i: AlertRuleInput!) { createAlertRule(input: $i) { id } }',
      { i: { topic: 'LISTS', delivery: 'WEEKLY', listFilter: { markings: ['GREEN'] } } },
      a.token,
    );
    const id = rule.createAlertRule.id;
    const updated = await must<{ updateAlertRule: { delivery: string; listFilter: unknown } }>(
      t,
      'mutation($id: ID!, $i: AlertRuleInput!) { updateAlertRule(id: $id, input: $i) { delivery listFilter { markings } } }',
      { id, i: { topic: 'LISTS', delivery: 'DAILY', listFilter: { markings: ['AMBER'] } } },
      a.token,
    );
    expect(updated.updateAlertRule).toEqual({
      delivery: 'DAILY',
      listFilter: { markings: ['AMBER'] },
    });
    const foreign = await t.gql('mutation($id: ID!) { deleteAlertRule(id: $id) }', { id }, b.token);
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(
      (await must<{ myAlertRules: unknown[] }>(t, '{ myAlertRules { id } }', {}, b.token))
        .myAlertRules,
    ).toEqual([]);
    const mixed = await t.gql(
      'mutation($i: AlertRuleInput!) { createAlertRule(input: $i) { id } }',
      { i: { topic: 'REPORTS', delivery: 'DAILY', listFilter: {} } },
      a.token,
    );
    expect(mixed.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ path: 'input.listFilter', message: 'is for the lists topic' }],
    });
    expect(
      await must(t, 'mutation($id: ID!) { deleteAlertRule(id: $id) }', { id }, a.token),
    ).toEqual({
      deleteAlertRule: true,
    });
  });

  it('mails list changes with their values, and an AMBER+STRICT list as a link only', async () => {
    const org = await createOrg(t, adminToken, {
      name: 'Kyushu Power',
      sectorCode: 'electric-power',
    });
    const other = await createOrg(t, adminToken, {
      name: 'Okinawa Power',
      sectorCode: 'electric-power',
    });
    const reader = await member(t, adminToken, org, 'lists@kyushu-power.example');
    const outsider = await member(t, adminToken, other, 'lists@okinawa-power.example');
    const writer = await member(t, adminToken, other, 'ioc@okinawa-power.example');
    await must(t, 'mutation { setMyLanguage(language: EN) }', {}, reader.token);
    for (const u of [reader, outsider]) {
      await must(
        t,
        'mutation($i: AlertRuleInput!) { createAlertRule(input: $i) { id } }',
        { i: { topic: 'LISTS', delivery: 'IMMEDIATE', listFilter: { events: ['ENTRIES_ADDED'] } } },
        u.token,
      );
    }
    const lists: Record<string, { id: string; value: string }> = {};
    for (const [tlp, value] of [
      ['GREEN', '203.0.113.10'],
      ['AMBER_STRICT', '203.0.113.20'],
    ]) {
      const created = await must<{ createIndicatorList: { id: string } }>(
        t,
        'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
        {
          i: {
            name: `List ${tlp} marker`,
            tlp,
            ...(tlp === 'AMBER_STRICT' ? { audience: { organisationIds: [org] } } : {}),
          },
        },
        writer.token,
      );
      lists[tlp] = { id: created.createIndicatorList.id, value };
      await must(
        t,
        'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { applied } }',
        { l: lists[tlp].id, i: { text: value, confidence: 70 } },
        writer.token,
      );
    }
    const box = 'query { myMailbox { subject body } }';
    type Box = { myMailbox: { subject: string; body: string }[] };
    await until(async () => (await must<Box>(t, box, {}, reader.token)).myMailbox.length >= 2);
    await until(async () => (await must<Box>(t, box, {}, outsider.token)).myMailbox.length >= 1);
    const mails = (await must<Box>(t, box, {}, reader.token)).myMailbox;
    expect(mails).toHaveLength(2);
    const green = mails.find((m) => m.body.includes(`/lists/${lists.GREEN.id}`))!;
    expect(green.subject).toBe(
      '[TLP:GREEN] renkei: Indicators were added to a list: List GREEN marker',
    );
    expect(green.body).toContain('Indicators added (1): 203.0.113.10');
    const strict = mails.find((m) => m.body.includes(`/lists/${lists.AMBER_STRICT.id}`))!;
    expect(strict.subject).toBe('[TLP:AMBER+STRICT] renkei: Indicators were added to a list');
    expect(strict.body).not.toContain('203.0.113.20');
    expect(strict.body).not.toContain('marker');
    // Okinawa owns both lists but is not this mailbox: it reads its own alerts only, here two.
    await until(async () => (await must<Box>(t, box, {}, outsider.token)).myMailbox.length >= 2);
    const own = (await must<Box>(t, box, {}, outsider.token)).myMailbox;
    expect(own.every((m) => !m.body.includes('Kyushu'))).toBe(true);
  });
});
