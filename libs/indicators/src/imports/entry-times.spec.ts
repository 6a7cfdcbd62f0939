import { EntryRow } from './entry-input';
import { batchTimeProblems, boundEntryTimes } from './entry-times';

const now = new Date('2026-12-05T18:00:00Z');
const limits = { skewSeconds: 300, maxValidityDays: 3650 };
const FAR = new Date('9999-12-31T23:59:59Z');
const row = (line: number, extra: Partial<EntryRow> = {}): EntryRow => ({
  line,
  value: `192.0.2.${line}`,
  type: 'ipv4',
  ...extra,
});

describe('boundEntryTimes', () => {
  it('hands bare lines back untouched (a million of them cost no copy)', () => {
    const input = { rows: [row(1), row(2)], errors: [] };
    expect(boundEntryTimes(input, 'text', now, limits)).toBe(input);
  });

  it('refuses CSV lines seen in the future or expiring beyond the longest validity, by line', () => {
    const input = {
      rows: [
        row(2, { where: 'line 2', firstSeen: FAR }),
        row(3, { where: 'line 3', lastSeen: new Date('2026-12-05T18:05:00Z') }),
        row(4, { where: 'line 4', validUntil: FAR }),
        row(5, { where: 'line 5', validUntil: new Date('2036-12-02T18:00:00Z') }),
      ],
      errors: [{ line: 1, where: 'line 1', input: 'x', message: 'not an indicator' }],
    };
    const out = boundEntryTimes(input, 'csv', now, limits);
    expect(out.rows.map((r) => r.line)).toEqual([3, 5]);
    expect(out.errors.map((e) => [e.where, e.message])).toEqual([
      ['line 1', 'not an indicator'],
      ['line 2', expect.stringMatching(/^first_seen: 9999-12-31T23:59:59.000Z is in the future/)],
      ['line 4', expect.stringMatching(/^valid_until: .*3650 days from now/)],
    ]);
  });

  it('names the STIX property of the object at fault', () => {
    const input = {
      rows: [
        row(0, { where: 'objects[0].pattern', firstSeen: FAR }),
        row(1, { where: 'objects[1].value', validUntil: FAR }),
      ],
      errors: [],
    };
    expect(boundEntryTimes(input, 'stix', now, limits).errors.map((e) => e.where)).toEqual([
      'objects[0].valid_from',
      'objects[1].valid_until',
    ]);
  });
});

describe('batchTimeProblems', () => {
  const paths = { seenAt: 'seen_at', validityDays: 'validity_days' };

  it('names the batch-wide times out of bounds by the caller’s paths', () => {
    expect(batchTimeProblems({ seenAt: FAR, validityDays: 3651 }, paths, now, limits)).toEqual([
      { path: 'seen_at', message: expect.stringContaining('in the future') },
      { path: 'validity_days', message: 'must be at most 3650 days, the longest validity allowed' },
    ]);
    expect(batchTimeProblems({ seenAt: now, validityDays: 3650 }, paths, now, limits)).toEqual([]);
  });
});
