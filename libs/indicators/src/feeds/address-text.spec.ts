import fc from 'fast-check';
import { AddressText } from './address-text';
import { AllowList } from './allow-list';
import { feedEntry } from './feed-entry.fixture';
import { compareEntries, FeedShape, renderText, shapeFeed } from './feed-render';

// The database's stream (ORDER BY value::inet, one line per value) is played here by the
// feed's own order; test/feed-stream.e2e-spec.ts checks PostgreSQL's order against the
// shaped path on a real hub.

/** Canonical IPv4 addresses and blocks, crowded around allowed ranges and each other. */
const v4 = fc
  .record({
    base: fc.constantFrom(0x08080000, 0x0a000000, 0x01000000, 0x0b000000, 0x0b010000, 0xc0000200),
    offset: fc.integer({ min: 0, max: 0x3ffff }),
    prefix: fc.oneof(fc.constant(32), fc.integer({ min: 8, max: 32 })),
  })
  .map(({ base, offset, prefix }) => {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    const n = ((base + offset) & mask) >>> 0;
    const text = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
    return prefix === 32 ? text : `${text}/${prefix}`;
  });
/** Small blocks packed into 11.0.0.0/26: neighbours that aggregation joins. */
const dense = fc
  .record({ offset: fc.integer({ min: 0, max: 63 }), prefix: fc.integer({ min: 29, max: 32 }) })
  .map(({ offset, prefix }) => {
    const n = offset & (0xff << (32 - prefix)) & 0xff;
    return prefix === 32 ? `11.0.0.${n}` : `11.0.0.${n}/${prefix}`;
  });
const v6 = fc.constantFrom(
  '2a00:1450::1',
  '2a00:1450::/32',
  '2a00:1450:4001::/48',
  '2001:4860:4860::/48',
  '2001:4860:4860::8888',
  '2606:4700::/32',
  'fe80::1',
  '2001:db8::5',
);

function expected(values: string[], allow: AllowList, shape: FeedShape): string {
  return renderText(
    shapeFeed(
      values.map((v) => feedEntry(v)),
      allow,
      shape,
    ).entries,
  );
}

/** The stream as the database sends it: sorted unique lines, cut at the given offsets. */
function streamed(values: string[], allow: AllowList, shape: FeedShape, cuts: number[]): string {
  const sorted = [...new Set(values)].map((v) => feedEntry(v)).sort(compareEntries);
  const bytes = Buffer.from(sorted.map((e) => `${e.value}\n`).join(''), 'latin1');
  const text = new AddressText(allow, shape);
  const out: Buffer[] = [];
  let from = 0;
  for (const cut of [...cuts.map((c) => c % (bytes.length + 1)), bytes.length].sort(
    (a, b) => a - b,
  )) {
    out.push(...text.push(bytes.subarray(from, Math.max(from, cut))));
    from = Math.max(from, cut);
  }
  out.push(...text.end());
  expect(text.count - text.omitted).toBe(
    shapeFeed(
      values.map((v) => feedEntry(v)),
      allow,
      shape,
    ).entries.length,
  );
  return Buffer.concat(out).toString('latin1');
}

describe('AddressText (the database-sorted address feed in text)', () => {
  it('gives the bytes of shapeFeed and renderText on random inputs', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            { arbitrary: v4, weight: 4 },
            { arbitrary: dense, weight: 2 },
            { arbitrary: v6, weight: 1 },
          ),
          {
            maxLength: 60,
          },
        ),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
        fc.option(
          fc
            .integer({ min: 1, max: 5 })
            .chain((parts) =>
              fc.record({ parts: fc.constant(parts), part: fc.integer({ min: 1, max: parts }) }),
            ),
          { nil: undefined },
        ),
        fc.boolean(),
        fc.boolean(),
        (values, cuts, max, segment, ownRange, aggregate) => {
          const allow = new AllowList(
            ownRange ? [{ range: '11.0.0.0/20', reason: 'own range' }] : [],
          );
          const shape: FeedShape = { aggregate, max, ...segment };
          expect(streamed(values, allow, shape, cuts)).toBe(expected(values, allow, shape));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('writes a piece once when a cut block yields a value that is also a line', () => {
    const allow = new AllowList();
    // 8.8.8.0/24 minus 8.8.8.8 includes 8.8.8.9/32 and 8.8.8.0/29; both are also lines.
    const values = ['8.8.8.0/24', '8.8.8.0/29', '8.8.8.9', '9.0.0.1'];
    const shape: FeedShape = { aggregate: false };
    const out = streamed(values, allow, shape, [3, 17]);
    expect(out).toBe(expected(values, allow, shape));
    expect(out.split('\n').filter((l) => l === '8.8.8.0/29')).toHaveLength(1);
  });
});

describe('AddressText with aggregate', () => {
  it('joins neighbours and what is left of cut blocks into the fewest blocks, in order', () => {
    const allow = new AllowList();
    const values = [
      '11.0.0.0/31',
      '11.0.0.2/31',
      '11.0.0.4',
      '8.8.8.0/24',
      '8.8.8.9',
      '2a00:1450::1',
    ];
    const shape: FeedShape = { aggregate: true };
    const out = streamed(values, allow, shape, [5, 30]);
    expect(out).toBe(expected(values, allow, shape));
    expect(out.split('\n')).toContain('11.0.0.0/30');
  });
});
