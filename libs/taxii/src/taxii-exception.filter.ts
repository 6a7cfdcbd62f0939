import { ArgumentsHost, Catch, ExceptionFilter, Injectable, Logger } from '@nestjs/common';
import type { HubRequest } from '@renkei/identity';
import type { Response } from 'express';
import { taxiiErrorOf } from './taxii-errors';
import { setTaxiiErrorHeaders, taxiiErrorBody } from './taxii-media';
import { TaxiiReply } from './taxii-reply';

/**
 * Every failure of a /taxii2 route, the guard's included, as a TAXII 2.1 error message in the
 * TAXII media type (§3.6.1), recorded like any other answer.
 */
@Catch()
@Injectable()
export class TaxiiExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('TAXII');

  constructor(private readonly reply: TaxiiReply) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<HubRequest>();
    const res = host.switchToHttp().getResponse<Response>();
    const error = taxiiErrorOf(exception);
    // Every error names its request, so a client's report finds the hub's log line.
    const errorId = req.id !== undefined ? String(req.id) : undefined;
    if (error.status >= 500) {
      this.log.error(
        `${req.method} ${req.path} failed (request ${errorId ?? '?'}): ${messageOf(exception)}`,
        exception instanceof Error ? exception.stack : undefined,
      );
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    // Set by a handler before it failed, they describe a page that is not being sent.
    res.removeHeader('X-TAXII-Date-Added-First');
    res.removeHeader('X-TAXII-Date-Added-Last');
    setTaxiiErrorHeaders(res, error);
    this.reply.send(req, res, error.status, taxiiErrorBody(error, errorId));
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
