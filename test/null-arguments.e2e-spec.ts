import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  getNamedType,
  GraphQLNamedType,
  isLeafType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { Client } from 'pg';
import { createGroup, createOrg, member, Member, publishReport } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';
import { WsClient } from './support/ws-client';

/*
 * A GraphQL convention: a nullable argument or input field given `null` means "not given", for
 * every argument of every operation, over HTTP and over graphql-ws, written inline or as a
 * variable. Before, `reportEvents(after: null)` answered "is not a cursor this hub issued" and
 * `updateOrganisation(input: { name: null })` an internal error.
 */

jest.setTimeout(120_000);

let t: TestHub;
let admin: string;
let power: Member;
let powerOrg: string;
let groupId: string;
let db: Client;
const open: WsClient[] = [];

async function connect(token: string): Promise<WsClient> {
  const c = await WsClient.connect(t.url, token);
  open.push(c);
  return c;
}

/** Data or a thrown error naming what the hub answered. */
async function must<T>(query: string, variables: Record<string, unknown>, token: string) {
  const r = await t.gql<T>(query, variables, token);
  if (!r.data || r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
}

/** What to ask of a result: its leaf fields, and the cursors of a connection's edges. */
function selectionOf(type: GraphQLNamedType): string {
  if (!isObjectType(type)) return '';
  const fields = Object.values(type.getFields());
  const leaves = fields
    .filter((f) => isLeafType(getNamedType(f.type)) && f.args.length === 0)
    .map((f) => f.name);
  if (fields.some((f) => f.name === 'edges')) leaves.push('edges { cursor }');
  return ` { __typename ${leaves.join(' ')} }`;
}

beforeAll(async () => {
  t = await startTestHub({});
  admin = (await t.bootstrapAdmin()).token;
  groupId = await createGroup(t, admin, 'Kanto Holdings');
  powerOrg = await createOrg(t, admin, {
    name: 'Kanto Electric',
    sectorCode: 'electric-power',
    groupId,
  });
  power = await member(t, admin, powerOrg, 'soc@kanto-electric.example');
  db = new Client({ connectionString: t.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  open.forEach((c) => c.close());
  await db?.end();
  await t?.stop();
});

describe('subscriptions', () => {
  it.each([
    [
      'reportEvents, nulls inline',
      'subscription { reportEvents(after: null, filter: null) { report { title } } }',
      {},
    ],
    [
      'reportEvents, nulls as variables',
      'subscription($a: ID, $f: ReportEventFilter) { reportEvents(after: $a, filter: $f) { report { title } } }',
      { a: null, f: null },
    ],
    [
      'reportEvents, null filter fields',
      'subscription { reportEvents(filter: { events: null, kinds: null, markings: null, categories: null, sectors: null }) { report { title } } }',
      {},
    ],
  ])('%s: starts now, as without them', async (_name, query, variables) => {
    const c = await connect(power.token);
    c.subscribe('s', query, variables);
    // Published until one arrives: a subscription starting "now" may begin after the first.
    for (let i = 0; ; i++) {
      const title = `null means not given ${i}`;
      await publishReport(t, power.token, { title, tlp: 'CLEAR' });
      const f = await c.take((x) => x.id === 's', 3000);
      if (f) {
        expect(f.type).toBe('next');
        expect(f.payload?.errors).toBeUndefined();
        expect(f.payload?.data).toEqual({
          reportEvents: { report: { title: expect.any(String) } },
        });
        break;
      }
      if (i === 5) throw new Error('the subscription got nothing');
    }
    c.close();
  });

  it('listEvents(after: null) starts now too', async () => {
    const c = await connect(power.token);
    c.subscribe('l', 'subscription($a: ID) { listEvents(after: $a) { kind list { name } } }', {
      a: null,
    });
    for (let i = 0; ; i++) {
      await must(
        `mutation { createIndicatorList(input: { name: "null ${i}", tlp: GREEN }) { id } }`,
        {},
        power.token,
      );
      const f = await c.take((x) => x.id === 'l', 3000);
      if (f) {
        expect(f.payload?.errors).toBeUndefined();
        expect(f.payload?.data).toEqual({
          listEvents: { kind: 'list.created', list: { name: expect.stringMatching(/^null /) } },
        });
        break;
      }
      if (i === 5) throw new Error('the subscription got nothing');
    }
    c.close();
  });
});

describe('every query of the published schema', () => {
  const schema = buildSchema(
    readFileSync(join(__dirname, '..', 'schema', 'schema.graphql'), 'utf8'),
  );
  // Those callable without a value: every argument nullable, at least one argument.
  const queries = Object.values(schema.getQueryType()!.getFields()).filter(
    (f) => f.args.length > 0 && f.args.every((a) => !isNonNullType(a.type)),
  );

  it('has queries with optional arguments to try', () => {
    expect(queries.length).toBeGreaterThan(5);
  });

  it.each(queries.map((f) => [f.name, f] as const))(
    '%s answers with every argument null as without them',
    async (name, field) => {
      const selection = selectionOf(getNamedType(field.type));
      const nulls = field.args.map((a) => `${a.name}: null`).join(', ');
      const given = await t.gql(`{ ${name}(${nulls})${selection} }`, {}, admin);
      const omitted = await t.gql(`{ ${name}${selection} }`, {}, admin);
      const shape = (r: typeof given) => ({
        data: r.data,
        codes: r.errors?.map((e) => e.extensions?.code),
      });
      expect(shape(given)).toEqual(shape(omitted));
    },
  );
});

describe('input fields', () => {
  it('leaves fields given null as they were in updateOrganisation', async () => {
    const q = `mutation($id: ID!, $i: UpdateOrganisationInput!) {
      updateOrganisation(id: $id, input: $i) { name sector { code } group { id } domains }
    }`;
    const r = await t.gql(
      q,
      {
        id: powerOrg,
        i: { name: null, sectorCode: null, groupId: null, kind: null, domains: ['kanto.example'] },
      },
      admin,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({
      updateOrganisation: {
        name: 'Kanto Electric',
        sector: { code: 'electric-power' },
        group: { id: groupId },
        domains: ['kanto.example'],
      },
    });
  });
});
