import { IDENTITY_ENTITIES, IDENTITY_MIGRATIONS } from '@renkei/identity';
import { INDICATORS_MIGRATIONS } from '@renkei/indicators';
import { PLATFORM_MIGRATIONS } from '@renkei/platform';
import { PUSH_MIGRATIONS } from '@renkei/push';
import { REPORTS_MIGRATIONS } from '@renkei/reports';
import type { DataSourceOptions } from 'typeorm';

export const ENTITIES = [...IDENTITY_ENTITIES];
export const MIGRATIONS = [
  ...PLATFORM_MIGRATIONS,
  ...IDENTITY_MIGRATIONS,
  ...REPORTS_MIGRATIONS,
  ...INDICATORS_MIGRATIONS,
  ...PUSH_MIGRATIONS,
];

/** One definition for the hub, the tests and the migration tooling. */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false, // run under an advisory lock by createHub instead
    synchronize: false,
    uuidExtension: 'pgcrypto', // gen_random_uuid() is built into PostgreSQL 13+
    installExtensions: false,
    applicationName: 'renkei-hub',
    extra: { max: 10 },
  };
}
