export * from './indicators.migrations';
export * from './indicators.module';
export * from './lists/list.service';
export * from './lists/list.models';
export * from './feeds/feed.service';
export * from './feeds/feed-fast-path';
export * as stix from './stix';
export { StixNamespace } from './stix/stix-namespace.service';
