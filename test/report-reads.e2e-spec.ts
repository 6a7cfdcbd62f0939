import { Client } from 'pg';
import { createOrg, Member, member, publishReport } from './support/community';
import { GqlResult, startTestHub, TestHub } from './support/test-hub';

/**
 * Unread marks (ADR 0025) against the real hub and PostgreSQL: a report is unread for a person
 * until they open it (markReportRead), per person, and only ever among the reports that person
 * may see. A hidden report is neither counted nor markable: marking it answers exactly like an
 * id that does not exist, and "mark all read" writes no mark for it.
 */
describe('unread marks on reports', () => {
  let t: TestHub;
  let db: Client;
  let author: Member;
  let reader: Member;
  let colleague: Member;
  let outsider: Member;
  let readerToken: string;
  const ids: Record<'green' | 'amber' | 'red' | 'draft', string> = {
    green: '',
    amber: '',
    red: '',
    draft: '',
  };

  const COUNT = 'query { unreadReportCount }';
  const MARK = 'mutation($id: ID!) { markReportRead(id: $id) }';
  const ALL = 'mutation { markAllReportsRead }';
  const LIST = 'query { reports(first: 50) { edges { node { id unread } } } }';

  async function count(who: Member): Promise<number> {
    const r = await t.gql<{ unreadReportCount: number }>(COUNT, {}, who.token);
    expect(r.errors).toBeUndefined();
    return r.data!.unreadReportCount;
  }
  async function unreadIds(token: string): Promise<string[]> {
    const r = await t.gql<{
      reports: { edges: { node: { id: string; unread: boolean | null } }[] };
    }>(LIST, {}, token);
    expect(r.errors).toBeUndefined();
    return r.data!.reports.edges.filter((e) => e.node.unread).map((e) => e.node.id);
  }
  const failure = (r: GqlResult) => ({
    data: r.data,
    code: r.errors?.[0]?.extensions?.code,
    message: r.errors?.[0]?.message,
  });

  beforeAll(async () => {
    t = await startTestHub();
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
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
    colleague = await member(t, admin, readerOrg, 'colleague@kita.example', 'ORG_ADMIN');
    outsider = await member(t, admin, outsiderOrg, 'analyst@minato.example');
    const section = { summary: 'Scanning of VPN appliances' };
    ids.green = await publishReport(t, author.token, { title: 'Green', tlp: 'GREEN', ...section });
    ids.amber = await publishReport(t, author.token, {
      title: 'Amber for Kita',
      tlp: 'AMBER',
      audience: { organisationIds: [readerOrg] },
      ...section,
    });
    ids.red = await publishReport(t, author.token, {
      title: 'Red for the colleague',
      tlp: 'RED',
      audience: { redRecipientEmails: [colleague.email] },
      ...section,
    });
    const draft = await t.gql<{ createReport: { id: string } }>(
      'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
      { i: { kind: 'INCIDENT', title: 'Draft', tlp: 'GREEN' } },
      author.token,
    );
    ids.draft = draft.data!.createReport.id;
    const token = await t.gql<{ createApiToken: { token: string } }>(
      'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
      { i: { name: 'SIEM', scopes: ['reports:read'] } },
      colleague.token,
    );
    readerToken = token.data?.createApiToken.token ?? '';
  }, 10 * 60_000);

  afterAll(async () => {
    await db?.end();
    await t?.stop();
  });

  it('counts only the published reports each person may see and did not write', async () => {
    expect(await count(reader)).toBe(2);
    expect(await count(colleague)).toBe(3);
    expect(await count(outsider)).toBe(1);
    expect(await count(author)).toBe(0);
    expect((await unreadIds(reader.token)).sort()).toEqual([ids.green, ids.amber].sort());
    expect(await unreadIds(outsider.token)).toEqual([ids.green]);
  });

  it('marks a report read for its reader only, once opened', async () => {
    const r = await t.gql(MARK, { id: ids.amber }, reader.token);
    expect(r.errors).toBeUndefined();
    expect(await count(reader)).toBe(1);
    expect(await unreadIds(reader.token)).toEqual([ids.green]);
    expect(await count(colleague)).toBe(3);
    // Marking again changes nothing.
    expect((await t.gql(MARK, { id: ids.amber }, reader.token)).errors).toBeUndefined();
    expect(await count(reader)).toBe(1);
  });

  it('answers a report the person may not see exactly like one that does not exist', async () => {
    const missing = failure(
      await t.gql(MARK, { id: '00000000-0000-4000-8000-000000000000' }, outsider.token),
    );
    expect(missing.code).toBe('NOT_FOUND');
    for (const [who, id] of [
      [outsider, ids.amber],
      [outsider, ids.red],
      [outsider, ids.draft],
      [reader, ids.red],
    ] as const) {
      expect(failure(await t.gql(MARK, { id }, who.token))).toEqual(missing);
    }
    const { rows } = await db.query(
      'SELECT report_id FROM report_read_mark WHERE user_id = (SELECT id FROM hub_user WHERE email = $1)',
      [outsider.email],
    );
    expect(rows).toEqual([]);
  });

  it('"mark all read" marks only what the person may see', async () => {
    const r = await t.gql<{ markAllReportsRead: number }>(ALL, {}, outsider.token);
    expect(r.data?.markAllReportsRead).toBe(1);
    expect(await count(outsider)).toBe(0);
    const { rows } = await db.query(
      `SELECT m.report_id FROM report_read_mark m JOIN hub_user u ON u.id = m.user_id
        WHERE u.email = $1`,
      [outsider.email],
    );
    expect(rows.map((x: { report_id: string }) => x.report_id)).toEqual([ids.green]);
    // The others' marks are their own.
    expect(await count(reader)).toBe(1);
    expect(await count(colleague)).toBe(3);
  });

  it('gives API tokens no read state', async () => {
    expect(readerToken).not.toBe('');
    const listed = await t.gql<{ reports: { edges: { node: { unread: boolean | null } }[] } }>(
      LIST,
      {},
      readerToken,
    );
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.reports.edges.map((e) => e.node.unread)).toEqual([null, null]);
    for (const q of [COUNT, ALL]) {
      const r = await t.gql(q, {}, readerToken);
      expect(r.errors?.[0]?.extensions?.code).toMatch(/FORBIDDEN|UNAUTHENTICATED/);
    }
  });
});
