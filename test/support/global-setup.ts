import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../libs/platform/src/database/embedded-postgres';
import { freePort } from './ports';

/**
 * Once per run: build the hub and its console (the e2e tests run the compiled server as a real
 * process), and
 * start one PostgreSQL, the embedded server with durability off (tests never need a
 * crash-safe database) unless TEST_DATABASE_URL names another. Test files find the server in
 * RENKEI_TEST_PG_URL and create their own databases in it.
 */
export default async function globalSetup(): Promise<void> {
  const root = join(__dirname, '..', '..');
  execFileSync(process.execPath, [require.resolve('@nestjs/cli/bin/nest.js'), 'build', 'hub'], {
    stdio: 'inherit',
    cwd: root,
  });
  // The console the hub serves at / (dist/console); a few seconds, and the browser tests and
  // the contract of its typed operations against schema/ depend on it.
  // NODE_ENV as in production: under jest it is `test`, and Vite would then bundle React's
  // development build, larger and slower than what people get.
  execFileSync('npm', ['run', 'build', '-w', 'apps/console'], {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (process.env.TEST_DATABASE_URL) {
    process.env.RENKEI_TEST_PG_URL = process.env.TEST_DATABASE_URL;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'renkei-test-'));
  chmodSync(dir, 0o755); // the postgres system user must reach it when tests run as root
  const pg = await startEmbeddedPostgres({
    dataDir: join(dir, 'pg'),
    port: await freePort(),
    settings: {
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      max_connections: '300',
    },
  });
  process.env.RENKEI_TEST_PG_URL = pg.url;
  (globalThis as { __renkeiPg?: { stop(): Promise<void>; dir: string } }).__renkeiPg = {
    stop: pg.stop,
    dir,
  };
}
