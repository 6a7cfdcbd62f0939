import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { aggregate, countAddresses } from './cidr-aggregate';

// The checks below do not reuse the module's parsing or arithmetic: addresses are parsed with
// ipaddr.js and every block is expanded address by address, so the windows stay small (a /20).

const WINDOW_BITS = 12; // a /20: 4096 addresses
const WINDOW = 2 ** WINDOW_BITS;

const v4ToNumber = (address: string) =>
  ipaddr.IPv4.parse(address)
    .toByteArray()
    .reduce((n, byte) => n * 256 + byte, 0);
const numberToV4 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/** A block as start and prefix; a bare address is a /32. */
function v4Block(block: string): { start: number; prefix: number } {
  const [address, prefix = '32'] = block.split('/');
  return { start: v4ToNumber(address), prefix: Number(prefix) };
}

function expand(blocks: string[]): Set<number> {
  const addresses = new Set<number>();
  for (const block of blocks) {
    const { start, prefix } = v4Block(block);
    expect(prefix).toBeGreaterThanOrEqual(32 - WINDOW_BITS); // keep expansion small
    for (let i = 0; i < 2 ** (32 - prefix); i++) addresses.add(start + i);
  }
  return addresses;
}

/**
 * The minimal cover by definition: the aligned blocks wholly inside the set whose parent block
 * is not (a block is never merged past the /20 window, since nothing outside it is in the set).
 */
function minimalCover(addresses: Set<number>, windowStart: number): string[] {
  const blocks: { start: number; prefix: number }[] = [];
  let parentFull = new Set<number>(); // starts of full blocks one level up
  for (let prefix = 32 - WINDOW_BITS; prefix <= 32; prefix++) {
    const size = 2 ** (32 - prefix);
    const full = new Set<number>();
    for (let start = windowStart; start < windowStart + WINDOW; start += size) {
      let all = true;
      for (let a = start; a < start + size && all; a++) all = addresses.has(a);
      if (!all) continue;
      full.add(start);
      const parent = start - (start % (size * 2));
      if (!parentFull.has(parent)) blocks.push({ start, prefix });
    }
    parentFull = full;
  }
  return blocks
    .sort((a, b) => a.start - b.start)
    .map(({ start, prefix }) =>
      prefix === 32 ? numberToV4(start) : `${numberToV4(start)}/${prefix}`,
    );
}

/** The brief's minimality conditions, checked directly on the output. */
function expectNoMergeableOrCovered(blocks: string[]) {
  const parsed = blocks.map(v4Block);
  for (const [i, a] of parsed.entries()) {
    const aSize = 2 ** (32 - a.prefix);
    for (const [j, b] of parsed.entries()) {
      if (i === j) continue;
      const bSize = 2 ** (32 - b.prefix);
      const covered = b.start >= a.start && b.start + bSize <= a.start + aSize;
      expect(covered).toBe(false);
      const siblings =
        a.prefix === b.prefix &&
        Math.floor(a.start / (aSize * 2)) === Math.floor(b.start / (bSize * 2));
      expect(siblings).toBe(false);
    }
  }
}

describe('aggregate: IPv4 against an independent expansion', () => {
  const window = fc.integer({ min: 0, max: 2 ** (32 - WINDOW_BITS) - 1 }).map((w) => w * WINDOW);
  const block = fc.record({
    // Offsets crowded into the start of the window make adjacent and overlapping blocks common.
    offset: fc.oneof(fc.integer({ min: 0, max: WINDOW - 1 }), fc.integer({ min: 0, max: 63 })),
    prefix: fc.oneof(
      fc.integer({ min: 32 - WINDOW_BITS, max: 32 }),
      fc.integer({ min: 29, max: 32 }),
    ),
    bare: fc.boolean(),
  });

  it('covers exactly the same addresses with the minimal blocks, sorted', () => {
    fc.assert(
      fc.property(window, fc.array(block, { maxLength: 60 }), (windowStart, blocks) => {
        const entries = blocks.map(({ offset, prefix, bare }) => {
          const size = 2 ** (32 - prefix);
          const start = windowStart + offset - (offset % size);
          return prefix === 32 && bare ? numberToV4(start) : `${numberToV4(start)}/${prefix}`;
        });
        const result = aggregate(entries);
        const addresses = expand(entries);

        expect(result.v6).toEqual([]);
        expect(expand(result.v4)).toEqual(addresses);
        expect(result.v4).toEqual(minimalCover(addresses, windowStart));
        expectNoMergeableOrCovered(result.v4);
        expect(countAddresses(entries)).toBe(BigInt(addresses.size));
        expect(countAddresses(result.v4)).toBe(BigInt(addresses.size));
      }),
      { numRuns: 300 },
    );
  });

  it('writes a single address bare and sorts by number, not text', () => {
    expect(aggregate(['10.0.0.10', '9.0.0.0/8', '10.0.0.9/32']).v4).toEqual([
      '9.0.0.0/8',
      '10.0.0.9',
      '10.0.0.10',
    ]);
  });

  it('handles the ends of the address space', () => {
    expect(aggregate(['0.0.0.0/1', '128.0.0.0/1']).v4).toEqual(['0.0.0.0/0']);
    expect(aggregate(['255.255.255.255', '255.255.255.254']).v4).toEqual(['255.255.255.254/31']);
    expect(aggregate(['0.0.0.0', '0.0.0.1']).v4).toEqual(['0.0.0.0/31']);
    expect(aggregate(['128.0.0.0/2', '192.0.0.0/2']).v4).toEqual(['128.0.0.0/1']);
    expect(aggregate([])).toEqual({ v4: [], v6: [] });
  });

  it('aggregates 1,000,000 entries', () => {
    // xorshift32: a fixed, repeatable feed. Mostly single addresses in a /10, dense enough to
    // merge, plus small networks anywhere.
    let seed = 0x9e3779b9;
    const random = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed >>> 0;
    };
    const entries: string[] = [];
    for (let i = 0; i < 1_000_000; i++) {
      if (i % 5 === 0) {
        const prefix = 24 + (random() % 8);
        const start = random();
        entries.push(`${numberToV4(start - (start % 2 ** (32 - prefix)))}/${prefix}`);
      } else {
        entries.push(numberToV4(v4ToNumber('45.64.0.0') + (random() % 2 ** 22)));
      }
    }

    const began = performance.now();
    const result = aggregate(entries);
    const elapsed = performance.now() - began;
    console.log(
      `aggregate: ${entries.length} IPv4 entries -> ${result.v4.length} blocks in ${elapsed.toFixed(0)} ms`,
    );

    expect(result.v6).toEqual([]);
    expect(countAddresses(result.v4)).toBe(countAddresses(entries));
    // A minimal cover is a fixed point: anything left to merge or drop would change it.
    expect(aggregate(result.v4).v4).toEqual(result.v4);
  });
});

describe('aggregate: IPv6', () => {
  it('merges sibling blocks', () => {
    expect(aggregate(['2001:db8::/33', '2001:db8:8000::/33']).v6).toEqual(['2001:db8::/32']);
    expect(aggregate(['::/1', '8000::/1']).v6).toEqual(['::/0']);
  });

  it('merges adjacent addresses only where aligned', () => {
    expect(aggregate(['2001:db8::', '2001:db8::1']).v6).toEqual(['2001:db8::/127']);
    expect(aggregate(['2001:db8::1', '2001:db8::2']).v6).toEqual(['2001:db8::1', '2001:db8::2']);
    expect(aggregate(['2001:db8::3', '2001:db8::1', '2001:db8::2']).v6).toEqual([
      '2001:db8::1',
      '2001:db8::2/127',
    ]);
  });

  it('drops blocks and addresses covered by others', () => {
    expect(aggregate(['2001:db8::1', '2001:db8::/64', '2001:db8::8:0/112']).v6).toEqual([
      '2001:db8::/64',
    ]);
    expect(aggregate(['2001:db8::/48', '::/0', 'fe80::1']).v6).toEqual(['::/0']);
  });

  it('cuts a run into the largest aligned blocks', () => {
    // ::1 to ::6 is ::1, ::2/127, ::4/127, ::6.
    const entries = ['2001:db8::1', '2001:db8::2', '2001:db8::3', '2001:db8::4'];
    entries.push('2001:db8::5', '2001:db8::6');
    expect(aggregate(entries).v6).toEqual([
      '2001:db8::1',
      '2001:db8::2/127',
      '2001:db8::4/127',
      '2001:db8::6',
    ]);
  });

  it('writes RFC 5952 text, single addresses bare, sorted by number', () => {
    expect(aggregate(['2001:DB8:0:0:0:0:0:10/128', '2001:0db8::9']).v6).toEqual([
      '2001:db8::9',
      '2001:db8::10',
    ]);
    const top = 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
    expect(aggregate([top, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe']).v6).toEqual([
      'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127',
    ]);
  });

  it('keeps the families apart', () => {
    expect(aggregate(['10.0.0.1', '2001:db8::1', '10.0.0.0', '::ffff:10.0.0.2'])).toEqual({
      v4: ['10.0.0.0/31'],
      v6: ['::ffff:a00:2', '2001:db8::1'], // mapped IPv4 stays IPv6: ::ffff:0:0/96 sorts first
    });
  });
});

describe('aggregate: input it refuses', () => {
  it.each([
    ['10.0.0.1/24', /host bits set; the network is 10\.0\.0\.0\/24/],
    ['2001:db8::1/64', /host bits set; the network is 2001:db8::\/64/],
    ['10.0.0', /not an IP address/],
    ['10.0.0.256', /not an IP address/],
    ['010.0.0.1', /not an IP address/],
    ['10.0.0.0/33', /not an IP address/],
    ['10.0.0.0/08', /not an IP address/],
    ['2001:db8::/129', /not an IP address/],
    ['fe80::1%eth0', /not an IP address/],
    ['example.com', /not an IP address/],
    ['', /not an IP address/],
  ])('%s', (entry, message) => {
    expect(() => aggregate([entry])).toThrow(message);
  });
});

describe('countAddresses', () => {
  it('counts each address once, both families together', () => {
    expect(countAddresses(['10.0.0.0/24', '10.0.0.128/25', '10.0.1.0'])).toBe(257n);
    expect(countAddresses(['2001:db8::/64', '2001:db8::1', '192.0.2.1'])).toBe(2n ** 64n + 1n);
    expect(countAddresses(['0.0.0.0/0', '::/0'])).toBe(2n ** 32n + 2n ** 128n);
  });
});
