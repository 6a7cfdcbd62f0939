import 'reflect-metadata';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateWithLock, startEmbeddedPostgres } from '@renkei/platform';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../data-source-options';
import { pendingSchemaChanges } from './schema-drift';

/**
 * `npm run migration:draft`: applies the committed migrations to a throw-away embedded
 * PostgreSQL and prints the SQL still needed to match the entities: the body of the next
 * migration, to be reviewed and committed by hand.
 */
async function draft(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'renkei-draft-'));
  chmodSync(dir, 0o755); // reachable by the postgres system user when run as root
  const pg = await startEmbeddedPostgres({
    dataDir: join(dir, 'pg'),
    port: 54400 + Math.floor(Math.random() * 500),
  });
  const ds = new DataSource(dataSourceOptions(pg.url));
  try {
    await ds.initialize();
    await migrateWithLock(ds);
    const sql = await pendingSchemaChanges(ds);
    process.stdout.write(
      sql.length ? sql.map((q) => `${q};`).join('\n') + '\n' : '-- no changes\n',
    );
  } finally {
    await ds.destroy().catch(() => undefined);
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void draft();
