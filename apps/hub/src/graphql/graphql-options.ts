import { ApolloDriverConfig } from '@nestjs/apollo';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { HubConfig, SCHEMA_SCALARS } from '@renkei/platform';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { explorerLandingPage } from '../explorer/explorer';
import { graphqlMetricsPlugin } from '../metrics/hub-metrics';
import { createErrorFormatter } from './error-formatter';
import { QueryLimits } from './query-limits';

/**
 * Apollo behind Nest, hardened from day one: the query limits (QueryLimits, shared with the
 * WebSocket transport), no HTTP batching (so a batch cannot multiply login attempts),
 * introspection and field suggestions only where configured, and no stack traces to clients.
 * Subscriptions are served by SubscriptionServer, not by @nestjs/graphql.
 */
export function graphqlOptions(
  config: HubConfig,
  log: Logger,
  limits: QueryLimits,
): ApolloDriverConfig {
  const g = config.graphql;
  type Plugin = NonNullable<ApolloDriverConfig['plugins']>[number];
  return {
    path: '/graphql',
    autoSchemaFile: true,
    buildSchemaOptions: SCHEMA_SCALARS,
    sortSchema: true,
    introspection: g.introspection,
    playground: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    parseOptions: limits.parseOptions,
    validationRules: [...limits.validationRules],
    // Apollo's typings here point at its ESM build; the objects are the same at run time.
    plugins: [
      limits.apolloPlugin() as unknown as Plugin,
      graphqlMetricsPlugin() as unknown as Plugin,
      (g.explorer
        ? explorerLandingPage()
        : ApolloServerPluginLandingPageDisabled()) as unknown as Plugin,
    ],
    formatError: createErrorFormatter(log),
    context: (ctx: { req: Request; res: Response }) => ({ req: ctx.req, res: ctx.res }),
  };
}
