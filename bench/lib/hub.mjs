/* global Buffer, clearTimeout, fetch, setTimeout -- Node globals (eslint.config.mjs declares none for .mjs) */
/*
 * Shared helpers for the benchmarks in bench/ (plain ES modules: Node 20 cannot run TypeScript
 * without a loader, and the repository has none installed). Run the scripts with `node`.
 *
 * startHub() runs the compiled hub (`npm run build` first) with its own embedded PostgreSQL in
 * a fresh temporary directory, bootstraps the first admin through RENKEI_ADMIN_EMAIL /
 * RENKEI_ADMIN_PASSWORD, and returns helpers to log in (password + TOTP enrolment), to call
 * GraphQL, and to stop everything again.
 *
 * startHub({ databaseUrl }) instead runs a further instance on an existing database (for
 * example another hub's `databaseUrl()`): no embedded PostgreSQL, no admin bootstrap, no login.
 * startHub({ nodeArgs }) adds `node` flags for the hub (after BENCH_HUB_NODE_ARGS); startHub({ env })
 * sets further environment (e.g. LOG_LEVEL) over the defaults.
 */
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const HUB_MAIN = join(ROOT, 'dist', 'apps', 'hub', 'src', 'main.js');
export const ADMIN_EMAIL = 'bench-admin@renkei.example';
export const ADMIN_PASSWORD = 'correct horse battery staple 42!';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s), as test/support/totp.ts. */
function base32Decode(input) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of input.replace(/=+$/, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function totpAt(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return ((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).toString().padStart(6, '0');
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const fmt = (n, digits = 1) =>
  Number.isFinite(n) ? n.toFixed(digits).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : String(n);

/** Prints rows (arrays of strings) as a Markdown table. */
export function table(header, rows) {
  const all = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [
    line(all[0]),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...all.slice(1).map(line),
  ].join('\n');
}

/**
 * Password, then TOTP enrolment (first login of an account) on the hub at `gql`; returns the
 * full session token. The TOTP seed is not kept: log each account in once.
 */
export async function loginWithTotp(gql, email, password) {
  const first = (
    await gql('mutation($i: LoginInput!) { login(input: $i) { token enrolmentRequired } }', {
      i: { email, password },
    })
  ).login;
  if (!first.enrolmentRequired)
    throw new Error(`expected a TOTP enrolment on first login of ${email}`);
  const { secret } = (await gql('mutation { startTotpEnrolment { secret } }', {}, first.token))
    .startTotpEnrolment;
  const done = await gql(
    'mutation($c: String!) { confirmTotpEnrolment(code: $c) { session { token } } }',
    { c: totpAt(secret, Math.floor(Date.now() / 30_000)) },
    first.token,
  );
  return done.confirmTotpEnrolment.session.token;
}

/**
 * Starts the compiled hub on a fresh embedded PostgreSQL and logs in its bootstrapped admin; or,
 * with `databaseUrl`, a further instance on that database (no embedded server, no bootstrap:
 * `session` is undefined). `keysDir` (default: in the temporary directory) holds the TOTP seed
 * key; instances on one database need the same one to verify each other's enrolments.
 */
export async function startHub({
  databaseUrl,
  keysDir,
  nodeArgs: extraNodeArgs = [],
  env: extraEnv = {},
} = {}) {
  const dataRoot = mkdtempSync(join(tmpdir(), 'renkei-bench-'));
  chmodSync(dataRoot, 0o777); // the embedded PostgreSQL runs as `postgres` when we are root
  const pgDataDir = join(dataRoot, 'pg');
  const pgPort = databaseUrl ? undefined : await freePort();
  const port = await freePort();
  keysDir ??= join(dataRoot, 'keys');
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (/^(DATABASE_URL|PG_|PORT|HOST|RENKEI_ADMIN|NODE_ENV|LOG_LEVEL|KEYS_DIR)/.test(k)) {
      delete env[k];
    }
  }
  Object.assign(env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
    KEYS_DIR: keysDir,
  });
  Object.assign(env, extraEnv);
  if (databaseUrl) {
    env.DATABASE_URL = databaseUrl;
  } else {
    Object.assign(env, {
      PG_DATA_DIR: pgDataDir,
      PG_PORT: String(pgPort),
      RENKEI_ADMIN_EMAIL: ADMIN_EMAIL,
      RENKEI_ADMIN_PASSWORD: ADMIN_PASSWORD,
    });
  }
  // BENCH_HUB_NODE_ARGS: extra node flags for the hub, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = (process.env.BENCH_HUB_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ...extraNodeArgs, HUB_MAIN], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  for (const s of [child.stdout, child.stderr]) {
    s.setEncoding('utf8');
    s.on('data', (chunk) => output.push(chunk));
  }
  let exited = false;
  child.once('exit', () => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (exited) throw new Error(`hub exited before listening:\n${output.join('')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`hub did not answer /healthz in 180 s:\n${output.join('')}`);
    }
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }

  const gql = async (query, variables, token) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = await res.json();
    if (!body.data || body.errors) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
    return body.data;
  };

  const session = databaseUrl ? undefined : await loginWithTotp(gql, ADMIN_EMAIL, ADMIN_PASSWORD);

  return {
    url,
    port,
    pgPort,
    pgDataDir,
    process: child,
    output,
    gql,
    session,
    keysDir,
    /** The embedded database as a URL for further instances (superuser, like the hub's own). */
    databaseUrl() {
      if (databaseUrl) return databaseUrl;
      const c = this.pgConfig();
      return `postgres://${c.user}:${encodeURIComponent(c.password)}@${c.host}:${c.port}/${c.database}`;
    },
    /** Connection settings of the embedded PostgreSQL's superuser (for baselines). */
    pgConfig() {
      if (databaseUrl) throw new Error('pgConfig: this instance runs on an external database');
      return {
        host: '127.0.0.1',
        port: pgPort,
        user: 'postgres',
        database: 'renkei',
        password: readFileSync(join(pgDataDir, 'renkei-superuser.secret'), 'utf8').trim(),
      };
    },
    async stop() {
      if (!exited) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await gone;
        clearTimeout(timer);
      }
      rmSync(dataRoot, { recursive: true, force: true });
    },
  };
}

export async function createList(hub, input) {
  return (
    await hub.gql(
      'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
      { i: input },
      hub.session,
    )
  ).createIndicatorList.id;
}

/** The REST bulk import: one value per line, answered with `{applied, added, ...}`. */
export async function importLines(hub, listId, body) {
  const res = await fetch(`${hub.url}/api/lists/${listId}/entries`, {
    method: 'POST',
    headers: { authorization: `Bearer ${hub.session}`, 'content-type': 'text/plain' },
    body,
  });
  const json = await res.json();
  if (res.status !== 200 || !json.applied) {
    throw new Error(`import: ${res.status} ${JSON.stringify(json).slice(0, 500)}`);
  }
  return json;
}
