import type { EntityManager } from 'typeorm';

/** Advisory lock key ("renk") shared by every writer of commit-ordered timestamps. */
export const COMMIT_ORDER_LOCK = 0x72656e6b;

/**
 * Takes the commit-order lock for the rest of the transaction. A timestamp written with
 * `clock_timestamp()` after it is later than that of every transaction that took the lock and
 * committed before, and earlier than that of every one that takes it after: readers paging by
 * such a timestamp (TAXII's `added_after`) never skip a row committed late with an early time.
 * Call it last in a transaction (it serialises the commits of the writers that use it).
 */
export async function lockCommitOrder(tx: EntityManager): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [COMMIT_ORDER_LOCK]);
}
