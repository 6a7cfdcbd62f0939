import 'reflect-metadata';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateWithLock, startEmbeddedPostgres } from '@renkei/platform';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../data-source-options';
import { pendingSchemaChanges } from './schema-drift';

/**
 * `npm run migration:draft`: applies the committed migrations to an empty database (a
 * throw-away embedded PostgreSQL, or the empty database DATABASE_URL names) and prints the SQL
 * still needed to match the entities: the body of the next migration, to be reviewed and
 * committed by hand. Exits 1 when there is any, so the drift test can use it as a gate.
 */
async function draft(): Promise<void> {
  let url = process.env.DATABASE_URL;
  let cleanup = async (): Promise<void> => undefined;
  if (!url) {
    const dir = mkdtempSync(join(tmpdir(), 'renkei-draft-'));
    chmodSync(dir, 0o755); // reachable by the postgres system user when run as root
    const pg = await startEmbeddedPostgres({
      dataDir: join(dir, 'pg'),
      port: 54400 + Math.floor(Math.random() * 500),
    });
    url = pg.url;
    cleanup = async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const ds = new DataSource(dataSourceOptions(url));
  try {
    await ds.initialize();
    await migrateWithLock(ds);
    const sql = await pendingSchemaChanges(ds);
    process.stdout.write(
      sql.length ? sql.map((q) => `${q};`).join('\n') + '\n' : '-- no changes\n',
    );
    process.exitCode = sql.length ? 1 : 0;
  } finally {
    await ds.destroy().catch(() => undefined);
    await cleanup();
  }
}

void draft();
