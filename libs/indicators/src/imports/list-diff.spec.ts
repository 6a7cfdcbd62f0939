import fc from 'fast-check';
import { diffSorted, diffWithList } from './list-diff';

describe('diffSorted', () => {
  const sortedSet = fc
    .uniqueArray(fc.string({ maxLength: 3 }), { maxLength: 40 })
    .map((xs) => xs.sort());

  it('names exactly the posted values not in the list and the list values not posted', async () => {
    await fc.assert(
      fc.asyncProperty(sortedSet, sortedSet, async (posted, list) => {
        const inList = new Set(list);
        const wasPosted = new Set(posted);
        expect(await diffSorted(posted, list)).toEqual({
          added: posted.filter((v) => !inList.has(v)),
          missing: list.filter((v) => !wasPosted.has(v)),
        });
      }),
      { numRuns: 500 },
    );
  });

  it('answers nothing rather than a wrong difference when the list is not in its order', async () => {
    expect(await diffSorted(['a', 'b', 'c'], ['a', 'c', 'b'])).toBeUndefined();
    // Byte order (the index's) and UTF-16 order differ only beyond the basic plane: the list
    // in byte order, the posted values as Array.prototype.sort leaves them.
    expect(await diffSorted(['\u{10000}', '\uffff'], ['\uffff', '\u{10000}'])).toBeUndefined();
  });

  it('handles a million values', async () => {
    const list = Array.from({ length: 1_000_000 }, (_, i) => String(i).padStart(7, '0'));
    const posted = list.filter((_, i) => i % 100 !== 0).concat(['9999999']);
    const diff = await diffSorted(posted, list);
    expect(diff!.added).toEqual(['9999999']);
    expect(diff!.missing).toHaveLength(10_000);
  });
});

describe('diffWithList', () => {
  const sortedSet = fc
    .uniqueArray(fc.stringMatching(/^[a-c.]{0,3}$/), { maxLength: 30 })
    .map((xs) => xs.sort());
  const text = (values: string[]) => ({ count: values.length, text: values.join('\n') });

  it('answers as diffSorted from the list as one text, the same values included', async () => {
    await fc.assert(
      fc.asyncProperty(sortedSet, sortedSet, fc.boolean(), async (posted, other, same) => {
        const list = same ? posted : other;
        expect(await diffWithList(posted, text(list))).toEqual(await diffSorted(posted, list));
      }),
      { numRuns: 500 },
    );
  });

  it('answers nothing when a value of the list holds a line break', async () => {
    expect(await diffWithList(['a', 'b'], { count: 1, text: 'a\nb' })).toBeUndefined();
    expect(await diffWithList(['a', 'b'], { count: 2, text: 'a\nb\nc' })).toBeUndefined();
  });
});
