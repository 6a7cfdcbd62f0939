import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ErrorCode, HubError } from '@renkei/platform';
import { DataSource } from 'typeorm';

/** Failures allowed before delays start, per kind of key. */
const FREE_FAILURES: Record<string, number> = { account: 5, address: 50, 'second-factor': 5 };
const MAX_LOCK_SECONDS = 15 * 60;
/** Counters forget failures older than this. */
const WINDOW_HOURS = 1;

export class TooManyAttemptsError extends HubError {
  constructor(retryAfterSeconds: number) {
    super(
      ErrorCode.UNAUTHENTICATED,
      `Too many failed attempts; try again in ${retryAfterSeconds} seconds`,
      {
        reason: 'TOO_MANY_ATTEMPTS',
        retryAfterSeconds,
      },
    );
  }
}

const kindOf = (key: string) => key.split(':')[0];

/**
 * Brute-force limits on every password and second-factor attempt: per account (keyed by the
 * e-mail as typed, so a lock looks the same whether or not the account exists), per client
 * address, and per user for second factors.
 *
 * Each attempt is charged BEFORE the secret is checked, in one conditional upsert per key that
 * refuses while the key is locked: concurrent requests serialise on the row, so a thousand
 * parallel guesses get no more tries than a thousand sequential ones. After the free failures
 * every further attempt locks the key for a doubling time, up to 15 minutes. A successful
 * attempt gives its charge back.
 */
@Injectable()
export class ThrottleService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Charges one attempt to every key, or throws TOO_MANY_ATTEMPTS if one is locked. */
  async attempt(keys: string[]): Promise<void> {
    for (const key of keys) {
      const free = FREE_FAILURES[kindOf(key)] ?? 5;
      // The DO UPDATE reads the conflicting row as locked, in its newest version, so each of
      // many concurrent attempts counts on top of the one before it (a CTE would read the
      // statement's snapshot and let parallel guesses share one count).
      const n = `CASE WHEN t.last_failure_at < now() - make_interval(hours => $4) THEN 1 ELSE t.failures + 1 END`;
      const charged: unknown[] = await this.db.query(
        `INSERT INTO auth_throttle AS t (key, failures, locked_until, last_failure_at)
         VALUES ($1, 1, NULL, now())
         ON CONFLICT (key) DO UPDATE SET
           failures = ${n},
           last_failure_at = now(),
           locked_until = CASE WHEN ${n} > $2
             THEN now() + make_interval(secs => least($3, power(2, ${n} - $2 - 1)))
             ELSE NULL END
         WHERE t.locked_until IS NULL OR t.locked_until <= now()
         RETURNING failures`,
        [key, free, MAX_LOCK_SECONDS, WINDOW_HOURS],
      );
      if (!charged.length) {
        const [row] = await this.db.query(
          'SELECT greatest(1, ceil(extract(epoch FROM locked_until - now())))::int AS wait FROM auth_throttle WHERE key = $1',
          [key],
        );
        throw new TooManyAttemptsError(row?.wait ?? 1);
      }
    }
  }

  /** The secret was right: the account and second-factor keys start over, the address gets its charge back. */
  async succeeded(keys: string[]): Promise<void> {
    for (const key of keys) {
      if (kindOf(key) === 'address') {
        await this.db.query(
          `UPDATE auth_throttle SET failures = greatest(failures - 1, 0),
             locked_until = CASE WHEN failures - 1 <= $2 THEN NULL ELSE locked_until END
           WHERE key = $1`,
          [key, FREE_FAILURES.address],
        );
      } else {
        await this.db.query('DELETE FROM auth_throttle WHERE key = $1', [key]);
      }
    }
  }

  async clear(keys: string[]): Promise<void> {
    await this.db.query('DELETE FROM auth_throttle WHERE key = ANY($1)', [keys]);
  }
}
