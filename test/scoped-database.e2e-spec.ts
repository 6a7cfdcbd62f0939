import { Client } from 'pg';
import type { PolicyPrincipal } from '../libs/sharing/src/tlp-policy';
import { scopeStatement, settingsOfEach } from '../libs/sharing/src/tlp-policy.sql';
import { createOrg, member, publishReport } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';

/*
 * The statements ScopedDatabase scopes with (`scopeStatement`, `settingsOfEach`), against the
 * real PostgreSQL of a migrated hub (ADR 0041): a transaction runs as the restricted role under
 * exactly the principal it was given, a later principal replaces every setting, and
 * the one-statement read of a report for many readers (renkei_report_rows_each) gives each
 * reader exactly the row its own `SELECT * FROM report` gives it under its own scope — the
 * same row, or none — over readers of several organisations, sectors and users, and reports
 * GREEN, AMBER+STRICT to one organisation, RED to one user, and a draft.
 */

jest.setTimeout(180_000);

let t: TestHub;
let db: Client;
const readers: { name: string; p: PolicyPrincipal }[] = [];
const reports: { name: string; id: string }[] = [];

beforeAll(async () => {
  t = await startTestHub();
  const admin = (await t.bootstrapAdmin()).token;
  const kanto = await createOrg(t, admin, { name: 'Kanto Electric', sectorCode: 'electric-power' });
  const chubu = await createOrg(t, admin, { name: 'Chubu Power', sectorCode: 'electric-power' });
  const kansai = await createOrg(t, admin, { name: 'Kansai Power', sectorCode: 'electric-power' });
  const tokyoGas = await createOrg(t, admin, { name: 'Tokyo Gas', sectorCode: 'gas' });
  const author = await member(t, admin, kanto, 'soc@kanto-electric.example');
  await member(t, admin, chubu, 'soc1@chubu.example');
  await member(t, admin, chubu, 'soc2@chubu.example');
  db = new Client({ connectionString: t.databaseUrl });
  await db.connect();
  const userId = async (email: string): Promise<string> =>
    (await db.query('SELECT id FROM hub_user WHERE email = $1', [email])).rows[0].id;
  const token = (orgId: string, sector: string): PolicyPrincipal => ({
    kind: 'token',
    orgId,
    sector,
    groupId: null,
  });
  const user = async (email: string, orgId: string): Promise<PolicyPrincipal> => ({
    kind: 'user',
    userId: await userId(email),
    orgId,
    sector: 'electric-power',
    groupId: null,
  });
  readers.push(
    { name: 'kanto token', p: token(kanto, 'electric-power') },
    { name: 'chubu token', p: token(chubu, 'electric-power') },
    { name: 'kansai token', p: token(kansai, 'electric-power') },
    { name: 'tokyo gas token', p: token(tokyoGas, 'gas') },
    { name: 'kanto author', p: await user('soc@kanto-electric.example', kanto) },
    { name: 'chubu soc1', p: await user('soc1@chubu.example', chubu) },
    { name: 'chubu soc2', p: await user('soc2@chubu.example', chubu) },
  );
  reports.push(
    {
      name: 'green',
      id: await publishReport(t, author.token, { title: 'green one', tlp: 'GREEN' }),
    },
    {
      name: 'amber+strict to chubu',
      id: await publishReport(t, author.token, {
        title: 'amber strict',
        tlp: 'AMBER_STRICT',
        audience: { organisationIds: [chubu] },
      }),
    },
    {
      name: 'red to soc1',
      id: await publishReport(t, author.token, {
        title: 'red one',
        tlp: 'RED',
        audience: { redRecipientEmails: ['soc1@chubu.example'] },
      }),
    },
  );
  const draft = await t.gql<{ createReport: { id: string } }>(
    'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
    { i: { kind: 'INCIDENT', title: 'draft one', tlp: 'GREEN' } },
    author.token,
  );
  if (!draft.data) throw new Error(JSON.stringify(draft.errors));
  reports.push({ name: 'draft', id: draft.data.createReport.id });
});

afterAll(async () => {
  await db?.end();
  await t?.stop();
});

const who = `SELECT current_user AS role, current_setting('renkei.kind') AS kind,
  current_setting('renkei.org_id') AS org, current_setting('renkei.user_id') AS "user"`;
const expectedWho = (p: PolicyPrincipal) => ({
  role: 'renkei_app',
  kind: p.kind,
  org: p.orgId,
  user: p.kind === 'user' ? p.userId : '',
});

/** `work` in a transaction of the owner's connection, rolled back after. */
async function inTransaction<T>(work: () => Promise<T>): Promise<T> {
  await db.query('BEGIN');
  try {
    return await work();
  } finally {
    await db.query('ROLLBACK');
  }
}

it('scopes a transaction as the restricted role, and a later principal replaces every setting', async () => {
  expect((await db.query('SELECT current_user AS role')).rows[0].role).not.toBe('renkei_app');
  for (const [i, { p }] of readers.entries()) {
    const next = readers[(i + 1) % readers.length].p;
    const seen = await inTransaction(async () => {
      await db.query(...scopeStatement(p, true));
      const first = (await db.query(who)).rows[0];
      await db.query(...scopeStatement(next, false));
      return [first, (await db.query(who)).rows[0]];
    });
    expect(seen).toEqual([expectedWho(p), expectedWho(next)]);
  }
  // Transaction-local: the owner's connection is itself again.
  expect((await db.query('SELECT current_user AS role')).rows[0].role).not.toBe('renkei_app');
});

it('reads each reader its own row in one statement, as its own SELECT under its own scope', async () => {
  const { names, values } = settingsOfEach(readers.map((r) => r.p));
  let visible = 0;
  let hidden = 0;
  for (const report of reports) {
    const own: unknown[] = [];
    for (const { p } of readers) {
      own.push(
        await inTransaction(async () => {
          await db.query(...scopeStatement(p, true));
          return (
            (await db.query('SELECT * FROM report WHERE id = $1', [report.id])).rows[0] ?? null
          );
        }),
      );
    }
    const rows = await inTransaction(async () => {
      await db.query('SET LOCAL ROLE renkei_app');
      return (
        await db.query(
          'SELECT e.reader_index, (e.seen).* FROM renkei_report_rows_each($1, $2, $3) AS e',
          [report.id, names, values],
        )
      ).rows as { reader_index: number }[];
    });
    const byReader: unknown[] = readers.map(() => null);
    for (const { reader_index: i, ...row } of rows) byReader[i] = row;
    expect(readers.map((r, i) => [report.name, r.name, byReader[i]])).toEqual(
      readers.map((r, i) => [report.name, r.name, own[i]]),
    );
    visible += own.filter(Boolean).length;
    hidden += own.filter((x) => !x).length;
  }
  // Not vacuous: the matrix holds rows seen and rows withheld (RED to one user, STRICT to one
  // organisation, a draft only its owner sees).
  expect(visible).toBeGreaterThan(8);
  expect(hidden).toBeGreaterThan(8);
});

it('refuses values that are not whole principals', async () => {
  const { names, values } = settingsOfEach(readers.slice(0, 2).map((r) => r.p));
  await expect(
    inTransaction(() =>
      db.query('SELECT * FROM renkei_report_rows_each($1, $2, $3)', [
        reports[0].id,
        names,
        values.slice(1),
      ]),
    ),
  ).rejects.toThrow(/not whole principals/);
});
