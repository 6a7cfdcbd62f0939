import { ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Request, Response } from 'express';
import { AnyPrincipal } from './principal';
import type { ClientInfo } from './session.service';

export type HubRequest = Request & {
  principal?: AnyPrincipal;
  id?: string | number;
  /** Set once RequestAuthenticator looked at the request's credential. */
  credentialChecked?: boolean;
  /** Why a credential was refused, when the caller should be told more than "invalid". */
  credentialRefusal?: Error;
};

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

/** Bearer header first (or an API token as the HTTP Basic password), then the session cookie. */
/** A Bearer token, or the password of HTTP Basic (firewalls often do only Basic). */
export function tokenFromAuthorization(header: string): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1) || undefined;
}

export function tokenFrom(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header) return tokenFromAuthorization(header);
  const cookies = (req as Request & { cookies?: Record<string, string> }).cookies;
  return cookies?.[SESSION_COOKIE];
}

export function clientOf(req: Request): ClientInfo {
  const agent = req.headers['user-agent'];
  return { address: req.ip, userAgent: typeof agent === 'string' ? agent : undefined };
}
