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
