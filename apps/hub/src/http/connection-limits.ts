import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { HubConfig } from '@renkei/platform';

/**
 * What a connection may hold of the server without doing anything. Node closes neither a TCP
 * connection that never sends a byte nor a body trickling in one byte every few seconds (its own
 * request timeout is checked rarely and is five minutes long): a few hundred such sockets hold
 * the hub's file descriptors and memory at no cost to the sender.
 * - silence both ways for `idleTimeoutMs` closes the socket (websockets opt out: ws clears the
 *   timeout on upgrade and keeps its own pings);
 * - a body still arriving `bodyTimeoutMs` after its headers is answered 408 and the socket closed.
 */
export function limitConnections(server: Server, http: HubConfig['http']): void {
  server.timeout = http.idleTimeoutMs;
  server.headersTimeout = Math.min(server.headersTimeout, http.idleTimeoutMs);
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.complete) return;
    const timer = setTimeout(() => {
      if (req.complete || res.writableEnded) return;
      if (!res.headersSent) {
        res.writeHead(408, { 'content-type': 'application/json', connection: 'close' });
        res.end(
          JSON.stringify({
            error: {
              code: 'REQUEST_TIMEOUT',
              message: `The request body did not arrive within ${Math.round(http.bodyTimeoutMs / 1000)} s`,
            },
            requestId: (req as IncomingMessage & { id?: unknown }).id ?? null,
          }),
        );
      }
      req.socket.destroySoon();
    }, http.bodyTimeoutMs);
    timer.unref();
    const clear = () => clearTimeout(timer);
    req.once('end', clear);
    res.once('close', clear);
    res.once('finish', clear);
  });
}
