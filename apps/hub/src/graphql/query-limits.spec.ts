import { buildSchema, GraphQLError } from 'graphql';
import { QueryLimits } from './query-limits';

const schema = buildSchema(`
  type Query { hello: String }
  type Subscription { ticks(after: ID): Tick! }
  type Tick { cursor: ID! next: Tick }
`);
const limits = (introspection: boolean) =>
  new QueryLimits({
    introspection,
    explorer: false,
    maxDepth: 3,
    maxCost: 1000,
    maxAliases: 2,
    maxTokens: 100,
  });

function refused(result: ReturnType<QueryLimits['check']>) {
  if (!('errors' in result)) throw new Error('the document was taken');
  return result.errors.map((e: GraphQLError) => ({ message: e.message, code: e.extensions.code }));
}

describe('QueryLimits.check (the WebSocket transport)', () => {
  it('takes a subscription within the limits', () => {
    expect('errors' in limits(false).check(schema, 'subscription { ticks { cursor } }')).toBe(
      false,
    );
  });

  it('hides field suggestions when introspection is off, and only then', () => {
    const doc = 'subscription { ticks { cursr } }';
    expect(refused(limits(false).check(schema, doc))).toEqual([
      {
        message: 'Cannot query field "cursr" on type "Tick". [Suggestion hidden]',
        code: 'GRAPHQL_VALIDATION_FAILED',
      },
    ]);
    expect(refused(limits(true).check(schema, doc))[0].message).toContain('Did you mean "cursor"?');
  });

  it('refuses what HTTP refuses, with the codes Apollo gives', () => {
    const l = limits(false);
    expect(
      refused(l.check(schema, 'subscription { ticks { a: cursor b: cursor c: cursor } }')),
    ).toEqual([
      {
        message: 'Syntax Error: Aliases limit of 2 exceeded, found 3.',
        code: 'GRAPHQL_VALIDATION_FAILED',
      },
    ]);
    expect(
      refused(l.check(schema, 'subscription { ticks { next { next { next { cursor } } } } }'))[0],
    ).toEqual({
      message: expect.stringMatching(/^Syntax Error: Query depth limit of 3 exceeded/),
      code: 'GRAPHQL_VALIDATION_FAILED',
    });
    expect(
      refused(l.check(schema, `subscription { ticks { ${'cursor '.repeat(120)}} }`))[0].code,
    ).toBe('GRAPHQL_PARSE_FAILED');
    expect(refused(l.check(schema, '{ hello }'))[0].code).toBe('BAD_REQUEST');
  });
});
