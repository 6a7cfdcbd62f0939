import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort, portOpen } from './support/ports';
import {
  createTestDatabase,
  gqlClient,
  HUB_MAIN,
  hubEnv,
  setupTokenIn,
  spawnHub,
  startTestHub,
  stopProcess,
  STRONG_PASSWORD,
  TEST_TOTP_KEYS,
} from './support/test-hub';

const exec = promisify(execFile);
const SETUP = `mutation($i: CompleteSetupInput!) { completeSetup(input: $i) { user { email role } organisation { kind } } }`;
const setupInput = (token: string) => ({
  i: {
    token,
    email: 'first@csirt.example',
    password: STRONG_PASSWORD,
    displayName: 'First',
    coordinatorName: 'Sector CSIRT',
  },
});

describe('the hub on its embedded PostgreSQL (what `npm start` runs)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let pgPort: number;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'renkei-start-'));
    chmodSync(dir, 0o755); // the postgres system user must reach it when tests run as root
    pgPort = await freePort();
    port = await freePort();
    env = hubEnv({
      PG_DATA_DIR: join(dir, 'pg'),
      KEYS_DIR: join(dir, 'keys'),
      PG_PORT: String(pgPort),
      PORT: String(port),
      HOST: '127.0.0.1',
      ARGON2_MEMORY_KIB: '8192',
      ARGON2_TIME_COST: '1',
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts, migrates, is ready, survives a restart, and stops cleanly on SIGTERM', async () => {
    const first = await spawnHub(env);
    const url = `http://127.0.0.1:${port}`;
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      details: { database: { status: 'up' }, migrations: { status: 'up' } },
    });
    expect(statSync(join(dir, 'pg', 'renkei-superuser.secret')).mode & 0o077).toBe(0);

    const gql = gqlClient(url);
    const token1 = setupTokenIn(first.output);
    const setup = await gql(SETUP, setupInput(token1));
    expect(setup.data).toEqual({
      completeSetup: {
        user: { email: 'first@csirt.example', role: 'HUB_ADMIN' },
        organisation: { kind: 'COORDINATOR' },
      },
    });
    const again = await gql(SETUP, setupInput(token1));
    expect(again.errors![0].extensions!.code).toBe('CONFLICT');

    expect(await stopProcess(first.child)).toBe(0);
    expect(first.output.join('\n')).toContain('"msg":"stopped"');
    expect(await portOpen(pgPort)).toBe(false); // the embedded server was stopped too
    expect(await portOpen(port)).toBe(false);

    const second = await spawnHub(env);
    expect(second.output.join('\n')).not.toMatch(/rksetup_/); // setup is done: no new token
    const login = await gql<{ login: { user: { email: string } } }>(
      'mutation { login(input: { email: "first@csirt.example", password: "long enough passphrase for tests" }) { user { email } } }',
    );
    expect(login.data!.login.user.email).toBe('first@csirt.example');
    expect(await stopProcess(second.child)).toBe(0);
  });

  it('lets a request in flight finish when SIGTERM arrives', async () => {
    // A slow password hash keeps the login request in flight while the signal arrives.
    const slow = { ...env, ARGON2_MEMORY_KIB: '65536', ARGON2_TIME_COST: '12' };
    const hub = await spawnHub(slow);
    const url = `http://127.0.0.1:${port}`;
    const inFlight = fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          'mutation { login(input: { email: "first@csirt.example", password: "long enough passphrase for tests" }) { token } }',
      }),
    });
    await new Promise((r) => setTimeout(r, 150));
    const exited = stopProcess(hub.child);
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { login: { token: string } } }).data.login.token).toMatch(
      /^rks_/,
    );
    expect(await exited).toBe(0);
    expect(await portOpen(pgPort)).toBe(false);
  });

  it('says clearly when the embedded server port is taken', async () => {
    const blocker = spawn(process.execPath, [
      '-e',
      `require('net').createServer().listen(${pgPort}, '127.0.0.1')`,
    ]);
    await new Promise((r) => setTimeout(r, 300));
    try {
      const r = await exec(process.execPath, [HUB_MAIN], { env }).catch((e) => e);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`PG_PORT ${pgPort} is already in use`);
    } finally {
      blocker.kill();
    }
  });
});

describe('first start on an external PostgreSQL (DATABASE_URL)', () => {
  it('prints a setup token that a restart voids', async () => {
    const db = await createTestDatabase();
    const a = await startTestHub({}, db);
    const tokenA = setupTokenIn(a.output);
    await a.stop();
    const b = await startTestHub({}, db);
    const tokenB = setupTokenIn(b.output);
    expect(tokenB).not.toBe(tokenA);
    const stale = await b.gql(SETUP, setupInput(tokenA));
    expect(stale.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    const wrong = await b.gql(SETUP, setupInput('rksetup_guess'));
    expect(wrong.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect((await b.gql(SETUP, setupInput(tokenB))).errors).toBeUndefined();
    await b.stop();
  });

  it('creates the first admin from RENKEI_ADMIN_EMAIL and RENKEI_ADMIN_PASSWORD, printing no token', async () => {
    const t = await startTestHub({
      RENKEI_ADMIN_EMAIL: 'Boot@CSIRT.example',
      RENKEI_ADMIN_PASSWORD: STRONG_PASSWORD,
      RENKEI_COORDINATOR_NAME: 'JP Sector CSIRT',
    });
    expect(t.output.join('\n')).not.toMatch(/rksetup_/);
    const token = await t.login('boot@csirt.example', STRONG_PASSWORD);
    const me = await t.gql('{ me { role organisation { name kind } } }', {}, token);
    expect(me.data).toEqual({
      me: { role: 'HUB_ADMIN', organisation: { name: 'JP Sector CSIRT', kind: 'COORDINATOR' } },
    });
    await t.stop();
  });

  it('refuses a bad configuration with one line naming the variable', async () => {
    const r = await exec(process.execPath, [HUB_MAIN], {
      env: hubEnv({ PORT: 'eighty', DATABASE_URL: 'postgres://x@127.0.0.1:1/x' }),
    }).catch((e) => e);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'Invalid configuration: PORT must be an integer number (got "eighty")',
    );
  });

  it('is not ready while migrations are pending, but alive', async () => {
    const t = await startTestHub({ MIGRATIONS_RUN: 'false' });
    const r = await fetch(`${t.url}/readyz`);
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({
      status: 'error',
      error: { migrations: { status: 'down' } },
    });
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    await t.stop();
  });

  it('lets two instances start together on one empty database (migrations under a lock)', async () => {
    const db = await createTestDatabase();
    const [a, b] = await Promise.all([startTestHub({}, db), startTestHub({}, db)]);
    try {
      for (const h of [a, b]) expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
      const client = new Client({ connectionString: db });
      await client.connect();
      const { rows } = await client.query('SELECT name FROM migrations');
      await client.end();
      const names: string[] = rows.map((r) => r.name);
      // Each migration ran exactly once, though both instances tried.
      expect(new Set(names).size).toBe(names.length);
      expect(names).toEqual(
        expect.arrayContaining(['Identity1763769600000', 'Reports1763769900000']),
      );
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('has migrations that match the entities exactly (no drift)', async () => {
    const db = await createTestDatabase();
    const draft = HUB_MAIN.replace(/main\.js$/, 'cli/migration-draft.js');
    const r = await exec(process.execPath, [draft], { env: hubEnv({ DATABASE_URL: db }) }).catch(
      (e) => e,
    );
    if (r.code)
      throw new Error(`entities and migrations differ; add a migration with:\n${r.stdout}`);
    expect(r.stdout.trim()).toBe('-- no changes');
  });
});

describe('npm run demo', () => {
  it('fills an empty hub with a sample community, once', async () => {
    const db = await createTestDatabase();
    const first = await startTestHub({ LOG_LEVEL: 'info' }, db);
    await first.stop();
    const port = await freePort();
    const env = hubEnv({
      DATABASE_URL: db,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      ARGON2_MEMORY_KIB: '8192',
      ARGON2_TIME_COST: '1',
      TOTP_ENCRYPTION_KEYS: TEST_TOTP_KEYS,
    });
    const demo = await spawnHub(env, ['--demo']);
    const printed = demo.output.join('\n');
    const password = /^\s+(demo-[A-Za-z0-9_-]+)$/m.exec(printed)![1];
    // The demo made the hub admin: no setup token that could no longer be used.
    expect(printed).not.toMatch(/rksetup_/);
    expect(await stopProcess(demo.child)).toBe(0);
    // Look at the result as a demo user would: password, then an authenticator app.
    const t = await startTestHub({}, db);
    const token = await t.login('coordinator@ci-csirt.example', password);
    const orgs = await t.gql<{
      organisations: {
        edges: {
          node: { kind: string; sector: { code: string }; group: { name: string } | null };
        }[];
      };
    }>(
      '{ organisations(first: 100) { edges { node { kind sector { code } group { name } } } } }',
      {},
      token,
    );
    const nodes = orgs.data!.organisations.edges.map((e) => e.node);
    expect(nodes.filter((n) => n.kind === 'SECTOR_CSIRT').length).toBeGreaterThanOrEqual(1);
    expect(
      new Set(nodes.filter((n) => n.kind === 'OPERATOR').map((n) => n.sector.code)).size,
    ).toBeGreaterThanOrEqual(3);
    expect(
      nodes.filter((n) => n.group?.name === 'Higashi Energy Group').length,
    ).toBeGreaterThanOrEqual(2);
    expect((await t.gql('{ hubStatus { setupRequired } }')).data).toEqual({
      hubStatus: { setupRequired: false },
    });
    await t.stop();

    const rerun = await spawnHub(env, ['--demo']);
    expect(rerun.output.join('\n')).toContain('nothing was added');
    await stopProcess(rerun.child);
  });
});
