import fc from 'fast-check';
import { turnsDuring } from '../../../../test/support/turns';
import { EntryRow } from './entry-input';
import { sortedRanges, sortInTurns, uniqueSorted } from './sort-in-turns';

describe('sortInTurns', () => {
  it('orders exactly as Array.prototype.sort, duplicates and all', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'binary', maxLength: 4 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 7 }),
        async (strings, run) => {
          expect(await sortInTurns([...strings], run)).toEqual([...strings].sort());
        },
      ),
      { numRuns: 500 },
    );
  });

  it('lets other work run between its parts', async () => {
    const strings = Array.from({ length: 200_000 }, (_, i) => String((i * 7919) % 200_003));
    const { result: sorted, turns } = await turnsDuring(() => sortInTurns([...strings]));
    expect(sorted).toEqual([...strings].sort());
    // 4 runs sorted, then merged 50,000 at a time (2 × 100,000, then 200,000): 4 + 2 + 3 turns.
    expect(turns).toBeGreaterThanOrEqual(9);
  });
});

describe('uniqueSorted', () => {
  const rows: EntryRow[] = Array.from({ length: 150_000 }, (_, i) => ({
    line: i + 1,
    value: `198.51.${(i * 37) % 256}.${i % 100}`,
    type: 'ipv4',
  }));

  it('keeps one row per value, the last line, in the order of the values', async () => {
    const sorted = await uniqueSorted(rows);
    const values = sorted.map((r) => r.value);
    expect(values).toEqual([...new Set(rows.map((r) => r.value))].sort());
    const lastLine = new Map(rows.map((r) => [r.value, r.line]));
    expect(sorted.map((r) => r.line)).toEqual(values.map((v) => lastLine.get(v)));
  });

  it('lets other work run while it reads a long input', async () => {
    const { turns } = await turnsDuring(() => uniqueSorted(rows));
    // 15 parts of the first loop alone.
    expect(turns).toBeGreaterThanOrEqual(14);
  });
});

describe('sortedRanges', () => {
  const collect = async (strings: string[], range?: number) => {
    const parts: string[][] = [];
    for await (const part of sortedRanges(strings, range)) parts.push(part);
    return parts;
  };

  it('is the distinct strings in the order of Array.prototype.sort, range after range', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'binary', maxLength: 4 }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 9 }),
        async (strings, range) => {
          const parts = await collect([...strings], range);
          expect(parts.flat()).toEqual([...new Set(strings)].sort());
          expect(parts.every((p) => p.length > 0)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('has its first range ready before the rest are sorted, and lets other work run', async () => {
    const strings = Array.from({ length: 200_000 }, (_, i) => String((i * 7919) % 200_003));
    const { result: parts, turns } = await turnsDuring(() => collect([...strings]));
    expect(parts.length).toBeGreaterThan(10);
    expect(parts.flat()).toEqual([...new Set(strings)].sort());
    // One turn per 50,000 strings dealt, one per range sorted.
    expect(turns).toBeGreaterThanOrEqual(parts.length);
  });

  it('sorts a range swollen by one repeated value in turns, once', async () => {
    const strings = [
      ...Array(100_000).fill('same'),
      ...Array.from({ length: 1000 }, (_, i) => `v${i}`),
    ];
    const parts = await collect(strings, 100);
    expect(parts.flat()).toEqual([...new Set(strings)].sort());
  });
});
