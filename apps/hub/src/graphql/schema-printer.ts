import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { IDENTITY_RESOLVERS } from '@renkei/identity';
import { lexicographicSortSchema, printSchema as print } from 'graphql';

/** Every resolver the hub serves; the served schema is tested against this file's output. */
export const RESOLVERS = [...IDENTITY_RESOLVERS];

/** The SDL the hub serves, built from the resolver classes alone (no database). */
export async function printSchema(): Promise<string> {
  const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
  await app.init();
  const schema = await app.get(GraphQLSchemaFactory).create(RESOLVERS);
  await app.close();
  return print(lexicographicSortSchema(schema)) + '\n';
}
