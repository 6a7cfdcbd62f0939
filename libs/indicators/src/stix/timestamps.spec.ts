import { parseStixTimestamp, stixTimestamp } from './timestamps';

describe('stixTimestamp', () => {
  it('writes UTC with exactly three fractional digits', () => {
    expect(stixTimestamp(new Date('2026-11-22T04:05:06.123Z'))).toBe('2026-11-22T04:05:06.123Z');
    expect(stixTimestamp(new Date('2026-11-22T04:05:06Z'))).toBe('2026-11-22T04:05:06.000Z');
    expect(stixTimestamp(new Date(Date.UTC(99, 0, 1)))).toBe('1999-01-01T00:00:00.000Z');
  });

  it('refuses an invalid Date and years STIX cannot write', () => {
    expect(() => stixTimestamp(new Date('nonsense'))).toThrow('valid Date');
    expect(() => stixTimestamp(new Date('+010000-01-01T00:00:00Z'))).toThrow('0000–9999');
    expect(() => stixTimestamp('2026-01-01' as unknown as Date)).toThrow('valid Date');
  });
});

describe('parseStixTimestamp', () => {
  it.each([
    ['2026-11-22T04:05:06.123Z', '2026-11-22T04:05:06.123Z'],
    ['2026-11-22T04:05:06Z', '2026-11-22T04:05:06.000Z'],
    ['2026-11-22T04:05:06.1Z', '2026-11-22T04:05:06.100Z'],
    ['2026-11-22T04:05:06.123456789Z', '2026-11-22T04:05:06.123Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['0099-01-01T00:00:00Z', '0099-01-01T00:00:00.000Z'],
  ])('reads %s', (text, iso) => {
    const date = parseStixTimestamp(text);
    expect(date).toBeInstanceOf(Date);
    expect((date as Date).toISOString()).toBe(iso);
  });

  it.each([
    ['2026-11-22T04:05:06+00:00', 'not a STIX timestamp'],
    ['2026-11-22 04:05:06Z', 'not a STIX timestamp'],
    ['2026-11-22', 'not a STIX timestamp'],
    ['2026-13-01T00:00:00Z', 'no month 13'],
    ['2026-02-30T00:00:00Z', 'February 2026 has no day 30'],
    ['2025-02-29T00:00:00Z', 'February 2025 has no day 29'],
    ['0000-01-01T00:00:00Z', 'no year 0000'],
    ['2026-01-01T24:00:00Z', 'no hour 24'],
    ['2016-12-31T23:59:60Z', 'leap second'],
  ])('refuses %s', (text, reason) => {
    expect(parseStixTimestamp(text)).toContain(reason);
  });

  it('says what it got instead of a string', () => {
    expect(parseStixTimestamp(1700000000)).toBe(
      'expected a timestamp string, got the number 1700000000',
    );
  });
});
