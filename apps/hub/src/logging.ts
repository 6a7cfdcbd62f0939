import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { Logger } from 'pino';
import type { Options } from 'pino-http';

/** Secrets never reach the log: tokens, cookies, passwords, TOTP codes. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.totp',
  '*.totpCode',
  '*.recoveryCode',
  '*.secret',
];

/**
 * Errors are logged without the bind parameters a database error carries: they hold user input
 * and password hashes. The SQL text (placeholders only) stays, it is what one debugs with.
 */
export function serializeError(e: unknown): unknown {
  const out = pino.stdSerializers.err(e as Error) as Record<string, unknown>;
  delete out.parameters;
  const driver = out.driverError as Record<string, unknown> | undefined;
  if (driver && typeof driver === 'object') out.driverError = { ...driver, parameters: undefined };
  return out;
}

export function createRootLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'renkei-hub' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** The id of a request (or WebSocket handshake): X-Request-Id when sane, else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** pino-http options: a request id on every line (taken from X-Request-Id when sane). */
export function httpLogOptions(logger: Logger): Options {
  return {
    logger,
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      if (req.id) return req.id; // already assigned by the first pino-http in the chain
      const id = requestIdOf(req);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        // Without the query string: a client that sends a mutation over GET must not put its
        // password in our log.
        url: req.url.split('?')[0],
      }),
    },
    autoLogging: {
      ignore: (req: IncomingMessage) => req.url === '/healthz' || req.url === '/readyz',
    },
  };
}
