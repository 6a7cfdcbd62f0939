import { Client } from 'pg';
import { lockWaiters } from './support/lock-waiters';
import { startTestHub, TestHub } from './support/test-hub';

/**
 * A transaction PostgreSQL rolls back to let a concurrent one through (a deadlock, a
 * serialisation failure) is no fault of the request and no internal error: it is answered as
 * 503 TRY_AGAIN with Retry-After and the request id, and nothing of it was written. No path of
 * the hub is known to deadlock with another (ADR 0043); here a second client makes the cycle:
 * it holds the list an import is about to lock, then asks for the feed's counter, which the
 * import took first. The import waited first, so PostgreSQL's check fails the import's
 * transaction.
 */
describe('a transaction rolled back for a concurrent one', () => {
  let t: TestHub;
  let admin: string;
  let listId: string;
  let c: Client;

  beforeAll(async () => {
    // One attempt: the answer to a transaction rolled back is under test here (by default the
    // hub runs it again; below).
    t = await startTestHub({ DATABASE_TRANSACTION_ATTEMPTS: '1' });
    admin = (await t.bootstrapAdmin()).token;
    const made = await t.gql<{ createIndicatorList: { id: string } }>(
      'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
      { i: { name: 'Contended', tlp: 'GREEN' } },
      admin,
    );
    listId = made.data!.createIndicatorList.id;
    c = new Client({ connectionString: t.databaseUrl });
    await c.connect();
  }, 120_000);

  afterAll(async () => {
    await c?.end();
    await t?.stop();
  });

  /**
   * Runs `request` while `db` closes a lock cycle with it on `list`; answers its response. Held
   * until the answer, unless `letGo`: then released at once, as another instance would be.
   */
  async function inCycle<T>(
    request: () => Promise<T>,
    { db = c, list = listId, letGo = false } = {},
  ): Promise<T> {
    await db.query('BEGIN');
    let open = true;
    try {
      await db.query('SELECT 1 FROM indicator_list WHERE id = $1 FOR UPDATE', [list]);
      const answer = request();
      await lockWaiters(db, 1);
      await db.query('SELECT renkei_take_feed()');
      if (letGo) {
        open = false;
        await db.query('ROLLBACK');
      }
      return await answer;
    } finally {
      if (open) await db.query('ROLLBACK');
    }
  }

  const stored = async () =>
    (
      await c.query(
        `SELECT (SELECT count(*)::int FROM list_entry e JOIN indicator_list l ON l.seq = e.list_seq
                  WHERE l.id = $1) AS entries,
                (SELECT count(*)::int FROM entry_batch b JOIN indicator_list l ON l.seq = b.list_seq
                  WHERE l.id = $1) AS batches`,
        [listId],
      )
    ).rows[0];

  it('answers a REST import 503 TRY_AGAIN with Retry-After, and writes nothing', async () => {
    const res = await inCycle(() =>
      fetch(`${t.url}/api/lists/${listId}/entries`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/plain' },
        body: '198.51.100.20\n198.51.100.21\n',
      }),
    );
    const body = (await res.json()) as {
      error: { code: string; message: string };
      requestId: string;
    };
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(body.error.code).toBe('TRY_AGAIN');
    expect(body.error.message).toMatch(/changed nothing; send it again/);
    expect(body.requestId).toBe(res.headers.get('x-request-id'));
    expect(JSON.stringify(body)).not.toMatch(/deadlock|40P01|at .*\.js/);
    expect(await stored()).toEqual({ entries: 0, batches: 0 });
    // Sent again, it goes through.
    const again = await fetch(`${t.url}/api/lists/${listId}/entries`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/plain' },
      body: '198.51.100.20\n198.51.100.21\n',
    });
    expect(again.status).toBe(200);
    expect(await stored()).toEqual({ entries: 2, batches: 1 });
  }, 120_000);

  it('answers a GraphQL mutation with the code TRY_AGAIN and its request id', async () => {
    const before = await stored();
    const res = await inCycle(() =>
      t.gql<{ addListEntries: { added: number } }>(
        'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { added } }',
        { l: listId, i: { text: '198.51.100.22' } },
        admin,
      ),
    );
    expect(res.data).toBeNull();
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['TRY_AGAIN']);
    expect(res.errors?.[0].extensions?.requestId).toEqual(expect.any(String));
    expect(res.errors?.[0].extensions?.retryAfterSeconds).toBe(1);
    expect(JSON.stringify(res.errors)).not.toMatch(/deadlock|40P01/);
    expect(await stored()).toEqual(before);
  }, 120_000);

  // A coordinator's decision on a held change took the commit-order lock and then the feed's
  // counter (its UPDATE of the batch); an import holds the counter from its start and takes the
  // commit-order lock last. Met in that order, each held what the other waited for.
  it('decides a held change while an import is under way, without either failing', async () => {
    const must = async <T>(query: string, variables: Record<string, unknown>) => {
      const r = await t.gql<T>(query, variables, admin);
      expect(r.errors).toBeUndefined();
      return r.data!;
    };
    const me = await must<{ me: { organisation: { id: string } } }>(
      '{ me { organisation { id } } }',
      {},
    );
    const list = (name: string) =>
      must<{ createIndicatorList: { id: string } }>(
        'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
        { i: { name, tlp: 'GREEN' } },
      ).then((d) => d.createIndicatorList.id);
    const reviewed = await list('Reviewed');
    const other = await list('Imported meanwhile');
    await must('mutation($o: ID!) { setFeedReach(organisationId: $o, reach: REVIEW) { reach } }', {
      o: me.me.organisation.id,
    });
    const held = await must<{ addListEntries: { held: { changeId: number } | null } }>(
      'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { held { changeId } } }',
      { l: reviewed, i: { text: '198.51.100.30' } },
    );
    const changeId = held.addListEntries.held!.changeId;
    await c.query('BEGIN');
    let decided: Promise<{ errors?: { extensions?: Record<string, unknown> }[] }> | undefined;
    let imported: Promise<Response> | undefined;
    try {
      // The import waits for its list (held here) with the counter taken; the decision comes
      // next and waits for the counter.
      await c.query('SELECT 1 FROM indicator_list WHERE id = $1 FOR UPDATE', [other]);
      imported = fetch(`${t.url}/api/lists/${other}/entries`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/plain' },
        body: '198.51.100.31\n',
      });
      await lockWaiters(c, 1);
      decided = t.gql(
        'mutation($c: Int!) { approveFeedChange(changeId: $c, note: "fine") { changeId } }',
        { c: changeId },
        admin,
      );
      await lockWaiters(c, 2);
    } finally {
      await c.query('COMMIT');
    }
    const [decision, answer] = await Promise.all([decided!, imported!]);
    expect(decision.errors).toBeUndefined();
    expect(answer.status).toBe(200);
  }, 120_000);

  it('runs a transaction rolled back for a concurrent one again, by default, and answers it once', async () => {
    const again = await startTestHub();
    const db = new Client({ connectionString: again.databaseUrl });
    await db.connect();
    try {
      const token = (await again.bootstrapAdmin()).token;
      const made = await again.gql<{ createIndicatorList: { id: string } }>(
        'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
        { i: { name: 'Run again', tlp: 'GREEN' } },
        token,
      );
      const list = made.data!.createIndicatorList.id;
      const res = await inCycle(
        () =>
          fetch(`${again.url}/api/lists/${list}/entries`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
            body: '198.51.100.40\n198.51.100.41\n',
          }),
        { db, list, letGo: true },
      );
      expect(res.status).toBe(200);
      expect(((await res.json()) as { added: number }).added).toBe(2);
      const { rows } = await db.query(
        `SELECT (SELECT count(*)::int FROM list_entry e JOIN indicator_list l ON l.seq = e.list_seq
                  WHERE l.id = $1) AS entries,
                (SELECT count(*)::int FROM entry_batch b JOIN indicator_list l ON l.seq = b.list_seq
                  WHERE l.id = $1) AS batches`,
        [list],
      );
      expect(rows[0]).toEqual({ entries: 2, batches: 1 });
    } finally {
      await db.end();
      await again.stop();
    }
  }, 180_000);
});
