import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { publishReport } from '../support/community';
import { ADD, createList, gq, Scene, scene } from './support';

/*
 * Chat webhooks after the escaping fix (ADR 0021/0022): a drill LIST reaching Slack/Teams, and
 * author text that Slack or Teams would still turn into a link (a bare URL, a mailto, a
 * user-group mention). A test that FAILS is a finding.
 */

jest.setTimeout(300_000);

const TITLE = 'see https://evil.example/login or mailto:ceo@evil.example <!subteam^S123> <@U123>';
let s: Scene;
let chat: Server;
const received: { path: string; body: string }[] = [];
let reportId: string;
let drillList: string;

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
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
  s = await scene({ FEED_REVIEW_GROWTH_PERCENT: '100000' });
  const base = `http://127.0.0.1:${(chat.address() as AddressInfo).port}`;
  for (const format of ['SLACK', 'TEAMS']) {
    for (const topic of ['REPORTS', 'LISTS']) {
      const r = await gq(
        s.t,
        'mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { secret } }',
        { i: { url: `${base}/${format.toLowerCase()}/${topic.toLowerCase()}`, topic, format } },
        s.peer.orgAdmin.token,
      );
      if (r.errors) throw new Error(JSON.stringify(r.errors));
    }
  }
  reportId = await publishReport(s.t, s.op.analyst.token, { tlp: 'GREEN', title: TITLE });
  drillList = await createList(s.t, s.op.analyst.token, 'late chat drill', {
    sectors: ['electric-power'],
    exercise: 'Chat drill',
  });
  await gq(s.t, ADD, { l: drillList, i: { text: '45.63.0.9' } }, s.op.analyst.token);
  await until(
    () =>
      received.filter((r) => r.body.includes(reportId)).length >= 2 &&
      received.filter((r) => r.body.includes(drillList) || r.body.includes('Chat drill')).length >=
        2,
  );
});
afterAll(async () => {
  await s?.t.stop();
  chat?.close();
});

describe('a drill list in chat', () => {
  for (const format of ['slack', 'teams']) {
    it(`${format}: every delivery about the drill list says it is an exercise`, () => {
      const about = received.filter(
        (r) =>
          r.path.startsWith(`/${format}/`) &&
          (r.body.includes(drillList) || r.body.includes('45.63.0.9')),
      );
      expect(about.length).toBeGreaterThan(0);
      for (const r of about) expect(r.body).toMatch(/exercise|訓練|drill/i);
    });
  }
});

describe('author text that chat still links', () => {
  it('slack: no string carries a bare live URL, mailto or a user/group mention', () => {
    const bodies = received.filter(
      (r) => r.path.startsWith('/slack/') && r.body.includes(reportId),
    );
    expect(bodies.length).toBeGreaterThan(0);
    for (const r of bodies) {
      const text = JSON.stringify(JSON.parse(r.body));
      expect(text).not.toContain('https://evil.example');
      expect(text).not.toContain('mailto:ceo@evil.example');
      expect(text).not.toContain('<!subteam^S123>');
      expect(text).not.toContain('<@U123>');
    }
  });

  it('teams: no string carries a bare live URL or mailto', () => {
    const bodies = received.filter(
      (r) => r.path.startsWith('/teams/') && r.body.includes(reportId),
    );
    expect(bodies.length).toBeGreaterThan(0);
    for (const r of bodies) {
      const text = JSON.stringify(JSON.parse(r.body));
      expect(text).not.toContain('https://evil.example');
      expect(text).not.toContain('mailto:ceo@evil.example');
    }
  });
});
