import { createOrg, Member, member, publishReport } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';

/**
 * Report counts stop at the hub's cap (ADR 0036), here REPORT_COUNT_CAP=2, against the real hub
 * and PostgreSQL. A capped count is still an output under the reader's row-level security: the
 * reports a reader may not see never push a count to the cap, and "exactly the cap" is told
 * apart from "more than the cap".
 */
describe('report counts up to a cap', () => {
  let t: TestHub;
  let author: Member;
  let reader: Member;
  let outsider: Member;
  let greenIds: string[];

  interface Counts {
    reports: { totalCount: number; totalCountCapped: boolean; edges: unknown[] };
    unreadReportCount: number;
    unreadReportCountCapped: boolean;
  }
  const COUNTS = `query($f: ReportFilter) {
    reports(first: 50, filter: $f) { totalCount totalCountCapped edges { node { id } } }
    unreadReportCount
    unreadReportCountCapped
  }`;
  async function counts(who: Member, f?: Record<string, unknown>) {
    const r = await t.gql<Counts>(COUNTS, { f }, who.token);
    expect(r.errors).toBeUndefined();
    const d = r.data!;
    return {
      total: [d.reports.totalCount, d.reports.totalCountCapped],
      unread: [d.unreadReportCount, d.unreadReportCountCapped],
      page: d.reports.edges.length,
    };
  }

  beforeAll(async () => {
    t = await startTestHub({ REPORT_COUNT_CAP: '2' });
    const admin = (await t.bootstrapAdmin()).token;
    const authorOrg = await createOrg(t, admin, {
      name: 'Higashi Denryoku',
      sectorCode: 'electric-power',
    });
    const readerOrg = await createOrg(t, admin, {
      name: 'Kita Power',
      sectorCode: 'electric-power',
    });
    const outsiderOrg = await createOrg(t, admin, { name: 'Minato Water', sectorCode: 'water' });
    author = await member(t, admin, authorOrg, 'author@higashi.example');
    reader = await member(t, admin, readerOrg, 'reader@kita.example');
    outsider = await member(t, admin, outsiderOrg, 'analyst@minato.example');
    const section = { summary: 'Scanning of VPN appliances' };
    greenIds = [];
    for (const title of ['Green one', 'Green two']) {
      greenIds.push(await publishReport(t, author.token, { title, tlp: 'GREEN', ...section }));
    }
    // Hidden from the outsider: more than the cap, so a count that looked past the reader's
    // policy would come back capped.
    for (const title of ['Amber one', 'Amber two', 'Amber three']) {
      await publishReport(t, author.token, {
        title,
        tlp: 'AMBER',
        audience: { organisationIds: [readerOrg] },
        ...section,
      });
    }
    await publishReport(t, author.token, {
      title: 'Red for the reader',
      tlp: 'RED',
      audience: { redRecipientEmails: [reader.email] },
      ...section,
    });
    const draft = await t.gql(
      'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
      { i: { kind: 'INCIDENT', title: 'Draft', tlp: 'GREEN' } },
      author.token,
    );
    expect(draft.errors).toBeUndefined();
  }, 10 * 60_000);

  afterAll(async () => {
    await t?.stop();
  });

  it('counts exactly what a reader sees up to the cap, however many are hidden', async () => {
    // The outsider sees the two GREEN reports: exactly the cap, not "more".
    expect(await counts(outsider)).toEqual({ total: [2, false], unread: [2, false], page: 2 });
    expect(await counts(outsider, { tlp: 'AMBER' })).toEqual({
      total: [0, false],
      unread: [2, false],
      page: 0,
    });
  });

  it('says "more than the cap" where the reader sees more, and the page is not capped', async () => {
    // Two GREEN, three AMBER, one RED.
    expect(await counts(reader)).toEqual({ total: [2, true], unread: [2, true], page: 6 });
    expect(await counts(reader, { tlp: 'RED' })).toEqual({
      total: [1, false],
      unread: [2, true],
      page: 1,
    });
    // The author's own draft counts for the author only; nothing is unread for its author.
    expect(await counts(author, { status: 'DRAFT' })).toEqual({
      total: [1, false],
      unread: [0, false],
      page: 1,
    });
  });

  it('drops below the cap as reports are read', async () => {
    const mark = 'mutation($id: ID!) { markReportRead(id: $id) }';
    const r = await t.gql(mark, { id: greenIds[0] }, outsider.token);
    expect(r.errors).toBeUndefined();
    expect((await counts(outsider)).unread).toEqual([1, false]);
  });
});
