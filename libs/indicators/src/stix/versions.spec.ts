import { countBetween, microsOf, microsText, roundedModified } from './versions';

const HOUR = 3_600_000;
const round = (d: Date) => new Date(Math.floor(d.getTime() / HOUR) * HOUR);
const us = (iso: string) => microsOf(iso);

describe('microsOf and microsText', () => {
  it('keep microseconds both ways', () => {
    expect(microsText(us('2026-11-22T04:05:06.123456Z'))).toBe('2026-11-22T04:05:06.123456Z');
    expect(us('2026-11-22T04:05:06Z')).toBe(Date.parse('2026-11-22T04:05:06Z') * 1000);
    expect(microsText(us('2026-11-22T04:05:06.1Z'))).toBe('2026-11-22T04:05:06.100000Z');
    expect(() => microsOf('yesterday')).toThrow('is not a UTC timestamp');
  });
});

describe('countBetween', () => {
  it('counts sorted events in a closed range', () => {
    const events = [1, 3, 3, 5, 9];
    expect(countBetween(events, 3, 5)).toBe(3);
    expect(countBetween(events, 0, 100)).toBe(5);
    expect(countBetween(events, 6, 8)).toBe(0);
    expect(countBetween([], 0, 1)).toBe(0);
  });
});

describe('roundedModified', () => {
  // A list that changed three times in one hour and once the next.
  const events = [
    us('2026-11-22T04:05:06.000001Z'),
    us('2026-11-22T04:30:00.000000Z'),
    us('2026-11-22T04:59:59.999999Z'),
    us('2026-11-22T05:00:00.000000Z'),
  ];
  const modified = (v: number) =>
    roundedModified(v, round, HOUR, (start) => countBetween(events, start, v)).toISOString();

  it('gives versions within one rounding step increasing times that reveal only the hour', () => {
    expect(events.map(modified)).toEqual([
      '2026-11-22T04:00:00.001Z',
      '2026-11-22T04:00:00.002Z',
      '2026-11-22T04:00:00.003Z',
      '2026-11-22T05:00:00.001Z',
    ]);
  });

  it('is never the rounded time itself, and caps the count short of the next step', () => {
    expect(roundedModified(events[0], round, HOUR, () => 0).toISOString()).toBe(
      '2026-11-22T04:00:00.001Z',
    );
    expect(roundedModified(events[0], round, 10, () => 50).getTime()).toBe(
      round(new Date(events[0] / 1000)).getTime() + 9,
    );
  });
});
