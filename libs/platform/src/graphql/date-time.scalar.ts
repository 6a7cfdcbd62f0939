import { GraphQLScalarType, Kind } from 'graphql';
import { INSTANT_EXAMPLE, parseInstant, renderableInstant } from '../time/client-instant';

/**
 * The hub's DateTime, in place of @nestjs/graphql's, whose `new Date(value)` rolled impossible
 * dates over (2026-02-30 became 2 March) and whose output threw on a stored value outside years
 * 0001–9999. Input goes through the one reader of client instants; a refusal is a plain Error so
 * that graphql-js puts the variable's field path in front of its message (the error formatter
 * lifts it into `fieldErrors`). Output never fails: stored values are clamped to the writable years.
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: `A date-time in ISO 8601 / RFC 3339, such as ${INSTANT_EXAMPLE} (UTC when no zone is given; a date alone is midnight UTC). Impossible dates (February 30, hour 24, year 0000) are refused, never rolled over.`,
  serialize(value) {
    return renderableInstant(value as Date | number | string).toISOString();
  },
  parseValue(value) {
    return read(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new Error('expected a date-time string');
    return read(ast.value);
  },
});

function read(value: unknown): Date {
  const r = parseInstant(value);
  if (!r.ok) throw new Error(r.message);
  return r.date;
}

/** What the served schema and the committed one are both built with. */
export const SCHEMA_SCALARS = { scalarsMap: [{ type: Date, scalar: DateTimeScalar }] };
