export * from './config/hub-config';
export * from './config/platform.module';
export * from './database/embedded-postgres';
export * from './database/migrations';
export * from './database/postgres-url';
export * from './errors/hub-errors';
export * from './graphql/pagination';
export * from './graphql/validation';
