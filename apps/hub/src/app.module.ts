import { DynamicModule, Module } from '@nestjs/common';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiTokenService, IdentityModule, SessionService } from '@renkei/identity';
import { IndicatorsModule } from '@renkei/indicators';
import { ReportsModule } from '@renkei/reports';
import { NotificationsModule } from '@renkei/sharing';
import { TaxiiModule } from '@renkei/taxii';
import { PushModule, PushService } from '@renkei/push';
import { dataSourceOptions } from './data-source-options';
import { HubConfig, PlatformModule } from '@renkei/platform';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { DemoSeeder } from './demo/demo-seeder';
import { ExplorerController } from './explorer/explorer';
import { graphqlOptions } from './graphql/graphql-options';
import { HealthController } from './health/health.controller';
import { Housekeeping } from './housekeeping/housekeeping.service';
import { httpLogOptions } from './logging';
import { PagesController } from './pages/pages.controller';

@Module({})
export class AppModule {
  static forRoot(config: HubConfig, databaseUrl: string, log: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(config),
        // hub.ts installs pino-http first; this one only binds the request's logger to its context.
        LoggerModule.forRoot({ pinoHttp: { ...httpLogOptions(log), autoLogging: false } }),
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl)),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [IdentityModule, PushModule],
          inject: [SessionService, ApiTokenService, PushService],
          useFactory: (sessions: SessionService, tokens: ApiTokenService, push: PushService) =>
            graphqlOptions(config, log, { sessions, tokens, track: (c) => push.track(c) }),
        }),
        TerminusModule.forRoot({ logger: false }),
        NotificationsModule,
        IdentityModule,
        ReportsModule,
        IndicatorsModule,
        TaxiiModule,
        PushModule,
      ],
      controllers: [HealthController, ExplorerController, PagesController],
      providers: [DemoSeeder, Housekeeping],
    };
  }
}
