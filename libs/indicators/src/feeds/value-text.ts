import { isAscii } from 'node:buffer';
import type { FeedRequest as Shape } from './feed-params';
import { fnv1a } from './feed-parts';

/**
 * The text feeds of values other than addresses (`domain.txt`, `url.txt`, `email.txt`,
 * `hash.txt`, and `all.txt` after its addresses) from the database's sorted stream, as ADR 0031 does for addresses.
 * For these `shapeFeed` keeps each value whole (the allow-list is about addresses), puts it in
 * the part `fnv1a(value) % parts + 1` and sorts by kind, then by value as JavaScript compares
 * strings; PostgreSQL gives the same order with `COLLATE "C"` for ASCII, which every stored
 * value of these kinds is once normalised (punycode hosts, percent-encoded URLs, hex hashes).
 * The hub passes the received lines through, dropping those of other parts and cutting at
 * `max`.
 *
 * A chunk that is not plain ASCII, or holds a backslash (COPY's text format escapes it: a URL's
 * query may keep one), could be written or ordered differently than `shapeFeed` would: the
 * stream is then marked `unstreamable` (and read to its end, so the connection stays usable)
 * and the feed is rendered the shaped way instead.
 */
export class ValueText {
  /** Lines in the feed (before `max`). */
  count = 0;
  /** The stream held bytes only the shaped path writes right; what came is to be dropped. */
  unstreamable = false;
  private rest: Buffer | null = null;

  /**
   * `before`: the lines of the feed written ahead of these (`all.txt`'s addresses), read when
   * the first chunk comes; `max` counts them too.
   */
  constructor(
    private readonly shape: Pick<Shape, 'parts' | 'part' | 'max'>,
    private before?: () => number,
  ) {}

  /** Entries left out by `max`. */
  get omitted(): number {
    return this.shape.max === undefined ? 0 : Math.max(0, this.count - this.shape.max);
  }

  /** Counts the lines written ahead of these, once they are all written. */
  private settle(): void {
    if (!this.before) return;
    this.count += this.before();
    this.before = undefined;
  }

  /** The body's pieces for one chunk of sorted lines (LF-terminated, possibly cut anywhere). */
  push(chunk: Buffer): Buffer[] {
    this.settle();
    if (this.unstreamable || !isAscii(chunk) || chunk.includes(BACKSLASH)) {
      this.unstreamable = true;
      return [];
    }
    const data = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    const end = data.lastIndexOf(LF) + 1;
    this.rest = end < data.length ? data.subarray(end) : null;
    const out: Buffer[] = [];
    const { parts, part, max } = this.shape;
    let run = 0; // start of the kept lines not yet written
    for (let start = 0; start < end;) {
      const next = data.indexOf(LF, start) + 1;
      const kept =
        !parts || !part || (fnv1a(data.toString('latin1', start, next - 1)) % parts) + 1 === part;
      if (kept) this.count++;
      if (!kept || (max !== undefined && this.count > max)) {
        if (run < start) out.push(data.subarray(run, start));
        run = next;
      }
      start = next;
    }
    if (run < end) out.push(data.subarray(run, end));
    return out;
  }

  end(): Buffer[] {
    this.settle();
    if (this.rest && !this.unstreamable) throw new Error('feed stream ended inside a line');
    return [];
  }
}

const LF = 10;
const BACKSLASH = 92;

/** Whether a request is a text feed of one kind of value that the database's stream can serve. */
export function streamsValueText(r: Pick<Shape, 'format' | 'kind'>): boolean {
  return r.format === 'txt' && ['domain', 'url', 'email', 'hash'].includes(r.kind);
}
