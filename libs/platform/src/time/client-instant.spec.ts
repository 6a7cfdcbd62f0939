import fc from 'fast-check';
import {
  beyondValidity,
  daysInMonth,
  EARLIEST_INSTANT_MS,
  futureObservation,
  LATEST_INSTANT_MS,
  parseInstant,
  renderableInstant,
} from './client-instant';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const dateOf = (text: string) => {
  const r = parseInstant(text);
  if (!r.ok) throw new Error(r.message);
  return r.date.toISOString();
};
const messageOf = (text: unknown) => {
  const r = parseInstant(text);
  if (r.ok) throw new Error(`${String(text)} was taken as ${r.date.toISOString()}`);
  return r.message;
};

const instants = fc.integer({ min: EARLIEST_INSTANT_MS, max: LATEST_INSTANT_MS });

describe('parseInstant', () => {
  it('reads every instant of years 0001–9999 back from its ISO form, to the millisecond', () => {
    fc.assert(
      fc.property(instants, (ms) => {
        const r = parseInstant(new Date(ms).toISOString());
        return r.ok && r.date.getTime() === ms;
      }),
    );
  });

  it('reads a wall time with any zone offset as the instant it names', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: EARLIEST_INSTANT_MS + 86_400_000, max: LATEST_INSTANT_MS - 86_400_000 }),
        fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
        (ms, offset) => {
          const wall = new Date(Math.floor(ms / 1000) * 1000 + offset * 60_000).toISOString();
          const sign = offset < 0 ? '-' : '+';
          const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
          const r = parseInstant(`${wall.slice(0, 19)}${zone}`);
          return r.ok && r.date.getTime() === Math.floor(ms / 1000) * 1000;
        },
      ),
    );
  });

  it('never rolls a day past the end of its month over into the next month', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 99 }),
        (year, month, day) => {
          const text = `${pad(year, 4)}-${pad(month)}-${pad(day)}T12:00:00Z`;
          const r = parseInstant(text);
          const exists = day >= 1 && day <= daysInMonth(year, month);
          if (!exists) return !r.ok && /has no day/.test(r.message);
          return r.ok && r.date.toISOString().slice(0, 10) === text.slice(0, 10);
        },
      ),
    );
  });

  it('refuses every month, hour, minute and second that does not exist, naming the part', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('month', 'hour', 'minute', 'second'),
        fc.integer({ min: 0, max: 99 }),
        (part, n) => {
          const f = { month: 1, hour: 0, minute: 0, second: 0, [part]: n };
          const text = `2026-${pad(f.month)}-01T${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}Z`;
          const r = parseInstant(text);
          const limit = { month: [1, 12], hour: [0, 23], minute: [0, 59], second: [0, 59] }[part]!;
          if (n >= limit[0] && n <= limit[1]) return r.ok;
          return !r.ok && (r.message.includes(`no ${part}`) || r.message.includes('leap second'));
        },
      ),
    );
  });

  it('agrees with Date.parse on the forms both read unambiguously (with a zone, years 1000+)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1000, 0, 1), max: LATEST_INSTANT_MS }), (ms) => {
        const text = new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
        const r = parseInstant(text);
        return r.ok && r.date.getTime() === Date.parse(text);
      }),
    );
  });

  it.each([
    ['2026-02-30', 'February 2026 has no day 30'],
    ['2026-02-29T00:00:00Z', 'February 2026 has no day 29'],
    ['2100-02-29', 'February 2100 has no day 29'],
    ['2026-13-01', 'no month 13'],
    ['2026-00-10', 'no month 00'],
    ['2026-01-01T24:00:00Z', 'no hour 24'],
    ['2026-01-01T23:60:00Z', 'no minute 60'],
    ['2026-12-31T23:59:60Z', 'leap second'],
    ['0000-01-01T00:00:00Z', 'no year 0000'],
    ['9999-12-31T23:00:00-01:00', 'outside the years 0001 to 9999'],
    ['0001-01-01T00:30:00+01:00', 'outside the years 0001 to 9999'],
    ['2026-01-01T00:00:00+24:00', 'zone offset'],
    ['+010000-01-30T00:00:00.000Z', 'is not a date-time'],
    ['2026-1-5', 'is not a date-time'],
    ['next tuesday', 'is not a date-time'],
    ['', 'is not a date-time'],
  ])('refuses %s (%s)', (text, why) => {
    expect(messageOf(text)).toContain(why);
  });

  it('refuses what is not a string', () => {
    expect(messageOf(1767225600000)).toContain('expected a date-time string');
  });

  it.each([
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2000-02-29T10:00Z', '2000-02-29T10:00:00.000Z'],
    ['2026-11-22 09:00:00', '2026-11-22T09:00:00.000Z'],
    ['2026-11-22T09:00:00.123456789Z', '2026-11-22T09:00:00.123Z'],
    ['2026-11-22T09:00:00.5+0900', '2026-11-22T00:00:00.500Z'],
    ['2026-01-01t00:00:00z', '2026-01-01T00:00:00.000Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(dateOf(text)).toBe(iso);
  });
});

describe('bounds', () => {
  const now = new Date('2026-12-05T18:00:00Z');
  const limits = { skewSeconds: 300, maxValidityDays: 3650 };

  it('takes an observation up to the allowed skew ahead of now, and not a millisecond more', () => {
    expect(futureObservation(new Date('2026-12-05T18:05:00.000Z'), now, limits)).toBeUndefined();
    expect(futureObservation(new Date('1999-01-01T00:00:00Z'), now, limits)).toBeUndefined();
    expect(futureObservation(new Date('2026-12-05T18:05:00.001Z'), now, limits)).toMatch(
      /in the future; .* at most 5 minutes ahead/,
    );
    expect(futureObservation(new Date('9999-12-31T23:59:59Z'), now, limits)).toBeDefined();
  });

  it('takes an expiry up to the longest validity from now', () => {
    const last = new Date(now.getTime() + 3650 * 86_400_000);
    expect(beyondValidity(last, now, limits)).toBeUndefined();
    expect(beyondValidity(new Date(last.getTime() + 1), now, limits)).toMatch(/3650 days from now/);
  });
});

describe('renderableInstant', () => {
  it('keeps every instant of years 0001–9999 and clamps everything else to them', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        const out = renderableInstant(new Date(ms)).getTime();
        return out === Math.min(Math.max(ms, EARLIEST_INSTANT_MS), LATEST_INSTANT_MS);
      }),
    );
  });

  it.each([
    [Infinity, '9999-12-31T23:59:59.999Z'],
    [-Infinity, '0001-01-01T00:00:00.000Z'],
    [new Date(NaN), '0001-01-01T00:00:00.000Z'],
    ['+010000-01-30T00:00:00.000Z', '9999-12-31T23:59:59.999Z'],
    [null, '0001-01-01T00:00:00.000Z'],
  ])('renders %p as %s', (value, iso) => {
    expect(renderableInstant(value).toISOString()).toBe(iso);
  });
});
