import fc from 'fast-check';
import { AllowList } from './allow-list';
import { feedEntry } from './feed-entry.fixture';
import { shapeFeed } from './feed-render';

// The address sets below are computed without the hub's address code: intervals of BigInt,
// parsed and merged here, so a mistake shared by the feed and its check cannot hide.

type Interval = [bigint, bigint];
const V6_BASE = 1n << 200n; // IPv6 addresses are kept apart from IPv4 ones in one number line

function parseAddress(text: string): bigint {
  if (!text.includes(':')) return text.split('.').reduce((n, o) => n * 256n + BigInt(o), 0n);
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  expect(groups).toHaveLength(8);
  return groups.reduce((n, g) => (n << 16n) + BigInt(parseInt(g, 16)), 0n);
}

function interval(block: string): Interval {
  const v6 = block.includes(':');
  const [address, length] = block.split('/');
  const bits = v6 ? 128 : 32;
  const first = parseAddress(address) + (v6 ? V6_BASE : 0n);
  return [first, first + (1n << BigInt(bits - Number(length ?? bits))) - 1n];
}

function union(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: Interval[] = [];
  for (const [a, b] of sorted) {
    const top = out[out.length - 1];
    if (top && a <= top[1] + 1n) top[1] = b > top[1] ? b : top[1];
    else out.push([a, b]);
  }
  return out;
}

const size = (set: Interval[]) => set.reduce((n, [a, b]) => n + b - a + 1n, 0n);

function intersect(x: Interval[], y: Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const lo = x[i][0] > y[j][0] ? x[i][0] : y[j][0];
    const hi = x[i][1] < y[j][1] ? x[i][1] : y[j][1];
    if (lo <= hi) out.push([lo, hi]);
    if (x[i][1] < y[j][1]) i++;
    else j++;
  }
  return out;
}

// --- random feeds --------------------------------------------------------------------------

const row = (value: string) => feedEntry(value);

/** Mostly single addresses, some small and large blocks, a few absurdly wide ones. */
const prefix = (bits: number, widest: number) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(bits) },
    { weight: 3, arbitrary: fc.integer({ min: bits - 12, max: bits - 1 }) },
    { weight: 1, arbitrary: fc.integer({ min: widest, max: bits - 13 }) },
  );

// A few busy /8s (and /12s) so entries overlap and meet; the whole space now and then.
const v4 = fc
  .tuple(
    fc.oneof(fc.constantFrom(45, 77, 185), fc.integer({ min: 0, max: 255 })),
    fc.integer({ min: 0, max: 0xffffff }),
    prefix(32, 0),
  )
  .map(([top, low, len]) => {
    const address = ((BigInt(top) << 24n) | BigInt(low)) & ~((1n << BigInt(32 - len)) - 1n);
    const dotted = [24n, 16n, 8n, 0n].map((s) => (address >> s) & 255n).join('.');
    return len === 32 ? dotted : `${dotted}/${len}`;
  });

const v6 = fc
  .tuple(
    fc.oneof(fc.constantFrom(0x2a0, 0x240, 0x260), fc.integer({ min: 0, max: 0xfff })),
    fc.bigInt({ min: 0n, max: (1n << 116n) - 1n }),
    prefix(128, 4),
  )
  .map(([top, low, len]) => {
    const address = ((BigInt(top) << 116n) | low) & ~((1n << BigInt(128 - len)) - 1n);
    const groups = Array.from({ length: 8 }, (_, k) =>
      ((address >> BigInt(112 - 16 * k)) & 0xffffn).toString(16),
    );
    return len === 128 ? groups.join(':') : `${groups.join(':')}/${len}`;
  });

const value = fc.oneof(
  { weight: 6, arbitrary: v4 },
  { weight: 3, arbitrary: v6 },
  { weight: 1, arbitrary: fc.constantFrom('evil.example', 'bad.example', 'worse.example') },
);

const allow = new AllowList();

function addresses(values: string[]): Interval[] {
  return union(values.filter((v) => !v.endsWith('.example')).map(interval));
}

function shaped(values: string[], aggregate: boolean, parts?: number, part?: number): string[] {
  return shapeFeed(values.map(row), allow, { aggregate, parts, part }).entries.map((e) => e.value);
}

describe('feed parts', () => {
  it('are disjoint by address and together the whole feed, for any list and part count', () => {
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 60 }),
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        (values, parts, aggregate) => {
          const whole = shaped(values, aggregate);
          const pieces = Array.from({ length: parts }, (_, k) =>
            shaped(values, aggregate, parts, k + 1),
          );
          const sets = pieces.map(addresses);
          const all = addresses(whole);
          expect(union(sets.flat())).toEqual(all);
          // Each part merged on its own: the sizes add up to the whole only if no two overlap.
          expect(sets.reduce((n, s) => n + size(s), 0n)).toBe(size(all));
          // Other kinds are each in exactly one part.
          const names = pieces.flat().filter((v) => v.endsWith('.example'));
          expect(names.sort()).toEqual(whole.filter((v) => v.endsWith('.example')).sort());
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keep every address in its part as entries come and go', () => {
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 40 }),
        fc.array(fc.boolean(), { maxLength: 40 }),
        fc.array(value, { maxLength: 20 }),
        fc.integer({ min: 2, max: 12 }),
        fc.boolean(),
        (before, removed, added, parts, aggregate) => {
          const after = [...before.filter((_, i) => !removed[i]), ...added];
          const w1 = addresses(shaped(before, aggregate));
          const w2 = addresses(shaped(after, aggregate));
          for (let k = 1; k <= parts; k++) {
            const p1 = addresses(shaped(before, aggregate, parts, k));
            const p2 = addresses(shaped(after, aggregate, parts, k));
            // The addresses in both feeds that were in part k are exactly those still in it.
            expect(intersect(p1, w2)).toEqual(intersect(p2, w1));
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('put an address in the part of the block that contains it', () => {
    // Measured before: 825 addresses of a list were in two parts, a /32 in another part than
    // the /20 around it.
    const values = ['77.1.0.0/20', ...Array.from({ length: 64 }, (_, i) => `77.1.${i}.7`)];
    for (let k = 1; k <= 4; k++) {
      const part = addresses(shaped(values, false, 4, k));
      const others = Array.from({ length: 4 }, (_, j) => j + 1)
        .filter((j) => j !== k)
        .flatMap((j) => addresses(shaped(values, false, 4, j)));
      expect(intersect(part, union(others))).toEqual([]);
    }
  });

  it('spread addresses of many networks over every part', () => {
    const values = Array.from({ length: 400 }, (_, i) => `${1 + (i % 200)}.${(i * 37) % 256}.1.1`);
    const counts = [1, 2, 3, 4].map((k) => shaped(values, false, 4, k).length);
    expect(counts.reduce((a, b) => a + b)).toBe(shaped(values, false).length);
    for (const c of counts) expect(c).toBeGreaterThan(40);
  });
});
