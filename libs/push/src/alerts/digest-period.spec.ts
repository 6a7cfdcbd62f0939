import { digestPeriod, sendKindOf } from './digest-period';

describe('digestPeriod', () => {
  const tokyo = 'Asia/Tokyo';

  it('files events either side of midnight in Tokyo under different days', () => {
    // 23:59:59 JST on 5 December is 14:59:59 UTC; a second later it is 6 December in Tokyo.
    const before = digestPeriod(new Date('2026-12-05T14:59:59.999Z'), 'daily', tokyo);
    const after = digestPeriod(new Date('2026-12-05T15:00:00.000Z'), 'daily', tokyo);
    expect(before).toEqual({
      key: 'daily:2026-12-05',
      end: new Date('2026-12-05T15:00:00.000Z'),
    });
    expect(after).toEqual({ key: 'daily:2026-12-06', end: new Date('2026-12-06T15:00:00.000Z') });
  });

  it('keeps one Tokyo day together although it spans two UTC dates', () => {
    const morning = digestPeriod(new Date('2026-12-05T15:30:00Z'), 'daily', tokyo); // 00:30 JST 6th
    const evening = digestPeriod(new Date('2026-12-06T14:30:00Z'), 'daily', tokyo); // 23:30 JST 6th
    expect(morning.key).toBe(evening.key);
  });

  it('groups a week from Monday 00:00 in Tokyo', () => {
    // Sunday 6 December 23:59 JST and Monday 7 December 00:00 JST.
    const sunday = digestPeriod(new Date('2026-12-06T14:59:00Z'), 'weekly', tokyo);
    const monday = digestPeriod(new Date('2026-12-06T15:00:00Z'), 'weekly', tokyo);
    expect(sunday).toEqual({
      key: 'weekly:2026-11-30',
      end: new Date('2026-12-06T15:00:00.000Z'),
    });
    expect(monday).toEqual({
      key: 'weekly:2026-12-07',
      end: new Date('2026-12-13T15:00:00.000Z'),
    });
  });

  it('follows the configured zone, daylight saving included', () => {
    // Europe/Berlin: 29 March 2026 has 23 hours; the day ends at 22:00 UTC.
    const p = digestPeriod(new Date('2026-03-29T12:00:00Z'), 'daily', 'Europe/Berlin');
    expect(p).toEqual({ key: 'daily:2026-03-29', end: new Date('2026-03-29T22:00:00.000Z') });
  });
});

describe('sendKindOf', () => {
  it('reads the kind of a send from its key, early-sent digests included', () => {
    expect(sendKindOf('event:42')).toBe('immediate');
    expect(sendKindOf('daily:2026-12-05')).toBe('daily');
    expect(sendKindOf('weekly:2026-11-30#sent-early-20261205T101010.000000')).toBe('weekly');
  });
});
