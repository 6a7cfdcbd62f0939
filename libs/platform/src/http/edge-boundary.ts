import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ErrorCode } from '../errors/hub-errors';
import { httpErrorOf, restErrorBody } from './rest-errors';

/** What the boundary logs with: pino's shape, so the hub's logger fits as it is. */
export interface EdgeLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** The request's id: the one already given, else a sane X-Request-Id of the caller, else new. */
export function requestIdFor(req: IncomingMessage): string {
  const known = (req as IncomingMessage & { id?: unknown }).id;
  if (typeof known === 'string' || typeof known === 'number') return String(known);
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Runs a raw `request` listener, one outside the framework's pipeline (the feeds' fast path
 * is one), so that nothing it throws or rejects reaches the process: Node would exit on it, and
 * a member's firewall token would take the hub down for everyone. A request that cannot be
 * read answers 400, anything else 500 with the request id (logged with its cause), in the REST
 * error shape (httpErrorOf decides, as for errors inside Nest); an answer already under way is
 * cut off instead.
 */
export function guardRequests(
  listener: (req: IncomingMessage, res: ServerResponse) => unknown,
  log: EdgeLog,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const fail = (e: unknown) => answerFault(req, res, e, log);
    try {
      const done = listener(req, res);
      if (done instanceof Promise) done.catch(fail);
    } catch (e) {
      fail(e);
    }
  };
}

/**
 * The same for `upgrade` listeners (graphql-ws): a fault answers on the raw socket and closes
 * it. The socket gets an error listener first: from here on Node no longer watches it, and an
 * 'error' event without a listener (a client resetting the connection) ends the process.
 */
export function guardUpgrades(
  listener: (req: IncomingMessage, socket: Duplex, head: Buffer) => unknown,
  log: EdgeLog,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const fail = (e: unknown) => {
      const requestId = requestIdFor(req);
      const { status } = httpErrorOf(e);
      if (status < 500) log.warn({ requestId, status }, 'refused an upgrade at the edge');
      else log.error({ err: e, requestId }, 'unhandled error in a WebSocket upgrade');
      if (socket.writable) {
        socket.end(
          `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
            `X-Request-Id: ${requestId}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
        );
      }
      socket.destroy();
    };
    try {
      const done = listener(req, socket, head);
      if (done instanceof Promise) done.catch(fail);
    } catch (e) {
      fail(e);
    }
  };
}

/**
 * A `clientError` listener: a request Node cannot parse (a malformed request line or header,
 * headers too large, too slow) answers in the REST error shape with a request id, as any other
 * refusal does, instead of Node's bare status line.
 */
/**
 * Whether a path is TAXII's (answered in TAXII's error format), matched as Express matches its
 * routes: case-insensitively, the root itself or below it (not `/taxii2x`).
 */
export function isTaxiiPath(path: string | undefined): boolean {
  const p = (path ?? '').split('?')[0].toLowerCase();
  // An encoded slash (`/taxii2%2fapi`) is still a TAXII client's request, if not a route.
  return p === '/taxii2' || p.startsWith('/taxii2/') || p.startsWith('/taxii2%2f');
}

/** The path of the request line in what Node could not parse, when it has one. */
function rawPathOf(raw: Buffer | undefined): string | undefined {
  const line = raw?.subarray(0, 8192).toString('latin1').split('\r\n', 1)[0] ?? '';
  // The target before " HTTP/x", else (a line cut short) the first one that looks like a path;
  // the absolute form (`GET http://host/taxii2/ HTTP/1.1`) names the same path.
  const target =
    / (\S+) HTTP\/\d/.exec(line)?.[1] ?? /\s((?:[a-z][a-z0-9+.-]*:\/\/)?\S*\/\S*)/i.exec(line)?.[1];
  return target?.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
}

export function answerClientErrors(
  log: EdgeLog,
): (err: NodeJS.ErrnoException, socket: Duplex) => void {
  return (err, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? 431
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? 408
          : 400;
    const requestId = randomUUID();
    log.warn({ requestId, status, parser: err.code }, 'refused a request that does not parse');
    const message =
      status === 408
        ? 'The request did not arrive in time'
        : status === 431
          ? 'The request headers are larger than the hub accepts'
          : 'The request is not valid HTTP';
    // A TAXII client is answered in TAXII's error format (§3.6.1), whatever went wrong.
    const taxii = isTaxiiPath(rawPathOf((err as { rawPacket?: Buffer }).rawPacket));
    const body = JSON.stringify(
      taxii
        ? { title: message, error_id: requestId, http_status: String(status) }
        : restErrorBody(ErrorCode.BAD_USER_INPUT, message, requestId),
    );
    const type = taxii ? 'application/taxii+json;version=2.1' : 'application/json; charset=utf-8';
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${type}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
    // The server keeps sockets half-open: a client that goes on sending (a slowloris adding a
    // header line a second) would hold this one after the answer. Closed once the answer is out,
    // or after a second if the client does not take it.
    socket.once('finish', () => socket.destroy());
    setTimeout(() => socket.destroy(), 1000).unref();
  };
}

function answerFault(req: IncomingMessage, res: ServerResponse, e: unknown, log: EdgeLog): void {
  const requestId = requestIdFor(req);
  const answer = httpErrorOf(e);
  if (answer.status < 500) {
    log.warn({ requestId, method: req.method, status: answer.status }, 'refused at the edge');
  } else {
    const path = (req.url ?? '').split('?')[0];
    log.error({ err: e, requestId, method: req.method, path }, 'unhandled error at the edge');
  }
  if (res.headersSent || res.writableEnded) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(restErrorBody(answer.code, answer.message, requestId));
  res.writeHead(answer.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'X-Request-Id': requestId,
  });
  res.end(body);
}
