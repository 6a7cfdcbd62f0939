import { DataSource, QueryRunner } from 'typeorm';

/** Any fixed 64-bit key; every hub instance uses the same one. */
const MIGRATION_LOCK_KEY = 7_260_001_001;

/**
 * Runs pending migrations under a PostgreSQL advisory lock, so several hub instances starting at
 * once do not race (the second waits, then finds nothing to do). Returns the names it applied.
 */
export async function migrateWithLock(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

/**
 * Runs `work` in a migration with the table's FORCEd row-level security lifted (FORCE binds the
 * table's owner too, so a repair would see no rows), and puts it back as it was. Inside the
 * migration's transaction, so no other session ever sees the table unforced.
 */
export async function withoutForcedRls<T>(
  q: QueryRunner,
  table: string,
  work: () => Promise<T>,
): Promise<T> {
  const [{ forced }] = (await q.query(
    `SELECT relforcerowsecurity AS forced FROM pg_class WHERE oid = $1::regclass`,
    [table],
  )) as { forced: boolean }[];
  if (forced) await q.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
  const result = await work();
  if (forced) await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
  return result;
}
