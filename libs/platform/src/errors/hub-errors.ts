import { GraphQLError } from 'graphql';

/**
 * The error codes clients can rely on, in `extensions.code`. Anything else a client sees is
 * INTERNAL_SERVER_ERROR with a request id and no detail.
 */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  /** The database cannot be reached: retry later; credentials are not in question. */
  DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE',
  /** A concurrent change got in the way (a deadlock or serialisation failure): nothing was changed; send it again. */
  TRY_AGAIN = 'TRY_AGAIN',
  /** REST and HTTP only: a body over the route's limit, a method or media type it does not take. */
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

export interface FieldError {
  /** Dotted path from the argument, e.g. `input.addressRanges.2`. */
  path: string;
  message: string;
}

export class HubError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    extra: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { code, ...extra } });
  }
}

export class BadInputError extends HubError {
  constructor(fieldErrors: FieldError[], message?: string) {
    super(
      ErrorCode.BAD_USER_INPUT,
      message ?? fieldErrors.map((e) => `${e.path}: ${e.message}`).join('; '),
      { fieldErrors },
    );
  }
}

export class UnauthenticatedError extends HubError {
  constructor(message = 'Authentication required') {
    super(ErrorCode.UNAUTHENTICATED, message);
  }
}

export class ForbiddenError extends HubError {
  constructor(message = 'Not allowed', reason?: string) {
    super(ErrorCode.FORBIDDEN, message, reason ? { reason } : {});
  }
}

/** Also what an invisible item answers, so a caller cannot tell hidden from missing. */
export class NotFoundError extends HubError {
  constructor(what: string) {
    super(ErrorCode.NOT_FOUND, `${what} not found`);
  }
}

export class ConflictError extends HubError {
  constructor(message: string, path?: string) {
    super(ErrorCode.CONFLICT, message, path ? { path } : {});
  }
}

/** Seconds a client should wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The database cannot be reached. Answered as 503 with Retry-After, never as 401: a firewall or
 * script that reads 401 treats its token as revoked, while the token is fine.
 */
export class DatabaseUnavailableError extends HubError {
  constructor() {
    super(
      ErrorCode.DATABASE_UNAVAILABLE,
      'The database is unavailable; retry later (credentials were not checked)',
      { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
    );
  }
}

/** Seconds a client should wait before sending again a request a concurrent change refused. */
export const TRY_AGAIN_AFTER_SECONDS = 1;

/**
 * PostgreSQL rolled the request's transaction back to let a concurrent one through (a deadlock
 * or a serialisation failure): nothing the request asked for was written, and the same request
 * sent again is expected to succeed. Answered as 503 with Retry-After: neither the caller's
 * fault nor an internal error with a cause to report.
 */
export class TryAgainError extends HubError {
  constructor() {
    super(
      ErrorCode.TRY_AGAIN,
      'A concurrent change got in the way and this operation changed nothing; send it again',
      { retryAfterSeconds: TRY_AGAIN_AFTER_SECONDS },
    );
  }
}

/** Whether `test` holds for an error or one it wraps (TypeORM's driverError, a cause). */
function someCause(
  e: unknown,
  test: (err: { code?: unknown; message?: unknown }) => boolean,
  depth = 0,
): boolean {
  if (!e || typeof e !== 'object' || depth > 4) return false;
  const err = e as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  return (
    test(err) ||
    someCause(err.driverError, test, depth + 1) ||
    someCause(err.cause, test, depth + 1)
  );
}

/** PostgreSQL's deadlock_detected and serialization_failure (raw or TypeORM-wrapped). */
export function isTransactionConflict(e: unknown): boolean {
  return someCause(e, (err) => err.code === '40P01' || err.code === '40001');
}

/**
 * A row a statement wrote that the row-level security's WITH CHECK refused. Under READ
 * COMMITTED the check reads what committed since the transaction's own checks (a report
 * retracted between a sighting's visibility check and its INSERT, attack pass 8): run again,
 * the service's own check sees the change and answers it. A refusal that stays after every
 * attempt is a fault, answered as one (not TRY_AGAIN).
 */
export function isPolicyCheckViolation(e: unknown): boolean {
  return someCause(
    e,
    (err) =>
      err.code === '42501' &&
      typeof err.message === 'string' &&
      /violates row-level security policy/.test(err.message),
  );
}

/** Node socket errors and PostgreSQL conditions that mean "no database now", not "bad request". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ECONNABORTED',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '53300', // too_many_connections
  '08000', // connection_exception
  '08001',
  '08003',
  '08004',
  '08006',
]);
// The last three: pg's words for a client whose socket died under a COPY or between queries
// (the fault suite's imports saw an unexplained 500 in some runs while PostgreSQL was killed).
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down|in recovery mode)|Client was closed and is not queryable|server closed the connection unexpectedly|This socket has been ended by the other party/i;

/** Whether an error (raw, TypeORM-wrapped or an AggregateError of connect attempts) means the database is unreachable. */
export function isDatabaseUnavailable(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 4) return false;
  if (e instanceof DatabaseUnavailableError) return true;
  const err = e as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  // TypeORM releases a transaction's connection when its socket fails, and the transaction's
  // next query says only this (the socket error went to the 'error' event, not to the caller).
  // Both names occur: the provider's, and the runner's own when the commit comes after the drop.
  if (/^QueryRunner(Provider)?AlreadyReleasedError$/.test(String((e as Error).name))) return true;
  if (typeof err.code === 'string' && UNAVAILABLE_CODES.has(err.code)) return true;
  if (typeof err.message === 'string' && UNAVAILABLE_MESSAGES.test(err.message)) return true;
  if (Array.isArray(err.errors) && err.errors.some((x) => isDatabaseUnavailable(x, depth + 1)))
    return true;
  return (
    isDatabaseUnavailable(err.driverError, depth + 1) || isDatabaseUnavailable(err.cause, depth + 1)
  );
}

/** PostgreSQL's unique_violation, so services can turn it into CONFLICT. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as {
    code?: string;
    constraint?: string;
    driverError?: { code?: string; constraint?: string };
  };
  const code = err?.code ?? err?.driverError?.code;
  const name = err?.constraint ?? err?.driverError?.constraint;
  return code === '23505' && (constraint === undefined || name === constraint);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; a malformed one cannot name anything, so lookups answer NOT_FOUND early. */
export const isUuid = (id: string) => UUID.test(id);
