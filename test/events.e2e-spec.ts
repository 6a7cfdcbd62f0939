import { Client } from 'pg';
import { createOrg, member, Member, publishReport } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';

/*
 * The outbox every push channel will read (issue 6): each change others may care about writes
 * an event in its own transaction, with an id that grows in commit order, so a reader asking
 * for "after id N" never misses one; old events go after EVENT_RETENTION_DAYS.
 */

jest.setTimeout(180_000);

let t: TestHub;
let admin: string;
let analyst: Member;
let peer: Member;
let db: Client;

async function must<T>(
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<T> {
  const r = await t.gql<T>(query, variables, token);
  if (!r.data || r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
}

async function kinds(where: string, params: unknown[]): Promise<string[]> {
  const { rows } = await db.query(`SELECT kind FROM hub_event WHERE ${where} ORDER BY id`, params);
  return rows.map((r) => r.kind);
}

beforeAll(async () => {
  t = await startTestHub();
  admin = (await t.bootstrapAdmin()).token;
  const org = await createOrg(t, admin, { name: 'Kanto Electric', sectorCode: 'electric-power' });
  const other = await createOrg(t, admin, { name: 'Chubu Power', sectorCode: 'electric-power' });
  analyst = await member(t, admin, org, 'soc@kanto-electric.example');
  peer = await member(t, admin, other, 'soc@chubu.example');
  db = new Client({ connectionString: t.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await t?.stop();
});

it('writes an event for each change of a report and its responses', async () => {
  const id = await publishReport(t, analyst.token, { title: 'Substation scan', tlp: 'GREEN' });
  await must(
    'mutation($id: ID!, $i: ReportInput!) { updateReport(id: $id, input: $i) { revision } }',
    { id, i: { summary: 'More scanning from the same range' } },
    analyst.token,
  );
  await must(
    'mutation($id: ID!) { addReportComment(reportId: $id, body: "Seen here too") { id } }',
    { id },
    peer.token,
  );
  await must('mutation($id: ID!) { addReportSighting(reportId: $id) { id } }', { id }, peer.token);
  await must(
    'mutation($id: ID!) { retractReport(id: $id, reason: "duplicate of another") { status } }',
    { id },
    analyst.token,
  );
  expect(await kinds('report_id = $1', [id])).toEqual([
    'report.published',
    'report.updated',
    'report.comment_added',
    'report.sighting_added',
    'report.retracted',
  ]);
  // A draft is nobody else's business: no event until it is published.
  const draft = await must<{ createReport: { id: string } }>(
    'mutation { createReport(input: { kind: INCIDENT, title: "draft", tlp: GREEN }) { id } }',
    {},
    analyst.token,
  );
  expect(await kinds('report_id = $1', [draft.createReport.id])).toEqual([]);
});

it('writes events under the commit-order lock, so their ids grow in commit order', async () => {
  // Every writer takes one transaction-scoped advisory lock right before its event and holds it
  // to commit (libs/sharing commit-order.ts): ids are then handed out in commit order, and a
  // reader asking for "after id N" never misses an event that committed late with a smaller
  // id. Shown by holding the lock from outside: no writer can finish until it is let go.
  const list = await must<{ createIndicatorList: { id: string } }>(
    'mutation { createIndicatorList(input: { name: "held", tlp: GREEN }) { id } }',
    {},
    analyst.token,
  );
  const { rows: start } = await db.query('SELECT coalesce(max(id), 0)::int AS id FROM hub_event');
  const holder = new Client({ connectionString: t.databaseUrl });
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query('SELECT pg_advisory_xact_lock($1)', [0x72656e6b]);
  const done: string[] = [];
  const writers = [
    fetch(`${t.url}/api/lists/${list.createIndicatorList.id}/entries`, {
      method: 'POST',
      headers: { authorization: `Bearer ${analyst.token}`, 'content-type': 'text/plain' },
      body: '45.9.9.9',
    }).then((r) => done.push(`import ${r.status}`)),
    publishReport(t, peer.token, { title: 'held report', tlp: 'CLEAR' }).then(() =>
      done.push('report'),
    ),
    must(
      'mutation { createIndicatorList(input: { name: "held too", tlp: GREEN }) { id } }',
      {},
      analyst.token,
    ).then(() => done.push('list')),
  ];
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(done).toEqual([]);
  const { rows: meanwhile } = await db.query(
    'SELECT count(*)::int AS n FROM hub_event WHERE id > $1',
    [start[0].id],
  );
  expect(meanwhile[0].n).toBe(0);
  await holder.query('COMMIT');
  await holder.end();
  await Promise.all(writers);
  expect(done.sort()).toEqual(['import 200', 'list', 'report']);
  expect(await kinds('id > $1', [start[0].id]).then((k) => [...k].sort())).toEqual([
    'list.created',
    'list.entries_added',
    'report.published',
  ]);
});

it('deletes events older than EVENT_RETENTION_DAYS and records how far (the horizon)', async () => {
  await db.query(
    `UPDATE hub_event SET created_at = now() - interval '40 days'
      WHERE id IN (SELECT id FROM hub_event ORDER BY id LIMIT 3)`,
  );
  const { rows: third } = await db.query(
    'SELECT max(id)::text AS id FROM (SELECT id FROM hub_event ORDER BY id LIMIT 3) x',
  );
  await t.stop();
  const { rows: before } = await db.query('SELECT count(*)::int AS n FROM hub_event');
  t = await startTestHub({ EVENT_RETENTION_DAYS: '30' }, t.databaseUrl);
  const { rows: after } = await db.query('SELECT count(*)::int AS n FROM hub_event');
  expect(after[0].n).toBe(before[0].n - 3);
  const { rows: old } = await db.query(
    `SELECT count(*)::int AS n FROM hub_event WHERE created_at < now() - interval '30 days'`,
  );
  expect(old[0].n).toBe(0);
  // Subscriptions and webhooks resuming before it are told their events are gone (push tests).
  const { rows: horizon } = await db.query(
    'SELECT purged_through::text AS id FROM hub_event_horizon',
  );
  expect(horizon).toEqual([{ id: third[0].id }]);
});
