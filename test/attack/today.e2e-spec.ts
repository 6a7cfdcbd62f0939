import { createOrg, member, Member, publishReport } from '../support/community';
import { ADD, createList, gq, Json, postEntries, pull, Scene, scene } from './support';

/*
 * An outside attack pass on the day's work (unread marks, alert mail, lowering a marking, the
 * contact directory and assistance requests, statistics, pickers, list import, resolver errors),
 * by a member with a session and firewall / writer tokens. Each test states the SAFE behaviour:
 * a failing test is a finding.
 */

jest.setTimeout(300_000);

let s: Scene;
let outsider: { org: string; analyst: Member; orgAdmin: Member };
let hidden: string; // AMBER, shown to the outsider's organisation only
let strict: string; // AMBER+STRICT, shown to the operator's organisation
let drill: string; // an exercise report everyone can read
let peerAmber: string; // the peer's AMBER report shown to the operator's org
const SECRET = 'ZEBRA-SECRET-TOKEN-77';

async function until<T>(probe: () => Promise<T | undefined>, ms = 20_000): Promise<T | undefined> {
  for (let waited = 0; waited < ms; waited += 250) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  return undefined;
}

function errorShape(errors: Json[]): Json[] {
  return errors.map((e) => ({
    code: typeof e.extensions?.code === 'string',
    requestId: typeof e.extensions?.requestId === 'string',
    stack: JSON.stringify(e).match(/stacktrace|\bat [\w.<>]+ \(|node_modules|\.ts:\d+|\.js:\d+/)
      ? 'LEAK'
      : 'none',
    internal:
      /relation "|column "|duplicate key|violates|QueryFailedError|TypeError|Cannot read prop|prisma|knex|pg_|SELECT |INSERT /i.test(
        e.message ?? '',
      )
        ? 'LEAK'
        : 'none',
  }));
}

beforeAll(async () => {
  s = await scene({ FEED_REVIEW_GROWTH_PERCENT: '100000' });
  const outOrg = await createOrg(s.t, s.admin, { name: 'Tohoku Gas', sectorCode: 'gas' });
  outsider = {
    org: outOrg,
    orgAdmin: await member(s.t, s.admin, outOrg, 'admin@tohoku.example', 'ORG_ADMIN'),
    analyst: await member(s.t, s.admin, outOrg, 'soc@tohoku.example'),
  };
  // The operator's analyst sets alerts before anything is published.
  const rule = await gq(
    s.t,
    'mutation($i: AlertRuleInput!) { createAlertRule(input: $i) { id } }',
    { i: { topic: 'REPORTS', delivery: 'IMMEDIATE' } },
    s.op.analyst.token,
  );
  if (!rule.createAlertRule) throw new Error(JSON.stringify(rule));
  hidden = await publishReport(s.t, s.peer.analyst.token, {
    title: `Hidden AMBER ${SECRET}`,
    summary: `hidden body ${SECRET}`,
    tlp: 'AMBER',
    audience: { organisationIds: [outOrg] },
    categories: ['cyberattack.abandoned-domain'],
    affectedSectors: ['gas'],
  });
  strict = await publishReport(s.t, s.peer.analyst.token, {
    title: 'Strict note',
    summary: `strict summary STRICTBODY-${SECRET}`,
    tlp: 'AMBER_STRICT',
    audience: { organisationIds: [s.op.org] },
    affectedSectors: ['electric-power'],
  });
  peerAmber = await publishReport(s.t, s.peer.analyst.token, {
    title: 'Peer amber',
    summary: 'amber summary',
    tlp: 'AMBER',
    audience: { organisationIds: [s.op.org] },
    affectedSectors: ['electric-power'],
  });
  drill = await publishReport(s.t, s.peer.analyst.token, {
    title: 'Drill report DRILLTITLE',
    tlp: 'GREEN',
    exercise: 'Today drill',
    categories: ['cyberattack.abandoned-domain'],
    affectedSectors: ['electric-power'],
  });
});
afterAll(async () => {
  await s?.t.stop();
});

describe('unread marks', () => {
  it('markReportRead answers the same for an unseen report as for a missing one', async () => {
    const unseen = await s.t.gql<Json>(
      'mutation($id: ID!) { markReportRead(id: $id) }',
      { id: hidden },
      s.op.analyst.token,
    );
    const missing = await s.t.gql<Json>(
      'mutation($id: ID!) { markReportRead(id: $id) }',
      { id: '00000000-0000-4000-8000-000000000000' },
      s.op.analyst.token,
    );
    const strip = (r: Json) =>
      (r.errors ?? []).map((e: Json) => ({ m: e.message, c: e.extensions?.code }));
    expect(strip(unseen)).toEqual(strip(missing));
    expect(unseen.data?.markReportRead ?? null).toBeNull();
  });

  it('unreadReportCount counts only reports the caller can read, and markAll agrees', async () => {
    const count = (await gq(s.t, '{ unreadReportCount }', {}, s.op.analyst.token))
      .unreadReportCount;
    const visible = await gq(
      s.t,
      '{ reports(first: 100) { edges { node { id unread } } } }',
      {},
      s.op.analyst.token,
    );
    const unreadVisible = visible.reports.edges.filter((e: Json) => e.node.unread).length;
    expect(visible.reports.edges.map((e: Json) => e.node.id)).not.toContain(hidden);
    expect(count).toBe(unreadVisible);
  });

  it('markAllReportsRead marks no more than the caller can see', async () => {
    const before = (await gq(s.t, '{ unreadReportCount }', {}, outsider.analyst.token))
      .unreadReportCount;
    const visible = await gq(
      s.t,
      '{ reports(first: 100) { edges { node { id unread } } } }',
      {},
      outsider.analyst.token,
    );
    const n = visible.reports.edges.filter((e: Json) => e.node.unread).length;
    const marked = (await gq(s.t, 'mutation { markAllReportsRead }', {}, outsider.analyst.token))
      .markAllReportsRead;
    expect([before, marked]).toEqual([n, n]);
  });
});

describe('alert mail', () => {
  it("the operator's mailbox never holds a report it cannot read, nor AMBER+STRICT content", async () => {
    // Wait until the alert about the readable AMBER report has arrived.
    const box = await until(async () => {
      const r = await gq(s.t, '{ myMailbox(first: 100) { subject body } }', {}, s.op.analyst.token);
      const m: Json[] = r.myMailbox ?? [];
      return m.some((x) => /Peer amber/.test(x.subject + x.body)) ? m : undefined;
    });
    expect(box).toBeDefined();
    if (process.env.DBG) console.log(JSON.stringify(box, null, 1));
    const all = JSON.stringify(box);
    expect(all.includes(SECRET)).toBe(false);
    expect(all.includes('STRICTBODY')).toBe(false);
    expect(all).toContain(strict); // the AMBER+STRICT alert came, as a link only
  });

  it('myMailbox takes no argument that reaches another user', async () => {
    const r = await s.t.gql<Json>(
      '{ myMailbox(first: 1000000) { id subject } }',
      {},
      s.peer.analyst.token,
    );
    // A huge page is either clamped or refused with a code, never a 500 or a stack.
    if (r.errors)
      expect(errorShape(r.errors).every((e) => e.code && e.stack === 'none')).toBe(true);
    const mine = JSON.stringify(r.data ?? {});
    expect(mine.includes('Peer amber')).toBe(false); // the peer made no rule
  });

  it('an alert rule of another user cannot be paused, updated or deleted', async () => {
    const rules = await gq(s.t, '{ myAlertRules { id } }', {}, s.op.analyst.token);
    const id = rules.myAlertRules[0].id;
    const p = await s.t.gql<Json>(
      'mutation($id: ID!) { pauseAlertRule(id: $id, paused: true) { id paused } }',
      { id },
      s.op.orgAdmin.token,
    );
    const d = await s.t.gql<Json>(
      'mutation($id: ID!) { deleteAlertRule(id: $id) }',
      { id },
      s.peer.analyst.token,
    );
    const sends = await gq(
      s.t,
      '{ myAlertSends(ruleId: "' + id + '") { id } }',
      {},
      s.peer.analyst.token,
    );
    expect([!!p.errors, !!d.errors, (sends.myAlertSends ?? []).length]).toEqual([true, true, 0]);
  });
});

describe('lowering a marking', () => {
  it('a reader in another organisation cannot lower the peer report it was shown', async () => {
    const r = await s.t.gql<Json>(
      'mutation($id: ID!) { lowerReportMarking(id: $id, tlp: GREEN, reason: "x") { id tlp } }',
      { id: peerAmber },
      s.op.analyst.token,
    );
    expect(r.errors?.[0]?.extensions?.code).toBeDefined();
    const still = await gq(
      s.t,
      'query($id: ID!) { report(id: $id) { tlp } }',
      { id: peerAmber },
      s.peer.analyst.token,
    );
    expect(still.report.tlp).toBe('AMBER');
  });

  it('lowering an unseen report answers like a missing one', async () => {
    const a = await s.t.gql<Json>(
      'mutation($id: ID!) { lowerReportMarking(id: $id, tlp: CLEAR, reason: "x") { id } }',
      { id: hidden },
      s.op.analyst.token,
    );
    const b = await s.t.gql<Json>(
      'mutation($id: ID!) { lowerReportMarking(id: $id, tlp: CLEAR, reason: "x") { id } }',
      { id: '00000000-0000-4000-8000-000000000000' },
      s.op.analyst.token,
    );
    const strip = (r: Json) => (r.errors ?? []).map((e: Json) => [e.message, e.extensions?.code]);
    expect(strip(a)).toEqual(strip(b));
  });
});

describe('contacts and assistance', () => {
  it('an AMBER contact entry for one organisation is not in an outsider directory', async () => {
    const set = await gq(
      s.t,
      'mutation($i: ContactInput!) { setContact(input: $i) { organisationId tlp } }',
      {
        i: {
          tlp: 'AMBER',
          audience: { organisationIds: [s.peer.org] },
          phone: '+81-3-0000-0000',
          email: 'cert@kanto.example',
        },
      },
      s.op.orgAdmin.token,
    );
    expect(set.setContact?.tlp).toBe('AMBER');
    const dir = await gq(
      s.t,
      '{ contactDirectory { organisationId phone email audience { organisationIds } } }',
      {},
      outsider.analyst.token,
    );
    if (process.env.DBG) console.log(JSON.stringify(dir));
    expect(JSON.stringify(dir)).not.toContain('kanto');
    const peerDir = await gq(
      s.t,
      '{ contactDirectory { organisationId audience { organisationIds } } }',
      {},
      s.peer.analyst.token,
    );
    const entry = (peerDir.contactDirectory ?? []).find((c: Json) => c.organisationId === s.op.org);
    expect(entry?.audience ?? null).toBeNull(); // the audience is shown to the owner only
  });

  it('an anonymous request names nobody to the peer asked, nor to an outsider', async () => {
    const pub = await publishReport(s.t, outsider.analyst.token, {
      title: 'Outsider green',
      tlp: 'GREEN',
      affectedSectors: ['gas'],
    });
    const req = await gq(
      s.t,
      'mutation($i: AssistanceRequestInput!) { requestAssistance(input: $i) { id } }',
      { i: { reportId: pub, body: 'please help', organisationIds: [s.peer.org], anonymous: true } },
      s.op.analyst.token,
    );
    const id = req.requestAssistance.id;
    const seen = await gq(
      s.t,
      `query($id: ID!) { assistanceRequest(id: $id) { requester { label } addressedOrganisationIds
         responses { author { label } } } assistanceRequests { id requester { label } } }`,
      { id },
      s.peer.analyst.token,
    );
    if (process.env.DBG) console.log(JSON.stringify(seen), JSON.stringify(req));
    expect(JSON.stringify(seen)).not.toMatch(/Kanto/);
    expect(seen.assistanceRequest.addressedOrganisationIds ?? null).toBeNull();
    const out = await s.t.gql<Json>(
      'query($id: ID!) { assistanceRequest(id: $id) { id } }',
      { id },
      outsider.analyst.token,
    );
    const miss = await s.t.gql<Json>(
      'query($id: ID!) { assistanceRequest(id: $id) { id } }',
      { id: '00000000-0000-4000-8000-000000000000' },
      outsider.analyst.token,
    );
    const strip = (r: Json) => (r.errors ?? []).map((e: Json) => [e.message, e.extensions?.code]);
    expect(strip(out)).toEqual(strip(miss));
    // An outsider cannot respond either.
    const resp = await s.t.gql<Json>(
      'mutation($id: ID!) { respondToAssistance(id: $id, body: "hi") { id } }',
      { id },
      outsider.analyst.token,
    );
    expect(strip(resp)).toEqual(
      strip(
        await s.t.gql<Json>(
          'mutation($id: ID!) { respondToAssistance(id: $id, body: "hi") { id } }',
          { id: '00000000-0000-4000-8000-000000000000' },
          outsider.analyst.token,
        ),
      ),
    );
  });
});

describe('statistics', () => {
  it('exercises never count, and no cell names a single anonymous author', async () => {
    const r = await gq(
      s.t,
      '{ statistics { suppressedBelow csv cells { quarter category sector count suppressed } } }',
      {},
      s.op.analyst.token,
    );
    expect(r.statistics).toBeDefined();
    if (process.env.DBG) console.log(JSON.stringify(r.statistics));
    // The only electric-power / abandoned-domain report is the drill: no counted cell for it.
    const drillCell = r.statistics.cells.find(
      (c: Json) => c.category === 'cyberattack.abandoned-domain' && c.sector === 'electric-power',
    );
    expect(drillCell?.count ?? 0).toBe(0);
    // Every non-suppressed cell counts at least ANONYMITY_K (all reports here are anonymous,
    // from two or three authors at most).
    const small = r.statistics.cells.filter((c: Json) => !c.suppressed && c.count > 0);
    expect(small).toEqual([]);
    expect(r.statistics.csv).not.toMatch(/DRILL/);
  });

  it('reportStatistics does not count exercises or single anonymous authors either', async () => {
    const r = await s.t.gql<Json>(
      '{ reportStatistics(period: QUARTER) { __typename } }',
      {},
      s.op.analyst.token,
    );
    if (r.errors) expect(errorShape(r.errors).every((e) => e.code)).toBe(true);
  });

  it('quarterlySummary is the coordinator only', async () => {
    const r = await s.t.gql<Json>(
      '{ quarterlySummary(quarter: "2026-Q4") { markdown } }',
      {},
      s.op.orgAdmin.token,
    );
    expect(r.errors?.[0]?.extensions?.code).toBeDefined();
    const bad = await s.t.gql<Json>(
      '{ statistics(from: "2026-Q9", to: "x\'") { csv } }',
      {},
      s.op.analyst.token,
    );
    if (bad.errors)
      expect(errorShape(bad.errors)).toEqual(
        bad.errors.map(() => ({ code: true, requestId: true, stack: 'none', internal: 'none' })),
      );
  });
});

describe('pickers', () => {
  it("users search never lists another organisation's people or addresses", async () => {
    const r = await s.t.gql<Json>(
      'query($o: ID) { users(first: 100, filter: { organisationId: $o }) { edges { node { email } } } }',
      { o: s.peer.org },
      s.op.analyst.token,
    );
    expect(JSON.stringify(r)).not.toContain('chubu');
    const u = await s.t.gql<Json>(
      'query { redRecipientOrganisations(emails: ["soc@chubu.example", "nobody@chubu.example"]) { __typename } }',
      {},
      s.op.analyst.token,
    );
    expect(u.errors ? errorShape(u.errors)[0].stack : 'none').toBe('none');
  });

  it('corporate groups search works without leaking internals on hostile input', async () => {
    for (const q of ['%', '_', '\\', "'", '%_%'.repeat(200)]) {
      const r = await s.t.gql<Json>(
        'query($q: String) { organisations(first: 100, filter: { nameContains: $q }) { totalCount } corporateGroups(filter: { nameContains: $q }) { totalCount } }',
        { q },
        s.op.analyst.token,
      );
      if (r.errors)
        expect([q, errorShape(r.errors)[0]]).toEqual([
          q,
          { code: true, requestId: true, stack: 'none', internal: 'none' },
        ]);
      // '%' and '_' are literal characters: no organisation name here contains them.
      if (q === '%' || q === '_') expect([q, r.data?.organisations?.totalCount]).toEqual([q, 0]);
    }
  });
});

describe('list import', () => {
  let list: string;
  beforeAll(async () => {
    list = await createList(s.t, s.op.analyst.token, 'attack list', {
      sectors: ['electric-power'],
    });
    await gq(s.t, ADD, { l: list, i: { text: '45.62.9.1\n45.62.9.2' } }, s.op.analyst.token);
  });

  it('hostile bodies never give a 500 or a stack trace', async () => {
    const bodies: [string, string][] = [
      [
        '{"type":"bundle","objects":[{"type":"indicator","pattern":"[ipv4-addr:value = \'1.2.3.4\']","pattern_type":"stix"',
        'application/json',
      ],
      [
        '{"type":"bundle","objects":' + '['.repeat(5000) + ']'.repeat(5000) + '}',
        'application/json',
      ],
      ['{"type":"bundle","objects":[{"type":"indicator","pattern":{"x":1}}]}', 'application/json'],
      ['{"type":"bundle","objects":[null, 1, "x"]}', 'application/json'],
      ['\u0000\u0001\u0002', 'text/plain'],
      ['a,b,c\n"unterminated', 'text/csv'],
      ['x'.repeat(2_000_000), 'text/plain'],
      ['45.62.9.3\n'.repeat(3) + '1.2.3.4/' + '9'.repeat(400), 'text/plain'],
      ['::ffff:0:0/0\n', 'text/plain'],
      ['45.62.9.4', 'application/xml'],
    ];
    for (const [body, type] of bodies) {
      const r = await postEntries(s.t, s.op.writer, list, body, type);
      if (process.env.DBG) console.log(type, body.slice(0, 30), r.status, r.text.slice(0, 300));
      expect([
        type,
        body.slice(0, 40),
        r.status < 500,
        /\bat \S+ \(|node_modules|\.ts:\d+|\.js:\d+|stacktrace|"stack"/i.test(r.text),
      ]).toEqual([type, body.slice(0, 40), true, false]);
    }
    // The hub still answers.
    expect((await pull(s.t, '/feeds/ipv4.txt', s.peer.feeds)).status).toBe(200);
  });

  it('0.0.0.0/0-like entries never reach a feed, and a failed import changes nothing', async () => {
    for (const text of [
      '0.0.0.0/0',
      '0.0.0.0/1\n128.0.0.0/1',
      '::/0',
      '0::0/0',
      '::ffff:0.0.0.0/96',
      '2000::/3',
      '0.0.0.0/0.0.0.0',
      '0/0',
    ]) {
      await gq(s.t, ADD, { l: list, i: { text: `45.62.9.9\n${text}` } }, s.op.analyst.token);
      await postEntries(
        s.t,
        s.op.writer,
        list,
        `45.62.9.9\n${text}`,
        'text/plain',
        '?partial=true&normalise=true',
      );
    }
    const feed = await pull(s.t, '/feeds/ip.txt', s.peer.feeds);
    const broad = feed.text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .filter((l) => {
        const m = /\/(\d+)$/.exec(l);
        return m && Number(m[1]) < (l.includes(':') ? 32 : 8);
      });
    expect(broad).toEqual([]);
  });

  it("a writer token cannot add to another organisation's list (REST and GraphQL)", async () => {
    const peerList = await createList(s.t, s.peer.analyst.token, 'peer list', {
      sectors: ['electric-power'],
    });
    const r = await postEntries(s.t, s.op.writer, peerList, '45.62.8.8', 'text/plain');
    const g = await s.t.gql<Json>(
      ADD,
      { l: peerList, i: { text: '45.62.8.9' } },
      s.op.analyst.token,
    );
    expect([r.status >= 400 && r.status < 500, !!g.errors]).toEqual([true, true]);
    const feed = await pull(s.t, `/feeds/ipv4.txt?list=${peerList}`, s.peer.feeds);
    expect(feed.text).not.toMatch(/45\.62\.8\.[89]/);
  });

  it('re-importing the same list does not change its entries or bump its feed', async () => {
    const a = await pull(s.t, '/feeds/ipv4.txt', s.peer.feeds);
    await postEntries(s.t, s.op.writer, list, '45.62.9.1\n45.62.9.2', 'text/plain');
    const b = await pull(s.t, '/feeds/ipv4.txt', s.peer.feeds);
    expect(b.text).toBe(a.text);
  });
});

describe('resolver errors', () => {
  it('every error has a code and a request id and no stack or internal names', async () => {
    const probes: [string, Record<string, unknown>][] = [
      ['query($id: ID!) { report(id: $id) { id } }', { id: 'not-a-uuid' }],
      ['query($id: ID!) { report(id: $id) { id } }', { id: "1' OR 1=1 --" }],
      ['query($id: ID!) { indicatorList(id: $id) { id } }', { id: '9'.repeat(40) }],
      ['query($id: ID!) { assistanceRequest(id: $id) { id } }', { id: '-1' }],
      ['query($id: ID!) { organisation(id: $id) { id } }', { id: '\u0000' }],
      ['mutation($id: ID!) { markReportRead(id: $id) }', { id: 'x'.repeat(10000) }],
      ['mutation($id: ID!) { pauseAlertRule(id: $id, paused: true) { id } }', { id: 'abc' }],
      [
        'mutation($id: ID!) { lowerReportMarking(id: $id, tlp: CLEAR, reason: "") { id } }',
        { id: 'abc' },
      ],
      ['{ myMailbox(first: -5) { id } }', {}],
      ['{ myAlertSends(first: 2147483647, ruleId: "zz") { id } }', {}],
      ['{ statistics(from: "2026-Q1", to: "1999-Q1") { csv } }', {}],
      ['{ reportStatistics(period: MONTH, from: "1900-01-01T00:00:00Z") { __typename } }', {}],
      [
        'mutation($i: AlertRuleInput!) { createAlertRule(input: $i) { id } }',
        {
          i: {
            topic: 'LISTS',
            delivery: 'IMMEDIATE',
            reportFilter: { categories: ['x'.repeat(100000)] },
          },
        },
      ],
      ['mutation($i: ContactInput!) { setContact(input: $i) { tlp } }', { i: { tlp: 'RED' } }],
      [
        'mutation($i: ListEntriesInput!) { addListEntries(listId: "zzz", input: $i) { applied } }',
        { i: { text: '1.1.1.1' } },
      ],
      ['{ report(id: 1) { nope } }', {}],
      ['{', {}],
    ];
    const leaks: Json[] = [];
    for (const [q, v] of probes) {
      const r = await s.t.gql<Json>(q, v, s.op.analyst.token);
      if (!r.errors) continue;
      const shapes = errorShape(r.errors);
      if (
        shapes.some((x) => !x.code || !x.requestId || x.stack !== 'none' || x.internal !== 'none')
      )
        leaks.push({
          q: q.slice(0, 60),
          errors: r.errors.map((e: Json) => ({
            m: String(e.message).slice(0, 120),
            ext: Object.keys(e.extensions ?? {}),
          })),
        });
    }
    expect(leaks).toEqual([]);
  });
});

describe('digests go out with what the reader may read when they go out', () => {
  it('a digest never carries a report whose audience was narrowed away, nor a removed drill', async () => {
    const rule = await gq(
      s.t,
      'mutation($i: AlertRuleInput!) { createAlertRule(input: $i) { id } }',
      { i: { topic: 'REPORTS', delivery: 'DAILY' } },
      s.op.orgAdmin.token,
    );
    expect(rule.createAlertRule?.id).toBeDefined();
    const narrowed = await publishReport(s.t, s.peer.analyst.token, {
      title: 'NARROWED-AWAY report',
      summary: 'narrowed',
      tlp: 'AMBER',
      audience: { organisationIds: [s.op.org, outsider.org] },
      affectedSectors: ['electric-power'],
    });
    const upd = await gq(
      s.t,
      'mutation($id: ID!, $i: ReportInput!) { updateReport(id: $id, input: $i) { id tlp audience { organisationIds } } }',
      { id: narrowed, i: { audience: { organisationIds: [outsider.org] } } },
      s.peer.analyst.token,
    );
    if (process.env.DBG) console.log(JSON.stringify(upd));
    await publishReport(s.t, s.peer.analyst.token, {
      title: 'REMOVED-DRILL report',
      tlp: 'GREEN',
      exercise: 'Gone drill',
      affectedSectors: ['electric-power'],
    });
    await publishReport(s.t, s.peer.analyst.token, {
      title: 'KEPT report',
      tlp: 'GREEN',
      affectedSectors: ['electric-power'],
    });
    const removed = await gq(
      s.t,
      'mutation { removeExercise(name: "Gone drill") }',
      {},
      s.peer.orgAdmin.token,
    );
    if (process.env.DBG) console.log(JSON.stringify(removed));
    // The op cannot read the narrowed report any more.
    const gone = await s.t.gql<Json>(
      'query($id: ID!) { report(id: $id) { id } }',
      { id: narrowed },
      s.op.orgAdmin.token,
    );
    expect(gone.errors).toBeDefined();
    const box = await until(async () => {
      const sent = await gq(s.t, 'mutation { sendMyDigestsNow }', {}, s.op.orgAdmin.token);
      const r = await gq(
        s.t,
        '{ myMailbox(first: 100) { subject body } myAlertSends { period status events lastError } }',
        {},
        s.op.orgAdmin.token,
      );
      if (process.env.DBG) console.log(JSON.stringify(sent), JSON.stringify(r).slice(0, 1500));
      const m: Json[] = r.myMailbox ?? [];
      return m.some((x) => /KEPT report/.test(x.subject + x.body)) ? m : undefined;
    });
    if (process.env.DBG) console.log(JSON.stringify(box, null, 1));
    expect(box).toBeDefined();
    const all = JSON.stringify(box);
    expect([
      all.includes('NARROWED-AWAY'),
      all.includes('narrowed'),
      all.includes('REMOVED-DRILL'),
    ]).toEqual([false, false, false]);
  });

  it("another user's mail is not in a mailbox without rules", async () => {
    const r = await gq(s.t, '{ myMailbox(first: 100) { subject } }', {}, s.peer.orgAdmin.token);
    expect(r.myMailbox).toEqual([]);
  });

  it('a RED alert carries no content', async () => {
    const rule = await gq(
      s.t,
      'mutation($i: AlertRuleInput!) { createAlertRule(input: $i) { id } }',
      { i: { topic: 'REPORTS', delivery: 'IMMEDIATE', reportFilter: { markings: ['RED'] } } },
      s.peer.orgAdmin.token,
    );
    expect(rule.createAlertRule?.id).toBeDefined();
    const red = await s.t.gql<Json>(
      'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
      {
        i: {
          kind: 'INCIDENT',
          title: 'REDTITLE x',
          summary: 'REDBODY y',
          tlp: 'RED',
          audience: { redRecipientEmails: ['admin@chubu.example'] },
        },
      },
      s.op.analyst.token,
    );
    if (red.errors) {
      if (process.env.DBG) console.log(JSON.stringify(red.errors));
      return;
    }
    const id = red.data.createReport.id;
    const pv = await gq(
      s.t,
      'mutation($id: ID!) { previewReportRedactions(id: $id) { previewHash } }',
      { id },
      s.op.analyst.token,
    );
    const pb = await gq(
      s.t,
      'mutation($id: ID!, $h: String!) { publishReport(id: $id, previewHash: $h) { id } }',
      { id, h: pv.previewReportRedactions.previewHash },
      s.op.analyst.token,
    );
    if (process.env.DBG) console.log(JSON.stringify(pb));
    const box = await until(async () => {
      const r = await gq(
        s.t,
        '{ myMailbox(first: 100) { subject body } }',
        {},
        s.peer.orgAdmin.token,
      );
      const m: Json[] = r.myMailbox ?? [];
      return m.some((x) => /TLP:RED/.test(x.subject + x.body)) ? m : undefined;
    }, 8000);
    if (process.env.DBG) console.log(JSON.stringify(box));
    expect(JSON.stringify(box ?? [])).not.toMatch(/REDTITLE|REDBODY/);
  });
});

describe('statistics through the older counts and the audit trail', () => {
  it('reportStatistics never counts an exercise', async () => {
    expect(
      (
        await gq(
          s.t,
          'query($id: ID!) { report(id: $id) { id } }',
          { id: drill },
          s.op.analyst.token,
        )
      ).report?.id,
    ).toBe(drill);
    const r = await gq(
      s.t,
      '{ reportStatistics(period: QUARTER) { period kind category sector count } }',
      {},
      s.op.analyst.token,
    );
    if (process.env.DBG) console.log(JSON.stringify(r));
    const drillCells = (r.reportStatistics ?? []).filter(
      (c: Json) => c.category === 'cyberattack.abandoned-domain' && c.sector === 'electric-power',
    );
    expect(drillCells).toEqual([]);
  });

  it("the asked organisation's audit trail does not name an anonymous requester", async () => {
    const pub = await publishReport(s.t, s.peer.analyst.token, {
      title: 'Peer green for help',
      tlp: 'GREEN',
      affectedSectors: ['electric-power'],
    });
    const req = await gq(
      s.t,
      'mutation($i: AssistanceRequestInput!) { requestAssistance(input: $i) { id } }',
      {
        i: {
          reportId: pub,
          body: 'help on yours',
          organisationIds: [outsider.org],
          anonymous: true,
        },
      },
      s.op.analyst.token,
    );
    expect(req.requestAssistance?.id).toBeDefined();
    await gq(
      s.t,
      'mutation($id: ID!) { respondToAssistance(id: $id, body: "on it") { id } }',
      { id: req.requestAssistance.id },
      outsider.analyst.token,
    );
    const trail = await gq(
      s.t,
      '{ auditLog(first: 100) { edges { node { action actorOrganisationId actorUserId organisationId detailsJson } } } }',
      {},
      outsider.orgAdmin.token,
    );
    const peerTrail = await gq(
      s.t,
      '{ auditLog(first: 100) { edges { node { action actorOrganisationId actorUserId organisationId detailsJson } } } }',
      {},
      s.peer.orgAdmin.token,
    );
    if (process.env.DBG)
      console.log(JSON.stringify(trail).slice(0, 3000), JSON.stringify(peerTrail).slice(0, 3000));
    const text = JSON.stringify(trail) + JSON.stringify(peerTrail);
    expect([text.includes(s.op.org), /kanto/i.test(text)]).toEqual([false, false]);
  });

  it('REST import errors on a bad list id are 4xx without internals', async () => {
    for (const id of ['not-a-uuid', "1'--", '00000000-0000-4000-8000-000000000000', '%00']) {
      const r = await postEntries(s.t, s.op.writer, id, '45.62.9.1', 'text/plain');
      expect([
        id,
        r.status >= 400 && r.status < 500,
        /relation|column|violat|\bat \S+ \(|node_modules/i.test(r.text),
      ]).toEqual([id, true, false]);
    }
  });
});

describe('second round', () => {
  it('unreadReportCount drops a report narrowed away from the reader', async () => {
    const count = async () =>
      (await gq(s.t, '{ unreadReportCount }', {}, s.op.analyst.token)).unreadReportCount;
    await gq(s.t, 'mutation { markAllReportsRead }', {}, s.op.analyst.token);
    const base = await count();
    const id = await publishReport(s.t, s.peer.analyst.token, {
      title: 'Unread narrowed',
      tlp: 'AMBER',
      audience: { organisationIds: [s.op.org, outsider.org] },
    });
    expect(await count()).toBe(base + 1);
    await gq(
      s.t,
      'mutation($id: ID!, $i: ReportInput!) { updateReport(id: $id, input: $i) { id } }',
      { id, i: { audience: { organisationIds: [outsider.org] } } },
      s.peer.analyst.token,
    );
    const listed = await gq(
      s.t,
      '{ reports(first: 100) { edges { node { id unread } } } }',
      {},
      s.op.analyst.token,
    );
    const unreadListed = listed.reports.edges.filter((e: Json) => e.node.unread).length;
    const direct = await s.t.gql<Json>(
      'mutation($id: ID!) { markReportRead(id: $id) }',
      { id },
      s.op.analyst.token,
    );
    expect([await count(), unreadListed, direct.errors?.[0]?.extensions?.code]).toEqual([
      base,
      base,
      'NOT_FOUND',
    ]);
    const marked = await gq(s.t, 'mutation { markAllReportsRead }', {}, s.op.analyst.token);
    expect(marked.markAllReportsRead).toBe(base);
  });

  it('an assistance request never shows a report id to an organisation that cannot read the report', async () => {
    // peerAmber is shown to the operator only; the operator asks the outsider about it.
    const req = await s.t.gql<Json>(
      'mutation($i: AssistanceRequestInput!) { requestAssistance(input: $i) { id } }',
      {
        i: {
          reportId: peerAmber,
          body: 'what do you make of this',
          organisationIds: [outsider.org],
        },
      },
      s.op.analyst.token,
    );
    if (process.env.DBG) console.log(JSON.stringify(req));
    const seen = await gq(
      s.t,
      '{ assistanceRequests { id reportId body } }',
      {},
      outsider.analyst.token,
    );
    if (process.env.DBG) console.log(JSON.stringify(seen));
    expect(JSON.stringify(seen)).not.toContain(peerAmber);
  });

  it('the leaked report id opens nothing for the asked organisation', async () => {
    const strip = (r: Json) => (r.errors ?? []).map((e: Json) => e.extensions?.code);
    for (const q of [
      'mutation($r: ID!) { addReportComment(reportId: $r, body: "x") { id } }',
      'mutation($r: ID!) { addReportSighting(reportId: $r) { __typename } }',
      'mutation($r: ID!) { requestAssistance(input: { reportId: $r, body: "x" }) { id } }',
      'query($r: ID!) { report(id: $r) { title } }',
    ]) {
      const r = await s.t.gql<Json>(q, { r: peerAmber }, outsider.analyst.token);
      expect([q.slice(0, 40), strip(r)]).toEqual([q.slice(0, 40), ['NOT_FOUND']]);
    }
  });

  it('a LISTS alert never mails a list the reader cannot see, nor AMBER+STRICT values', async () => {
    const rule = await gq(
      s.t,
      'mutation($i: AlertRuleInput!) { createAlertRule(input: $i) { id } }',
      { i: { topic: 'LISTS', delivery: 'IMMEDIATE' } },
      outsider.analyst.token,
    );
    expect(rule.createAlertRule?.id).toBeDefined();
    const hiddenList = await createList(s.t, s.peer.analyst.token, 'HIDDEN-LIST', {
      tlp: 'AMBER',
      audience: { organisationIds: [s.op.org] },
    });
    await gq(s.t, ADD, { l: hiddenList, i: { text: '45.63.1.1' } }, s.peer.analyst.token);
    const strictList = await createList(s.t, s.peer.analyst.token, 'STRICT-LIST-NAME', {
      tlp: 'AMBER_STRICT',
      audience: { organisationIds: [outsider.org] },
    });
    await gq(s.t, ADD, { l: strictList, i: { text: '45.63.2.2' } }, s.peer.analyst.token);
    const openList = await createList(s.t, s.peer.analyst.token, 'OPEN-LIST', { tlp: 'GREEN' });
    await gq(s.t, ADD, { l: openList, i: { text: '45.63.3.3' } }, s.peer.analyst.token);
    const box = await until(async () => {
      const r = await gq(
        s.t,
        '{ myMailbox(first: 100) { subject body } }',
        {},
        outsider.analyst.token,
      );
      const m: Json[] = r.myMailbox ?? [];
      return m.some((x) => /OPEN-LIST|45\.63\.3\.3/.test(x.subject + x.body)) ? m : undefined;
    }, 10_000);
    if (process.env.DBG) console.log(JSON.stringify(box));
    const all = JSON.stringify(box ?? []);
    expect([
      all.includes('HIDDEN-LIST'),
      all.includes('45.63.1.1'),
      all.includes('45.63.2.2'),
      all.includes('STRICT-LIST-NAME'),
    ]).toEqual([false, false, false, false]);
  });

  it('a failed all-or-nothing import changes nothing, through REST and GraphQL', async () => {
    const l = await createList(s.t, s.op.analyst.token, 'atomic list', {
      sectors: ['electric-power'],
    });
    await gq(s.t, ADD, { l, i: { text: '45.64.0.1' } }, s.op.analyst.token);
    const before = await pull(s.t, `/feeds/ipv4.txt?list=${l}`, s.op.feeds);
    const r1 = await postEntries(s.t, s.op.writer, l, '45.64.0.2\nnot-an-address', 'text/plain');
    const r2 = await gq(s.t, ADD, { l, i: { text: '45.64.0.3\n999.1.1.1' } }, s.op.analyst.token);
    const r3 = await s.t.gql<Json>(
      'mutation($l: ID!, $v: [String!]!) { removeListEntries(listId: $l, values: $v) { __typename } }',
      { l, v: ['45.64.0.1', '../../etc'] },
      s.op.analyst.token,
    );
    if (process.env.DBG)
      console.log(r1.status, JSON.stringify(r2).slice(0, 300), JSON.stringify(r3).slice(0, 300));
    const after = await pull(s.t, `/feeds/ipv4.txt?list=${l}`, s.op.feeds);
    const lines = (x: string) => x.split('\n').filter((y) => y && !y.startsWith('#'));
    expect(lines(after.text)).toEqual(lines(before.text));
  });

  it('hostile REST query parameters are refused with 4xx, not applied or 500', async () => {
    const l = await createList(s.t, s.op.analyst.token, 'param list', {
      sectors: ['electric-power'],
    });
    for (const q of [
      '?confidence=abc',
      '?confidence=1000',
      '?confidence=-5',
      '?seenAt=garbage',
      '?partial=maybe',
      '?confidence=1e400',
      '?reportId=zzz',
    ]) {
      const r = await postEntries(s.t, s.op.writer, l, '45.64.1.1', 'text/plain', q);
      expect([q, r.status >= 400 && r.status < 500]).toEqual([q, true]);
    }
  });

  it('a huge GraphQL import is refused with a code, not a 500', async () => {
    const l = await createList(s.t, s.op.analyst.token, 'huge list', {
      sectors: ['electric-power'],
    });
    const text = Array.from(
      { length: 200_000 },
      (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    ).join('\n');
    const res = await fetch(`${s.t.url}/graphql`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${s.op.analyst.token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ query: ADD, variables: { l, i: { text, partial: true } } }),
    });
    const body = await res.text();
    if (process.env.DBG) console.log(res.status, body.slice(0, 400));
    expect(res.status).toBeLessThan(500);
    expect(body).not.toMatch(/\bat \S+ \(|node_modules|stacktrace/);
    expect((await fetch(`${s.t.url}/readyz`)).status).toBe(200);
  });
});

describe('third round: comments and asking on anonymous reports', () => {
  it("a comment alert never names the anonymous report's author organisation", async () => {
    const c = await gq(
      s.t,
      'mutation($r: ID!) { addReportComment(reportId: $r, body: "COMMENT-BY-AUTHOR") { author { label } } }',
      { r: peerAmber },
      s.peer.analyst.token,
    );
    if (process.env.DBG) console.log(JSON.stringify(c));
    const box = await until(async () => {
      const r = await gq(s.t, '{ myMailbox(first: 100) { subject body } }', {}, s.op.analyst.token);
      const m: Json[] = r.myMailbox ?? [];
      return m.some((x) => /COMMENT-BY-AUTHOR/.test(x.subject + x.body)) ? m : undefined;
    }, 8000);
    if (process.env.DBG)
      console.log(JSON.stringify(box?.filter((x: Json) => /COMMENT/.test(x.body))));
    const seen = await gq(
      s.t,
      'query($r: ID!) { report(id: $r) { comments { author { label } body } } }',
      { r: peerAmber },
      s.op.analyst.token,
    );
    if (process.env.DBG) console.log(JSON.stringify(seen));
    expect(JSON.stringify(box ?? []) + JSON.stringify(seen)).not.toMatch(/Chubu/i);
  });

  it('the author cannot ask by name on its own anonymous report, and responders stay unnamed to other peers', async () => {
    const named = await s.t.gql<Json>(
      'mutation($i: AssistanceRequestInput!) { requestAssistance(input: $i) { id requester { label } } }',
      {
        i: {
          reportId: peerAmber,
          body: 'named ask',
          anonymous: false,
          organisationIds: [s.op.org],
        },
      },
      s.peer.analyst.token,
    );
    expect(named.errors?.[0]?.extensions?.code).toBeDefined();
    const green = await publishReport(s.t, s.op.analyst.token, {
      title: 'Op green for asks',
      tlp: 'GREEN',
    });
    const req = await gq(
      s.t,
      'mutation($i: AssistanceRequestInput!) { requestAssistance(input: $i) { id } }',
      { i: { reportId: green, body: 'ask two', organisationIds: [s.peer.org, outsider.org] } },
      s.op.analyst.token,
    );
    const id = req.requestAssistance.id;
    await gq(
      s.t,
      'mutation($id: ID!) { respondToAssistance(id: $id, body: "PEER-ANSWER") { id } }',
      { id },
      s.peer.analyst.token,
    );
    const other = await gq(
      s.t,
      'query($id: ID!) { assistanceRequest(id: $id) { responses { author { label } body } } }',
      { id },
      outsider.analyst.token,
    );
    if (process.env.DBG) console.log(JSON.stringify(other));
    expect(JSON.stringify(other)).not.toMatch(/Chubu/i);
  });
});

describe('fourth round: drafts, closing, pickers', () => {
  it("drafts never count as unread and another organisation's draft answers like a missing report", async () => {
    const count = async () =>
      (await gq(s.t, '{ unreadReportCount }', {}, s.op.analyst.token)).unreadReportCount;
    const base = await count();
    const mine = await gq(
      s.t,
      'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
      { i: { kind: 'INCIDENT', title: 'colleague draft', tlp: 'GREEN' } },
      s.op.orgAdmin.token,
    );
    const theirs = await gq(
      s.t,
      'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
      { i: { kind: 'INCIDENT', title: 'peer draft', tlp: 'GREEN' } },
      s.peer.analyst.token,
    );
    expect(await count()).toBe(base);
    const strip = (r: Json) => (r.errors ?? []).map((e: Json) => [e.message, e.extensions?.code]);
    const a = await s.t.gql<Json>(
      'mutation($id: ID!) { markReportRead(id: $id) }',
      { id: theirs.createReport.id },
      s.op.analyst.token,
    );
    const b = await s.t.gql<Json>(
      'mutation($id: ID!) { markReportRead(id: $id) }',
      { id: '00000000-0000-4000-8000-000000000001' },
      s.op.analyst.token,
    );
    expect(strip(a)).toEqual(strip(b));
    expect(mine.createReport?.id).toBeDefined();
  });

  it('only the requester closes a request, and a closed one takes no answers', async () => {
    const green = await publishReport(s.t, s.op.analyst.token, {
      title: 'Op green to close',
      tlp: 'GREEN',
    });
    const req = await gq(
      s.t,
      'mutation($i: AssistanceRequestInput!) { requestAssistance(input: $i) { id } }',
      { i: { reportId: green, body: 'close me', organisationIds: [s.peer.org] } },
      s.op.analyst.token,
    );
    const id = req.requestAssistance.id;
    const byPeer = await s.t.gql<Json>(
      'mutation($id: ID!) { closeAssistanceRequest(id: $id) { status } }',
      { id },
      s.peer.orgAdmin.token,
    );
    expect(byPeer.errors?.[0]?.extensions?.code).toBeDefined();
    await gq(
      s.t,
      'mutation($id: ID!) { closeAssistanceRequest(id: $id) { status } }',
      { id },
      s.op.analyst.token,
    );
    const late = await s.t.gql<Json>(
      'mutation($id: ID!) { respondToAssistance(id: $id, body: "late") { id } }',
      { id },
      s.peer.analyst.token,
    );
    expect(late.errors?.[0]?.extensions?.code).toBeDefined();
  });

  it('picker filters with hostile sizes are refused with a code', async () => {
    const ids = Array.from(
      { length: 101 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const leaks: Json[] = [];
    for (const [q, v] of [
      ['query($v: [ID!]) { organisations(filter: { ids: $v }) { totalCount } }', { v: ids }],
      ['query($v: [ID!]) { corporateGroups(filter: { ids: $v }) { totalCount } }', { v: ids }],
      [
        'query($v: [ID!]) { organisations(filter: { ids: $v }) { totalCount } }',
        { v: ['not-a-uuid'] },
      ],
      [
        'query($v: String) { organisations(filter: { nameContains: $v }) { totalCount } }',
        { v: 'x'.repeat(100_000) },
      ],
      [
        'query($e: [String!]!) { redRecipientOrganisations(emails: $e) { __typename } }',
        { e: Array.from({ length: 51 }, (_, i) => `a${i}@x.example`) },
      ],
      [
        'query($e: [String!]!) { redRecipientOrganisations(emails: $e) { __typename } }',
        { e: ['\u0000@x', "'--@x"] },
      ],
    ] as [string, Record<string, unknown>][]) {
      const r = await s.t.gql<Json>(q, v, s.op.analyst.token);
      if (
        r.errors &&
        errorShape(r.errors).some(
          (x) => !x.code || !x.requestId || x.stack !== 'none' || x.internal !== 'none',
        )
      )
        leaks.push({ q: q.slice(0, 50), e: r.errors });
      if (q.includes('ids: $v') && (v.v as string[]).length > 100) {
        if (!r.errors) leaks.push({ q: '101 ids accepted', d: r.data });
      }
    }
    expect(leaks).toEqual([]);
  });
});

describe('anonymity of a requester through the report it asks about', () => {
  it("an anonymous request on a report only the requester's organisation may read does not reach its author as anonymous", async () => {
    // peerAmber: the peer's AMBER report shown to the operator's organisation alone. An
    // "anonymous" request about it, asked of the author, names the only possible requester.
    const req = await s.t.gql<Json>(
      'mutation($i: AssistanceRequestInput!) { requestAssistance(input: $i) { id } }',
      {
        i: {
          reportId: peerAmber,
          body: 'ANON-ASK who else saw this',
          anonymous: true,
          organisationIds: [s.peer.org],
        },
      },
      s.op.analyst.token,
    );
    if (req.errors) {
      // Refusing it (or asking the person to ask by name) is safe.
      expect(req.errors[0].extensions?.code).toBeDefined();
      return;
    }
    const peerView = await gq(
      s.t,
      '{ assistanceRequests { id reportId body requester { label } } }',
      {},
      s.peer.analyst.token,
    );
    const mine = (peerView.assistanceRequests ?? []).find((r: Json) => r.body.includes('ANON-ASK'));
    if (process.env.DBG) console.log(JSON.stringify(mine));
    // Safe: the asked author cannot tie the request to a report read by fewer than ANONYMITY_K
    // organisations besides itself (here: one).
    expect(mine?.reportId ?? null).not.toBe(peerAmber);
  });
});

describe('anonymity of a commenter or sighter through a narrow audience', () => {
  it('a pseudonymous comment or sighting on a report only one organisation reads is not presented as anonymous to its author', async () => {
    await gq(
      s.t,
      'mutation($r: ID!) { addReportComment(reportId: $r, body: "OP-COMMENT") { id } }',
      { r: peerAmber },
      s.op.analyst.token,
    );
    await gq(
      s.t,
      'mutation($r: ID!) { addReportSighting(reportId: $r, note: "OP-SIGHTING") { __typename } }',
      { r: peerAmber },
      s.op.analyst.token,
    );
    const v = await gq(
      s.t,
      'query($r: ID!) { report(id: $r) { comments { body author { label } } sightings { note author { label } } } }',
      { r: peerAmber },
      s.peer.analyst.token,
    );
    if (process.env.DBG) console.log(JSON.stringify(v));
    const c = (v.report?.comments ?? []).find((x: Json) => x.body === 'OP-COMMENT');
    const g = (v.report?.sightings ?? []).find((x: Json) => x.note === 'OP-SIGHTING');
    // Only Kanto (and the coordinator) may read the report: fewer than ANONYMITY_K organisations
    // besides the reader. Either the label names Kanto openly (no false promise of anonymity), or
    // it says it is not anonymous, as the ReportAuthor contract does for too few members.
    const honest = (label?: string) => label === undefined || /Kanto|not anonymous/.test(label);
    expect([
      c?.author?.label,
      honest(c?.author?.label),
      g?.author?.label,
      honest(g?.author?.label),
    ]).toEqual([c?.author?.label, true, g?.author?.label, true]);
  });
});
