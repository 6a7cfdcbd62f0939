import { roundDown, shownTime, shownTimeSql } from './shown-time';

const HOUR = 3_600_000;
const at = new Date('2026-11-20T10:47:13.123Z');

describe('shown times', () => {
  it('rounds down to the step behind a pseudonym', () => {
    expect(shownTime({ organisationId: null }, at, HOUR)).toEqual(
      new Date('2026-11-20T10:00:00.000Z'),
    );
  });

  it('is exact when the reader is shown who the author is: rounding would protect nobody', () => {
    expect(shownTime({ organisationId: 'org-1' }, at, HOUR)).toEqual(at);
  });

  it('rounds whole steps from the epoch, so equal inputs round alike', () => {
    expect(roundDown(new Date('2026-11-20T10:00:00.000Z'), HOUR).toISOString()).toBe(
      '2026-11-20T10:00:00.000Z',
    );
    expect(roundDown(new Date('2026-11-20T10:29:59.999Z'), 30 * 60_000).toISOString()).toBe(
      '2026-11-20T10:00:00.000Z',
    );
  });

  it('filters on the rounded time of anonymous rows only', () => {
    expect(shownTimeSql('published_at', 'anonymous', 3600)).toBe(
      '(CASE WHEN anonymous THEN to_timestamp(floor(extract(epoch FROM published_at) / 3600) * 3600) ELSE published_at END)',
    );
  });
});
