import { DynamicModule, Module } from '@nestjs/common';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { APP_INTERCEPTOR, HttpAdapterHost } from '@nestjs/core';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiTokenService, IdentityModule, SessionService } from '@renkei/identity';
import { IndicatorsModule } from '@renkei/indicators';
import { ReportsModule } from '@renkei/reports';
import { SharingModule } from '@renkei/sharing';
import { TaxiiModule } from '@renkei/taxii';
import { PushModule, PushService } from '@renkei/push';
import { dataSourceOptions } from './data-source-options';
import { HubConfig, NotificationsModule, PlatformModule } from '@renkei/platform';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { DemoSeeder } from './demo/demo-seeder';
import { ExplorerController } from './explorer/explorer';
import { graphqlOptions } from './graphql/graphql-options';
import { QueryLimits } from './graphql/query-limits';
import { SubscriptionServer } from './graphql/subscription-server';
import { HealthController } from './health/health.controller';
import { Housekeeping } from './housekeeping/housekeeping.service';
import { ReadRouteInterceptor } from './http/read-route.interceptor';
import { httpLogOptions } from './logging';
import { ConsoleController } from './console/console.controller';

@Module({})
export class AppModule {
  static forRoot(config: HubConfig, databaseUrl: string, log: Logger): DynamicModule {
    // One set of query limits for HTTP and WebSocket.
    const limits = new QueryLimits(config.graphql);
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(config),
        // hub.ts installs pino-http first; this one only binds the request's logger to its context.
        LoggerModule.forRoot({ pinoHttp: { ...httpLogOptions(log), autoLogging: false } }),
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl)),
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          ...graphqlOptions(config, log, limits),
        }),
        TerminusModule.forRoot({ logger: false }),
        NotificationsModule,
        SharingModule,
        IdentityModule,
        ReportsModule,
        IndicatorsModule,
        TaxiiModule,
        PushModule,
      ],
      controllers: [HealthController, ExplorerController, ConsoleController],
      providers: [
        { provide: APP_INTERCEPTOR, useClass: ReadRouteInterceptor },
        DemoSeeder,
        Housekeeping,
        {
          provide: SubscriptionServer,
          inject: [
            HttpAdapterHost,
            GraphQLSchemaHost,
            SessionService,
            ApiTokenService,
            PushService,
          ],
          useFactory: (
            adapterHost: HttpAdapterHost,
            schemaHost: GraphQLSchemaHost,
            sessions: SessionService,
            tokens: ApiTokenService,
            push: PushService,
          ) =>
            new SubscriptionServer(
              adapterHost,
              schemaHost,
              limits,
              config.subscriptions,
              { sessions, tokens, track: (c) => push.track(c) },
              log,
            ),
        },
      ],
    };
  }
}
