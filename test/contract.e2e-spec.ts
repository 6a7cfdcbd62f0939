import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildClientSchema,
  getIntrospectionQuery,
  IntrospectionQuery,
  lexicographicSortSchema,
  printSchema,
} from 'graphql';
import { HUB_MAIN, startTestHub, TestHub } from './support/test-hub';

const SCHEMA_FILE = join(__dirname, '..', 'schema', 'schema.graphql');
const PERMISSIONS_FILE = join(__dirname, '..', 'schema', 'permissions.json');
const REGENERATE =
  'run `npm run schema` and commit schema/ (a breaking change needs a note in the changelog)';

const run = (flag: string) =>
  execFileSync(process.execPath, [HUB_MAIN, flag], { encoding: 'utf8' });

describe('the published contract in schema/', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ GRAPHQL_INTROSPECTION: 'true' });
  });
  afterAll(() => t.stop());

  it('schema.graphql is exactly what the running hub serves', async () => {
    const r = await t.gql<IntrospectionQuery>(getIntrospectionQuery());
    expect(r.errors).toBeUndefined();
    const served = printSchema(lexicographicSortSchema(buildClientSchema(r.data!))) + '\n';
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    if (served !== committed)
      throw new Error(`schema/schema.graphql differs from the served schema: ${REGENERATE}`);
  });

  it('schema.graphql is what the schema printer generates', () => {
    expect(run('--print-schema')).toBe(readFileSync(SCHEMA_FILE, 'utf8'));
  });

  it('permissions.json is what the guards enforce', () => {
    const current = JSON.parse(run('--print-permissions'));
    const committed = JSON.parse(readFileSync(PERMISSIONS_FILE, 'utf8'));
    if (JSON.stringify(current) !== JSON.stringify(committed)) {
      throw new Error(`access rules changed: ${REGENERATE}\n${JSON.stringify(current, null, 2)}`);
    }
  });

  it('every operation in the served schema has a permission entry, and public ones are few', async () => {
    const r = await t.gql<IntrospectionQuery>(getIntrospectionQuery());
    const schema = buildClientSchema(r.data!);
    const permissions: Record<string, string> = JSON.parse(readFileSync(PERMISSIONS_FILE, 'utf8'));
    const operations = [
      schema.getQueryType(),
      schema.getMutationType(),
      schema.getSubscriptionType(),
    ]
      .filter((t) => t !== null && t !== undefined)
      .flatMap((type) => Object.keys(type!.getFields()).map((f) => `${type!.name}.${f}`));
    expect(operations.length).toBeGreaterThan(10);
    for (const op of operations) expect([op, permissions[op]]).toEqual([op, expect.any(String)]);
    const publicOps = Object.entries(permissions)
      .filter(([k, v]) => v === 'public' && !k.startsWith('GET '))
      .map(([k]) => k);
    expect(publicOps.sort()).toEqual([
      'Mutation.completeSetup',
      // Passwordless login with a passkey; the resolver insists on user verification and opt-in.
      'Mutation.finishPasskeyAuthentication',
      'Mutation.login',
      // Redeems an admin-issued one-time token.
      'Mutation.resetPassword',
      'Mutation.startPasskeyAuthentication',
      // Redeems the one-time link that proves an e-mail address (ADR 0016); throttled.
      'Mutation.verifyEmail',
      'Query.hubStatus',
    ]);
  });
});
