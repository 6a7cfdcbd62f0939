/* global Buffer, fetch, performance -- Node globals (eslint.config.mjs declares none for .mjs) */
/* Small helpers of bench/scale. */
import { createHash, randomBytes } from 'node:crypto';

export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s.at(-1) };
}

export async function timedFetch(url, headers) {
  const t0 = performance.now();
  const r = await fetch(url, { headers });
  const body = Buffer.from(await r.arrayBuffer());
  return { status: r.status, headers: r.headers, body, ms: performance.now() - t0 };
}

/**
 * Signed-in sessions for generated users, written as the hub's SessionService writes them
 * (sha-256 of an `rks_` token, second factor proven now) beside a registered passkey, so
 * that tens of thousands of subscribers need no argon2 verification and TOTP enrolment each
 * (the login path is not what the bench measures). A passkey, not a TOTP factor: an instance
 * refuses to start when a TOTP seed does not open with its keys; nobody signs with this one. Returns the tokens in the order of `userIds`.
 */
export async function sessionsFor(db, userIds) {
  const tokens = userIds.map(() => 'rks_' + randomBytes(32).toString('base64url'));
  const hashes = tokens.map((t) => createHash('sha256').update(t).digest());
  for (let i = 0; i < userIds.length; i += 5000) {
    const ids = userIds.slice(i, i + 5000);
    await db.query(
      `INSERT INTO passkey (user_id, credential_id, public_key, device_type, backed_up, name)
       SELECT id, 'bench-' || id, '\\x00'::bytea, 'singleDevice', false, 'bench'
         FROM unnest($1::uuid[]) id
       ON CONFLICT (credential_id) DO NOTHING`,
      [ids],
    );
    await db.query(
      `INSERT INTO session (user_id, token_hash, last_seen_at, expires_at, aal, second_factor_at)
       SELECT id, h, now(), now() + interval '12 hours', 2, now()
         FROM unnest($1::uuid[], $2::bytea[]) AS s(id, h)`,
      [ids, hashes.slice(i, i + 5000)],
    );
  }
  return tokens;
}
