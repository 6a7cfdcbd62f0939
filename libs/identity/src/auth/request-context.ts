import { ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Request, Response } from 'express';
import { Principal } from './principal';

export type HubRequest = Request & { principal?: Principal; id?: string | number };

export interface GraphQLContext {
  req: HubRequest;
  res: Response;
}

/** The HTTP request behind a REST call or a GraphQL operation. */
export function requestOf(ctx: ExecutionContext): HubRequest {
  if (ctx.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(ctx).getContext<GraphQLContext>().req;
  }
  return ctx.switchToHttp().getRequest<HubRequest>();
}

export const SESSION_COOKIE = 'renkei_session';

/** Bearer header first, then the session cookie of the browser pages. */
export function tokenFrom(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    return m ? m[1] : undefined;
  }
  const cookies = (req as Request & { cookies?: Record<string, string> }).cookies;
  return cookies?.[SESSION_COOKIE];
}
