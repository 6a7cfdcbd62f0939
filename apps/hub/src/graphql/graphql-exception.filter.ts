import { ArgumentsHost, Catch, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  DatabaseUnavailableError,
  ErrorCode,
  HubError,
  isDatabaseUnavailable,
} from '@renkei/platform';
import { sendTaxiiError, TaxiiError, taxiiErrorOf } from '@renkei/taxii';
import type { Request, Response } from 'express';

const STATUS: Record<string, number> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.DATABASE_UNAVAILABLE]: 503,
};

/**
 * Hands every error of a GraphQL resolver to Apollo unchanged, so the error formatter alone
 * decides what the client sees and logs an unexpected error once. Without it Nest's default
 * handler logs every expected error (a wrong password, NOT_FOUND) at error level with a stack.
 *
 * REST routes (feeds, imports) answer a HubError with its HTTP status and a JSON body of the
 * same shape as GraphQL's `extensions` (`code`, `message`, `fieldErrors`); a 401 names the
 * schemes firewalls and scripts can use. Anything else keeps Nest's handling: a generic 500
 * without detail.
 */
@Catch()
export class GraphQLPassThroughFilter extends BaseExceptionFilter {
  private readonly log = new Logger('HttpErrors');

  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() === 'graphql') return exception;
    if (!(exception instanceof HubError) && isDatabaseUnavailable(exception)) {
      exception = new DatabaseUnavailableError();
    }
    if (host.getType() === 'http' && !(exception instanceof HubError)) {
      // Failures before any TAXII route (a path that does not decode, a body that does not
      // parse) still answer a TAXII client in its own format.
      const req = host.switchToHttp().getRequest<Request>();
      const res = host.switchToHttp().getResponse<Response>();
      if (req.path?.startsWith('/taxii2') && !res.headersSent) {
        const answer = taxiiErrorOf(exception);
        if (answer.status >= 500) this.log.error(exception);
        return sendTaxiiError(res, answer);
      }
    }
    if (exception instanceof HubError && host.getType() === 'http') {
      const res = host.switchToHttp().getResponse<Response>();
      const req = host.switchToHttp().getRequest<Request>();
      if (res.headersSent) return res.end();
      const status = STATUS[exception.code] ?? 500;
      if (status === 503) res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      if (req.path.startsWith('/taxii2')) {
        // TAXII clients expect the TAXII error message and media type, 401 included.
        return sendTaxiiError(res, new TaxiiError(status, exception.message));
      }
      if (status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="renkei", Bearer');
      res
        .status(status)
        .type('application/json')
        .send({
          error: { ...exception.extensions, message: exception.message },
          requestId: req.id,
        });
      return;
    }
    return super.catch(exception, host);
  }
}
