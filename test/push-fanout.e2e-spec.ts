import { createOrg, member, Member, publishReport } from './support/community';
import { freePort } from './support/ports';
import { latestEventId, sealedCursor } from './support/sealed-cursor';
import { startTestHub, TestHub } from './support/test-hub';
import { WsClient } from './support/ws-client';

/*
 * Push fan-out to many users of one organisation (issue 16, ADR 0038), against a real hub and
 * PostgreSQL: users who see a report alike (same organisation, sector and group; the report not
 * RED and linking none) cost one view read per event between them, not one each; and RED, which
 * names people, and links, which may lead to a RED report, still part them. The reads are
 * counted by the hub's own metric (renkei_push_report_view_reads_total); this file's hub has
 * no other subscribers, so each event's reads are this test's.
 */

jest.setTimeout(180_000);

let t: TestHub;
let metricsUrl: string;
let admin: string;
let author: Member;
const users: Member[] = [];
const open: WsClient[] = [];

const REPORTS = `subscription($after: ID) {
  reportEvents(after: $after) { kind report { id title tlp author { label } linkedReports { id } } }
}`;

interface Got {
  reportEvents: {
    kind: string;
    report: {
      id: string;
      title: string;
      tlp: string;
      author: { label: string };
      linkedReports: { id: string }[];
    };
  };
}

async function viewReads(): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const line = text.split('\n').find((l) => l.startsWith('renkei_push_report_view_reads_total '));
  return line === undefined ? NaN : Number(line.split(' ')[1]);
}

/** The report as this user reads it with a query (what its event must show). */
async function asRead(token: string, id: string) {
  const r = await t.gql<{ report: Got['reportEvents']['report'] }>(
    'query($id: ID!) { report(id: $id) { id title tlp author { label } linkedReports { id } } }',
    { id },
    token,
  );
  if (!r.data) throw new Error(JSON.stringify(r.errors));
  return r.data.report;
}

/** Every user's socket, subscribed from now on (a cursor at the newest event). */
async function subscribeAll(): Promise<WsClient[]> {
  const from = await latestEventId(t);
  const subs = await Promise.all(users.map((u) => WsClient.connect(t.url, u.token)));
  open.push(...subs);
  for (const [i, s] of subs.entries()) {
    s.subscribe('r', REPORTS, { after: await sealedCursor(t, users[i].token, from) });
  }
  return subs;
}

beforeAll(async () => {
  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  t = await startTestHub({ METRICS_PORT: String(port), SUBSCRIPTION_RECHECK_SECONDS: '3600' });
  admin = (await t.bootstrapAdmin()).token;
  const kanto = await createOrg(t, admin, { name: 'Kanto Electric', sectorCode: 'electric-power' });
  const chubu = await createOrg(t, admin, { name: 'Chubu Power', sectorCode: 'electric-power' });
  await createOrg(t, admin, { name: 'Kansai Power', sectorCode: 'electric-power' });
  await createOrg(t, admin, { name: 'Hokuriku Power', sectorCode: 'electric-power' });
  author = await member(t, admin, kanto, 'soc@kanto-electric.example');
  for (let i = 1; i <= 6; i++) users.push(await member(t, admin, chubu, `soc${i}@chubu.example`));
});

afterAll(async () => {
  open.forEach((c) => c.close());
  await t?.stop();
});

it('reads a GREEN report once for six users of one organisation, and each gets its view', async () => {
  const subs = await subscribeAll();
  const before = await viewReads();
  const id = await publishReport(t, author.token, { title: 'green for all', tlp: 'GREEN' });
  const got = await Promise.all(subs.map(async (s) => (await s.next('r')) as unknown as Got));
  const reads = (await viewReads()) - before;
  const expected = await Promise.all(users.map((u) => asRead(u.token, id)));
  expect(expected[0].author.label).not.toBe('Kanto Electric'); // a pseudonym for another org
  expect(got.map((g) => g.reportEvents.report)).toEqual(expected);
  expect(reads).toBe(1);
  subs.forEach((s) => s.close());
});

it('still parts them on RED, which names people, and on a link to a RED report', async () => {
  const subs = await subscribeAll();
  /** Each socket's events up to and including the one titled `last`. */
  const upTo = (last: string) =>
    Promise.all(
      subs.map(async (s) => {
        const reports: Got['reportEvents']['report'][] = [];
        for (;;) {
          const g = (await s.next('r')) as unknown as Got;
          reports.push(g.reportEvents.report);
          if (g.reportEvents.report.title === last) return reports;
        }
      }),
    );
  const before = await viewReads();
  const red = await publishReport(t, author.token, {
    title: 'red for soc1',
    tlp: 'RED',
    audience: { redRecipientEmails: ['soc1@chubu.example'] },
  });
  const linking = await publishReport(t, author.token, {
    title: 'green linking the red one',
    tlp: 'GREEN',
    linkedReportIds: [red],
  });
  const seen = await upTo('green linking the red one');
  // Each user read the RED report and the linking one under its own scope, whichever read first
  // and however the six were woken.
  expect((await viewReads()) - before).toBe(6 + 6);
  expect(seen[0].map((r) => r.title)).toEqual(['red for soc1', 'green linking the red one']);
  for (const s of seen.slice(1))
    expect(s.map((r) => r.title)).toEqual(['green linking the red one']);
  // The linking report as each reads it. (Which links are shown also depends on what they would
  // tell of an anonymous author, ADR 0018, so the view of a report with links is not shared.)
  const views = await Promise.all(users.map((u) => asRead(u.token, linking)));
  expect(seen.map((s) => s.at(-1))).toEqual(views);
  // And the next GREEN report without links, all six waiting for it: one read again.
  const next = await viewReads();
  await publishReport(t, author.token, { title: 'sentinel', tlp: 'GREEN' });
  await upTo('sentinel');
  expect((await viewReads()) - next).toBe(1);
  subs.forEach((s) => s.close());
});
