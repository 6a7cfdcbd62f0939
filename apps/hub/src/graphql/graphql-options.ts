import { ApolloDriverConfig } from '@nestjs/apollo';
import type { GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import { GraphQLError, Kind, OperationTypeNode, parse } from 'graphql';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { clientAddress, HubConfig } from '@renkei/platform';
import type { IncomingMessage } from 'node:http';
import type { AnyPrincipal } from '@renkei/identity';
import type { PushConnection } from '@renkei/push';
import type { Request, Response } from 'express';
import type { WebSocket } from 'ws';
import type { Logger } from 'pino';
import { explorerLandingPage } from '../explorer/explorer';
import { createErrorFormatter } from './error-formatter';

/**
 * Apollo behind Nest, hardened from day one: depth, cost, alias, token and directive limits
 * (graphql-armor), no HTTP batching (so a batch cannot multiply login attempts), introspection
 * and field suggestions only where configured, and no stack traces to clients.
 */
/** How a graphql-ws connection_init is authenticated (the identity services). */
export interface SocketAuth {
  sessions: { authenticate(token: string): Promise<AnyPrincipal | undefined> };
  tokens: {
    check(
      token: string,
      address?: string,
    ): Promise<{ principal: AnyPrincipal } | { refusal?: { message: string } }>;
  };
  /** Follows the socket from connection_init on, so a revoked credential closes it even idle. */
  track?: (connection: PushConnection) => void;
}

export function graphqlOptions(
  config: HubConfig,
  log: Logger,
  auth?: SocketAuth,
): ApolloDriverConfig {
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
    // HTTP requests, and graphql-ws operations (whose context carries the socket's `extra`).
    context: (ctx: { req?: Request; res?: Response; extra?: SocketExtra }) =>
      ctx.extra ? socketContext(ctx.extra) : { req: ctx.req, res: ctx.res },
    ...(auth
      ? {
          subscriptions: {
            'graphql-ws': socketOptions(auth, log) as GraphQLWsSubscriptionsConfig,
          },
        }
      : {}),
  };
}

const CLOSE_FORBIDDEN = 4403;

type SocketExtra = { request: IncomingMessage; socket: WebSocket; connection?: unknown };

/**
 * graphql-ws on /graphql. connection_init must carry `authorization: "Bearer …"` (a session with
 * its second factor, or an API token; the guard then checks scopes per subscription as for
 * queries); anything else is refused with 4403 before any subscription starts. The request
 * context gets the principal the way HTTP requests do, so one guard serves both.
 */
function socketOptions(auth: SocketAuth, log: Logger) {
  return {
    path: '/graphql',
    // Errors reach the client as graphql-ws makes them, with no formatError: our typed errors
    // keep their code and extensions; anything else (a database error, a bug) says no more
    // than it would over HTTP.
    onNext: (
      _ctx: unknown,
      id: string,
      _payload: unknown,
      _args: unknown,
      result: { errors?: readonly GraphQLError[] },
    ) => (result.errors ? { ...result, errors: safeErrors(result.errors, id, log) } : undefined),
    onError: (_ctx: unknown, id: string, _payload: unknown, errors: readonly GraphQLError[]) =>
      safeErrors(errors, id, log),
    onConnect: async (ctx: { connectionParams?: Record<string, unknown>; extra: SocketExtra }) => {
      const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
      const credential = typeof raw === 'string' ? raw.replace(/^Bearer\s+/i, '').trim() : '';
      if (!credential) return false;
      // As HTTP sees it (trust proxy: loopback), so a token's allowed ranges see one address.
      const address = clientAddress(ctx.extra.request) ?? undefined;
      let principal: AnyPrincipal | undefined;
      if (credential.startsWith('rkt_')) {
        const checked = await auth.tokens.check(credential, address);
        if ('refusal' in checked && checked.refusal) {
          // As over HTTP: the reason, not "invalid" (a close reason holds at most 123 bytes).
          ctx.extra.socket.close(
            CLOSE_FORBIDDEN,
            `Forbidden: this token is not allowed from ${address ?? 'here'} (outside its allowed address ranges)`,
          );
          return false;
        }
        principal = 'principal' in checked ? checked.principal : undefined;
      } else {
        principal = await auth.sessions.authenticate(credential);
      }
      if (!principal || (principal.kind === 'user' && principal.aal < 2)) return false;
      const connection = { socket: ctx.extra.socket, principal, credential, address };
      ctx.extra.connection = connection;
      auth.track?.(connection);
      return true;
    },
    // The socket's principal is re-checked for what subscriptions need; queries and mutations
    // go over HTTP, where every request is authenticated afresh.
    onSubscribe: (_ctx: unknown, _id: string, payload: { query: string }) => {
      let document;
      try {
        document = parse(payload.query);
      } catch {
        return undefined; // graphql-ws reports the syntax error itself
      }
      const other = document.definitions.some(
        (d) =>
          d.kind === Kind.OPERATION_DEFINITION && d.operation !== OperationTypeNode.SUBSCRIPTION,
      );
      return other
        ? [
            new GraphQLError(
              'Only subscriptions go over WebSocket; send queries and mutations over HTTP',
            ),
          ]
        : undefined;
    },
  };
}

function safeErrors(errors: readonly GraphQLError[], id: string, log: Logger) {
  return errors.map((e) => {
    const original = e.originalError;
    const typed = original instanceof GraphQLError ? original : e;
    if (typeof typed.extensions?.code === 'string' || !original) {
      return { message: typed.message, path: e.path, extensions: typed.extensions };
    }
    log.error({ err: original, subscription: id }, 'unhandled error in a subscription');
    return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  });
}

/** The request context of a subscription: the principal of its connection, like a request's. */
function socketContext(extra: SocketExtra) {
  const connection = extra.connection as { principal: AnyPrincipal; address?: string };
  return {
    req: { headers: {}, principal: connection.principal, ip: connection.address },
    connection,
  };
}
