import fc from 'fast-check';
import { turnsDuring } from '../../../../test/support/turns';
import { sortInTurns } from './sort-in-turns';

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
