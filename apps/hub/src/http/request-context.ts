import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';

const requestIds = new AsyncLocalStorage<string>();

/**
 * Binds the request id (assigned by pino-http, sent as X-Request-Id) to everything the request
 * runs, so code that is handed no request, such as Apollo's formatError, can still name it.
 * Mounted after the body parsers: their stream callbacks would run outside the binding.
 */
export function bindRequestId(req: Request, _res: Response, next: NextFunction): void {
  const id = (req as Request & { id?: unknown }).id;
  if (id === undefined) return next();
  requestIds.run(String(id), next);
}

/** The id of the HTTP request being answered, if any. */
export function currentRequestId(): string | undefined {
  return requestIds.getStore();
}
