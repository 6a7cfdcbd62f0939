import { insertPiece } from './address-text';
import { AllowList } from './allow-list';
import { blocksInPart, fnv1a } from './feed-parts';
import type { FeedRequest as Shape } from './feed-params';
import { addressSortKey, blockType, compareKeys, SortKey } from './feed-render';

/**
 * The CSV and JSON feeds from the database's sorted stream (ADR 0037), as `AddressText` and
 * `ValueText` are the text feeds (ADR 0031). PostgreSQL merges each value's metadata across the
 * lists (`strongest`), rounds the times of lists shown behind a pseudonym, filters, orders and
 * writes each entry's line; a row of the stream is `value TAB line`. The hub passes the
 * allow-list and the parts over the values, as `shapeFeed` does, and moves the lines' bytes.
 *
 * A line the allow-list or a part cuts is replaced by its pieces, each with the line's metadata
 * under its own value and type; they sort after it and wait, in order, until the stream passes
 * them. A piece equal to a later line or to another piece would need the two merged
 * (`strongest`): the stream is then `unstreamable` and the feed is rendered the shaped way. So
 * is a stream holding a character from U+E000 up (its UTF-8 lead byte is 0xEE or more), where
 * PostgreSQL's byte order (`COLLATE "C"`: of values, and of merged tags) and JavaScript's UTF-16
 * order differ. COPY's escapes (a backslash, a tab, a line break in a value or a tag) are undone.
 */
export class EntryLines {
  /** Lines in the feed (before `max`), every segment so far. */
  count = 0;
  /** The stream held what only the shaped path writes right; what came is to be dropped. */
  unstreamable = false;
  private addresses = true;
  private rest: Buffer | null = null;
  /** Pieces of cut lines not yet written, in feed order. */
  private pending: { key: SortKey; line: string }[] = [];
  private out: Buffer[] = [];
  private buf = Buffer.allocUnsafe(0);
  private pos = 0;

  constructor(
    /** `ndjson`: JSON lines, each followed by a line feed (for the STIX bundle, `StixLines`). */
    private readonly format: 'csv' | 'json' | 'ndjson',
    private readonly allow: AllowList,
    private readonly shape: Pick<Shape, 'parts' | 'part' | 'max'>,
  ) {}

  /** Entries left out by `max`. */
  get omitted(): number {
    return this.shape.max === undefined ? 0 : Math.max(0, this.count - this.shape.max);
  }

  /** The next rows are addresses (sorted as `value::inet`) or values of other kinds. */
  segment(addresses: boolean): void {
    this.addresses = addresses;
  }

  /** The body's pieces for one chunk of the stream (rows LF-terminated, cut anywhere). */
  push(chunk: Buffer): Buffer[] {
    if (this.unstreamable || DISORDERED.some((b) => chunk.includes(b))) return this.drop();
    const data = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    const end = data.lastIndexOf(LF) + 1;
    this.rest = end < data.length ? data.subarray(end) : null;
    let escape = data.indexOf(BACKSLASH);
    for (let start = 0; start < end;) {
      const lf = data.indexOf(LF, start);
      const tab = data.indexOf(TAB, start);
      if (escape >= 0 && escape < lf) {
        const value = unescapeCopy(data.toString('utf8', start, tab));
        this.row(value, data, tab + 1, lf, unescapeCopy(data.toString('utf8', tab + 1, lf)));
        escape = data.indexOf(BACKSLASH, lf);
      } else {
        const parts = this.shape.parts && this.shape.part;
        const value = this.addresses
          ? data.toString('latin1', start, tab)
          : parts
            ? data.toString('utf8', start, tab)
            : '';
        this.row(value, data, tab + 1, lf, null);
      }
      if (this.unstreamable) return this.drop();
      start = lf + 1;
    }
    return this.take();
  }

  /** The end of a segment: the pieces still waiting. */
  end(): Buffer[] {
    if (this.unstreamable) return this.drop();
    if (this.rest) throw new Error('feed stream ended inside a line');
    this.release(null);
    return this.unstreamable ? this.drop() : this.take();
  }

  /** One row: its value, and its line as bytes of `data` (from..to) or as `text` if unescaped. */
  private row(value: string, data: Buffer, from: number, to: number, text: string | null): void {
    if (!this.addresses) {
      const { parts, part } = this.shape;
      if (parts && part && (fnv1a(value) % parts) + 1 !== part) return;
      this.write(data, from, to, text);
      return;
    }
    const blocks = this.allow.split(value);
    const { parts, part } = this.shape;
    const kept = parts && part ? blocks.flatMap((b) => blocksInPart(b, parts, part)) : blocks;
    if (this.pending.length && compareKeys(addressSortKey(value), this.pending[0].key) >= 0) {
      this.release(addressSortKey(value));
    }
    if (kept.length === 1 && kept[0] === value) {
      this.write(data, from, to, text);
      return;
    }
    const line = text ?? data.toString('utf8', from, to);
    for (const block of kept) this.queue(block, this.pieceLine(line, value, block));
  }

  /** The line of a piece: the cut line's own, under the piece's value and type. */
  private pieceLine(line: string, value: string, block: string): string {
    // An address needs no quoting or escaping: the line starts `value,type,` in CSV and
    // `{"value":"…","type":"…",` in JSON.
    const tail =
      this.format === 'csv'
        ? line.indexOf(',', value.length + 1) + 1
        : line.indexOf('",', value.length + 20) + 2;
    const head =
      this.format === 'csv'
        ? `${block},${blockType(block)},`
        : `{"value":"${block}","type":"${blockType(block)}",`;
    return head + line.slice(tail);
  }

  private queue(block: string, line: string): void {
    // Pieces of two cut lines: their metadata would have to be merged.
    if (!insertPiece(this.pending, { key: addressSortKey(block), line })) this.unstreamable = true;
  }

  /** Writes the waiting pieces before `until`, or all of them; one equal to it cannot stream. */
  private release(until: SortKey | null): void {
    while (this.pending.length) {
      const c = until ? compareKeys(this.pending[0].key, until) : -1;
      if (c > 0) return;
      if (c === 0) {
        this.unstreamable = true;
        return;
      }
      this.write(null, 0, 0, this.pending.shift()!.line);
    }
  }

  /** Counts a line and writes it if within `max` (JSON: a comma before all but the first). */
  private write(data: Buffer | null, from: number, to: number, text: string | null): void {
    this.count++;
    if (this.shape.max !== undefined && this.count > this.shape.max) return;
    const json = this.format === 'json';
    const sep = json && this.count > 1 ? 1 : 0;
    const eol = json ? 0 : 1;
    const size = text === null ? to - from : Buffer.byteLength(text);
    this.room(sep + size + eol);
    if (sep) this.buf[this.pos++] = COMMA;
    if (text === null) this.pos += data!.copy(this.buf, this.pos, from, to);
    else this.pos += this.buf.write(text, this.pos, 'utf8');
    if (eol) this.buf[this.pos++] = LF;
  }

  private room(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    this.flush();
    this.buf = Buffer.allocUnsafe(Math.max(bytes, PIECE_BYTES));
  }

  private flush(): void {
    if (!this.pos) return;
    this.out.push(this.buf.subarray(0, this.pos));
    this.buf = this.buf.subarray(this.pos);
    this.pos = 0;
  }

  private take(): Buffer[] {
    this.flush();
    const out = this.out;
    this.out = [];
    return out;
  }

  private drop(): Buffer[] {
    this.unstreamable = true;
    this.pending = [];
    this.out = [];
    this.pos = 0;
    this.rest = null;
    return [];
  }
}

const LF = 10;
const TAB = 9;
const COMMA = 44;
const BACKSLASH = 92;
/** UTF-8 lead bytes of U+E000 and above: where byte order and UTF-16 order part. */
const DISORDERED = [0xee, 0xef, 0xf0, 0xf1, 0xf2, 0xf3, 0xf4];
const PIECE_BYTES = 64 * 1024;

const COPY_ESCAPES: Record<string, string> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/** A field of COPY's text format as it was before COPY escaped it. */
export function unescapeCopy(field: string): string {
  return field.replace(/\\(.)/gs, (_, c: string) => COPY_ESCAPES[c] ?? c);
}

/**
 * Whether a request is a CSV, JSON or STIX feed that the database's sorted stream can serve.
 * `aggregate=true` is not: its metadata is the strongest of everything (aggregation is for text).
 */
export function streamsEntryLines(r: Pick<Shape, 'format' | 'aggregate'>): boolean {
  return r.format !== 'txt' && !r.aggregate;
}
