import { connect, Socket } from 'node:net';
import { Client } from 'pg';
import { lockWaiters } from './support/lock-waiters';
import { createTestDatabase, startTestHub, TestHub } from './support/test-hub';

/**
 * A hub left alone for years: records of finished things are deleted after their retention,
 * and connections that hold a socket without doing anything are closed.
 */

function rawConnection(port: number): Promise<{ socket: Socket; closed: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (received += d));
    const closed = new Promise<string>((done) => socket.once('close', () => done(received)));
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

/** Waits (no time asserted) until the hub has logged a line matching `pattern`. */
async function logged(t: TestHub, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!pattern.test(t.output.join('\n'))) {
    if (Date.now() > deadline)
      throw new Error(`hub never logged ${pattern}:\n${t.output.join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('housekeeping', () => {
  let t: TestHub;
  let db: string;
  let ids: Record<string, string>;
  let listSeq: number;
  let adminToken: string;
  let listId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    // A first start migrates; the old records are planted, then a second start purges them.
    const first = await startTestHub({}, db);
    const admin = await first.bootstrapAdmin();
    adminToken = admin.token;
    await first.gql(
      'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
      { i: { name: 'fw', scopes: ['feeds:read'] } },
      admin.token,
    );
    // A list with entries that expired long ago, lately, or not at all, and two removed values.
    const gql = async (query: string, variables: Record<string, unknown>) => {
      const r = await first.gql<Record<string, { id?: string }>>(query, variables, admin.token);
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return r.data!;
    };
    const { createIndicatorList: list } = await gql(
      'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
      { i: { name: 'Old DoS sources', tlp: 'GREEN' } },
    );
    listId = list.id!;
    await gql(
      'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { added } }',
      {
        l: list.id,
        i: {
          text: [
            '198.51.100.1',
            '198.51.100.2',
            '198.51.100.3',
            'gone-long.example',
            'gone-lately.example',
          ].join('\n'),
        },
      },
    );
    await gql(
      'mutation($l: ID!, $v: [String!]!) { removeListEntries(listId: $l, values: $v) { removed } }',
      { l: list.id, v: ['gone-long.example', 'gone-lately.example'] },
    );
    await first.stop();
    const c = new Client({ connectionString: db });
    await c.connect();
    const [{ user_id: userId }] = (await c.query('SELECT id AS user_id FROM hub_user LIMIT 1'))
      .rows;
    const [{ id: tokenId }] = (await c.query('SELECT id FROM api_token LIMIT 1')).rows;
    const session = async (expires: string, revoked: string | null) =>
      (
        await c.query(
          `INSERT INTO session (user_id, token_hash, last_seen_at, expires_at, revoked_at)
           VALUES ($1, sha256(gen_random_uuid()::text::bytea), now(), now() + $2::interval, now() + $3::interval)
           RETURNING id`,
          [userId, expires, revoked],
        )
      ).rows[0].id as string;
    ids = {
      oldExpired: await session('-40 days', null),
      oldRevoked: await session('10 days', '-40 days'),
      recentExpired: await session('-2 days', null),
      live: await session('10 days', null),
    };
    await c.query(
      `INSERT INTO password_reset (user_id, token_hash, issued_by, expires_at, used_at) VALUES
         ($1, sha256(gen_random_uuid()::text::bytea), $1, now() - interval '40 days', NULL),
         ($1, sha256(gen_random_uuid()::text::bytea), $1, now() + interval '1 day', NULL)`,
      [userId],
    );
    await c.query(
      `INSERT INTO feed_pull (token_id, hour, requests, not_modified, bytes, last_path, last_at) VALUES
         ($1, date_trunc('hour', now() - interval '100 days'), 1, 0, 10, '/feeds/ipv4.txt', now() - interval '100 days'),
         ($1, date_trunc('hour', now() - interval '1 day'), 1, 0, 10, '/feeds/ipv4.txt', now() - interval '1 day')`,
      [tokenId],
    );
    [{ seq: listSeq }] = (
      await c.query(`SELECT seq FROM indicator_list WHERE name = 'Old DoS sources'`)
    ).rows;
    const expire = (value: string, ago: string) =>
      c.query(
        `UPDATE list_entry SET valid_until = now() - $2::interval WHERE list_seq = $1 AND value = $3`,
        [listSeq, ago, value],
      );
    await expire('198.51.100.1', '40 days');
    await expire('198.51.100.2', '10 days');
    await c.query(
      `UPDATE stix_tombstone SET valid_until = now() - interval '40 days' WHERE value = 'gone-long.example'`,
    );
    // 12,000 more expired long ago: more than two batches of the purge, which must walk them all.
    await c.query(
      `INSERT INTO list_entry (list_seq, value, type, first_batch, last_batch, valid_until)
       SELECT $1, '10.' || (i / 65536) || '.' || (i / 256 % 256) || '.' || (i % 256), 'ipv4',
              e.first_batch, e.last_batch, now() - interval '400 days'
         FROM generate_series(1, 12000) AS i,
              (SELECT first_batch, last_batch FROM list_entry WHERE list_seq = $1 LIMIT 1) AS e`,
      [listSeq],
    );
    await c.end();
    t = await startTestHub(
      {
        HTTP_IDLE_TIMEOUT_MS: '1500',
        HTTP_BODY_TIMEOUT_MS: '1500',
        LIST_ENTRY_RETENTION_DAYS: '30',
      },
      db,
    );
    // Housekeeping runs beside serving (an instance does not wait for it to listen): its
    // last rule, the list entries, logs when it is done.
    await logged(t, /deleted \d+ list entries and \d+ tombstones/);
  }, 120_000);

  afterAll(() => t?.stop());

  it('deletes expired, revoked and used records after their retention, and keeps the rest', async () => {
    const c = new Client({ connectionString: db });
    await c.connect();
    try {
      const sessions = (await c.query('SELECT id FROM session')).rows.map((r) => r.id);
      expect(sessions).not.toContain(ids.oldExpired);
      expect(sessions).not.toContain(ids.oldRevoked);
      expect(sessions).toEqual(expect.arrayContaining([ids.recentExpired, ids.live]));
      const resets = (await c.query('SELECT expires_at > now() AS live FROM password_reset')).rows;
      expect(resets).toEqual([{ live: true }]);
      const pulls = (
        await c.query(`SELECT hour > now() - interval '90 days' AS recent FROM feed_pull`)
      ).rows;
      expect(pulls).toEqual([{ recent: true }]);
    } finally {
      await c.end();
    }
    expect(t.output.join('\n')).toMatch(/deleted 2 expired or revoked sessions older than 30 days/);
  });

  it('deletes list entries and tombstones expired longer than the retention, in batches, and keeps the rest', async () => {
    const c = new Client({ connectionString: db });
    await c.connect();
    try {
      const entries = (
        await c.query('SELECT value FROM list_entry WHERE list_seq = $1 ORDER BY value', [listSeq])
      ).rows.map((r) => r.value);
      expect(entries).toEqual(['198.51.100.2', '198.51.100.3']);
      const tombstones = (
        await c.query('SELECT value FROM stix_tombstone WHERE list_seq = $1', [listSeq])
      ).rows.map((r) => r.value);
      expect(tombstones).toEqual(['gone-lately.example']);
    } finally {
      await c.end();
    }
    expect(t.output.join('\n')).toMatch(
      /deleted 12001 list entries and 1 tombstones expired more than 30 days ago/,
    );
  });

  it('closes a connection that never sends a byte', async () => {
    const { closed } = await rawConnection(Number(new URL(t.url).port));
    expect(await closed).toBe('');
  });

  it('answers 408 to a body that trickles in, and closes the connection', async () => {
    const { socket, closed } = await rawConnection(Number(new URL(t.url).port));
    socket.write(
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
    );
    // One byte every 500 ms: never silent long enough for the idle timeout, never finished.
    const drip = setInterval(() => socket.writable && socket.write(' '), 500);
    try {
      const answer = await closed;
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(answer).toContain('"code":"REQUEST_TIMEOUT"');
    } finally {
      clearInterval(drip);
    }
  });

  it('still serves a request that arrives in time', async () => {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });

  it('answers a request the hub works on for longer than the idle timeout', async () => {
    // The hub's silence is not the client's: a write queued behind a lock (as behind an import),
    // or a feed of millions rendered under load, owes its answer past HTTP_IDLE_TIMEOUT_MS.
    const c = new Client({ connectionString: db });
    await c.connect();
    try {
      await c.query('BEGIN');
      await c.query('SELECT 1 FROM indicator_list WHERE id = $1 FOR UPDATE', [listId]);
      const answer = t.gql<{ addListEntries: { added: number } }>(
        'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { added } }',
        { l: listId, i: { text: '198.51.100.77' } },
        adminToken,
      );
      // Twice the idle timeout (1.5 s) of silence on the socket while the write waits.
      await new Promise((r) => setTimeout(r, 3000));
      await c.query('COMMIT');
      const r = await answer;
      expect(r.errors).toBeUndefined();
      expect(r.data!.addListEntries.added).toBe(1);
    } finally {
      await c.end();
    }
  });
});

describe('housekeeping beside serving', () => {
  it('listens while the purge of expired list entries waits for a lock, and purges once it is free', async () => {
    const db = await createTestDatabase();
    const first = await startTestHub({}, db);
    const admin = (await first.bootstrapAdmin()).token;
    const list = await first.gql<{ createIndicatorList: { id: string } }>(
      'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
      { i: { name: 'Old sources', tlp: 'GREEN' } },
      admin,
    );
    const listId = list.data!.createIndicatorList.id;
    await first.gql(
      'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { added } }',
      { l: listId, i: { text: '198.51.100.9' } },
      admin,
    );
    await first.stop();
    const c = new Client({ connectionString: db });
    await c.connect();
    let t: TestHub | undefined;
    try {
      await c.query(`UPDATE list_entry SET valid_until = now() - interval '400 days'`);
      // What ten million rows cost the purge in time, a lock costs it here: a writer of
      // list_entry (an import) holds SHARE, so the purge's DELETE waits.
      await c.query('BEGIN');
      await c.query('LOCK TABLE list_entry IN SHARE MODE');
      t = await startTestHub({ LIST_ENTRY_RETENTION_DAYS: '30' }, db);
      expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
      expect((await c.query('SELECT count(*)::int AS n FROM list_entry')).rows[0].n).toBe(1);
      await c.query('COMMIT');
      await logged(t, /deleted 1 list entries and 0 tombstones/);
      expect((await c.query('SELECT count(*)::int AS n FROM list_entry')).rows[0].n).toBe(0);
    } finally {
      await c.end();
      await t?.stop();
    }
  }, 180_000);
});

describe('housekeeping beside an import', () => {
  // An import takes the feed's change counter (feed_state, bumped by every changing statement)
  // with its batch, then sights its list's entries again; the purge used to lock the entries it
  // deletes first and the counter after. An import sighting again an entry the purge had just
  // locked waited for the purge, which waited for the import: PostgreSQL broke the cycle after
  // deadlock_timeout by failing one of them (found reading the code, session 5; seen here).
  it('purges without a deadlock while an import holds the feed and sights again an entry due for purging', async () => {
    const db = await createTestDatabase();
    const first = await startTestHub({}, db);
    const admin = (await first.bootstrapAdmin()).token;
    const lists: string[] = [];
    for (const [name, value] of [
      ['Re-posted daily', '198.51.100.7'],
      ['Left alone', '198.51.100.8'],
    ]) {
      const list = await first.gql<{ createIndicatorList: { id: string } }>(
        'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
        { i: { name, tlp: 'GREEN' } },
        admin,
      );
      lists.push(list.data!.createIndicatorList.id);
      await first.gql(
        'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { added } }',
        { l: lists.at(-1), i: { text: value } },
        admin,
      );
    }
    await first.stop();
    const c = new Client({ connectionString: db });
    await c.connect();
    let t: TestHub | undefined;
    try {
      await c.query(`UPDATE list_entry SET valid_until = now() - interval '400 days'`);
      const [list] = (
        await c.query('SELECT seq, owner_org_id FROM indicator_list WHERE id = $1', [lists[0]])
      ).rows;
      // The import's first steps, as addEntries takes them: its batch (which takes the feed).
      await c.query('BEGIN');
      const [batch] = (
        await c.query(
          `INSERT INTO entry_batch (list_seq, owner_org_id, source, confidence, seen_at, valid_until)
           VALUES ($1, $2, 'text', 50, now(), now() + interval '30 days') RETURNING id`,
          [list.seq, list.owner_org_id],
        )
      ).rows;
      // The purge runs at start, and now waits on the import.
      t = await startTestHub({ LIST_ENTRY_RETENTION_DAYS: '30' }, db);
      await lockWaiters(c, 1);
      // The import sights its list's entry again (as its resighting UPDATE does), and commits.
      await c.query(
        `UPDATE list_entry SET last_batch = $2, valid_until = now() + interval '30 days'
          WHERE list_seq = $1`,
        [list.seq, batch.id],
      );
      await c.query('COMMIT');
      // The purge then deletes what is still due: the other list's entry, not the one sighted.
      await logged(t, /deleted \d+ list entries|could not delete expired list entries/);
      expect(t.output.join('\n')).not.toMatch(/could not delete expired list entries/);
      expect(t.output.join('\n')).toMatch(/deleted 1 list entries and 0 tombstones/);
      const { rows } = await c.query(
        `SELECT l.id FROM list_entry e JOIN indicator_list l ON l.seq = e.list_seq`,
      );
      expect(rows.map((r) => r.id)).toEqual([lists[0]]);
    } finally {
      await c.query('ROLLBACK').catch(() => undefined);
      await c.end();
      await t?.stop();
    }
  }, 180_000);
});

describe("an exercise's removal beside an import", () => {
  // The removal takes the feed's counter with the drill's entries and then locks its lists; an
  // import locked its list first and took the counter with its batch. Queued behind a third
  // writer in that order, each held what the other waited for.
  it('removes the drill while an import into a drill list waits for the feed, without a deadlock', async () => {
    const t = await startTestHub();
    const admin = (await t.bootstrapAdmin()).token;
    const made = await t.gql<{ createIndicatorList: { id: string } }>(
      'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
      { i: { name: 'Drill sources', tlp: 'GREEN', exercise: 'winter drill' } },
      admin,
    );
    const listId = made.data!.createIndicatorList.id;
    const add = (text: string) =>
      t.gql<{ addListEntries: { added: number } }>(
        'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { added } }',
        { l: listId, i: { text } },
        admin,
      );
    await add('198.51.100.9');
    const c = new Client({ connectionString: t.databaseUrl });
    await c.connect();
    try {
      // Another writer holds the feed: the removal queues first, then the import.
      await c.query('BEGIN');
      await c.query('SELECT renkei_take_feed()');
      const removal = t.gql<{ removeExercise: number }>(
        'mutation($n: String!) { removeExercise(name: $n) }',
        { n: 'winter drill' },
        admin,
      );
      await lockWaiters(c, 1);
      const late = add('198.51.100.10');
      await lockWaiters(c, 2);
      await c.query('COMMIT');
      const removed = await removal;
      expect(removed.errors).toBeUndefined();
      expect(removed.data).toEqual({ removeExercise: 1 });
      // The import comes after the removal: its list is gone, and it says so.
      const imported = await late;
      expect(imported.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
      const left = await c.query(
        `SELECT (SELECT count(*)::int FROM indicator_list WHERE id = $1) AS lists,
                (SELECT count(*)::int FROM list_entry) AS entries`,
        [listId],
      );
      expect(left.rows[0]).toEqual({ lists: 0, entries: 0 });
    } finally {
      await c.query('ROLLBACK').catch(() => undefined);
      await c.end();
      await t.stop();
    }
  }, 180_000);
});
