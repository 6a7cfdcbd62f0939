import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { startTestHub, TestHub } from './support/test-hub';

/*
 * The one check every writer of list_entry passes through (ADR 0008, 0034): an entry's batches
 * belong to its list, and its list to the organisation the transaction acts for. Tried from
 * outside the hub, on a connection of the login role, which bypasses row-level security: only
 * the statement trigger stands in the way, whichever form (one triple for every row, as a bulk
 * import writes, or several) the statement takes.
 */

jest.setTimeout(120_000);

let t: TestHub;
let db: Client;
let ownA: { seq: number; batch: number; org: string };
let ownB: { seq: number; batch: number };

async function list(
  admin: string,
  name: string,
): Promise<{ seq: number; batch: number; org: string }> {
  const r = await t.gql<{ createIndicatorList: { id: string } }>(
    'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
    { i: { name, tlp: 'GREEN' } },
    admin,
  );
  const id = r.data!.createIndicatorList.id;
  const res = await fetch(`${t.url}/api/lists/${id}/entries`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/plain' },
    body: '45.0.0.1\n45.0.0.2\n',
  });
  expect(res.status).toBe(200);
  const { rows } = await db.query(
    `SELECT l.seq, l.owner_org_id AS org, max(b.id) AS batch FROM indicator_list l
       JOIN entry_batch b ON b.list_seq = l.seq WHERE l.id = $1 GROUP BY l.seq, l.owner_org_id`,
    [id],
  );
  return { seq: rows[0].seq, batch: rows[0].batch, org: rows[0].org };
}

/** Runs `work` in a transaction acting for `org` (as the hub does), always rolled back. */
async function attempt(org: string | null, work: () => Promise<unknown>): Promise<string> {
  await db.query('BEGIN');
  try {
    if (org) await db.query(`SELECT set_config('renkei.org_id', $1, true)`, [org]);
    await work();
    return 'written';
  } catch (e) {
    return (e as Error).message;
  } finally {
    await db.query('ROLLBACK');
  }
}

function copy(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = db.query(
      copyFrom('COPY list_entry (value, type, list_seq, first_batch, last_batch) FROM STDIN'),
    );
    stream.on('finish', resolve);
    stream.on('error', reject);
    stream.end(text);
  });
}

const lines = (n: number, seq: number, first: number, last: number) =>
  Array.from(
    { length: n },
    (_, i) => `46.0.${i >> 8}.${i & 255}\tipv4\t${seq}\t${first}\t${last}\n`,
  ).join('');

beforeAll(async () => {
  t = await startTestHub();
  const admin = (await t.bootstrapAdmin()).token;
  db = new Client({ connectionString: t.databaseUrl });
  await db.connect();
  ownA = await list(admin, 'entry check A');
  ownB = await list(admin, 'entry check B');
});
afterAll(async () => {
  await db?.end();
  await t?.stop();
});

describe('list_entry written directly', () => {
  it("refuses a bulk COPY whose every row names another list's batch", async () => {
    expect(
      await attempt(ownA.org, () => copy(lines(5000, ownA.seq, ownB.batch, ownB.batch))),
    ).toMatch(/batch that is not of its list/);
    expect(
      await attempt(ownA.org, () => copy(lines(5000, ownA.seq, ownA.batch, ownB.batch))),
    ).toMatch(/batch that is not of its list/);
  });

  it('refuses a statement with several (list, batch) pairs when one of them is wrong', async () => {
    const text =
      lines(3000, ownA.seq, ownA.batch, ownA.batch) + lines(1, ownB.seq, ownA.batch, ownA.batch);
    expect(await attempt(ownA.org, () => copy(text))).toMatch(/batch that is not of its list/);
    expect(
      await attempt(null, () =>
        db.query(
          `INSERT INTO list_entry (list_seq, value, type, first_batch, last_batch)
           VALUES ($1, '47.0.0.1', 'ipv4', $2, $2), ($3, '47.0.0.1', 'ipv4', $2, $2)`,
          [ownA.seq, ownA.batch, ownB.seq],
        ),
      ),
    ).toMatch(/batch that is not of its list/);
  });

  it('refuses rows for a list of another organisation than the one the transaction acts for', async () => {
    const other = '00000000-0000-4000-8000-000000000001';
    expect(await attempt(other, () => copy(lines(5000, ownA.seq, ownA.batch, ownA.batch)))).toMatch(
      /list of another organisation/,
    );
    expect(
      await attempt(other, () =>
        db.query(
          `INSERT INTO list_entry (list_seq, value, type, first_batch, last_batch)
           VALUES ($1, '47.0.0.1', 'ipv4', $2, $2), ($3, '47.0.0.1', 'ipv4', $4, $4)`,
          [ownA.seq, ownA.batch, ownB.seq, ownB.batch],
        ),
      ),
    ).toMatch(/list of another organisation/);
  });

  it("takes rows whose batches are their list's, for the owner", async () => {
    expect(await attempt(ownA.org, () => copy(lines(5000, ownA.seq, ownA.batch, ownA.batch)))).toBe(
      'written',
    );
    const two =
      lines(10, ownA.seq, ownA.batch, ownA.batch).replace(/46\.0\./g, '48.0.') +
      lines(10, ownB.seq, ownB.batch, ownB.batch);
    expect(await attempt(ownA.org, () => copy(two))).toBe('written');
    // Re-sighting by UPDATE is checked the same way.
    expect(
      await attempt(ownA.org, () =>
        db.query('UPDATE list_entry SET last_batch = $2 WHERE list_seq = $1', [
          ownA.seq,
          ownB.batch,
        ]),
      ),
    ).toMatch(/batch that is not of its list/);
  });
});
