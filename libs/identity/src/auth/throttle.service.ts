import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HubError, ErrorCode } from '@renkei/platform';
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

/**
 * Brute-force limits on every password and second-factor attempt: per account (keyed by the
 * e-mail as typed, so a lock looks the same whether or not the account exists), per client
 * address, and per user for second factors. After the free failures each further failure locks
 * the key for a doubling time, up to 15 minutes. Every attempt goes through the database, so
 * aliased mutations in one request (executed one after another) count one by one.
 */
@Injectable()
export class ThrottleService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async assertOpen(keys: string[]): Promise<void> {
    const rows: { wait: number }[] = await this.db.query(
      `SELECT ceil(extract(epoch FROM locked_until - now()))::int AS wait
         FROM auth_throttle WHERE key = ANY($1) AND locked_until > now()`,
      [keys],
    );
    const wait = Math.max(0, ...rows.map((r) => r.wait));
    if (wait > 0) throw new TooManyAttemptsError(wait);
  }

  async recordFailure(keys: string[]): Promise<void> {
    for (const key of keys) {
      const free = FREE_FAILURES[key.split(':')[0]] ?? 5;
      await this.db.query(
        `INSERT INTO auth_throttle AS t (key, failures, locked_until, last_failure_at)
         VALUES ($1, 1, NULL, now())
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN t.last_failure_at < now() - make_interval(hours => $4) THEN 1 ELSE t.failures + 1 END,
           last_failure_at = now(),
           locked_until = CASE
             WHEN (CASE WHEN t.last_failure_at < now() - make_interval(hours => $4) THEN 1 ELSE t.failures + 1 END) > $2
             THEN now() + make_interval(secs => least($3, power(2, (t.failures + 1) - $2 - 1)))
             ELSE NULL END`,
        [key, free, MAX_LOCK_SECONDS, WINDOW_HOURS],
      );
    }
  }

  async clear(keys: string[]): Promise<void> {
    await this.db.query('DELETE FROM auth_throttle WHERE key = ANY($1)', [keys]);
  }
}
