import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The TOTP encryption keys: from TOTP_ENCRYPTION_KEYS when set (production requires it), else
 * a key generated once into KEYS_DIR (mode 0600), so `npm start` works with no setup and seeds
 * are still never stored in clear.
 */
export function loadTotpKeys(
  configured: { id: string; key: Buffer }[] | undefined,
  keysDir: string,
) {
  if (configured?.length) return configured;
  const dir = resolve(keysDir);
  const file = join(dir, 'totp-local.key');
  if (!existsSync(file)) {
    // Only the keys directory is private: parents made on the way (./var) keep the usual mode,
    // or the embedded PostgreSQL beside it (./var/pg), run as `postgres`, could not reach its
    // data (a checkout where the tests ran first could not `npm start` as root).
    mkdirSync(dirname(dir), { recursive: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
  }
  return [{ id: 'local', key: Buffer.from(readFileSync(file, 'utf8').trim(), 'base64') }];
}
