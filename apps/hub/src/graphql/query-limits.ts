import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  DocumentNode,
  getOperationAST,
  GraphQLError,
  GraphQLSchema,
  OperationTypeNode,
  parse,
  ParseOptions,
  specifiedRules,
  validate,
  ValidationRule,
} from 'graphql';
import type { HubConfig } from '@renkei/platform';

/** A client's document refused before it ran: what it sees, with a stable code. */
export type Refusal = { errors: GraphQLError[] };

/**
 * The limits every GraphQL document meets before it runs — depth, cost, aliases, directives
 * (graphql-armor's rules), tokens (the parser's own limit), no field suggestions while
 * introspection is off — built once per hub and used by both transports: Apollo over HTTP and
 * graphql-ws over WebSocket. A subscription is a document like any other; before this it
 * reached the resolvers with graphql-ws's default validation only (400 aliased fields ran).
 */
export class QueryLimits {
  readonly parseOptions: ParseOptions;
  readonly validationRules: readonly ValidationRule[];
  private readonly hideSuggestions: boolean;

  constructor(g: HubConfig['graphql']) {
    this.parseOptions = { maxTokens: g.maxTokens };
    this.validationRules = new ApolloArmor({
      maxDepth: { n: g.maxDepth },
      costLimit: { maxCost: g.maxCost },
      maxAliases: { n: g.maxAliases },
      maxDirectives: { n: 20 },
      // Tokens are counted by graphql's parser (parseOptions) and suggestions hidden by
      // message(), so both transports go through the same code, not through Apollo plugins.
      maxTokens: { enabled: false },
      blockFieldSuggestion: { enabled: false },
    }).protect().validationRules;
    // Suggestions ("did you mean ...?") leak the schema when introspection is off.
    this.hideSuggestions = !g.introspection;
  }

  /** The message a client sees: without schema hints when introspection is off. */
  message(message: string): string {
    return this.hideSuggestions
      ? message.replace(/Did you mean ".+"\?/g, '[Suggestion hidden]').trim()
      : message;
  }

  /** Apollo's share of the limits (HTTP). */
  apolloPlugin(): ApolloServerPlugin {
    return {
      requestDidStart: async () => ({
        didEncounterErrors: async ({ errors }) => {
          for (const e of errors) e.message = this.message(e.message);
        },
        // Apollo would try to run a subscription over HTTP and fail without a code.
        didResolveOperation: async ({ operation }) => {
          if (operation?.operation === OperationTypeNode.SUBSCRIPTION) {
            throw new GraphQLError(SUBSCRIPTIONS_OVER_WS, {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          }
        },
      }),
    };
  }

  /**
   * graphql-ws's share (WebSocket): parses and validates a subscription as Apollo would, with
   * the same codes (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED), and takes subscriptions
   * only: queries and mutations go over HTTP, where each request is authenticated afresh.
   */
  check(schema: GraphQLSchema, source: string, operationName?: string): DocumentNode | Refusal {
    let document: DocumentNode;
    try {
      document = parse(source, this.parseOptions);
    } catch (e) {
      const syntax = e instanceof GraphQLError ? e : new GraphQLError(String(e));
      return refusal(syntax.message, 'GRAPHQL_PARSE_FAILED', syntax);
    }
    const invalid = validate(schema, document, [...specifiedRules, ...this.validationRules]);
    if (invalid.length) {
      return {
        errors: invalid.map(
          (e) =>
            new GraphQLError(this.message(e.message), {
              nodes: e.nodes,
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
            }),
        ),
      };
    }
    const operation = getOperationAST(document, operationName);
    if (!operation) {
      return refusal(
        operationName
          ? `Unknown operation named "${operationName}".`
          : 'Must provide operation name if query contains multiple operations.',
        'OPERATION_RESOLUTION_FAILURE',
      );
    }
    if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
      return refusal(
        'Only subscriptions go over WebSocket; send queries and mutations over HTTP',
        'BAD_REQUEST',
      );
    }
    return document;
  }
}

const SUBSCRIPTIONS_OVER_WS =
  'Subscriptions go over WebSocket (graphql-ws, /graphql); send queries and mutations over HTTP';

function refusal(message: string, code: string, original?: GraphQLError): Refusal {
  return {
    errors: [
      new GraphQLError(message, {
        source: original?.source,
        positions: original?.positions,
        extensions: { code },
      }),
    ],
  };
}
