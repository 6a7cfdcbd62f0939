import { HttpException } from '@nestjs/common';
import {
  ErrorCode,
  isDatabaseUnavailable,
  isTransactionConflict,
  TryAgainError,
} from '@renkei/platform';
import { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { currentRequestId } from '../http/request-context';

const PASSED_THROUGH = new Set<string>([
  ...Object.values(ErrorCode),
  // Apollo's own request errors: they describe the client's document, never our internals.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

const HTTP_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.BAD_USER_INPUT,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  409: ErrorCode.CONFLICT,
};

/**
 * What a client may see of an error: our typed errors and GraphQL's document errors as they are;
 * anything else (a bug, a database error) as a bare INTERNAL_SERVER_ERROR, logged here with its
 * stack. Never a stack trace, SQL or driver message to the client.
 */
export function createErrorFormatter(log: Logger) {
  const format = clientError(log);
  // Every error, whatever its class, names the request (the X-Request-Id header) so a person
  // can quote it from the console's error alert.
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const out = format(formatted, error);
    const requestId = currentRequestId();
    return requestId ? { ...out, extensions: { ...out.extensions, requestId } } : out;
  };
}

function clientError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = (error as { originalError?: unknown })?.originalError ?? error;
    const code = String(formatted.extensions?.code ?? '');
    const base = { locations: formatted.locations, path: formatted.path };

    if (original instanceof HttpException && HTTP_CODES[original.getStatus()]) {
      return {
        ...base,
        message: original.message,
        extensions: { code: HTTP_CODES[original.getStatus()] },
      };
    }
    if (PASSED_THROUGH.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      const {
        stacktrace: _s,
        originalError: _o,
        exception: _e,
        ...extensions
      } = formatted.extensions ?? {};
      return {
        ...base,
        message: formatted.message,
        extensions: { ...extensions, ...variableFieldErrors(formatted.message, extensions) },
      };
    }
    if (isDatabaseUnavailable(original)) {
      log.warn({ err: original, path: formatted.path }, 'database unavailable');
      return {
        ...base,
        message: 'The database is unavailable; retry later (credentials were not checked)',
        extensions: { code: ErrorCode.DATABASE_UNAVAILABLE },
      };
    }
    if (isTransactionConflict(original)) {
      log.warn(
        { err: original, path: formatted.path },
        'transaction rolled back for a concurrent one',
      );
      const refused = new TryAgainError();
      return { ...base, message: refused.message, extensions: refused.extensions };
    }
    // PostgreSQL data exceptions (class 22: a value it cannot take, such as a malformed uuid or a
    // string too long) are the caller's input that validation did not catch: say so, no detail.
    const sqlState = (original as { code?: unknown; driverError?: { code?: unknown } })?.driverError
      ?.code;
    if (typeof sqlState === 'string' && sqlState.startsWith('22')) {
      log.warn(
        { err: original, path: formatted.path },
        'database refused a value from the request',
      );
      return {
        ...base,
        message: 'A value in the request is not valid',
        extensions: { code: ErrorCode.BAD_USER_INPUT },
      };
    }
    log.error({ err: original, path: formatted.path }, 'unhandled error in GraphQL operation');
    return {
      ...base,
      message: 'Internal server error; quote the requestId when reporting it',
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

// graphql-js names the variable and the path inside it only in the message of a value a scalar
// refused (`Variable "$input" got invalid value … at "input.seenAt"; Expected type "DateTime". …`).
const VARIABLE_ERROR =
  /^Variable "\$(\w+)" got invalid value [\s\S]*?(?: at "([^"]+)")?; (?:Expected type "\w+"\. )?([\s\S]*)$/;

/** `fieldErrors` for a variable's refused value, so it carries its field path like our own. */
function variableFieldErrors(message: string, extensions: Record<string, unknown>) {
  if (extensions.code !== ErrorCode.BAD_USER_INPUT || extensions.fieldErrors) return {};
  const m = VARIABLE_ERROR.exec(message);
  if (!m) return {};
  const path = (m[2] ?? m[1]).replace(/\[(\d+)\]/g, '.$1');
  return { fieldErrors: [{ path, message: m[3] }] };
}
