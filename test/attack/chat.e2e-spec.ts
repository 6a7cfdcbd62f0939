import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { publishReport } from '../support/community';
import { gq, Json, Scene, scene } from './support';

/*
 * Attacks on the chat formats of webhooks (ADR 0021) from a member who writes a report that the
 * peer's Slack and Teams channels will show: can the text become a mention or a link in the
 * channel, and does the chat body keep the author's pseudonym and rounded time? A real HTTP
 * receiver stands in for Slack and Teams. A test that FAILS is a finding.
 */

jest.setTimeout(300_000);

const TITLE =
  '<!channel> <https://evil.example/login|Reset your renkei password> [Reset your renkei password](https://evil.example/login) <at>everyone</at>';
const SUMMARY = 'Read [the vendor notice](https://evil.example/notice) now';

let s: Scene;
let chat: Server;
const received: { path: string; body: string }[] = [];
let reportId: string;
let drillId: string;

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1500 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
}

const forReport = (format: string) =>
  received.filter((r) => r.path === `/${format}` && r.body.includes(reportId));

/** Every string in a JSON value, with where it is. */
function strings(v: Json, at = '$'): [string, string][] {
  if (typeof v === 'string') return [[at, v]];
  if (Array.isArray(v)) return v.flatMap((x, i) => strings(x, `${at}[${i}]`));
  if (v && typeof v === 'object')
    return Object.entries(v).flatMap(([k, x]) => strings(x, `${at}.${k}`));
  return [];
}

beforeAll(async () => {
  chat = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => chat.listen(0, '127.0.0.1', r));
  s = await scene();
  const base = `http://127.0.0.1:${(chat.address() as AddressInfo).port}`;
  for (const format of ['SLACK', 'TEAMS']) {
    const r = await gq(
      s.t,
      'mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { secret } }',
      {
        i: {
          url: `${base}/${format.toLowerCase()}`,
          topic: 'REPORTS',
          format,
          reportFilter: { events: ['PUBLISHED'] },
        },
      },
      s.peer.orgAdmin.token,
    );
    if (r.errors) throw new Error(JSON.stringify(r.errors));
  }
  const rule = await gq(
    s.t,
    'mutation($i: AlertRuleInput!) { createAlertRule(input: $i) { id } }',
    { i: { topic: 'REPORTS', delivery: 'IMMEDIATE', reportFilter: { events: ['PUBLISHED'] } } },
    s.peer.analyst.token,
  );
  if (rule.errors) throw new Error(JSON.stringify(rule.errors));
  reportId = await publishReport(s.t, s.op.analyst.token, {
    tlp: 'GREEN',
    title: TITLE,
    summary: SUMMARY,
  });
  drillId = await publishReport(s.t, s.op.analyst.token, {
    tlp: 'GREEN',
    title: 'Substation outage in Z9',
    summary: 'Breakers opened at Z9',
    exercise: 'Z9 scenario',
  });
  const both = (id: string) =>
    ['slack', 'teams'].every((f) =>
      received.some((r) => r.path === `/${f}` && r.body.includes(id)),
    );
  await until(() => both(reportId) && both(drillId));
});
afterAll(async () => {
  await s?.t.stop();
  chat?.close();
});

describe('Slack', () => {
  it('delivers the report (the control)', () => {
    expect(forReport('slack')).toHaveLength(1);
  });

  it('no field of the body carries a mention or a link the author wrote', () => {
    const body = JSON.parse(forReport('slack')[0].body);
    const live = strings(body).filter(
      ([, v]) => v.includes('<!channel>') || v.includes('<https://evil'),
    );
    // Slack reads mrkdwn in the top-level text too (the notification and the fallback).
    expect(live).toEqual([]);
  });

  it('names the author by pseudonym', () => {
    const body = forReport('slack')[0].body;
    expect(body).not.toContain('Kanto');
  });
});

describe('Teams', () => {
  it('delivers the report (the control)', () => {
    expect(forReport('teams')).toHaveLength(1);
  });

  it("no TextBlock turns the author's Markdown into a link", () => {
    const body = JSON.parse(forReport('teams')[0].body);
    // Adaptive Card TextBlocks render Markdown: [text](url) is a clickable link in the channel.
    const links = strings(body).filter(([, v]) => /\[[^\]]*\]\(https?:\/\/evil/.test(v));
    expect(links).toEqual([]);
  });

  it('names the author by pseudonym and rounds the time', () => {
    const body = forReport('teams')[0].body;
    expect(body).not.toContain('Kanto');
    // Shown in ALERT_TIME_ZONE (Japanese "2026/12/05 19:00 JST", English "2026-12-05 19:00
    // Asia/Tokyo"); any ISO instant elsewhere in the card must be rounded as well.
    const local =
      body.match(/(\d{4}\/\d\d\/\d\d \d\d:\d\d [A-Z]+|\d{4}-\d\d-\d\d \d\d:\d\d [\w/+-]+)/g) ?? [];
    expect(local.length).toBeGreaterThan(0);
    for (const t of local) expect(t).toMatch(/:00 [\w/+-]+$/);
    const iso = body.match(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g) ?? [];
    for (const t of iso) expect(t).toMatch(/:00:00\.000Z$/);
  });
});

/*
 * A drill's report reaches channels and mailboxes like a real one (alerts are not among the
 * places exercises never reach): then it must say it is a drill, as the console's banner does,
 * or a channel reads "Substation outage" as an incident.
 */
describe('an exercise report in chat and mail', () => {
  const DRILL = /exercise|drill|訓練|Z9 scenario/i;
  const strip = (text: string) => text.replace(/Z9(?! scenario)/g, '');

  for (const format of ['slack', 'teams']) {
    it(`${format}: says it is an exercise`, () => {
      const got = received.filter((r) => r.path === `/${format}` && r.body.includes(drillId));
      expect(got).toHaveLength(1);
      expect(strip(got[0].body)).toMatch(DRILL);
    });
  }

  it('the mailbox: says it is an exercise, in the subject and the body', async () => {
    type Box = { myMailbox: { subject: string; body: string }[] };
    let box: Box['myMailbox'] = [];
    await until(() => {
      void gq(s.t, '{ myMailbox { subject body } }', {}, s.peer.analyst.token).then(
        (r: Box) => (box = r.myMailbox ?? []),
      );
      return box.some((m) => m.body.includes(drillId));
    });
    const mail = box.find((m) => m.body.includes(drillId))!;
    expect(mail).toBeDefined();
    expect(strip(mail.subject)).toMatch(DRILL);
    expect(strip(mail.body)).toMatch(DRILL);
  });
});
