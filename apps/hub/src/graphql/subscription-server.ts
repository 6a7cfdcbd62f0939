import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { CloseCode, makeServer, ServerOptions } from 'graphql-ws';
import { RawData, WebSocket, WebSocketServer } from 'ws';
import type { Logger } from 'pino';
import {
  clientAddress,
  DatabaseUnavailableError,
  HubConfig,
  isDatabaseUnavailable,
} from '@renkei/platform';
import { AnyPrincipal, SESSION_COOKIE } from '@renkei/identity';
import type { PushConnection } from '@renkei/push';
import { requestIdOf } from '../logging';
import { QueryLimits } from './query-limits';
import { readerKey, sharedSubscribe } from './shared-execution';

/** What connection_init may weigh: a bearer credential and little else. */
export const PRE_AUTH_MAX_BYTES = 4096;
const PATH = '/graphql';
/** Pings this often; a socket that has not answered the previous ping by then is dropped. */
const KEEP_ALIVE_MS = 12_000;
/** RFC 6455: 1008 a policy was violated, 1009 a message too big. */
const CLOSE_POLICY = 1008;
const CLOSE_FORBIDDEN = 4403;
const CLOSE_TOO_BIG = 1009;

/** How a graphql-ws connection_init is authenticated (the identity services). */
export interface SocketAuth {
  sessions: { authenticate(token: string): Promise<AnyPrincipal | undefined> };
  tokens: {
    check(
      token: string,
      address?: string,
    ): Promise<{ principal: AnyPrincipal } | { refusal?: { message: string } }>;
  };
  /** Follows the socket from connection_init on, so a revoked credential closes it even idle. */
  track(connection: PushConnection): void;
}

/** What graphql-ws keeps of a socket: its request, and its connection once authenticated. */
interface SocketExtra {
  request: IncomingMessage;
  socket: WebSocket;
  /** The handshake's request id (its X-Request-Id response header), on every log line of it. */
  requestId: string;
  log: Logger;
  connection?: PushConnection;
}

/**
 * graphql-ws on /graphql, run by the hub itself rather than by @nestjs/graphql, which gives
 * neither ws's frame limit nor a place to look at a message before graphql-ws buffers and
 * parses it. Every message is bounded (ws `maxPayload`: SUBSCRIPTION_MAX_MESSAGE_BYTES), and
 * PRE_AUTH_MAX_BYTES until the connection is acknowledged; every subscription goes through
 * QueryLimits, the same parse and validation as HTTP; a socket holds at most
 * SUBSCRIPTION_MAX_PER_CONNECTION subscriptions and a user or token at most
 * SUBSCRIPTION_MAX_CONNECTIONS_PER_PRINCIPAL sockets on this instance.
 *
 * connection_init carries `authorization: "Bearer …"` (a session with its second factor, or an
 * API token; the guard then checks scopes per subscription as for queries), or, from a browser on
 * the hub's own pages (the explorer), the handshake carries the session cookie; anything else is
 * refused with 4403 before any subscription starts.
 */
export class SubscriptionServer implements OnApplicationBootstrap, OnModuleDestroy {
  private wss?: WebSocketServer;
  private server?: Server;
  private readonly byPrincipal = new Map<string, Set<WebSocket>>();
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    this.upgrade(req, socket, head);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly schemaHost: GraphQLSchemaHost,
    private readonly limits: QueryLimits,
    private readonly config: HubConfig['subscriptions'],
    private readonly auth: SocketAuth,
    private readonly log: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.config.maxMessageBytes,
      handleProtocols: (protocols) =>
        protocols.has('graphql-transport-ws') ? 'graphql-transport-ws' : false,
    });
    const graphqlWs = makeServer(this.options());
    // The handshake answers with its request id, as HTTP responses do.
    this.wss.on('headers', (headers: string[], req: IncomingMessage) =>
      headers.push(`X-Request-Id: ${idOf(req)}`),
    );
    this.wss.on('connection', (socket: WebSocket, request: IncomingMessage) =>
      this.serve(graphqlWs, socket, request),
    );
    this.server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.server.on('upgrade', this.onUpgrade);
  }

  onModuleDestroy(): Promise<void> {
    return this.close(0);
  }

  /**
   * Tells every subscriber to go (1001; it resumes from its cursor, on another instance or
   * after the restart) and waits until they have, ending those still open after `timeoutMs`.
   * Upgraded sockets are no longer the HTTP server's to end, yet its close() waits for them.
   */
  async close(timeoutMs: number): Promise<void> {
    this.server?.off('upgrade', this.onUpgrade);
    const wss = this.wss;
    this.wss = undefined;
    if (!wss) return;
    for (const client of wss.clients) client.close(1001, 'Going away: resume from your cursor');
    const timer = setTimeout(() => wss.clients.forEach((c) => c.terminate()), timeoutMs);
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    clearTimeout(timer);
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '').split('?')[0];
    if (path !== PATH || !this.wss) {
      // Left alone, the socket would stay open with nobody answering it.
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    (req as IncomingMessage & { id?: string }).id = requestIdOf(req);
    const wss = this.wss;
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  }

  /** graphql-ws's own `useServer` for ws, plus the size check before authentication. */
  private serve(
    graphqlWs: ReturnType<typeof makeServer<Record<string, unknown>, SocketExtra>>,
    socket: WebSocket,
    request: IncomingMessage,
  ): void {
    const requestId = idOf(request);
    const log = this.log.child({ requestId });
    const extra: SocketExtra = { request, socket, requestId, log };
    // ws reports a frame over maxPayload here and closes with 1009 itself.
    socket.on('error', (err) => log.warn({ err: err.message }, 'graphql-ws socket error'));
    let answered = true;
    const keepAlive = setInterval(() => {
      if (!answered) return socket.terminate();
      answered = false;
      socket.ping();
    }, KEEP_ALIVE_MS);
    socket.on('pong', () => (answered = true));
    const closed = graphqlWs.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (err) => (err ? reject(err) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (cb) =>
          socket.on('message', async (data: RawData) => {
            if (!extra.connection && size(data) > PRE_AUTH_MAX_BYTES) {
              socket.close(
                CLOSE_TOO_BIG,
                `MESSAGE_TOO_BIG: at most ${PRE_AUTH_MAX_BYTES} bytes before connection_ack`,
              );
              return;
            }
            const type = messageType(data);
            if (type && SERVER_ONLY.has(type)) {
              // graphql-ws would throw on these and close with 4500 (and a stack on stderr):
              // they are the client's mistake, not ours.
              socket.close(CloseCode.BadRequest, `Bad request: ${type} is sent by the server only`);
              return;
            }
            try {
              await cb(String(data));
            } catch (err) {
              log.error({ err }, 'graphql-ws could not handle a message');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            }
          }),
      },
      extra,
    );
    socket.once('close', (code, reason) => {
      clearInterval(keepAlive);
      void closed(code, reason.toString());
    });
  }

  private options(): ServerOptions<Record<string, unknown>, SocketExtra> {
    return {
      schema: this.schemaHost.schema,
      context: (ctx) => socketContext(ctx.extra),
      // One execution per event for the subscribers that would get the same result (ADR 0032).
      subscribe: sharedSubscribe((context) => {
        const req = (context as ReturnType<typeof socketContext>).req;
        return readerKey(req.principal, req.ip);
      }),
      onConnect: (ctx) => this.connect(ctx.connectionParams, ctx.extra),
      onSubscribe: (ctx, _id, payload) => {
        if (Object.keys(ctx.subscriptions).length > this.config.maxPerConnection) {
          return [
            new GraphQLError(
              `At most ${this.config.maxPerConnection} subscriptions per connection: complete one, or open another connection`,
              { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } },
            ),
          ];
        }
        const schema = this.schemaHost.schema;
        const checked = this.limits.check(
          schema,
          payload.query,
          payload.operationName ?? undefined,
        );
        if ('errors' in checked) return checked.errors;
        return {
          schema,
          document: checked,
          operationName: payload.operationName,
          variableValues: payload.variables,
        };
      },
      // Errors reach the client as graphql-ws makes them, with no formatError: our typed errors
      // keep their code and extensions; anything else (a database error, a bug) says no more
      // than it would over HTTP.
      onNext: (ctx, id, _payload, _args, result) =>
        result.errors ? { ...result, errors: safeErrors(result.errors, id, ctx.extra) } : undefined,
      onError: (ctx, id, _payload, errors) => safeErrors(errors, id, ctx.extra),
    };
  }

  private async connect(
    params: Readonly<Record<string, unknown>> | undefined,
    extra: SocketExtra,
  ): Promise<boolean> {
    const raw = params?.authorization ?? params?.Authorization;
    const credential =
      (typeof raw === 'string' ? raw.replace(/^Bearer\s+/i, '').trim() : '') ||
      sessionCookie(extra.request);
    if (!credential) return false;
    // As HTTP sees it (trust proxy: loopback), so a token's allowed ranges see one address.
    const address = clientAddress(extra.request) ?? undefined;
    let principal: AnyPrincipal | undefined;
    if (credential.startsWith('rkt_')) {
      const checked = await this.auth.tokens.check(credential, address);
      if ('refusal' in checked && checked.refusal) {
        // As over HTTP: the reason, not "invalid" (a close reason holds at most 123 bytes).
        extra.socket.close(
          CLOSE_FORBIDDEN,
          `Forbidden: this token is not allowed from ${address ?? 'here'} (outside its allowed address ranges)`,
        );
        return false;
      }
      principal = 'principal' in checked ? checked.principal : undefined;
    } else {
      principal = await this.auth.sessions.authenticate(credential);
    }
    if (!principal || (principal.kind === 'user' && principal.aal < 2)) return false;
    if (extra.socket.readyState !== extra.socket.OPEN) return false;

    // Counted after authentication, so nobody can use up another principal's connections.
    const key =
      principal.kind === 'user' ? `user:${principal.userId}` : `token:${principal.tokenId}`;
    const open = this.byPrincipal.get(key) ?? new Set<WebSocket>();
    if (open.size >= this.config.maxConnectionsPerPrincipal) {
      extra.socket.close(
        CLOSE_POLICY,
        `TOO_MANY_CONNECTIONS: at most ${this.config.maxConnectionsPerPrincipal} open connections per user or token`,
      );
      return false;
    }
    open.add(extra.socket);
    this.byPrincipal.set(key, open);
    extra.socket.once('close', () => {
      open.delete(extra.socket);
      if (!open.size && this.byPrincipal.get(key) === open) this.byPrincipal.delete(key);
    });

    const connection = { socket: extra.socket, principal, credential, address };
    extra.connection = connection;
    this.auth.track(connection);
    return true;
  }
}

/**
 * The session cookie of the handshake, only when it comes from a page of the hub itself: a
 * browser sends cookies with a WebSocket handshake whatever page opened it, so without this a
 * site the user visits could subscribe as them (cross-site WebSocket hijacking; SameSite=strict
 * does not cover sibling subdomains). Browsers always send Origin on a handshake.
 */
function sessionCookie(req: IncomingMessage): string | undefined {
  const { origin, host } = req.headers;
  let sameOrigin = false;
  try {
    sameOrigin = !!origin && !!host && new URL(origin).host === host;
  } catch {
    // an opaque ("null") or malformed origin is not ours
  }
  if (!sameOrigin) return undefined;
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === SESSION_COOKIE) {
      return pair.slice(at + 1).trim() || undefined;
    }
  }
  return undefined;
}

function idOf(req: IncomingMessage): string {
  return (req as IncomingMessage & { id?: string }).id ?? requestIdOf(req);
}

/** Every error of a socket names its handshake request, as HTTP errors name theirs. */
function safeErrors(errors: readonly GraphQLError[], id: string, extra: SocketExtra) {
  return errors.map((e) => {
    const safe = safeError(e, id, extra);
    return { ...safe, extensions: { ...safe.extensions, requestId: extra.requestId } };
  });
}

function safeError(e: GraphQLError, id: string, extra: SocketExtra) {
  const original = e.originalError;
  const typed = original instanceof GraphQLError ? original : e;
  if (typeof typed.extensions?.code === 'string' || !original) {
    return {
      message: typed.message,
      locations: e.locations,
      path: e.path,
      extensions: typed.extensions,
    };
  }
  if (isDatabaseUnavailable(original)) {
    // Found by the fault suite: a subscription the outage ended was told "internal error".
    extra.log.warn({ err: original, subscription: id }, 'database unavailable');
    const unavailable = new DatabaseUnavailableError();
    return {
      message: unavailable.message,
      extensions: { code: unavailable.code },
    };
  }
  extra.log.error({ err: original, subscription: id }, 'unhandled error in a subscription');
  return {
    message: 'Internal server error; quote the requestId when reporting it',
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

function size(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

/** The request context of a subscription: the principal of its connection, like a request's. */
function socketContext(extra: SocketExtra) {
  const connection = extra.connection as PushConnection;
  return {
    req: { headers: {}, principal: connection.principal, ip: connection.address },
    connection,
  };
}

/** Message types only a graphql-ws server sends (graphql-transport-ws protocol). */
const SERVER_ONLY = new Set(['connection_ack', 'next', 'error']);

/** The `type` of a JSON message, or undefined (graphql-ws itself refuses what is not one). */
function messageType(data: RawData): string | undefined {
  try {
    const parsed = JSON.parse(String(data)) as { type?: unknown } | null;
    return typeof parsed?.type === 'string' ? parsed.type : undefined;
  } catch {
    return undefined;
  }
}
