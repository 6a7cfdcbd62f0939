import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { INestApplication } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { getDataSourceToken } from '@nestjs/typeorm';
import {
  HubConfig,
  InputValidationPipe,
  NullArgumentsPipe,
  MIN_POSTGRES_VERSION_NUM,
  migrateWithLock,
  trustProxies,
} from '@renkei/platform';
import cookieParser from 'cookie-parser';
import express, { NextFunction, Request, Response } from 'express';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { FeedFastPath } from '@renkei/indicators';
import { PushService } from '@renkei/push';
import { AppModule } from './app.module';
import { GraphQLPassThroughFilter } from './graphql/graphql-exception.filter';
import { SubscriptionServer } from './graphql/subscription-server';
import { limitConnections } from './http/connection-limits';
import { countRequests, registerScrapeGauges } from './metrics/hub-metrics';
import { httpLogOptions } from './logging';
import { pinoHttp } from 'pino-http';

/** POST /api/lists/<id>/entries: the one route with a large, non-JSON body. */
const IMPORT_ROUTE = /^\/api\/lists\/[^/]+\/entries\/?$/;

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
  // Bulk imports (a million lines) take their body as text with a limit of their own; every
  // other route gets JSON within REQUEST_BODY_LIMIT.
  const json = express.json({ limit: config.http.bodyLimit });
  const bulk = express.text({ type: () => true, limit: config.http.importBodyLimit });
  app.use((req: Request, res: Response, next: NextFunction) =>
    IMPORT_ROUTE.test(req.path) ? bulk(req, res, next) : json(req, res, next),
  );
  app.use(cookieParser());
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxies(config.http.trustedProxies));
  app.useGlobalPipes(new NullArgumentsPipe(), new InputValidationPipe());
  app.useGlobalFilters(new GraphQLPassThroughFilter(app.get(HttpAdapterHost).httpAdapter));

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
  installFastPath(app);
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
 * pull the fast path cannot answer from memory, goes to the application as usual.
 */
function installFastPath(app: INestApplication): void {
  const fast = app.get(FeedFastPath);
  const server = app.getHttpServer() as Server;
  const handlers = server.listeners('request') as ((req: unknown, res: unknown) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (stopping.has(server)) return comeBackLater(res);
    if (fast.handle(req, res)) return;
    for (const handler of handlers) handler(req, res);
  });
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
