import { DynamicModule, Global, Module } from '@nestjs/common';
import { ReadRouter } from '../database/read-routing';
import { SmtpMailer } from '../mail/smtp-mailer';
import { HUB_CONFIG, HubConfig } from './hub-config';

/**
 * Makes the validated configuration (HUB_CONFIG), the read routing and the SMTP client
 * injectable everywhere.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: HubConfig): DynamicModule {
    return {
      module: PlatformModule,
      providers: [{ provide: HUB_CONFIG, useValue: config }, ReadRouter, SmtpMailer],
      exports: [HUB_CONFIG, ReadRouter, SmtpMailer],
    };
  }
}
