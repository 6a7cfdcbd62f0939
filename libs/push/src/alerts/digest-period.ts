/** How often a rule's alerts go out. */
export type AlertDelivery = 'immediate' | 'daily' | 'weekly';

export interface DigestPeriod {
  /** `daily:2026-12-05` or `weekly:2026-11-30` (the Monday): one digest per rule and key. */
  key: string;
  /** When the period ends in the time zone: the digest is due then. */
  end: Date;
}

const DAY_MS = 86_400_000;

/** The calendar date and weekday of an instant in a time zone. */
function localDate(at: Date, timeZone: string): { y: number; m: number; d: number; dow: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const y = get('year');
  const m = get('month');
  const d = get('day');
  return { y, m, d, dow: new Date(Date.UTC(y, m - 1, d)).getUTCDay() };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function offsetAt(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return wall - Math.floor(at.getTime() / 60_000) * 60_000;
}

/** The instant the zone's clock reads midnight of a calendar date (UTC fields). */
function midnight(dateUtc: number, timeZone: string): Date {
  // Twice: the offset at the first guess may differ from the one at midnight (a DST change).
  let guess = dateUtc - offsetAt(new Date(dateUtc), timeZone);
  guess = dateUtc - offsetAt(new Date(guess), timeZone);
  return new Date(guess);
}

const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * The digest an event at `at` belongs to, by the recipient's calendar (ALERT_TIME_ZONE): its
 * day, or its week from Monday. Grouped by when the event happened, not when a walker saw it,
 * so a hub that was down over midnight still files yesterday's events under yesterday.
 */
export function digestPeriod(
  at: Date,
  delivery: Exclude<AlertDelivery, 'immediate'>,
  timeZone: string,
): DigestPeriod {
  const { y, m, d, dow } = localDate(at, timeZone);
  const day = Date.UTC(y, m - 1, d);
  if (delivery === 'daily') {
    return { key: `daily:${iso(day)}`, end: midnight(day + DAY_MS, timeZone) };
  }
  const monday = day - ((dow + 6) % 7) * DAY_MS;
  return { key: `weekly:${iso(monday)}`, end: midnight(monday + 7 * DAY_MS, timeZone) };
}

/**
 * What a send is, from its key: one event (`event:…`) or a daily or weekly digest. Read from the
 * key, not the rule, so a rule changed from daily to immediate still sends its collected digest
 * whole.
 */
export function sendKindOf(period: string): AlertDelivery {
  if (period.startsWith('weekly:')) return 'weekly';
  if (period.startsWith('daily:')) return 'daily';
  return 'immediate';
}
