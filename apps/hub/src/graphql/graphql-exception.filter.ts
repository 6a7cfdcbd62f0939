import { ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

/**
 * Hands every error of a GraphQL resolver to Apollo unchanged, so the error formatter alone
 * decides what the client sees and logs an unexpected error once. Without it Nest's default
 * handler logs every expected error (a wrong password, NOT_FOUND) at error level with a stack.
 * REST routes keep Nest's own handling.
 */
@Catch()
export class GraphQLPassThroughFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() === 'graphql') return exception;
    return super.catch(exception, host);
  }
}
