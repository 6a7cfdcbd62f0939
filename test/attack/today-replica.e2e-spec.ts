import { Client } from 'pg';
import { createOrg, member, Member, publishReport } from '../support/community';
import { ReplicatedPostgres, startReplicatedPostgres } from '../support/replica';
import { startTestHub, TestHub } from '../support/test-hub';
import { Json } from './support';

/*
 * Replica reads attacked from outside (ADR 0030): a reader whose access was taken away (a
 * narrowed audience) or whose report was retracted must not keep reading the old state from a
 * replica for longer than DATABASE_REPLICA_MAX_LAG_MS. Replay is paused, as a stuck standby
 * would be. Each test states the SAFE behaviour: a failing test is a finding.
 */

jest.setTimeout(300_000);

const LAG_MS = 1500;
let pg: ReplicatedPostgres;
let t: TestHub;
let standby: Client;
let admin: string;
let author: Member;
let reader: Member;
let readerOrg: string;
let otherOrg: string;

async function pauseReplay(): Promise<void> {
  await standby.query('SELECT pg_wal_replay_pause()');
  for (;;) {
    const [{ state }] = (await standby.query('SELECT pg_get_wal_replay_pause_state() AS state'))
      .rows;
    if (state === 'paused') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  pg = await startReplicatedPostgres();
  const db = await pg.createDatabase();
  t = await startTestHub(
    { DATABASE_REPLICA_URLS: db.standby, DATABASE_REPLICA_MAX_LAG_MS: String(LAG_MS) },
    db.primary,
  );
  admin = (await t.bootstrapAdmin()).token;
  const a = await createOrg(t, admin, { name: 'Kanto Electric', sectorCode: 'electric-power' });
  readerOrg = await createOrg(t, admin, { name: 'Chubu Power', sectorCode: 'electric-power' });
  otherOrg = await createOrg(t, admin, { name: 'Kansai Power', sectorCode: 'electric-power' });
  author = await member(t, admin, a, 'soc@kanto.example');
  reader = await member(t, admin, readerOrg, 'soc@chubu.example');
  standby = new Client({ connectionString: db.standby });
  standby.on('error', () => undefined);
  await standby.connect();
});

afterAll(async () => {
  await standby?.query('SELECT pg_wal_replay_resume()').catch(() => undefined);
  await standby?.end().catch(() => undefined);
  await t?.stop();
  await pg?.stop();
});

describe('a stuck replica never keeps showing what was taken away', () => {
  it('a report narrowed away from a reader is gone for it once the lag bound has passed', async () => {
    const id = await publishReport(t, author.token, {
      title: 'Narrow me',
      tlp: 'AMBER',
      audience: { organisationIds: [readerOrg, otherOrg] },
    });
    await pg.caughtUp();
    const before = await t.gql<Json>(
      'query($id: ID!) { report(id: $id) { id } }',
      { id },
      reader.token,
    );
    expect(before.data?.report?.id).toBe(id);
    await pauseReplay();
    try {
      const upd = await t.gql<Json>(
        'mutation($id: ID!, $i: ReportInput!) { updateReport(id: $id, input: $i) { id } }',
        { id, i: { audience: { organisationIds: [otherOrg] } } },
        author.token,
      );
      expect(upd.errors).toBeUndefined();
      await new Promise((r) => setTimeout(r, LAG_MS * 3));
      const after = await t.gql<Json>(
        'query($id: ID!) { report(id: $id) { id title } }',
        { id },
        reader.token,
      );
      const list = await t.gql<Json>(
        '{ reports(first: 100) { edges { node { id } } } unreadReportCount }',
        {},
        reader.token,
      );
      expect([
        after.data?.report?.id ?? null,
        (list.data?.reports?.edges ?? []).some((e: Json) => e.node.id === id),
      ]).toEqual([null, false]);
    } finally {
      await standby.query('SELECT pg_wal_replay_resume()');
      await pg.caughtUp();
    }
  });

  it('a retracted report reads retracted once the lag bound has passed', async () => {
    const id = await publishReport(t, author.token, { title: 'Retract me', tlp: 'GREEN' });
    await pg.caughtUp();
    await pauseReplay();
    try {
      const r = await t.gql<Json>(
        'mutation($id: ID!) { retractReport(id: $id, reason: "wrong") { status } }',
        { id },
        author.token,
      );
      expect(r.errors).toBeUndefined();
      await new Promise((res) => setTimeout(res, LAG_MS * 3));
      const after = await t.gql<Json>(
        'query($id: ID!) { report(id: $id) { status } }',
        { id },
        reader.token,
      );
      expect(after.data?.report?.status).toBe('RETRACTED');
    } finally {
      await standby.query('SELECT pg_wal_replay_resume()');
      await pg.caughtUp();
    }
  });
});
