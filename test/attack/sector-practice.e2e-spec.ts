import { createOrg, member, Member, publishReport } from '../support/community';
import { apiToken, gq, Json, Scene, scene } from './support';

/*
 * Attacks on the sector-practice additions (ADR 0022): statistics and their small-cell rule,
 * requests for assistance, the contact directory. The peer is the hostile member reading what
 * the operator (anonymous by default) shared. A test that FAILS is a finding: it states the
 * secure behaviour.
 */

jest.setTimeout(300_000);

let s: Scene;
let outsider: Member; // an organisation in another sector, addressed by nothing
let anonymousReport: string;

const CATEGORY = 'cyberattack.phishing';

beforeAll(async () => {
  s = await scene();
  const water = await createOrg(s.t, s.admin, { name: 'Tone Water', sectorCode: 'water' });
  outsider = await member(s.t, s.admin, water, 'soc@tone.example');
  anonymousReport = await publishReport(s.t, s.op.analyst.token, {
    tlp: 'GREEN',
    title: 'Ransomware on a substation historian',
    categories: [CATEGORY],
    affectedSectors: ['electric-power'],
  });
});
afterAll(async () => {
  await s?.t.stop();
});

describe('statistics and their small-cell rule', () => {
  it('statistics suppress the cell of one anonymous author (the control)', async () => {
    const r = await gq(
      s.t,
      '{ statistics { cells { category sector count suppressed } } }',
      {},
      s.peer.analyst.token,
    );
    const cells = r.statistics.cells.filter((c: Json) => c.category === CATEGORY);
    expect(cells).toEqual([
      { category: CATEGORY, sector: 'electric-power', count: null, suppressed: true },
    ]);
  });

  it('reportStatistics gives no count for a cell statistics suppress', async () => {
    for (const token of [
      s.peer.analyst.token,
      await apiToken(s.t, s.peer.orgAdmin.token, ['reports:read']),
    ]) {
      for (const period of ['QUARTER', 'MONTH']) {
        const r = await gq(
          s.t,
          `{ reportStatistics(period: ${period}) { period kind category sector count } }`,
          {},
          token,
        );
        const cells = (r.reportStatistics ?? []).filter((c: Json) => c.category === CATEGORY);
        // One anonymous author behind the cell: a count here is the cell statistics withhold.
        expect(cells).toEqual([]);
      }
    }
  });
});

/*
 * The quarterly summary goes to every member, so each contributor reads it too: a cell of three
 * anonymous authors tells each of them the count of the two others, which is what the per-reader
 * table suppresses for that same member.
 */
describe('the circulated quarterly summary', () => {
  const DOS = 'cyberattack.dos';
  let third: Member;

  beforeAll(async () => {
    const org = await createOrg(s.t, s.admin, {
      name: 'Hokuriku Power',
      sectorCode: 'electric-power',
    });
    third = await member(s.t, s.admin, org, 'soc@hokuriku.example');
    for (const who of [s.op.analyst, s.peer.analyst, third]) {
      await publishReport(s.t, who.token, {
        tlp: 'GREEN',
        title: `Flood on the market gateway`,
        categories: [DOS],
        affectedSectors: ['electric-power'],
      });
    }
  });

  it("suppresses a cell for a contributor in the summary as the contributor's own table does", async () => {
    const jst = new Date(Date.now() + 9 * 3_600_000);
    const quarter = `${jst.getUTCFullYear()}-Q${Math.floor(jst.getUTCMonth() / 3) + 1}`;
    const own = await gq(
      s.t,
      '{ statistics { cells { category sector count suppressed } } }',
      {},
      s.op.analyst.token,
    );
    // The control: two other anonymous authors, below ANONYMITY_K = 3, so the member's table hides it.
    expect(own.statistics.cells.filter((c: Json) => c.category === DOS)).toEqual([
      { category: DOS, sector: 'electric-power', count: null, suppressed: true },
    ]);
    const summary = await gq(
      s.t,
      'query($q: String!) { quarterlySummary(quarter: $q) { counts { category sector count suppressed } markdown } }',
      { q: quarter },
      s.admin,
    );
    expect(summary.errors).toBeUndefined();
    const cells = summary.quarterlySummary.counts.filter((c: Json) => c.category === DOS);
    expect(cells).toEqual([
      { category: DOS, sector: 'electric-power', count: null, suppressed: true },
    ]);
    expect(summary.quarterlySummary.markdown).not.toContain(`| ${DOS} | electric-power | 3 |`);
  });
});

describe('a retracted report in the quarterly summary', () => {
  it('its lessons are not circulated as current, or say it was retracted', async () => {
    const id = await publishReport(s.t, s.op.analyst.token, {
      tlp: 'GREEN',
      title: 'Wrong attribution of a gateway flood',
      lessonsLearned: 'RETRACTED-LESSON block the whole upstream range',
    });
    const retracted = await gq(
      s.t,
      'mutation($id: ID!) { retractReport(id: $id, reason: "wrong") { status } }',
      { id },
      s.op.analyst.token,
    );
    expect(retracted.errors).toBeUndefined();
    const jst = new Date(Date.now() + 9 * 3_600_000);
    const quarter = `${jst.getUTCFullYear()}-Q${Math.floor(jst.getUTCMonth() / 3) + 1}`;
    const summary = await gq(
      s.t,
      'query($q: String!) { quarterlySummary(quarter: $q) { markdown } }',
      { q: quarter },
      s.admin,
    );
    const md: string = summary.quarterlySummary.markdown;
    const section = md.split('### ').find((x) => x.includes('RETRACTED-LESSON'));
    // Absent, or marked: a member acting on a withdrawn lesson blocks a whole upstream range.
    if (section) expect(section).toMatch(/retracted|撤回/i);
  });
});

describe('member text in the quarterly summary Markdown', () => {
  it('cannot become a link: bare addresses are autolinked by GFM renderers', async () => {
    await publishReport(s.t, s.peer.analyst.token, {
      tlp: 'GREEN',
      title: 'Portal notice https://evil.example/reset',
      lessonsLearned: 'Reset passwords at https://evil.example/reset or www.evil.example now',
    });
    const jst = new Date(Date.now() + 9 * 3_600_000);
    const quarter = `${jst.getUTCFullYear()}-Q${Math.floor(jst.getUTCMonth() / 3) + 1}`;
    const summary = await gq(
      s.t,
      'query($q: String!) { quarterlySummary(quarter: $q) { markdown } }',
      { q: quarter },
      s.admin,
    );
    const md: string = summary.quarterlySummary.markdown;
    // The control: the lesson is circulated (the scrubber may have taken the host out).
    expect(md).toContain('Reset passwords at');
    // The summary's own rule (statistics-format.ts): member text never turns into links.
    expect(md).not.toMatch(/https?:\/\/[\w.-]+|(^|\s)www\.[\w-]+\.[\w]/m);
  });
});

describe('requests for assistance', () => {
  const READ = `query { assistanceRequests { id reportId body addressedOrganisationIds
    requester { label organisationId own } responses { author { label organisationId } body } } }`;

  it('a named request on its own anonymous report does not name the report to a peer', async () => {
    const made = await gq(
      s.t,
      `mutation($i: AssistanceRequestInput!) { requestAssistance(input: $i) { id } }`,
      {
        i: {
          reportId: anonymousReport,
          body: 'Need a second pair of eyes on the historian',
          organisationIds: [s.peer.org],
          anonymous: false,
        },
      },
      s.op.analyst.token,
    );
    // Refusing the request is safe too; answering it must not pair the report with its author.
    if (made.errors) return;
    const report = await gq(
      s.t,
      'query($id: ID!) { report(id: $id) { author { organisationId } } }',
      { id: anonymousReport },
      s.peer.analyst.token,
    );
    expect(report.report.author.organisationId).toBeNull();
    const seen = await gq(s.t, READ, {}, s.peer.analyst.token);
    const naming = seen.assistanceRequests.filter(
      (a: Json) => a.reportId === anonymousReport && a.requester.organisationId === s.op.org,
    );
    expect(naming).toEqual([]);
  });

  it('an anonymous request stays anonymous to the peer it asks, and the addressees are hidden', async () => {
    const made = await gq(
      s.t,
      `mutation($i: AssistanceRequestInput!) { requestAssistance(input: $i) { id } }`,
      { i: { reportId: anonymousReport, body: 'ANON-ASK help', organisationIds: [s.peer.org] } },
      s.op.analyst.token,
    );
    const id = made.requestAssistance.id;
    const r = await gq(
      s.t,
      `query($id: ID!) { assistanceRequest(id: $id) { requester { organisationId own } addressedOrganisationIds } }`,
      { id },
      s.peer.analyst.token,
    );
    expect(r.assistanceRequest).toEqual({
      requester: { organisationId: null, own: false },
      addressedOrganisationIds: null,
    });
  });

  it('an organisation not asked neither lists, reads nor answers a request', async () => {
    const made = await gq(
      s.t,
      `mutation($i: AssistanceRequestInput!) { requestAssistance(input: $i) { id } }`,
      { i: { reportId: anonymousReport, body: 'PRIVATE-ASK help', organisationIds: [s.peer.org] } },
      s.op.analyst.token,
    );
    const id = made.requestAssistance.id;
    const list = await gq(s.t, READ, {}, outsider.token);
    expect(JSON.stringify(list)).not.toContain('PRIVATE-ASK');
    const one = await gq(
      s.t,
      'query($id: ID!) { assistanceRequest(id: $id) { body } }',
      { id },
      outsider.token,
    );
    expect(one.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const answer = await gq(
      s.t,
      'mutation($id: ID!) { respondToAssistance(id: $id, body: "x") { id } }',
      { id },
      outsider.token,
    );
    expect(answer.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const close = await gq(
      s.t,
      'mutation($id: ID!) { closeAssistanceRequest(id: $id) { id } }',
      { id },
      s.peer.analyst.token,
    );
    expect(close.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the contact directory', () => {
  it('an AMBER entry for one organisation reaches no other, under aliases or not', async () => {
    const set = await gq(
      s.t,
      `mutation($i: ContactInput!) { setContact(input: $i) { tlp } }`,
      {
        i: {
          tlp: 'AMBER',
          audience: { organisationIds: [outsider.orgId] },
          phone: '+81-3-0000-SECRET',
          email: 'oncall@kanto.example',
        },
      },
      s.op.orgAdmin.token,
    );
    expect(set.errors).toBeUndefined();
    const q = `{ a: contactDirectory { organisationId phone } b: contactDirectory { organisationName email audience { organisationIds } } }`;
    const peer = await gq(s.t, q, {}, s.peer.analyst.token);
    expect(peer.errors).toBeUndefined();
    expect(JSON.stringify(peer)).not.toContain('SECRET');
    expect(JSON.stringify(peer)).not.toContain('oncall@kanto');
    const allowed = await gq(s.t, q, {}, outsider.token);
    expect(JSON.stringify(allowed)).toContain('SECRET');
    // The audience is the owner's to know.
    expect(allowed.b.find((c: Json) => c.email === 'oncall@kanto.example').audience).toBeNull();
  });

  it("the reminders list is the coordinator's only", async () => {
    const r = await gq(s.t, '{ contactReminders { organisationName } }', {}, s.peer.orgAdmin.token);
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
