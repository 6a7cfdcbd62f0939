import ipaddr from 'ipaddr.js';
import { AllowList, PUBLIC_RESOLVERS, SPECIAL_PURPOSE } from './allow-list';

/**
 * Every address of small blocks, as bigint, parsed with ipaddr.js rather than the module, so
 * `split` is checked against an independent computation.
 */
function expand(blocks: string[]): Set<bigint> {
  const addresses = new Set<bigint>();
  for (const block of blocks) {
    const bare = ipaddr.isValid(block) ? ipaddr.parse(block) : null;
    const [address, bits]: [ipaddr.IPv4 | ipaddr.IPv6, number] = bare
      ? [bare, bare.kind() === 'ipv4' ? 32 : 128]
      : ipaddr.parseCIDR(block);
    const width = address.kind() === 'ipv4' ? 32 : 128;
    expect(width - bits).toBeLessThanOrEqual(12); // keep expansion small
    const start = address.toByteArray().reduce((n, byte) => n * 256n + BigInt(byte), 0n);
    for (let i = 0n; i < 2n ** BigInt(width - bits); i++) addresses.add(start + i);
  }
  return addresses;
}

const minus = (a: Set<bigint>, b: Set<bigint>) => new Set([...a].filter((x) => !b.has(x)));

const allow = new AllowList();

describe('SPECIAL_PURPOSE', () => {
  it('lists the registry blocks a blocklist must never contain', () => {
    const ranges = SPECIAL_PURPOSE.map((r) => r.range);
    expect(ranges).toEqual(
      expect.arrayContaining([
        '0.0.0.0/8',
        '10.0.0.0/8',
        '100.64.0.0/10',
        '127.0.0.0/8',
        '169.254.0.0/16',
        '172.16.0.0/12',
        '192.0.0.0/24',
        '192.0.2.0/24',
        '192.88.99.0/24',
        '192.168.0.0/16',
        '198.18.0.0/15',
        '198.51.100.0/24',
        '203.0.113.0/24',
        '224.0.0.0/4',
        '240.0.0.0/4',
        '255.255.255.255/32',
        '::/128',
        '::1/128',
        '::ffff:0:0/96',
        '64:ff9b::/96',
        '64:ff9b:1::/48',
        '100::/64',
        '2001::/23',
        '2001:db8::/32',
        '2002::/16',
        'fc00::/7',
        'fe80::/10',
        'ff00::/8',
      ]),
    );
    expect(new Set(ranges).size).toBe(ranges.length);
  });

  it.each(SPECIAL_PURPOSE)('covers $range: $reason', ({ range, reason }) => {
    expect(allow.covers(range)).toEqual({ range, reason });
  });
});

describe('AllowList.covers', () => {
  it.each(PUBLIC_RESOLVERS)('covers the resolver $range', ({ range, reason }) => {
    expect(allow.covers(range)).toEqual({ range, reason });
    expect(allow.covers(range.split('/')[0])).toEqual({ range, reason });
  });

  it('names the resolvers of the brief', () => {
    const expected: [string, string][] = [
      ['8.8.8.8', 'Google'],
      ['8.8.4.4', 'Google'],
      ['2001:4860:4860::8888', 'Google'],
      ['2001:4860:4860::8844', 'Google'],
      ['1.1.1.1', 'Cloudflare'],
      ['1.0.0.1', 'Cloudflare'],
      ['2606:4700:4700::1111', 'Cloudflare'],
      ['2606:4700:4700::1001', 'Cloudflare'],
      ['9.9.9.9', 'Quad9'],
      ['149.112.112.112', 'Quad9'],
      ['2620:fe::fe', 'Quad9'],
      ['2620:fe::9', 'Quad9'],
      ['208.67.222.222', 'OpenDNS'],
      ['208.67.220.220', 'OpenDNS'],
    ];
    for (const [address, operator] of expected) {
      expect(allow.covers(address)?.reason).toContain(operator);
    }
  });

  it('covers addresses inside special-purpose ranges, at both ends', () => {
    expect(allow.covers('10.0.0.0')?.reason).toMatch(/Private-Use/);
    expect(allow.covers('10.255.255.255')?.reason).toMatch(/Private-Use/);
    expect(allow.covers('100.127.255.255')?.reason).toMatch(/Shared Address Space/);
    expect(allow.covers('239.255.255.250')?.reason).toMatch(/Multicast/);
    expect(allow.covers('255.255.255.255')?.reason).toMatch(/Limited Broadcast/);
    expect(allow.covers('fd12:3456::1')?.reason).toMatch(/Unique-Local/);
    expect(allow.covers('ff02::1')?.reason).toMatch(/Multicast/);
  });

  it('gives the most precise reason for an entry inside nested ranges', () => {
    expect(allow.covers('2001::1')?.reason).toMatch(/TEREDO/);
    expect(allow.covers('2001:1ff::/32')?.reason).toMatch(/IETF Protocol Assignments/);
    expect(allow.covers('192.0.0.9')?.reason).toMatch(/Port Control Protocol/);
    expect(allow.covers('192.0.0.200')?.reason).toMatch(/IETF Protocol Assignments/);
  });

  it('does not cover public addresses', () => {
    for (const entry of ['185.220.101.4', '45.155.205.0/24', '2a01:4f8::1', '2a01:4f8::/32']) {
      expect(allow.covers(entry)).toBeNull();
    }
    // Next to a resolver, not on it.
    expect(allow.covers('8.8.8.0/29')).toBeNull();
    expect(allow.covers('8.8.8.9')).toBeNull();
    expect(allow.covers('2001:4860:4860::8889')).toBeNull();
  });

  it('covers a block that merely overlaps an allowed range', () => {
    expect(allow.covers('8.8.8.0/24')).toEqual({
      range: '8.8.8.8/32',
      reason: 'Public DNS resolver: Google',
    });
    expect(allow.covers('8.0.0.0/8')?.reason).toMatch(/Google/);
    expect(allow.covers('0.0.0.0/0')).not.toBeNull();
    expect(allow.covers('2606:4700::/32')?.reason).toMatch(/Cloudflare/);
    expect(allow.covers('192.168.0.0/15')?.reason).toMatch(/Private-Use/);
  });

  it('names every range withheld from a block, and together they are all that is withheld', () => {
    expect(allow.withheld('192.0.0.0/22').map((w) => w.range)).toEqual([
      '192.0.0.0/24',
      '192.0.2.0/24',
    ]);
    expect(allow.withheld('8.8.0.0/21').map((w) => w.range)).toEqual(['8.8.4.4/32']);
    expect(allow.withheld('8.8.0.0/16').map((w) => w.range)).toEqual(['8.8.4.4/32', '8.8.8.8/32']);
    // Inside one range: that range, with its precise reason.
    expect(allow.withheld('192.0.0.9')).toEqual([allow.covers('192.0.0.9')]);
    expect(allow.withheld('185.220.101.4')).toEqual([]);
    // What is withheld from a block is exactly what `split` leaves out.
    for (const block of ['192.0.0.0/22', '8.8.0.0/20', '203.0.112.0/22']) {
      const withheld = new Set(
        [...expand(allow.withheld(block).map((w) => w.range))].filter((a) =>
          expand([block]).has(a),
        ),
      );
      const served = expand(allow.split(block));
      expect(withheld.size + served.size).toBe(expand([block]).size);
      for (const a of served) expect(withheld.has(a)).toBe(false);
    }
  });

  it('covers IPv4 written as IPv6', () => {
    expect(allow.covers('::ffff:10.0.0.1')?.reason).toMatch(/IPv4-mapped/);
    expect(allow.covers('::ffff:a00:1')?.reason).toMatch(/IPv4-mapped/);
    expect(allow.covers('::ffff:8.8.8.8')).not.toBeNull();
    expect(allow.covers('::ffff:185.220.101.4')).not.toBeNull();
    expect(allow.covers('64:ff9b::808:808')?.reason).toMatch(/NAT64/);
    expect(allow.covers('2002:808:808::/48')?.reason).toMatch(/6to4/);
  });

  it('honours caller-supplied ranges', () => {
    const own = { range: '203.0.114.0/24', reason: 'Own range of Tokyo Power' };
    const hubWide = { range: '2a01:4f8:1::/48', reason: 'Hub-wide: national CERT' };
    const list = new AllowList([own, hubWide]);
    expect(list.covers('203.0.114.77')).toEqual(own);
    expect(list.covers('203.0.114.0/23')).toEqual(own);
    expect(list.covers('2a01:4f8:1:2::3')).toEqual(hubWide);
    expect(list.covers('10.0.0.1')?.reason).toMatch(/Private-Use/);
    expect(allow.covers('203.0.114.77')).toBeNull(); // only where supplied
  });

  it('refuses malformed entries and ranges', () => {
    expect(() => allow.covers('8.8.8.8/24')).toThrow(/host bits set/);
    expect(() => allow.covers('not-an-address')).toThrow(/not an IP address/);
    expect(() => new AllowList([{ range: '10.0.0/8', reason: 'Typo' }])).toThrow(/"Typo"/);
  });
});

describe('AllowList.split', () => {
  /** The split is exactly the entry minus the allowed addresses, with no block to merge. */
  function expectExactSplit(list: AllowList, entry: string, allowed: string[]) {
    const blocks = list.split(entry);
    expect(expand(blocks)).toEqual(minus(expand([entry]), expand(allowed)));
    // Disjoint: the sizes add up to the set.
    const total = blocks.reduce((n, b) => n + expand([b]).size, 0);
    expect(total).toBe(expand(blocks).size);
    return blocks;
  }

  it('removes a resolver from a block and keeps the rest minimal', () => {
    const blocks = expectExactSplit(allow, '8.8.8.0/28', ['8.8.8.8']);
    expect(blocks).toEqual(['8.8.8.0/29', '8.8.8.9', '8.8.8.10/31', '8.8.8.12/30']);
  });

  it('removes several allowed ranges from a /20', () => {
    const blocks = expectExactSplit(allow, '8.8.0.0/20', ['8.8.4.4', '8.8.8.8']);
    // Each /21 half loses one address, leaving 32 - 21 = 11 blocks per half.
    expect(blocks).toHaveLength(22);
  });

  it('splits IPv6 blocks', () => {
    const allowed = ['2001:4860:4860::8844', '2001:4860:4860::8888'];
    expectExactSplit(allow, '2001:4860:4860::8800/120', allowed);
    expect(allow.split('2001:4860:4860::8888')).toEqual([]);
  });

  it('returns the entry when nothing overlaps, and nothing when all is allowed', () => {
    expect(allow.split('185.220.101.0/24')).toEqual(['185.220.101.0/24']);
    expect(allow.split('185.220.101.4/32')).toEqual(['185.220.101.4']);
    expect(allow.split('10.1.0.0/16')).toEqual([]);
    expect(allow.split('8.8.8.8')).toEqual([]);
    expect(allow.split('::ffff:185.220.101.4')).toEqual([]);
  });

  it('cuts around a range at the edge of the entry and around caller ranges', () => {
    expect(allow.split('192.168.0.0/15')).toEqual(['192.169.0.0/16']);
    const list = new AllowList([{ range: '203.0.114.0/25', reason: 'Own range' }]);
    expectExactSplit(list, '203.0.114.0/23', ['203.0.114.0/25']);
    expect(list.split('203.0.114.0/23')).toEqual(['203.0.114.128/25', '203.0.115.0/24']);
  });
});
