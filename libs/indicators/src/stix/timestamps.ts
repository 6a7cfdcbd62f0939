import { parseInstant } from '@renkei/platform/time';
import { describe } from './json-values';

/**
 * STIX timestamps: RFC 3339 in UTC with a literal "Z" (STIX 2.1 section 3.2). `created` and
 * `modified` must carry exactly millisecond precision or more, so the hub always writes three
 * fractional digits, which is also what a JavaScript Date holds.
 */

// The OASIS schema's pattern (common/timestamp.json); the calendar is checked by parseInstant.
const STIX_TIMESTAMP =
  /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):([0-5]\d):([0-5]\d|60)(\.\d+)?Z$/;

/** `date` as `2026-11-22T04:05:06.123Z`; throws for an invalid Date or a year beyond 0–9999. */
export function stixTimestamp(date: Date): string {
  const time = date instanceof Date ? date.getTime() : NaN;
  if (Number.isNaN(time)) throw new RangeError('expected a valid Date for a STIX timestamp');
  const text = date.toISOString();
  // toISOString switches to "+012345-…" outside years 0–9999, which STIX cannot express.
  if (!STIX_TIMESTAMP.test(text)) {
    throw new RangeError(`${text} is outside the years 0000–9999 that STIX timestamps allow`);
  }
  return text;
}

const STIX_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * Reads a STIX timestamp into a Date, or returns why it is not one: the STIX form first (UTC with
 * "Z", seconds required), then the hub's one reader of client instants, which refuses what does
 * not exist (February 30, year 0000, a leap second) instead of rolling it over. Digits beyond
 * milliseconds are dropped (a Date cannot hold them).
 */
export function parseStixTimestamp(text: unknown): Date | string {
  if (typeof text !== 'string') return `expected a timestamp string, got ${describe(text)}`;
  if (!STIX_FORM.test(text)) {
    return `${JSON.stringify(text)} is not a STIX timestamp (expected UTC with "Z", such as 2026-11-22T04:05:06.123Z)`;
  }
  const read = parseInstant(text);
  return read.ok ? read.date : read.message;
}
