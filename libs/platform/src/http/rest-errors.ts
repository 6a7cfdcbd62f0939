import { ErrorCode } from '../errors/hub-errors';

/**
 * The one shape of every REST error body (feeds, imports, anything not GraphQL or TAXII): a
 * stable code, a message written for the caller, optional details such as `fieldErrors` or
 * `reason`, and the request id to quote.
 */
export function restErrorBody(
  code: string,
  message: string,
  requestId: string | undefined,
  details: Record<string, unknown> = {},
): { error: Record<string, unknown>; requestId?: string } {
  return { error: { ...details, code, message }, requestId };
}

/** What a client is told of an HTTP error the hub did not raise itself. */
export interface HttpErrorAnswer {
  status: number;
  code: string;
  message: string;
}

const CODES: Record<number, string> = {
  400: ErrorCode.BAD_USER_INPUT,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  405: ErrorCode.METHOD_NOT_ALLOWED,
  409: ErrorCode.CONFLICT,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
};

/** Messages of our own for body-parser's failures (its own may quote the body back). */
const BODY_ERRORS: Record<string, string> = {
  'entity.too.large': 'The request body is larger than this route accepts',
  'entity.parse.failed': 'The request body is not valid JSON',
  'entity.verify.failed': 'The request body could not be verified',
  'encoding.unsupported': 'The request body has a Content-Encoding the hub does not read',
  'charset.unsupported': 'The request body has a charset the hub does not read',
  'request.aborted': 'The request body ended before its announced length',
  'request.size.invalid': 'The request body does not have its announced length',
  'stream.encoding.set': 'The request body could not be read',
};

/**
 * A framework or body-parser error (Nest's HttpException, Express's http-errors) as the hub
 * answers it: client errors keep their status, with a stable code and a message fit for the
 * caller; anything else is a 500 that says nothing of its cause. Pure, for unit tests.
 */
export function httpErrorOf(e: unknown): HttpErrorAnswer {
  // decodeURIComponent's failure, wherever it happens (the router, the feeds' fast path): the
  // caller's path or query, never a fault of ours.
  if (e instanceof URIError) {
    return {
      status: 400,
      code: ErrorCode.BAD_USER_INPUT,
      message: 'The request path or query is not valid percent-encoded UTF-8',
    };
  }
  const x = (e ?? {}) as {
    getStatus?: () => unknown;
    status?: unknown;
    expose?: unknown;
    type?: unknown;
    message?: unknown;
  };
  const status =
    typeof x.getStatus === 'function' ? x.getStatus() : x.expose === true ? x.status : undefined;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const message =
      (typeof x.type === 'string' && BODY_ERRORS[x.type]) ||
      (typeof x.message === 'string' && x.message) ||
      'The request was refused';
    return { status, code: CODES[status] ?? ErrorCode.BAD_USER_INPUT, message };
  }
  return {
    status: 500,
    code: ErrorCode.INTERNAL_SERVER_ERROR,
    message: 'Internal server error; quote the request id when reporting it',
  };
}
