import { DynamicModule, Global, Module } from '@nestjs/common';
import { HUB_CONFIG, HubConfig } from './hub-config';

/** Makes the validated configuration injectable everywhere as HUB_CONFIG. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: HubConfig): DynamicModule {
    return {
      module: PlatformModule,
      providers: [{ provide: HUB_CONFIG, useValue: config }],
      exports: [HUB_CONFIG],
    };
  }
}
