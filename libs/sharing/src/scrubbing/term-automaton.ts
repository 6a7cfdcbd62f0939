/**
 * An Aho–Corasick automaton over UTF-16 code units: it finds every occurrence of many terms in
 * one pass over a text, whatever the number of terms. The scrubber used one regular expression
 * per term, so a text cost (terms × length); an organisation with many terms and an analyst
 * with a long comment could hold the event loop for seconds.
 *
 * No npm package of this kind is installed, and this one is small: a trie, failure links, and
 * output links that chain the terms ending at the same place, longest first.
 */
export class TermAutomaton<T> {
  private readonly children: Map<number, number>[] = [new Map()];
  private readonly depths: number[] = [0];
  private readonly values: (T | undefined)[] = [undefined];
  private readonly fail: Int32Array;
  private readonly outputs: Int32Array;

  /** Terms with the same key are one entry; `merge` decides which value it keeps. */
  constructor(terms: Iterable<[string, T]>, merge: (a: T, b: T) => T) {
    for (const [key, value] of terms) {
      if (key === '') continue;
      let node = 0;
      for (let i = 0; i < key.length; i++) {
        const c = key.charCodeAt(i);
        let next = this.children[node].get(c);
        if (next === undefined) {
          next = this.children.length;
          this.children.push(new Map());
          this.depths.push(this.depths[node] + 1);
          this.values.push(undefined);
          this.children[node].set(c, next);
        }
        node = next;
      }
      const old = this.values[node];
      this.values[node] = old === undefined ? value : merge(old, value);
    }

    // Breadth first, so that a node's failure target (shallower) is complete before it.
    const size = this.children.length;
    this.fail = new Int32Array(size);
    this.outputs = new Int32Array(size).fill(-1);
    const queue: number[] = [];
    for (const child of this.children[0].values()) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head];
      for (const [c, child] of this.children[node]) {
        let f = this.fail[node];
        while (f !== 0 && !this.children[f].has(c)) f = this.fail[f];
        const target = node !== 0 ? this.children[f].get(c) : undefined;
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        queue.push(child);
      }
      const f = this.fail[node];
      this.outputs[node] = this.values[f] !== undefined ? f : this.outputs[f];
    }
  }

  get empty(): boolean {
    return this.children.length === 1;
  }

  /** The state after reading one more code unit. Amortised O(1) over a text. */
  next(state: number, c: number): number {
    let s = state;
    for (;;) {
      const child = this.children[s].get(c);
      if (child !== undefined) return child;
      if (s === 0) return 0;
      s = this.fail[s];
    }
  }

  /** The longest term ending at this state (a node), or -1. */
  longestMatch(state: number): number {
    return this.values[state] !== undefined ? state : this.outputs[state];
  }

  /** The next shorter term ending at the same place as this one, or -1. */
  shorterMatch(node: number): number {
    return this.outputs[node];
  }

  length(node: number): number {
    return this.depths[node];
  }

  value(node: number): T {
    return this.values[node] as T;
  }
}
