import { AllowList } from './allow-list';
import { parseSpan, parseV4Span, spanBlocks } from './cidr-aggregate';
import { blocksInPart } from './feed-parts';
import type { FeedRequest as Shape } from './feed-params';
import { addressSortKey, compareKeys, SortKey } from './feed-render';

/**
 * The address feeds in text (`ip.txt`, `ipv4.txt`, `ipv6.txt`) from the database's own sorted
 * output (ADR 0031): PostgreSQL filters, merges and orders the live values a caller may see and
 * streams them as lines (`COPY (SELECT …) TO STDOUT`), which are already the feed's lines; the
 * hub only passes the allow-list, the parts and (if asked) the aggregation over them, as
 * `shapeFeed` does, and keeps the bytes. No entry object, no map of every value, no sort here.
 *
 * The order of `ORDER BY value::inet` is the feed's (`compareEntries`) for the canonical values
 * the hub stores (IPv4 before IPv6, then by first address, then by prefix length). A line the
 * allow-list or the part cuts is replaced by its pieces, which lie inside it and so sort after
 * it: they wait, in order, until the stream passes them; one equal to a line is written once.
 */
export class AddressText {
  /** Lines in the feed (before `max`). */
  count = 0;
  private rest: Buffer | null = null;
  /** Pieces of cut lines not yet written, in feed order. */
  private pending: { key: SortKey; value: string }[] = [];
  private last = '';
  private out: Buffer[] = [];
  /** Lines made here (not passed through), not yet in `out`. */
  private lines = '';
  /** With `aggregate`: the addresses seen so far that are not yet written, as one interval. */
  private span: { v6: boolean; first: bigint; last: bigint } | null = null;
  /** The same for IPv4 in plain numbers (no BigInt per line): IPv4 lines all come first. */
  private v4: { first: number; last: number } | null = null;

  constructor(
    private readonly allow: AllowList,
    private readonly shape: Pick<Shape, 'parts' | 'part' | 'max' | 'aggregate'>,
  ) {}

  /** Entries left out by `max`. */
  get omitted(): number {
    return this.shape.max === undefined ? 0 : Math.max(0, this.count - this.shape.max);
  }

  /** The body's pieces for one chunk of sorted lines (LF-terminated, possibly cut anywhere). */
  push(chunk: Buffer): Buffer[] {
    const data = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    const end = data.lastIndexOf(10) + 1;
    this.rest = end < data.length ? data.subarray(end) : null;
    let run = 0; // start of the lines passed through unchanged, not yet written
    for (let start = 0; start < end;) {
      const lf = data.indexOf(10, start);
      const value = data.toString('latin1', start, lf);
      const next = lf + 1;
      if (this.shape.aggregate) {
        this.aggregated(value);
        start = next;
        continue;
      }
      if (this.kept(value)) {
        if (this.pending.length && !this.before(value)) {
          this.flushRun(data, run, start);
          this.release(addressSortKey(value));
          run = start;
          if (this.last === value) run = next; // a piece equal to it came first
        }
        if (run !== next) this.written(value);
      } else {
        this.flushRun(data, run, start);
        run = next;
      }
      start = next;
    }
    if (!this.shape.aggregate) this.flushRun(data, run, end);
    return this.take();
  }

  /** The pieces still waiting once the stream has ended. */
  end(): Buffer[] {
    if (this.rest) throw new Error('feed stream ended inside a line');
    this.release(null);
    this.writeSpan();
    return this.take();
  }

  /** Whether a line is kept as it is; else its pieces (if any) are queued. */
  private kept(value: string): boolean {
    const blocks = this.blocksOf(value);
    if (blocks.length === 1 && blocks[0] === value) return true;
    for (const block of blocks) this.queue(block);
    return false;
  }

  /** What the allow-list and the part leave of a line, as `shapeFeed` cuts it. */
  private blocksOf(value: string): string[] {
    const blocks = this.allow.split(value);
    const { parts, part } = this.shape;
    return parts && part ? blocks.flatMap((b) => blocksInPart(b, parts, part)) : blocks;
  }

  /**
   * `aggregate`: what is left of each line joins the interval of addresses seen so far, in
   * order; an interval that the next address does not touch is written as its fewest CIDR
   * blocks (what `aggregate` gives for the same addresses, without sorting them again).
   */
  private aggregated(value: string): void {
    const blocks = this.blocksOf(value);
    if (!this.pending.length && blocks.length === 1 && blocks[0] === value) {
      this.join(value);
      return;
    }
    for (const block of blocks) this.queue(block);
    this.release(addressSortKey(value));
  }

  private join(value: string): void {
    if (!value.includes(':')) {
      const { first, last } = parseV4Span(value);
      if (this.v4 && first <= this.v4.last + 1) {
        if (last > this.v4.last) this.v4.last = last;
        return;
      }
      this.writeSpan();
      this.v4 = { first, last };
      return;
    }
    const span = parseSpan(value);
    const open = this.span;
    if (open && open.v6 === span.v6 && span.first <= open.last + 1n) {
      if (span.last > open.last) open.last = span.last;
      return;
    }
    this.writeSpan();
    this.span = { v6: span.v6, first: span.first, last: span.last };
  }

  private writeSpan(): void {
    if (this.v4) {
      const { first, last } = this.v4;
      this.v4 = null;
      this.span = { v6: false, first: BigInt(first), last: BigInt(last) };
      this.writeSpan();
    }
    if (!this.span) return;
    const { v6, first, last } = this.span;
    this.span = null;
    for (const block of spanBlocks(v6, first, last)) {
      if (this.written(block)) this.lines += `${block}\n`;
    }
  }

  /** Whether every waiting piece sorts after this line (the usual case: none waits). */
  private before(value: string): boolean {
    return compareKeys(addressSortKey(value), this.pending[0].key) < 0;
  }

  private queue(value: string): void {
    const key = addressSortKey(value);
    // Already waiting (pieces of two cut blocks): written once.
    insertPiece(this.pending, { key, value });
  }

  /** Writes the waiting pieces up to `until` (inclusive), or all of them. */
  private release(until: SortKey | null): void {
    while (this.pending.length && (!until || compareKeys(this.pending[0].key, until) <= 0)) {
      const { value } = this.pending.shift()!;
      if (this.shape.aggregate) {
        this.join(value);
        continue;
      }
      if (value === this.last) continue;
      if (this.written(value)) this.lines += `${value}\n`;
    }
  }

  /** Counts a line; false once `max` lines are written. */
  private written(value: string): boolean {
    this.last = value;
    this.count++;
    return this.shape.max === undefined || this.count <= this.shape.max;
  }

  /** The lines from..to of `data`, written as they came (within `max`). */
  private flushRun(data: Buffer, from: number, to: number): void {
    if (from >= to) return;
    const { max } = this.shape;
    if (max !== undefined && this.count > max) {
      // Only the lines up to the max-th are written: cut the run after the one that reached it.
      let allowed = max - (this.count - countLines(data, from, to));
      if (allowed <= 0) return;
      let cut = from;
      while (allowed-- > 0) cut = data.indexOf(10, cut) + 1;
      to = cut;
    }
    this.flushLines();
    this.out.push(data.subarray(from, to));
  }

  /**
   * Lines written one by one (pieces, aggregated blocks) become one buffer per chunk, not one
   * each: a body of a million tiny buffers would be hashed and written a million times.
   */
  private flushLines(): void {
    if (!this.lines) return;
    this.out.push(Buffer.from(this.lines, 'latin1'));
    this.lines = '';
  }

  private take(): Buffer[] {
    this.flushLines();
    const out = this.out;
    this.out = [];
    return out;
  }
}

/**
 * Puts a piece in its place among the waiting ones (sorted by key); false, and nothing put, if
 * one with the same key waits already.
 */
export function insertPiece<T extends { key: SortKey }>(pending: T[], piece: T): boolean {
  let lo = 0;
  let hi = pending.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = compareKeys(pending[mid].key, piece.key);
    if (c === 0) return false;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  pending.splice(lo, 0, piece);
  return true;
}

function countLines(data: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = data.indexOf(10, from); i >= 0 && i < to; i = data.indexOf(10, i + 1)) n++;
  return n;
}

/** Whether a request is an address feed in text that the database's sorted stream can serve. */
export function streamsAddressText(r: Shape): boolean {
  return r.format === 'txt' && ['ip', 'ipv4', 'ipv6'].includes(r.kind);
}
