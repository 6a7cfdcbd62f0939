export * from './tlp';
export * from './tlp-policy';
export * from './tlp-policy.sql';
export * from './scoped-database';
export * from './events';
export * from './event-retention';
