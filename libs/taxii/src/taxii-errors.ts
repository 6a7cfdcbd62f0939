import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '@renkei/platform/errors';
import { GraphQLError } from 'graphql';
import { TaxiiError } from './taxii-params';

/** The hub's error codes (HubError, `extensions.code`) a TAXII client may be told of. */
const HUB_ERRORS: Record<string, [number, string]> = {
  BAD_USER_INPUT: [400, 'Bad request'],
  UNAUTHENTICATED: [401, 'Authentication required'],
  FORBIDDEN: [403, 'Forbidden'],
  NOT_FOUND: [404, 'Not found'],
  CONFLICT: [409, 'Conflict'],
};

/**
 * What a TAXII client is told of a failure. TaxiiErrors, the hub's own errors (the guard's 401
 * and 403 among them) and HTTP client errors (Nest's HttpException, Express's http-errors) keep
 * their status and message, which are written for callers; anything else is a 500 that says
 * nothing of its cause, which goes to the log. Pure, for unit tests (ADR 0002).
 */
export function taxiiErrorOf(e: unknown): TaxiiError {
  if (e instanceof TaxiiError) return e;
  if (isDatabaseUnavailable(e)) {
    return new TaxiiError(
      503,
      'Database unavailable',
      'The hub cannot reach its database; retry later. Credentials were not checked.',
      { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) },
    );
  }
  if (e instanceof GraphQLError) {
    const known = HUB_ERRORS[String(e.extensions.code)];
    if (known) return new TaxiiError(known[0], known[1], e.message);
  } else if (e instanceof Error) {
    const status = clientErrorStatus(e);
    if (status) return new TaxiiError(status, e.message);
  }
  return new TaxiiError(
    500,
    'Internal error',
    'The server could not answer this request. Its log has the cause, under error_id.',
  );
}

function clientErrorStatus(e: Error): number | undefined {
  const x = e as Error & { getStatus?: () => unknown; status?: unknown; expose?: unknown };
  // Nest's HttpException has getStatus(); http-errors marks what may be shown with `expose`.
  const status = typeof x.getStatus === 'function' ? x.getStatus() : x.expose ? x.status : 0;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
