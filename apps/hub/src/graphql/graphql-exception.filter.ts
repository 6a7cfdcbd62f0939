import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  DatabaseUnavailableError,
  ErrorCode,
  httpErrorOf,
  HubError,
  isDatabaseUnavailable,
  isTaxiiPath,
  isTransactionConflict,
  requestIdFor,
  restErrorBody,
  TryAgainError,
} from '@renkei/platform';
import { sendTaxiiError, taxiiErrorOf } from '@renkei/taxii';
import type { Request, Response } from 'express';

const STATUS: Record<string, number> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.DATABASE_UNAVAILABLE]: 503,
  [ErrorCode.TRY_AGAIN]: 503,
};

/**
 * Hands every error of a GraphQL resolver to Apollo unchanged, so the error formatter alone
 * decides what the client sees and logs an unexpected error once. Without it Nest's default
 * handler logs every expected error (a wrong password, NOT_FOUND) at error level with a stack.
 *
 * Every other error answered over HTTP (a REST route's, a refused body, an unknown route) is
 * written here, in one of three shapes, each with a stable code and the request id:
 * - REST: `{ error: { code, message, fieldErrors?, reason? }, requestId }` (a 401 names the
 *   schemes firewalls and scripts can use);
 * - /taxii2: a TAXII error message, `error_id` the request id;
 * - /graphql (a body refused before Apollo saw it): `{ errors: [{ message, extensions }] }`.
 * Anything not a HubError or a client error of the framework is a 500 that says nothing of its
 * cause, which is logged.
 */
@Catch()
export class GraphQLPassThroughFilter implements ExceptionFilter {
  private readonly log = new Logger('HttpErrors');

  catch(thrown: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() === 'graphql') return thrown;
    // An unreachable database is an outage to retry, not a fault of the request (503); so is a
    // transaction PostgreSQL rolled back for a concurrent one (nothing was written).
    const exception =
      thrown instanceof HubError
        ? thrown
        : isDatabaseUnavailable(thrown)
          ? new DatabaseUnavailableError()
          : isTransactionConflict(thrown)
            ? new TryAgainError()
            : thrown;
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const requestId = req.id === undefined ? requestIdFor(req) : String(req.id);
    const hub = exception instanceof HubError;
    const answer = hub
      ? {
          status: STATUS[exception.code] ?? 500,
          code: exception.code,
          message: exception.message,
        }
      : httpErrorOf(exception);
    if (answer.status >= 500) {
      this.log.error(
        `${req.method} ${req.path} failed (request ${requestId})`,
        exception instanceof Error ? exception.stack : String(exception),
      );
    }
    if (res.headersSent) return res.end();
    if (!res.getHeader('X-Request-Id')) res.setHeader('X-Request-Id', requestId);
    if (answer.status === 503) {
      const after = hub ? exception.extensions.retryAfterSeconds : undefined;
      res.setHeader('Retry-After', String(after ?? DATABASE_RETRY_AFTER_SECONDS));
    }
    if (isTaxiiPath(req.path)) {
      // TAXII clients expect the TAXII error message and media type, 401 included.
      return sendTaxiiError(res, taxiiErrorOf(exception), requestId);
    }
    const details = hub ? exception.extensions : {};
    if (answer.status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="renkei", Bearer');
    if (req.path === '/graphql') {
      return res.status(answer.status).json({
        errors: [
          { message: answer.message, extensions: { ...details, code: answer.code, requestId } },
        ],
      });
    }
    return res
      .status(answer.status)
      .json(restErrorBody(answer.code, answer.message, requestId, details));
  }
}
