export * from './push.module';
export * from './push.service';
export * from './push.models';
export * from './push.migrations';
