import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { INestApplication, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { getDataSourceToken } from '@nestjs/typeorm';
import {
  answerClientErrors,
  guardRequests,
  guardUpgrades,
  HubConfig,
  InputValidationPipe,
  NullArgumentsPipe,
  MIN_POSTGRES_VERSION_NUM,
  migrateWithLock,
  trustProxies,
  withReadRoute,
} from '@renkei/platform';
import cookieParser from 'cookie-parser';
import express, { NextFunction, Response } from 'express';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { HubRequest, RequestAuthenticator } from '@renkei/identity';
import { FeedFastPath } from '@renkei/indicators';
import { PushService } from '@renkei/push';
import { AppModule } from './app.module';
import { GraphQLPassThroughFilter } from './graphql/graphql-exception.filter';
import { SubscriptionServer } from './graphql/subscription-server';
import { limitConnections } from './http/connection-limits';
import { countRequests, registerScrapeGauges } from './metrics/hub-metrics';
import { httpLogOptions } from './logging';
import { bindRequestId } from './http/request-context';
import { pinoHttp } from 'pino-http';

/** POST /api/lists/<id>/entries: the one route with a large, non-JSON body. */
const IMPORT_ROUTE = /^\/api\/lists\/[^/]+\/entries\/?$/;
/** A caller not (yet) known only logs in, sets up or resets a password: small documents. */
const UNAUTHENTICATED_BODY_LIMIT = 16 * 1024;

export interface Hub {
  app: INestApplication;
  /** Stops accepting, lets in-flight requests finish (up to the shutdown timeout), closes the pool. */
  close(): Promise<void>;
}

/**
 * Builds the hub on a database: connects, checks the server version, applies migrations under
 * a lock, then initialises the Nest application. main.ts and the end-to-end tests both use it,
 * so the tests exercise the real server.
 */
export async function createHub(config: HubConfig, databaseUrl: string, log: Logger): Promise<Hub> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, databaseUrl, log),
    {
      bufferLogs: true,
      bodyParser: false,
    },
  );
  app.useLogger(app.get(NestPinoLogger));
  // Request logging comes before body parsing, so a refused body (413, bad JSON) is logged
  // with its request id too; nestjs-pino then binds the same id to the request context.
  app.use(pinoHttp(httpLogOptions(log)));
  // The caller is known before any body is read (ADR 0015): a stranger's body stays small,
  // enough to log in; an import's body is read by its controller once the caller may write the
  // list (the one route with a large, non-JSON body); every other body is JSON within
  // REQUEST_BODY_LIMIT.
  const authenticator = app.get(RequestAuthenticator);
  // Apollo is mounted as middleware on /graphql and would answer any path below it too
  // (`/graphql/../etc/passwd`) as if it were the endpoint: only /graphql is.
  app.use((req: HubRequest, _res: Response, next: NextFunction) =>
    /^\/graphql\/./i.test(req.path) ? next(new NotFoundException()) : next(),
  );
  app.use(cookieParser());
  app.use((req: HubRequest, _res: Response, next: NextFunction) => {
    authenticator.authenticate(req).then(() => next(), next);
  });
  const limit = bytesOf(config.http.bodyLimit);
  const strangerLimit = Math.min(UNAUTHENTICATED_BODY_LIMIT, limit);
  const json = express.json({ limit });
  const stranger = express.json({ limit: strangerLimit });
  app.use((req: HubRequest, res: Response, next: NextFunction) => {
    if (IMPORT_ROUTE.test(req.path)) return next();
    // body-parser reads a refused body to its end before it answers; a body announced too
    // large is refused at once, and Node drops what still arrives.
    if (Number(req.headers['content-length']) > (req.principal ? limit : strangerLimit)) {
      return next(
        new PayloadTooLargeException('The request body is larger than this route accepts'),
      );
    }
    return (req.principal ? json : stranger)(req, res, next);
  });
  app.use(bindRequestId);
  // After the body is read: its parser's callbacks would not carry the request's route.
  app.use((_req: HubRequest, _res: Response, next: NextFunction) => withReadRoute(next));
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxies(config.http.trustedProxies));
  app.useGlobalPipes(new NullArgumentsPipe(), new InputValidationPipe());
  app.useGlobalFilters(new GraphQLPassThroughFilter());

  const dataSource = app.get<DataSource>(getDataSourceToken());
  const [{ server_version_num }] = await dataSource.query('SHOW server_version_num');
  if (Number(server_version_num) < MIN_POSTGRES_VERSION_NUM) {
    await app.close();
    throw new Error(`PostgreSQL ${server_version_num} is too old: renkei needs 15 or newer`);
  }
  if (config.database.runMigrations) {
    const applied = await migrateWithLock(dataSource);
    if (applied.length) log.info({ migrations: applied }, 'applied database migrations');
  }
  await app.init();
  installEdge(app, log);
  limitConnections(app.getHttpServer() as Server, config.http);
  countRequests(app.getHttpServer() as Server);
  registerScrapeGauges(app);

  return {
    app,
    close: () => closeGracefully(app, config.http.shutdownTimeoutMs),
  };
}

/**
 * Repeated feed pulls answered before Express (FeedFastPath); every other request, and any
 * pull the fast path cannot answer from memory, goes to the application as usual. Everything
 * the server runs outside Nest's pipeline (this listener, the WebSocket upgrades) runs inside
 * the edge boundary (ADR 0015): a request can fail, the process cannot.
 */
function installEdge(app: INestApplication, log: Logger): void {
  const fast = app.get(FeedFastPath);
  const server = app.getHttpServer() as Server;
  const handlers = server.listeners('request') as ((req: unknown, res: unknown) => void)[];
  server.removeAllListeners('request');
  // Also called later by the fast path, outside the listener below: guarded on its own.
  const application = guardRequests((req: IncomingMessage, res: ServerResponse) => {
    for (const handler of handlers) handler(req, res);
  }, log);
  server.on(
    'request',
    guardRequests((req: IncomingMessage, res: ServerResponse) => {
      if (stopping.has(server)) return comeBackLater(res);
      if (fast.handle(req, res, () => application(req, res))) return;
      application(req, res);
    }, log),
  );
  server.removeAllListeners('clientError');
  server.on('clientError', answerClientErrors(log));
  const upgrades = server.listeners('upgrade') as ((...args: unknown[]) => void)[];
  server.removeAllListeners('upgrade');
  server.on(
    'upgrade',
    guardUpgrades((req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // graphql-ws takes /graphql only and leaves any other upgrade open, unanswered, for ever.
      if (!/^\/graphql\/?(\?|$)/.test(req.url ?? '')) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      for (const upgrade of upgrades) upgrade(req, socket, head);
    }, log),
  );
}

/** A size as the configuration takes it (validated there): `100kb`, `1mb`, `512b`. */
function bytesOf(size: string): number {
  const [, n, unit] = /^(\d+)(b|kb|mb)$/i.exec(size) ?? ['', '0', 'b'];
  return Number(n) * { b: 1, kb: 1024, mb: 1024 * 1024 }[unit.toLowerCase() as 'b' | 'kb' | 'mb'];
}

/** Servers shutting down: a request that still reaches one is told to come back. */
const stopping = new WeakSet<Server>();

/**
 * A request arriving on a kept-alive connection after shutdown began: 503 with Retry-After and
 * the connection closed, rather than a reset the client cannot tell from a crash.
 */
function comeBackLater(res: ServerResponse): void {
  res.shouldKeepAlive = false;
  res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' });
  res.end(
    JSON.stringify({
      error: { code: 'SHUTTING_DOWN', message: 'The hub is restarting; retry in a few seconds' },
    }),
  );
}

async function closeGracefully(app: INestApplication, timeoutMs: number): Promise<void> {
  const server = app.getHttpServer() as Server;
  // Subscribers first: upgraded sockets are not the HTTP server's to close, and it would wait
  // for them until the timeout. They hear 1001 with the cursor to resume from.
  app.get(PushService).goAway();
  stopping.add(server);
  // Stop accepting and drop idle keep-alive sockets; requests in flight run to completion.
  const drained = new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  // Subscribers' sockets would keep server.close() waiting past any timeout.
  const subscribers = app.get(SubscriptionServer).close(timeoutMs);
  const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
  await Promise.all([drained, subscribers]);
  clearTimeout(timer);
  await app.close();
}
