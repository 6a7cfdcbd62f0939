import { Client } from 'pg';

/**
 * Waits (no time asserted) until `n` other backends of the database wait for a lock. `c` may be
 * inside a transaction: pg_stat_activity keeps its first reading for the rest of one, so each
 * look discards it first.
 */
export async function lockWaiters(c: Client, n: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    await c.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await c.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid() AND datname = current_database()`,
    );
    if (rows[0].n >= n) return;
    if (Date.now() > deadline) throw new Error(`${n} writers never waited for a lock`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
