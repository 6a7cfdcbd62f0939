import {
  canonicalTimestamp,
  decodeNext,
  encodeNext,
  isAfter,
  matchesVersion,
  micro,
  parseObjectQuery,
  parseVersionsQuery,
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
      addedAfter: '2026-11-22T08:00:00.000000Z',
      limit: 1000,
      nextToken: next,
      ids: [
        'indicator--00000000-0000-5000-8000-000000000000',
        'report--11111111-1111-5111-8111-111111111111',
      ],
      types: ['indicator', 'report'],
      version: ['all'],
      specVersions: ['2.1'],
    });
    expect(parseObjectQuery({})).toMatchObject({ limit: 100, version: ['last'] });
  });

  it('reads match[version] as a list, timestamps in one canonical form', () => {
    expect(parseObjectQuery({ 'match[version]': 'first,last' }).version).toEqual(['first', 'last']);
    expect(
      parseObjectQuery({
        'match[version]':
          '2026-11-22T09:00:00.123Z, all,2026-11-22T09:00:00.123000Z,2026-11-22T09:00:01Z',
      }).version,
    ).toEqual(['2026-11-22T09:00:00.123000Z', 'all', '2026-11-22T09:00:01.000000Z']);
  });

  it('reads only the parameters of Get Object Versions for versions', () => {
    expect(
      parseVersionsQuery({
        added_after: '2026-11-22T08:00:00.5Z',
        limit: '3',
        'match[spec_version]': '2.1',
        'match[type]': 'not checked here',
        'match[version]': 'neither',
      }),
    ).toEqual({
      addedAfter: '2026-11-22T08:00:00.500000Z',
      limit: 3,
      version: ['last'],
      specVersions: ['2.1'],
    });
    expect(() => parseVersionsQuery({ limit: 'abc' })).toThrow(TaxiiError);
    expect(() => parseVersionsQuery({ added_after: 'bad' })).toThrow(TaxiiError);
    expect(parseVersionsQuery({ next: 'sealed' })).toMatchObject({ nextToken: 'sealed' });
  });

  it.each([
    [{ limit: '0' }, /limit/],
    [{ limit: 'abc' }, /limit/],
    [{ added_after: 'yesterday' }, /added_after/],
    [{ added_after: '2026-11-22T08:00:00+09:00' }, /added_after/],
    [{ 'match[version]': 'newest' }, /match\[version\]/],
    [{ 'match[version]': 'first,newest' }, /match\[version\]/],
    [{ 'match[version]': ',' }, /match\[version\]/],
    [{ 'match[version]': '2026-02-30T00:00:00Z' }, /match\[version\]/],
    // Date.parse takes these; PostgreSQL refuses them (they answered 500).
    [{ added_after: '2026-02-30T00:00:00Z' }, /added_after/],
    [{ added_after: '0000-01-01T00:00:00Z' }, /added_after/],
    [{ added_after: '2026-01-01T24:00:00Z' }, /added_after/],
    [{ 'match[spec_version]': 'latest' }, /match\[spec_version\]/],
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
  it.each([
    'garbage',
    encodeNext({ addedAt: '2026-11-22T09:00:00.000000Z', key: 'x' }) + 'x',
    // Well-formed but not written here: an impossible date, a NUL in the key (PostgreSQL fails).
    encodeNext({ addedAt: '2026-02-30T00:00:00.000000Z', key: 'x' }),
    encodeNext({ addedAt: '2026-11-22T09:00:00Z', key: 'x' }),
    encodeNext({ addedAt: '2026-11-22T09:00:00.000000Z', key: 'a\u0000' }),
  ])('refuses a position %j this server would not write', (text) => {
    let error: unknown;
    try {
      decodeNext(text);
    } catch (e) {
      error = e;
    }
    expect((error as TaxiiError).description).toMatch(/next is not a value this server returned/);
  });

  it('round-trips next and orders by date added, then key', () => {
    const p = { addedAt: '2026-11-22T09:00:00.000001Z', key: 'b' };
    expect(decodeNext(encodeNext(p))).toEqual(p);
    expect(isAfter({ addedAt: '2026-11-22T09:00:00.000002Z', key: 'a' }, p)).toBe(true);
    expect(isAfter({ addedAt: '2026-11-22T09:00:00.000001Z', key: 'c' }, p)).toBe(true);
    expect(isAfter({ addedAt: '2026-11-22T09:00:00.000001Z', key: 'b' }, p)).toBe(false);
  });

  it('takes real instants only, in canonical form', () => {
    expect(canonicalTimestamp('2024-02-29T23:59:59.9Z')).toBe('2024-02-29T23:59:59.900000Z');
    expect(canonicalTimestamp('0001-01-01T00:00:00Z')).toBe('0001-01-01T00:00:00.000000Z');
    expect(canonicalTimestamp('0004-02-29T00:00:00Z')).toBe('0004-02-29T00:00:00.000000Z');
    for (const bad of [
      '2023-02-29T00:00:00Z',
      '0003-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-12-31T23:59:60Z',
      '2026-12-31T23:60:00Z',
      '2026-12-31T23:00:00',
      '2026-12-31T23:00:00.1234567Z',
    ]) {
      expect(`${bad} ${canonicalTimestamp(bad)}`).toBe(`${bad} undefined`);
    }
  });

  it('matches versions as instants', () => {
    const version = '2026-11-22T09:00:00.123Z';
    expect(matchesVersion(['2026-11-22T09:00:00.123000Z'], version)).toBe(true);
    expect(matchesVersion(['2026-11-22T09:00:00.123001Z'], version)).toBe(false);
    expect(matchesVersion(['2026-11-22T09:00:00.124000Z'], version)).toBe(false);
    expect(
      matchesVersion(['2026-11-22T09:00:00.124000Z', '2026-11-22T09:00:00.123000Z'], version),
    ).toBe(true);
    for (const keyword of ['first', 'last', 'all']) {
      expect(matchesVersion([keyword], version)).toBe(true);
    }
  });

  it('writes timestamps with microseconds', () => {
    expect(micro('2026-11-22T09:00:00Z')).toBe('2026-11-22T09:00:00.000000Z');
    expect(micro('2026-11-22T09:00:00.12Z')).toBe('2026-11-22T09:00:00.120000Z');
  });
});
