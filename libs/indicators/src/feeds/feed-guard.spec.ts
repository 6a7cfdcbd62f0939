import type { EntryRow } from '../imports/entry-input';
import {
  addedSpace,
  guardEntries,
  mayNeedReview,
  reviewReason,
  singleAddresses,
} from './feed-guard';

const BROADEST = { ipv4: 10, ipv6: 24 };
const REVIEW = { ipv4Addresses: 2 ** 20, ipv6Nets: 2 ** 35, growthPercent: 100 };

function rows(...values: [string, EntryRow['type']][]): EntryRow[] {
  return values.map(([value, type], i) => ({ line: i + 1, value, type }));
}

describe('guardEntries: breadth', () => {
  it('refuses /0, a /1 and anything broader than the limit, per family, with why and what to do', () => {
    const { rows: kept, errors } = guardEntries(
      rows(
        ['0.0.0.0/0', 'ipv4-cidr'],
        ['0.0.0.0/1', 'ipv4-cidr'],
        ['45.0.0.0/9', 'ipv4-cidr'],
        ['45.0.0.0/10', 'ipv4-cidr'],
        ['::/0', 'ipv6-cidr'],
        ['2a00::/23', 'ipv6-cidr'],
        ['2a00::/24', 'ipv6-cidr'],
        ['45.1.2.3', 'ipv4'],
        ['evil.example', 'domain'],
      ),
      BROADEST,
      [],
    );
    expect(kept.map((r) => r.value)).toEqual([
      '45.0.0.0/10',
      '2a00::/24',
      '45.1.2.3',
      'evil.example',
    ]);
    expect(errors.map((e) => [e.line, e.where, e.input])).toEqual([
      [1, 'line 1', '0.0.0.0/0'],
      [2, 'line 2', '0.0.0.0/1'],
      [3, 'line 3', '45.0.0.0/9'],
      [5, 'line 5', '::/0'],
      [6, 'line 6', '2a00::/23'],
    ]);
    expect(errors[0].message).toMatch(
      /^0\.0\.0\.0\/0 is broader than \/10, the broadest IPv4 range/,
    );
    expect(errors[0].message).toMatch(/List the attacking addresses or narrower ranges/);
    expect(errors[3].message).toMatch(/broader than \/24, the broadest IPv6 range/);
  });

  it('keeps the path of a STIX object', () => {
    const row: EntryRow = {
      line: 3,
      where: 'objects[3].pattern',
      value: '::/0',
      type: 'ipv6-cidr',
    };
    expect(guardEntries([row], BROADEST, []).errors[0].where).toBe('objects[3].pattern');
  });
});

describe('guardEntries: protected ranges', () => {
  const DNS = [
    { range: '151.101.0.0/16', note: 'sector DNS' },
    { range: '2001:db8:53::/48', note: '' },
  ];

  it('refuses entries within or overlapping them, saying which, and keeps the rest', () => {
    const { rows: kept, errors } = guardEntries(
      rows(
        ['151.101.53.53', 'ipv4'],
        ['151.100.0.0/14', 'ipv4-cidr'],
        ['151.102.0.1', 'ipv4'],
        ['2001:db8:53::1', 'ipv6'],
        ['2001:db8::/32', 'ipv6-cidr'],
        ['2001:db8:54::1', 'ipv6'],
      ),
      BROADEST,
      DNS,
    );
    expect(kept.map((r) => r.value)).toEqual(['151.102.0.1', '2001:db8:54::1']);
    expect(errors.map((e) => e.message)).toEqual([
      '151.101.53.53 is within 151.101.0.0/16 (sector DNS), a range the coordinator protected: it must never be blocked',
      '151.100.0.0/14 overlaps 151.101.0.0/16 (sector DNS), a range the coordinator protected: list the parts outside it',
      '2001:db8:53::1 is within 2001:db8:53::/48, a range the coordinator protected: it must never be blocked',
      '2001:db8::/32 overlaps 2001:db8:53::/48, a range the coordinator protected: list the parts outside it',
    ]);
  });
});

describe('review', () => {
  it('counts IPv4 addresses and IPv6 /64 networks', () => {
    expect(
      addedSpace(
        rows(
          ['45.0.0.0/10', 'ipv4-cidr'],
          ['45.77.0.1', 'ipv4'],
          ['2a00::/48', 'ipv6-cidr'],
          ['2a00:1::/96', 'ipv6-cidr'],
          ['2a00:2::1', 'ipv6'],
          ['evil.example', 'domain'],
        ),
      ),
    ).toEqual({ ipv4: 2 ** 22 + 1, ipv6Nets: 2 ** 16 + 2 });
  });

  it('holds a change above either limit, not one at it', () => {
    expect(reviewReason({ ipv4: 2 ** 20, ipv6Nets: 2 ** 35 }, REVIEW)).toBeNull();
    expect(reviewReason({ ipv4: 10_000_000, ipv6Nets: 0 }, REVIEW)).toBe(
      'it adds 10,000,000 IPv4 addresses to blocklists, more than 1,048,576',
    );
    expect(reviewReason({ ipv4: 0, ipv6Nets: 2 ** 35 + 1 }, REVIEW)).toMatch(
      /IPv6 \/64 networks to blocklists, more than 34,359,738,368/,
    );
  });

  it('holds a change that grows what every member receives by more than the share, from a /16 up', () => {
    const served = { ipv4: 100_000, ipv6Nets: 0 };
    expect(
      reviewReason({ ipv4: 65_535, ipv6Nets: 0 }, REVIEW, { ipv4: 0, ipv6Nets: 0 }),
    ).toBeNull();
    expect(reviewReason({ ipv4: 65_536, ipv6Nets: 0 }, REVIEW, { ipv4: 0, ipv6Nets: 0 })).toBe(
      'it grows the blocklists every member receives by from nothing (65,536 IPv4 addresses on 0), more than the 100% the hub takes at once',
    );
    expect(reviewReason({ ipv4: 100_000, ipv6Nets: 0 }, REVIEW, served)).toBeNull();
    expect(
      reviewReason({ ipv4: 150_000, ipv6Nets: 0 }, { ...REVIEW, growthPercent: 50 }, served),
    ).toMatch(
      /grows the blocklists every member receives by 150% \(150,000 IPv4 addresses on 100,000\), more than the 50%/,
    );
    // IPv6 by the absolute limit only: a /37 on an empty IPv6 feed is not held for growth.
    expect(reviewReason({ ipv4: 0, ipv6Nets: 2 ** 27 }, REVIEW, served)).toBeNull();
    expect(mayNeedReview({ ipv4: 65_535, ipv6Nets: 2 ** 27 }, REVIEW)).toBe(false);
    expect(mayNeedReview({ ipv4: 65_536, ipv6Nets: 0 }, REVIEW)).toBe(true);
  });
});

describe('singleAddresses: the new space without reading it back', () => {
  it('counts the new values when every row is a single address of one family', () => {
    expect(singleAddresses(rows(['45.1.2.3', 'ipv4'], ['45.1.2.4', 'ipv4']), 1)).toEqual({
      ipv4: 1,
      ipv6Nets: 0,
    });
    expect(singleAddresses(rows(['2001:db8::1', 'ipv6']), 1)).toEqual({ ipv4: 0, ipv6Nets: 1 });
  });

  it('leaves ranges, mixed families and other kinds to the database', () => {
    expect(singleAddresses(rows(['45.1.2.3', 'ipv4'], ['45.1.2.0/24', 'ipv4-cidr']), 2)).toBe(
      undefined,
    );
    expect(singleAddresses(rows(['45.1.2.3', 'ipv4'], ['2001:db8::1', 'ipv6']), 2)).toBe(undefined);
    expect(singleAddresses(rows(['evil.example', 'domain']), 1)).toBe(undefined);
    expect(singleAddresses([], 0)).toBe(undefined);
  });
});
