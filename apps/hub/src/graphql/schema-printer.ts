import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { IDENTITY_RESOLVERS, PUBLIC_KEY, ROLES_KEY } from '@renkei/identity';
import { INDICATORS_CONTROLLERS, INDICATORS_RESOLVERS } from '@renkei/indicators';
import { REPORTS_RESOLVERS } from '@renkei/reports';
import { TAXII_CONTROLLERS } from '@renkei/taxii';
import { PUSH_RESOLVERS } from '@renkei/push';
import { SCHEMA_SCALARS } from '@renkei/platform';
import { lexicographicSortSchema, printSchema as print } from 'graphql';
import { ExplorerController } from '../explorer/explorer';
import { HealthController } from '../health/health.controller';
import { ConsoleController } from '../console/console.controller';

/** Every resolver the hub serves; the served schema is tested against this file's output. */
export const RESOLVERS = [
  ...IDENTITY_RESOLVERS,
  ...REPORTS_RESOLVERS,
  ...INDICATORS_RESOLVERS,
  ...PUSH_RESOLVERS,
];
export const CONTROLLERS = [
  HealthController,
  ExplorerController,
  ConsoleController,
  ...INDICATORS_CONTROLLERS,
  ...TAXII_CONTROLLERS,
];

/** The SDL the hub serves, built from the resolver classes alone (no database). */
export async function printSchema(): Promise<string> {
  const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
  await app.init();
  const schema = await app.get(GraphQLSchemaFactory).create(RESOLVERS, SCHEMA_SCALARS);
  await app.close();
  return print(lexicographicSortSchema(schema)) + '\n';
}

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'ALL', 'OPTIONS', 'HEAD'];

/**
 * Who may reach each GraphQL operation and REST route, as the guard reads it: `public`,
 * `authenticated`, or `roles: A, B`. Committed as schema/permissions.json and compared in a
 * test, so a change of access shows up in review as the permission change it is.
 */
export function describeEndpoints(): Record<string, string> {
  const out: Record<string, string> = {};
  const access = (handler: object, cls: object) => {
    const publicAccess =
      Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, cls);
    if (publicAccess) return 'public';
    const roles: string[] | undefined =
      Reflect.getMetadata(ROLES_KEY, handler) ?? Reflect.getMetadata(ROLES_KEY, cls);
    return roles ? `roles: ${roles.map((r) => r.toUpperCase()).join(', ')}` : 'authenticated';
  };
  const methodsOf = (cls: { prototype: object }) =>
    Object.getOwnPropertyNames(cls.prototype)
      .filter((name) => name !== 'constructor')
      .map((name) => [name, (cls.prototype as Record<string, object>)[name]] as const);
  for (const cls of RESOLVERS) {
    for (const [name, handler] of methodsOf(cls)) {
      const type = Reflect.getMetadata('graphql:resolver_type', handler);
      if (!['Query', 'Mutation', 'Subscription'].includes(type)) continue;
      const field = Reflect.getMetadata('graphql:resolver_name', handler) ?? name;
      out[`${type}.${field}`] = access(handler, cls);
    }
  }
  for (const cls of CONTROLLERS) {
    const base = String(Reflect.getMetadata('path', cls) ?? '').replace(/^\/|\/$/g, '');
    for (const [, handler] of methodsOf(cls)) {
      const method = Reflect.getMetadata('method', handler);
      if (method === undefined) continue;
      const path = String(Reflect.getMetadata('path', handler) ?? '').replace(/^\//, '');
      out[`${HTTP_METHODS[method]} /${[base, path].filter(Boolean).join('/')}`] = access(
        handler,
        cls,
      );
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
