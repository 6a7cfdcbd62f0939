import { ChildProcess, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { withDatabase } from '../../libs/platform/src/database/postgres-url';
import { freePort } from './ports';
import { currentStep, totpAt } from './totp';

export const HUB_MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'hub', 'src', 'main.js');
export const STRONG_PASSWORD = 'long enough passphrase for tests';
/** Seals TOTP seeds in test hubs (production mode insists on a configured key). */
export const TEST_TOTP_KEYS = `test:${Buffer.alloc(32, 42).toString('base64')}`;

export interface Authenticator {
  secret: string;
  usedSteps: Set<number>;
  recoveryCodes: string[];
}

/** A TOTP code for an unused time step within the ±1 step window, or undefined. */
export function nextTotp(a: Authenticator): { code: string; step: number } | undefined {
  const now = currentStep();
  for (const step of [now, now + 1]) {
    if ([...a.usedSteps].some((s) => s >= step)) continue;
    return { code: totpAt(a.secret, step), step };
  }
  return undefined;
}

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
  headers: Headers;
}

export interface TestHub {
  url: string;
  databaseUrl: string;
  process: ChildProcess;
  /** Everything the hub wrote to stdout and stderr, line by line (JSON log lines and banners). */
  output: string[];
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GqlResult<T>>;
  /** Completes setup with the token the hub printed; returns a hub admin's session token. */
  bootstrapAdmin(): Promise<{
    token: string;
    organisationId: string;
    email: string;
    password: string;
  }>;
  /**
   * A full session, as a person would get one: password, then the user's authenticator app
   * (enrolled on first use, its seed kept by the harness), or a recovery code when the app's
   * codes within the window are used up.
   */
  login(email: string, password: string): Promise<string>;
  /** Password only: a session that can just verify or enrol a second factor. */
  passwordLogin(
    email: string,
    password: string,
  ): Promise<{ token: string; enrolmentRequired: boolean }>;
  /** The TOTP seed and recovery codes the harness enrolled for a user. */
  authenticators: Map<string, Authenticator>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** A fresh database in the run's PostgreSQL. */
export async function createTestDatabase(): Promise<string> {
  const server = process.env.RENKEI_TEST_PG_URL;
  if (!server)
    throw new Error('RENKEI_TEST_PG_URL is unset: run the tests through jest (global setup)');
  const name = `renkei_test_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: server });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  return withDatabase(server, name);
}

/** The environment a test hub runs with: the caller's, minus anything that would redirect it. */
export function hubEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      !/^(DATABASE_URL|PG_|PORT|HOST|RENKEI_ADMIN|GRAPHQL_|NODE_ENV|LOG_LEVEL|MIGRATIONS_RUN)/.test(
        k,
      )
    )
      env[k] = v;
  }
  // Never the checkout's ./var/keys: a hub spawned without keys would leave one there.
  return { ...env, KEYS_DIR: join(tmpdir(), `renkei-test-keys-${process.pid}`), ...extra };
}

/** Spawns the compiled hub and resolves once it logs that it listens (or rejects with its output). */
export function spawnHub(
  env: NodeJS.ProcessEnv,
  args: string[] = [],
): Promise<{ child: ChildProcess; output: string[] }> {
  const child = spawn(process.execPath, [HUB_MAIN, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hub did not start in 60 s:\n${output.join('\n')}`));
    }, 60_000);
    const onLine = (line: string) => {
      output.push(line);
      if (line.includes('"msg":"renkei hub listening"')) {
        clearTimeout(timer);
        resolve({ child, output });
      }
    };
    for (const stream of [child.stdout!, child.stderr!]) {
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        lines.forEach(onLine);
      });
    }
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited with ${code} before listening:\n${output.join('\n')}`));
    });
  });
}

export function stopProcess(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

export function gqlClient(url: string) {
  return async <T>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GqlResult<T>> => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T | null; errors?: GqlResult['errors'] };
    return { status: res.status, data: body.data, errors: body.errors, headers: res.headers };
  };
}

/**
 * The real hub as a separate process (compiled server, HTTP on a free port) on its own fresh
 * database. Cheap argon2 parameters keep the suite fast; everything else is production code.
 */
export async function startTestHub(
  env: Record<string, string> = {},
  databaseUrl?: string,
  port?: number,
): Promise<TestHub> {
  // With PG_DATA_DIR the hub runs on its own embedded server (as `npm start` does), with its
  // seal key in KEYS_DIR; otherwise on a fresh database of the run's server.
  const embedded = Boolean(env.PG_DATA_DIR);
  const db = embedded ? '' : (databaseUrl ?? (await createTestDatabase()));
  port ??= await freePort();
  const base: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: db,
    HOST: '127.0.0.1',
    PORT: String(port),
    ARGON2_MEMORY_KIB: '8192',
    ARGON2_TIME_COST: '1',
    TOTP_ENCRYPTION_KEYS: TEST_TOTP_KEYS,
    // Browsers reach the hub as http://localhost:<port> (WebAuthn refuses IP addresses as the
    // relying party); set explicitly so an inherited WEBAUTHN_* cannot point elsewhere.
    WEBAUTHN_RP_ID: 'localhost',
    WEBAUTHN_ORIGINS: `http://localhost:${port}`,
  };
  if (embedded) {
    delete base.DATABASE_URL;
    delete base.TOTP_ENCRYPTION_KEYS;
  }
  const { child, output } = await spawnHub(hubEnv({ ...base, ...env }));
  const url = `http://127.0.0.1:${port}`;
  const gql = gqlClient(url);
  const authenticators = new Map<string, Authenticator>();
  const passwordLogin = async (email: string, password: string) => {
    const r = await gql<{ login: { token: string; enrolmentRequired: boolean } }>(
      'mutation($i: LoginInput!) { login(input: $i) { token enrolmentRequired } }',
      { i: { email, password } },
    );
    if (!r.data?.login) throw new Error(`login failed: ${JSON.stringify(r.errors)}`);
    return r.data.login;
  };
  const login = async (email: string, password: string) => {
    const first = await passwordLogin(email, password);
    const key = email.toLowerCase();
    if (first.enrolmentRequired) {
      const start = await gql<{ startTotpEnrolment: { secret: string } }>(
        'mutation { startTotpEnrolment { secret } }',
        {},
        first.token,
      );
      const a: Authenticator = {
        secret: start.data!.startTotpEnrolment.secret,
        usedSteps: new Set(),
        recoveryCodes: [],
      };
      const { code, step } = nextTotp(a)!;
      const done = await gql<{
        confirmTotpEnrolment: { recoveryCodes: string[]; session: { token: string } };
      }>(
        'mutation($c: String!) { confirmTotpEnrolment(code: $c) { recoveryCodes session { token } } }',
        { c: code },
        first.token,
      );
      if (!done.data) throw new Error(`enrolment failed: ${JSON.stringify(done.errors)}`);
      a.usedSteps.add(step);
      a.recoveryCodes = done.data.confirmTotpEnrolment.recoveryCodes;
      authenticators.set(key, a);
      return done.data.confirmTotpEnrolment.session.token;
    }
    const a = authenticators.get(key);
    if (!a) throw new Error(`the harness has no authenticator for ${email}`);
    const totp = nextTotp(a);
    const r = totp
      ? await gql<{ verifyTotp: { token: string } }>(
          'mutation($c: String!) { verifyTotp(code: $c) { token } }',
          { c: totp.code },
          first.token,
        )
      : await gql<{ verifyRecoveryCode: { token: string } }>(
          'mutation($c: String!) { verifyRecoveryCode(code: $c) { token } }',
          { c: a.recoveryCodes.shift() },
          first.token,
        );
    if (totp) a.usedSteps.add(totp.step);
    const token = (
      r.data as { verifyTotp?: { token: string }; verifyRecoveryCode?: { token: string } } | null
    )?.[totp ? 'verifyTotp' : 'verifyRecoveryCode']?.token;
    if (!token) throw new Error(`second factor failed: ${JSON.stringify(r.errors)}`);
    return token;
  };
  return {
    url,
    databaseUrl: db,
    process: child,
    output,
    gql,
    login,
    passwordLogin,
    authenticators,
    async bootstrapAdmin() {
      const token = setupTokenIn(output);
      const email = 'admin@ci-csirt.example';
      const r = await gql<{ completeSetup: { organisation: { id: string } } }>(
        'mutation($i: CompleteSetupInput!) { completeSetup(input: $i) { organisation { id } } }',
        {
          i: {
            token,
            email,
            password: STRONG_PASSWORD,
            displayName: 'Admin',
            coordinatorName: 'CI-CSIRT',
          },
        },
      );
      if (!r.data?.completeSetup) throw new Error(`setup failed: ${JSON.stringify(r.errors)}`);
      return {
        token: await login(email, STRONG_PASSWORD),
        organisationId: r.data.completeSetup.organisation.id,
        email,
        password: STRONG_PASSWORD,
      };
    },
    stop: () => stopProcess(child),
  };
}

export function setupTokenIn(output: string[]): string {
  const token = output
    .join('\n')
    .match(/rksetup_[A-Za-z0-9_-]+/g)
    ?.pop();
  if (!token) throw new Error(`the hub printed no setup token:\n${output.join('\n')}`);
  return token;
}
