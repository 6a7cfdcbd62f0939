import { connect, Socket } from 'node:net';
import { Client } from 'pg';
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

describe('housekeeping', () => {
  let t: TestHub;
  let db: string;
  let ids: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    // A first start migrates; the old records are planted, then a second start purges them.
    const first = await startTestHub({}, db);
    const admin = await first.bootstrapAdmin();
    await first.gql(
      'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
      { i: { name: 'fw', scopes: ['feeds:read'] } },
      admin.token,
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
    await c.end();
    t = await startTestHub({ HTTP_IDLE_TIMEOUT_MS: '1500', HTTP_BODY_TIMEOUT_MS: '1500' }, db);
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
});
