import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { HubConfig } from '@renkei/platform';

/**
 * What a connection may hold of the server without doing anything. Node closes neither a TCP
 * connection that never sends a byte nor a body trickling in one byte every few seconds (its own
 * request timeout is checked rarely and is five minutes long): a few hundred such sockets hold
 * the hub's file descriptors and memory at no cost to the sender.
 * - silence both ways for `idleTimeoutMs` closes the socket (websockets opt out: ws clears the
 *   timeout on upgrade and keeps its own pings), unless the silence is the hub's: a request
 *   whose body has all arrived is being worked on (a feed of millions rendered under load, a
 *   write queued behind an import), and its answer is owed — closing would cut it unanswered;
 * - a body still arriving `bodyTimeoutMs` after its headers is answered 408 and the socket closed.
 */
export function limitConnections(server: Server, http: HubConfig['http']): void {
  server.timeout = http.idleTimeoutMs;
  server.headersTimeout = Math.min(server.headersTimeout, http.idleTimeoutMs);
  // The exchange each socket is being answered for (keep-alive: one at a time).
  const working = new WeakMap<Socket, { req: IncomingMessage; res: ServerResponse }>();
  server.on('timeout', (socket: Socket) => {
    // With a listener here Node leaves the decision to it. Silence is the hub's while a complete
    // request is being worked on and nothing written waits for the client; once bytes wait, the
    // client has stopped reading (or never will) and the socket goes. The timer starts again
    // with the next byte either way.
    const exchange = working.get(socket);
    if (
      exchange?.req.complete &&
      !exchange.res.writableEnded &&
      socket.writableLength === 0 &&
      exchange.res.writableLength === 0
    )
      return;
    socket.destroy();
  });
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    working.set(req.socket, { req, res });
    res.once('close', () => {
      if (working.get(req.socket)?.req === req) working.delete(req.socket);
    });
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
