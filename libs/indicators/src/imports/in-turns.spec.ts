import { LINES_PER_TURN } from './entry-input';
import { everyInTurns, firstInTurns, mapInTurns, partsInTurns } from './in-turns';

describe('passes over rows in turns', () => {
  const n = LINES_PER_TURN * 2 + 7;
  const items = Array.from({ length: n }, (_, i) => i);

  it('maps, tests and picks as the array methods do, across turns', async () => {
    expect(await mapInTurns(items, (x) => x * 2)).toEqual(items.map((x) => x * 2));
    expect(await everyInTurns(items, (x) => x < n)).toBe(true);
    expect(await everyInTurns(items, (x) => x !== n - 1)).toBe(false);
    expect(await everyInTurns([], () => false)).toBe(true);
    expect(await firstInTurns(items, (x) => x % 1000 === 999, 5)).toEqual([
      999, 1999, 2999, 3999, 4999,
    ]);
    expect(await firstInTurns(items, (x) => x > n - 3, 10)).toEqual([n - 2, n - 1]);
  });

  it('joins the parts of a chunked pass in order, and runs once on nothing', async () => {
    const chunks: number[] = [];
    const out = await partsInTurns(items, (part) => {
      chunks.push(part.length);
      return { even: part.filter((x) => x % 2 === 0), odd: part.filter((x) => x % 2 === 1) };
    });
    expect(chunks).toEqual([LINES_PER_TURN, LINES_PER_TURN, 7]);
    expect(out.even).toEqual(items.filter((x) => x % 2 === 0));
    expect(out.odd).toEqual(items.filter((x) => x % 2 === 1));
    expect(await partsInTurns([], () => ({ xs: [] as number[] }))).toEqual({ xs: [] });
  });

  it('lets other work in between the turns of a long pass', async () => {
    let other = 0;
    const tick = setInterval(() => other++, 0);
    let seenDuring = -1;
    await mapInTurns(items, (x) => {
      if (x === n - 1) seenDuring = other;
      return x;
    });
    clearInterval(tick);
    expect(seenDuring).toBeGreaterThan(0);
  });
});
