import { ApolloDriverConfig } from '@nestjs/apollo';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { HubConfig } from '@renkei/platform';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { explorerLandingPage } from '../explorer/explorer';
import { createErrorFormatter } from './error-formatter';

/**
 * Apollo behind Nest, hardened from day one: depth, cost, alias, token and directive limits
 * (graphql-armor), no HTTP batching (so a batch cannot multiply login attempts), introspection
 * and field suggestions only where configured, and no stack traces to clients.
 */
export function graphqlOptions(config: HubConfig, log: Logger): ApolloDriverConfig {
  const g = config.graphql;
  const armor = new ApolloArmor({
    maxDepth: { n: g.maxDepth },
    costLimit: { maxCost: g.maxCost },
    maxAliases: { n: g.maxAliases },
    maxTokens: { n: g.maxTokens },
    maxDirectives: { n: 20 },
    // Suggestions ("did you mean ...?") leak the schema when introspection is off.
    blockFieldSuggestion: { enabled: !g.introspection },
  }).protect();
  type Plugin = NonNullable<ApolloDriverConfig['plugins']>[number];
  return {
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    introspection: g.introspection,
    playground: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    validationRules: armor.validationRules,
    // graphql-armor's typings point at Apollo's ESM build; the objects are the same at run time.
    plugins: [
      ...(armor.plugins as unknown as Plugin[]),
      (g.explorer
        ? explorerLandingPage()
        : ApolloServerPluginLandingPageDisabled()) as unknown as Plugin,
    ],
    formatError: createErrorFormatter(log),
    context: ({ req, res }: { req: Request; res: Response }) => ({ req, res }),
  };
}
