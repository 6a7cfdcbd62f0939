import {
  decodeNext,
  encodeNext,
  isAfter,
  micro,
  parseObjectQuery,
  TaxiiError,
} from './taxii-params';

describe('parseObjectQuery', () => {
  it('reads the TAXII 2.1 filters', () => {
    const next = encodeNext({ addedAt: '2026-11-22T09:00:00.123456Z', key: '45.1.2.3' });
    expect(
      parseObjectQuery({
        added_after: '2026-11-22T08:00:00Z',
        limit: '5000',
        next,
        'match[id]':
          'indicator--00000000-0000-5000-8000-000000000000, report--11111111-1111-5111-8111-111111111111',
        'match[type]': 'indicator,report',
        'match[version]': 'all',
        'match[spec_version]': '2.1',
      }),
    ).toEqual({
      addedAfter: '2026-11-22T08:00:00Z',
      limit: 1000,
      next: { addedAt: '2026-11-22T09:00:00.123456Z', key: '45.1.2.3' },
      ids: [
        'indicator--00000000-0000-5000-8000-000000000000',
        'report--11111111-1111-5111-8111-111111111111',
      ],
      types: ['indicator', 'report'],
      version: 'all',
      specVersions: ['2.1'],
    });
    expect(parseObjectQuery({})).toMatchObject({ limit: 100, version: 'last' });
  });

  it.each([
    [{ limit: '0' }, /limit/],
    [{ limit: 'abc' }, /limit/],
    [{ added_after: 'yesterday' }, /added_after/],
    [{ added_after: '2026-11-22T08:00:00+09:00' }, /added_after/],
    [{ next: 'garbage' }, /next/],
    [{ next: encodeNext({ addedAt: '2026-11-22T09:00:00.000000Z', key: 'x' }) + 'x' }, /next/],
    [{ 'match[version]': 'newest' }, /match\[version\]/],
    [{ 'match[id]': 'not-an-id' }, /match\[id\]/],
    [{ limit: ['1', '2'] }, /once/],
  ])('refuses %j with a 400 naming the filter', (query, why) => {
    let error: unknown;
    try {
      parseObjectQuery(query);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TaxiiError);
    expect((error as TaxiiError).status).toBe(400);
    expect((error as TaxiiError).description).toMatch(why);
  });
});

describe('positions', () => {
  it('round-trips next and orders by date added, then key', () => {
    const p = { addedAt: '2026-11-22T09:00:00.000001Z', key: 'b' };
    expect(decodeNext(encodeNext(p))).toEqual(p);
    expect(isAfter({ addedAt: '2026-11-22T09:00:00.000002Z', key: 'a' }, p)).toBe(true);
    expect(isAfter({ addedAt: '2026-11-22T09:00:00.000001Z', key: 'c' }, p)).toBe(true);
    expect(isAfter({ addedAt: '2026-11-22T09:00:00.000001Z', key: 'b' }, p)).toBe(false);
  });

  it('writes timestamps with microseconds', () => {
    expect(micro('2026-11-22T09:00:00Z')).toBe('2026-11-22T09:00:00.000000Z');
    expect(micro('2026-11-22T09:00:00.12Z')).toBe('2026-11-22T09:00:00.120000Z');
  });
});
