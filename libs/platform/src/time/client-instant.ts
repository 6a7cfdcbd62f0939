/**
 * The one reader of instants a client gives the hub (GraphQL DateTime, REST parameters, CSV
 * columns, STIX timestamps), and the bounds such instants must keep. Pure.
 *
 * Why one reader: `new Date(text)` and `Date.UTC` roll impossible dates over (2026-02-30 becomes
 * 2 March, 24:60 the next day), accept years PostgreSQL or STIX cannot hold, and read a time
 * without a zone in the server's own zone. Every path reading a client's instant through this one
 * refuses the same things with the same words.
 */

/** The first and last instants the hub holds: years 0001–9999, what STIX and RFC 3339 can write. */
export const EARLIEST_INSTANT_MS = -62135596800000; // 0001-01-01T00:00:00.000Z
export const LATEST_INSTANT_MS = 253402300799999; // 9999-12-31T23:59:59.999Z

export type InstantReading = { ok: true; date: Date } | { ok: false; message: string };

export const INSTANT_EXAMPLE = '2026-11-22T09:00:00Z';

// Date, optionally a time (seconds and fraction optional), optionally a zone; a date alone is
// midnight UTC and a time without a zone is UTC. Digits are checked below, not here, so that the
// message can say which part is impossible.
const FORM =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?$/;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Days in a month of the proleptic Gregorian calendar (what ISO 8601 and PostgreSQL use). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Reads an ISO 8601 / RFC 3339 date or date-time, or says why it is not one. Never rolls over:
 * every field must exist in the calendar (no February 30, month 13, hour 24, minute 60, year
 * 0000); a leap second is refused (a Date cannot hold it); digits past milliseconds are dropped.
 */
export function parseInstant(text: unknown): InstantReading {
  if (typeof text !== 'string') return fail(`expected a date-time string`);
  const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
  const m = FORM.exec(text);
  if (!m) return fail(`${shown} is not a date-time (use ISO 8601, e.g. ${INSTANT_EXAMPLE})`);
  const [year, month, day] = [m[1], m[2], m[3]].map(Number);
  const [hour, minute, second] = [m[4], m[5], m[6]].map((d) => (d === undefined ? 0 : Number(d)));
  if (year === 0) return fail(`${shown}: there is no year 0000 (years run from 0001 to 9999)`);
  if (month < 1 || month > 12) return fail(`${shown}: there is no month ${m[2]}`);
  if (day < 1 || day > daysInMonth(year, month)) {
    return fail(`${shown}: ${MONTHS[month - 1]} ${m[1]} has no day ${m[3]}`);
  }
  if (hour > 23) return fail(`${shown}: there is no hour ${m[4]} (00 to 23)`);
  if (minute > 59) return fail(`${shown}: there is no minute ${m[5]} (00 to 59)`);
  if (second === 60) return fail(`${shown} is a leap second, which is not supported`);
  if (second > 59) return fail(`${shown}: there is no second ${m[6]} (00 to 59)`);
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const [oh, om] = [Number(m[10]), Number(m[11])];
    if (oh > 23 || om > 59)
      return fail(`${shown}: the zone offset ${m[9]}${m[10]}:${m[11]} does not exist`);
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const millis = m[7] === undefined ? 0 : Number(`${m[7].slice(1)}00`.slice(0, 3));
  // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offsetMinutes, second, millis);
  const time = date.getTime();
  if (time < EARLIEST_INSTANT_MS || time > LATEST_INSTANT_MS) {
    return fail(`${shown} is outside the years 0001 to 9999 in UTC`);
  }
  return { ok: true, date };
}

function fail(message: string): InstantReading {
  return { ok: false, message };
}

/** How far a client's clock may run ahead of the hub's, and how long an indicator may stay live. */
export interface TimeLimits {
  skewSeconds: number;
  maxValidityDays: number;
}

/**
 * Why an observation time (seen, occurred, detected…) cannot be taken: it is later than now plus
 * the allowed clock skew. Undefined when it can.
 */
export function futureObservation(date: Date, now: Date, limits: TimeLimits): string | undefined {
  if (date.getTime() <= now.getTime() + limits.skewSeconds * 1000) return undefined;
  return `${date.toISOString()} is in the future; a time something was seen or happened can be at most ${skewText(limits.skewSeconds)} ahead of the hub's clock`;
}

/**
 * Why an expiry cannot be taken: it is later than the longest validity the hub allows, counted
 * from now (an expiry further out would keep an indicator in every feed past that limit).
 */
export function beyondValidity(date: Date, now: Date, limits: TimeLimits): string | undefined {
  const latest = now.getTime() + limits.maxValidityDays * 86_400_000;
  if (date.getTime() <= latest) return undefined;
  return `${date.toISOString()} is further ahead than the longest validity allowed (${limits.maxValidityDays} days from now)`;
}

function skewText(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}` : `${seconds} s`;
}

/**
 * A stored instant as something every output can write: a Date within years 0001–9999. Rows
 * stored before the bounds above (or PostgreSQL's ±infinity, which pg reads as a number) are
 * clamped rather than allowed to fail a whole feed, bundle or page; a value that is no instant at
 * all reads as the earliest one, which leaves an indicator expired rather than live.
 */
export function renderableInstant(value: Date | number | string | null | undefined): Date {
  const time =
    value instanceof Date
      ? value.getTime()
      : typeof value === 'number'
        ? value
        : Date.parse(String(value));
  if (Number.isNaN(time)) return new Date(EARLIEST_INSTANT_MS);
  return new Date(Math.min(Math.max(time, EARLIEST_INSTANT_MS), LATEST_INSTANT_MS));
}
