import { DataSource } from 'typeorm';

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
