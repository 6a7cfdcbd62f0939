import { graphql, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { DateTimeScalar } from './date-time.scalar';

/** A schema with one DateTime argument and one DateTime output, run by graphql-js itself. */
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      echo: {
        type: GraphQLString,
        args: { at: { type: DateTimeScalar } },
        resolve: (_, { at }: { at: Date }) => at.toISOString(),
      },
      stored: {
        type: DateTimeScalar,
        args: { ms: { type: GraphQLString } },
        resolve: (_, { ms }: { ms: string }) => new Date(Number(ms)),
      },
    },
  }),
});

const run = (source: string, variableValues?: Record<string, unknown>) =>
  graphql({ schema, source, variableValues });

describe('DateTimeScalar', () => {
  it('reads a variable through the one reader of client instants', async () => {
    const r = await run('query($at: DateTime) { echo(at: $at) }', {
      at: '2026-11-22T09:00:00+09:00',
    });
    expect(r).toEqual({ data: { echo: '2026-11-22T00:00:00.000Z' } });
  });

  it('refuses an impossible date in a variable, the path in front of the reason', async () => {
    const r = await run('query($at: DateTime) { echo(at: $at) }', { at: '2026-02-30T00:00:00Z' });
    expect(r.errors?.[0].message).toMatch(
      /^Variable "\$at" got invalid value .*; Expected type "DateTime". "2026-02-30T00:00:00Z": February 2026 has no day 30$/,
    );
  });

  it('refuses an impossible date written in the document, with its location', async () => {
    const r = await run('{ echo(at: "2026-01-01T24:00:00Z") }');
    expect(r.errors?.[0].message).toContain('there is no hour 24');
    expect(r.errors?.[0].locations).toEqual([{ line: 1, column: 12 }]);
  });

  it('refuses what is not a string', async () => {
    const r = await run('{ echo(at: 1767225600000) }');
    expect(r.errors?.[0].message).toContain('expected a date-time string');
  });

  it.each([
    ['253402300800000', '9999-12-31T23:59:59.999Z'], // year 10000
    ['8640000000000000', '9999-12-31T23:59:59.999Z'], // the last Date there is
    ['-62198755200000', '0001-01-01T00:00:00.000Z'], // year 0000
    ['NaN', '0001-01-01T00:00:00.000Z'],
  ])(
    'writes any stored value (%s ms) as a time of years 0001–9999, never failing',
    async (ms, iso) => {
      expect(await run(`{ stored(ms: "${ms}") }`)).toEqual({ data: { stored: iso } });
    },
  );
});
