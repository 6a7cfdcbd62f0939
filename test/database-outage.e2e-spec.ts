import { ChildProcess, execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, portOpen } from './support/ports';
import { createTestDatabase, HUB_MAIN, hubEnv, spawnHub, stopProcess } from './support/test-hub';

/**
 * What an operator meets when the database goes away: callers are told the database is
 * unavailable (503, Retry-After), never that their credentials are invalid; the embedded server
 * is brought back by the hub; a hub killed outright starts again by itself.
 */

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000) {
  for (const end = Date.now() + ms; Date.now() < end;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const FAKE_FEED_TOKEN = `rkt_${'A'.repeat(40)}`;
const FAKE_SESSION = `rks_${'B'.repeat(40)}`;

/** Calls with credentials the hub can only judge by asking its database. */
async function credentialedCalls(url: string) {
  const feed = await fetch(`${url}/feeds/ipv4.txt`, {
    headers: { authorization: `Basic ${Buffer.from(`x:${FAKE_FEED_TOKEN}`).toString('base64')}` },
  });
  const taxii = await fetch(`${url}/taxii2/`, {
    headers: {
      authorization: `Bearer ${FAKE_FEED_TOKEN}`,
      accept: 'application/taxii+json;version=2.1',
    },
  });
  const gql = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${FAKE_SESSION}` },
    body: JSON.stringify({ query: '{ me { id } }' }),
  });
  return {
    feed: {
      status: feed.status,
      retryAfter: feed.headers.get('retry-after'),
      body: await feed.json(),
    },
    taxii: {
      status: taxii.status,
      retryAfter: taxii.headers.get('retry-after'),
      body: (await taxii.json()) as { title?: string },
    },
    gql: (await gql.json()) as { errors?: { extensions?: { code?: string } }[] },
  };
}

/**
 * The database as the hub sees it over the network: a TCP relay to the run's PostgreSQL that can
 * be cut (refusing new connections and breaking open ones) and restored on the same port.
 */
class CuttableRelay {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  constructor(
    private readonly target: { host: string; port: number },
    readonly port: number,
  ) {}

  open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => this.sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    return new Promise((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server!.close(() => resolve()));
  }
}

describe('an external PostgreSQL that goes away and comes back', () => {
  let relay: CuttableRelay;
  let hub: { child: ChildProcess; output: string[] } | undefined;
  let url: string;

  beforeAll(async () => {
    const db = new URL(await createTestDatabase());
    relay = new CuttableRelay({ host: db.hostname, port: Number(db.port) }, await freePort());
    await relay.open();
    db.port = String(relay.port);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    hub = await spawnHub(
      hubEnv({ DATABASE_URL: db.toString(), PORT: String(port), HOST: '127.0.0.1' }),
    );
  }, 120_000);

  afterAll(async () => {
    if (hub) await stopProcess(hub.child);
    await relay.cut().catch(() => undefined);
  });

  it('answers 503 with Retry-After and DATABASE_UNAVAILABLE, not 401, while it is down', async () => {
    const before = await credentialedCalls(url);
    expect(before.feed.status).toBe(401); // the fake token is refused while the database answers
    expect(before.gql.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    await relay.cut();
    expect(await portOpen(relay.port)).toBe(false);

    const during = await credentialedCalls(url);
    expect(during.feed.status).toBe(503);
    expect(during.feed.retryAfter).toMatch(/^\d+$/);
    expect(JSON.stringify(during.feed.body)).toContain('DATABASE_UNAVAILABLE');
    expect(during.taxii.status).toBe(503);
    expect(during.taxii.retryAfter).toMatch(/^\d+$/);
    expect(during.taxii.body.title).toBe('Database unavailable');
    expect(during.gql.errors?.[0].extensions?.code).toBe('DATABASE_UNAVAILABLE');

    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    // Liveness stays up: restarting the hub would not bring an external database back.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    await relay.open();
    await until('readiness after the database returned', async () =>
      (await fetch(`${url}/readyz`)).status === 200 ? true : undefined,
    );
    const after = await credentialedCalls(url);
    expect(after.feed.status).toBe(401);
    expect(after.gql.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(hub!.child.exitCode).toBeNull();
  }, 120_000);
});

describe('the embedded PostgreSQL, supervised by the hub', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let pgPort: number;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'renkei-supervise-'));
    chmodSync(dir, 0o755); // the postgres system user must reach it when tests run as root
    pgPort = await freePort();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    env = hubEnv({
      PG_DATA_DIR: join(dir, 'pg'),
      KEYS_DIR: join(dir, 'keys'),
      PG_PORT: String(pgPort),
      PORT: String(port),
      HOST: '127.0.0.1',
      PG_RESTART_ATTEMPTS: '4',
      LOG_LEVEL: 'info',
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const postmasterPid = () =>
    Number(readFileSync(join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);

  it('restarts the embedded server after it is killed, and says so', async () => {
    const hub = await spawnHub(env);
    try {
      const first = postmasterPid();
      process.kill(first, 'SIGKILL');
      await until('a new postmaster', async () => {
        const pid = postmasterPid();
        return pid !== first && (await fetch(`${url}/readyz`)).status === 200 ? pid : undefined;
      });
      const log = hub.output.join('\n');
      expect(log).toContain('the embedded PostgreSQL exited unexpectedly; restarting it');
      expect(log).toContain('the embedded PostgreSQL was restarted');
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(await stopProcess(hub.child)).toBe(0);
      expect(await portOpen(pgPort)).toBe(false);
    } finally {
      if (hub.child.exitCode === null) hub.child.kill('SIGKILL');
    }
  }, 120_000);

  it('fails liveness when the embedded server cannot come back', async () => {
    const hub = await spawnHub(env);
    const pgDir = join(dir, 'pg');
    try {
      const pid = postmasterPid();
      // The server cannot start again in a data directory without its control file.
      const control = join(pgDir, 'global', 'pg_control');
      const saved = readFileSync(control);
      rmSync(control);
      process.kill(pid, 'SIGKILL');
      const health = await until('liveness to fail', async () => {
        const r = await fetch(`${url}/healthz`);
        return r.status === 503 ? ((await r.json()) as object) : undefined;
      });
      expect(JSON.stringify(health)).toContain('did not restart after 4 attempts');
      expect(hub.output.join('\n')).toContain('did not restart after 4 attempts');
      writeFileSync(control, saved);
      if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', control]);
    } finally {
      await stopProcess(hub.child, 'SIGKILL');
    }
  }, 180_000);

  it('leaves a live hub’s server alone: a second process on the same data directory stops instead', async () => {
    const live = await spawnHub(env);
    try {
      const pid = postmasterPid();
      const second = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        execFile(process.execPath, [HUB_MAIN, '--verify-audit'], { env }, (e, _out, stderr) =>
          resolve({ code: e ? (e.code as number) : 0, stderr }),
        );
      });
      expect(second.code).toBe(2);
      expect(second.stderr).toContain('already in use');
      expect(postmasterPid()).toBe(pid);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      expect(await stopProcess(live.child)).toBe(0);
    } finally {
      if (live.child.exitCode === null) live.child.kill('SIGKILL');
    }
  }, 120_000);

  it('starts by itself after a kill -9 left its PostgreSQL running', async () => {
    const killed = await spawnHub(env);
    const orphan = postmasterPid();
    await stopProcess(killed.child, 'SIGKILL');
    expect(await portOpen(pgPort)).toBe(true); // the orphan still holds the port

    const next = await spawnHub(env);
    try {
      expect(next.output.join('\n')).toContain(
        'stopping the embedded PostgreSQL that an earlier hub left running',
      );
      expect(postmasterPid()).not.toBe(orphan);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      expect(await stopProcess(next.child)).toBe(0);
      expect(await portOpen(pgPort)).toBe(false);
    } finally {
      if (next.child.exitCode === null) next.child.kill('SIGKILL');
    }
  }, 180_000);
});
