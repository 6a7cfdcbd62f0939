export * from './taxii.module';
export * from './taxii.controller';
export * from './taxii-params';
export * from './taxii-media';
export * from './taxii-errors';
