/** A binary heap: the scrubber takes candidates best first, and adds some while it goes. */
export class CandidateQueue<T> {
  private readonly items: T[] = [];

  constructor(private readonly before: (a: T, b: T) => number) {}

  push(item: T): void {
    const items = this.items;
    let i = items.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.before(items[i], items[parent]) >= 0) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < items.length && this.before(items[l], items[best]) < 0) best = l;
        if (r < items.length && this.before(items[r], items[best]) < 0) best = r;
        if (best === i) break;
        [items[i], items[best]] = [items[best], items[i]];
        i = best;
      }
    }
    return top;
  }
}

/**
 * Positions of a text taken by accepted redactions, asked "what is the last taken position
 * before `end`?" in O(log n) (a Fenwick tree of maxima). Accepted spans never overlap, so all the
 * marking together costs O(n log n) whatever the number of candidates.
 */
export class TakenSpans {
  private readonly tree: Int32Array;

  constructor(length: number) {
    this.tree = new Int32Array(length + 1).fill(-1);
  }

  take(start: number, end: number): void {
    for (let i = start; i < end; i++) {
      for (let k = i + 1; k < this.tree.length; k += k & -k) {
        if (this.tree[k] < i) this.tree[k] = i;
      }
    }
  }

  /** The last taken position below `end`, or -1. */
  lastBefore(end: number): number {
    let last = -1;
    for (let k = Math.min(end, this.tree.length - 1); k > 0; k -= k & -k) {
      if (this.tree[k] > last) last = this.tree[k];
    }
    return last;
  }
}
