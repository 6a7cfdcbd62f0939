import { DynamicModule, Global, Module } from '@nestjs/common';
import { ReadRouter } from '../database/read-routing';
import { HUB_CONFIG, HubConfig } from './hub-config';

/** Makes the validated configuration (HUB_CONFIG) and the read routing injectable everywhere. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: HubConfig): DynamicModule {
    return {
      module: PlatformModule,
      providers: [{ provide: HUB_CONFIG, useValue: config }, ReadRouter],
      exports: [HUB_CONFIG, ReadRouter],
    };
  }
}
