import { createOrg, member, Member, publishReport } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';
import { WsClient } from './support/ws-client';

/*
 * Links that reveal the author (issue 12, item 4; ADR 0018). Kanto Electric shares a report
 * with Chubu Power alone (AMBER+STRICT). An anonymous report or list that links it can only have
 * been written by Chubu or Kanto: shown to Kanto, the link names Chubu. Such a link is withheld
 * from every reader for whom fewer than ANONYMITY_K (3) organisations other than itself, under
 * the author's label, could see the linked report; a link to a report the whole sector could
 * see stays. Checked on every output that carries a link: the GraphQL fields, a subscription,
 * the STIX bundle of the linked report.
 */

jest.setTimeout(180_000);

let t: TestHub;
let kanto: Member;
let chubu: Member;
let kansai: Member;
let narrow: string;
let wide: string;
let anonymousReport: string;
let anonymousList: string;
const open: WsClient[] = [];

const READ = `query($id: ID!) { report(id: $id) { id author { label } linkedReports { id } } }`;
const LIST = `query($id: ID!) { indicatorList(id: $id) { id author { label } reportId
  entries(first: 5) { edges { node { value reportId } } } } }`;

async function must<T>(q: string, v: Record<string, unknown>, token: string): Promise<T> {
  const r = await t.gql<T>(q, v, token);
  if (!r.data || r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
}

const linksOf = async (token: string) =>
  (
    await must<{ report: { linkedReports: { id: string }[] } }>(
      READ,
      { id: anonymousReport },
      token,
    )
  ).report.linkedReports.map((r) => r.id);
interface ListSeen {
  reportId: string | null;
  entries: { edges: { node: { reportId: string | null } }[] };
}
const listReportOf = async (token: string) =>
  (await must<{ indicatorList: ListSeen }>(LIST, { id: anonymousList }, token)).indicatorList
    .reportId;
/** The reports the list's entries name, as this reader is shown them. */
const entryReportsOf = async (token: string) =>
  (
    await must<{ indicatorList: ListSeen }>(LIST, { id: anonymousList }, token)
  ).indicatorList.entries.edges.map((e) => e.node.reportId);

beforeAll(async () => {
  t = await startTestHub({ ANONYMITY_K: '3' });
  const admin = (await t.bootstrapAdmin()).token;
  const org = (name: string) => createOrg(t, admin, { name, sectorCode: 'electric-power' });
  const [kantoOrg, chubuOrg, kansaiOrg] = [
    await org('Kanto Electric'),
    await org('Chubu Power'),
    await org('Kansai Power'),
  ];
  await org('Hokuriku Power');
  await org('Tohoku Power');
  kanto = await member(t, admin, kantoOrg, 'soc@kanto-electric.example');
  chubu = await member(t, admin, chubuOrg, 'soc@chubu.example');
  kansai = await member(t, admin, kansaiOrg, 'soc@kansai.example');

  narrow = await publishReport(t, kanto.token, {
    title: 'for Chubu only',
    tlp: 'AMBER_STRICT',
    audience: { organisationIds: [chubuOrg] },
  });
  wide = await publishReport(t, kanto.token, {
    title: 'for the sector',
    tlp: 'AMBER',
    audience: { sectorCodes: ['electric-power'] },
  });
  anonymousReport = await publishReport(t, chubu.token, {
    title: 'we saw it too',
    tlp: 'GREEN',
    anonymous: true,
    linkedReportIds: [narrow, wide],
  });
  const list = await must<{ createIndicatorList: { id: string } }>(
    'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
    { i: { name: 'addresses from it', tlp: 'GREEN', anonymous: true, reportId: narrow } },
    chubu.token,
  );
  anonymousList = list.createIndicatorList.id;
  await must(
    'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { applied } }',
    { l: anonymousList, i: { text: '203.0.113.77', confidence: 60, reportId: narrow } },
    chubu.token,
  );
});

afterAll(async () => {
  open.forEach((c) => c.close());
  await t?.stop();
});

it('withholds from the linked report’s owner a link only two organisations could have made', async () => {
  const seen = await must<{ report: { author: { label: string } } }>(
    READ,
    { id: anonymousReport },
    kanto.token,
  );
  expect(seen.report.author.label).toBe('a member organisation');
  expect(await linksOf(kanto.token)).toEqual([wide]);
  expect(await listReportOf(kanto.token)).toBeNull();
  expect(await entryReportsOf(kanto.token)).toEqual([null]);
});

it('shows the author every link, and others only the links they may see anyway', async () => {
  expect((await linksOf(chubu.token)).sort()).toEqual([narrow, wide].sort());
  expect(await listReportOf(chubu.token)).toBe(narrow);
  expect(await entryReportsOf(chubu.token)).toEqual([narrow]);
  // Kansai cannot see the narrow report: its link is no link for Kansai, the wide one is.
  expect(await linksOf(kansai.token)).toEqual([wide]);
});

it('withholds it in a subscription’s view of the report', async () => {
  const ws = await WsClient.connect(t.url, kanto.token);
  open.push(ws);
  ws.subscribe('s', 'subscription { reportEvents { report { id linkedReports { id } } } }');
  await must(
    'mutation($id: ID!) { addReportComment(reportId: $id, body: "same here") { id } }',
    { id: anonymousReport },
    kansai.token,
  );
  const got = (await ws.next('s')) as {
    reportEvents: { report: { id: string; linkedReports: { id: string }[] } };
  };
  expect(got.reportEvents.report.id).toBe(anonymousReport);
  expect(got.reportEvents.report.linkedReports.map((r) => r.id)).toEqual([wide]);
});

it('leaves the anonymous list’s indicators out of the linked report’s STIX bundle for its owner', async () => {
  const bundle = async (token: string) => {
    const res = await fetch(`${t.url}/api/reports/${narrow}/stix`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { objects: { type: string; pattern?: string }[] };
  };
  const patterns = (b: { objects: { type: string; pattern?: string }[] }) =>
    b.objects.filter((o) => o.type === 'indicator').map((o) => o.pattern);
  expect(patterns(await bundle(chubu.token))).toEqual([expect.stringContaining('203.0.113.77')]);
  expect(patterns(await bundle(kanto.token))).toEqual([]);
});

it('finds lists by the report they name only where the reader is shown the link', async () => {
  const byReport = async (token: string, reportId: string) =>
    (
      await must<{ indicatorLists: { totalCount: number; edges: { node: { id: string } }[] } }>(
        `query($r: ID!) { indicatorLists(first: 10, filter: { reportId: $r }) {
          totalCount edges { node { id } } } }`,
        { r: reportId },
        token,
      )
    ).indicatorLists;
  expect(await byReport(chubu.token, narrow)).toEqual({
    totalCount: 1,
    edges: [{ node: { id: anonymousList } }],
  });
  // Kanto sees the list and owns the report, but is not shown the link: the filter must not
  // tell it what the list's own reportId withholds.
  expect(await byReport(kanto.token, narrow)).toEqual({ totalCount: 0, edges: [] });
  expect(await byReport(kansai.token, narrow)).toEqual({ totalCount: 0, edges: [] });
  expect(await byReport(chubu.token, wide)).toEqual({ totalCount: 0, edges: [] });
});
