import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { requestOf } from '@renkei/identity';
import {
  allowReplicaReads,
  pinToPrimary,
  ReplicaMode,
  ReadRouter,
  REPLICA_READS,
} from '@renkei/platform';
import { catchError, concatMap, from, Observable, throwError } from 'rxjs';

/**
 * Says, for every GraphQL operation and REST handler, whether its reads may use a replica
 * (ADR 0030): GraphQL queries (the reader's own writes visible) and the GET handlers marked
 * @ReplicaReads (feeds, TAXII: the present visible) may; anything else may write, so it reads
 * and writes on the primary and, once done and before the caller hears back, raises its
 * organisation's read floor, successful or not (a failed import may have committed a part).
 */
@Injectable()
export class ReadRouteInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly router: ReadRouter,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.router.enabled || isSubscription(ctx)) return next.handle();
    const req = requestOf(ctx);
    const orgId = req?.principal?.organisationId;
    const mode = this.replicaMode(ctx, req?.method);
    if (mode) {
      allowReplicaReads(mode, orgId);
      return next.handle();
    }
    pinToPrimary();
    if (!orgId) return next.handle();
    const record = () => from(this.router.recordWrite(orgId));
    return next.handle().pipe(
      concatMap((value) => record().pipe(concatMap(() => [value]))),
      catchError((e: unknown) =>
        record().pipe(
          catchError(() => [undefined]),
          concatMap(() => throwError(() => e)),
        ),
      ),
    );
  }

  private replicaMode(ctx: ExecutionContext, method?: string): ReplicaMode | undefined {
    if (ctx.getType<string>() === 'graphql') {
      return GqlExecutionContext.create(ctx).getInfo().operation.operation === 'query'
        ? 'own-writes'
        : undefined;
    }
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    return this.reflector.getAllAndOverride<ReplicaMode | undefined>(REPLICA_READS, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
  }
}

/** A subscription runs over a socket, outside any request: its reads are the primary's. */
function isSubscription(ctx: ExecutionContext): boolean {
  return (
    ctx.getType<string>() === 'graphql' &&
    GqlExecutionContext.create(ctx).getInfo().operation.operation === 'subscription'
  );
}
