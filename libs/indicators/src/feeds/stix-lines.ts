import type { Tlp } from '@renkei/sharing/tlp';
import { IndicatorBundleStream } from '../stix';
import { IndicatorType } from '../values/indicator-value';
import { AllowList } from './allow-list';
import { EntryLines } from './entry-lines';
import type { FeedRequest as Shape } from './feed-params';

/**
 * The STIX feed from the database's sorted stream (ADR 0037). STIX cannot be written in SQL (an
 * indicator's id is a UUIDv5, a SHA-1 of its type and value), so the stream gives the JSON
 * feed's entries (`EntryLines`, one per line: merged, rounded, cut and ordered exactly as for
 * the JSON feed) and the indicators are made here, one 64 kB step of the stream at a time. Each
 * piece holds its indicators' text each after a line feed, as the bundle id hashes them; the
 * caller turns the line feeds into the commas of the body once the id is known (`finish`).
 */
export class StixLines {
  private readonly lines: EntryLines;

  constructor(
    allow: AllowList,
    shape: Pick<Shape, 'parts' | 'part' | 'max'>,
    private readonly bundle: IndicatorBundleStream,
  ) {
    this.lines = new EntryLines('ndjson', allow, shape);
  }

  get count(): number {
    return this.lines.count;
  }

  get omitted(): number {
    return this.lines.omitted;
  }

  get unstreamable(): boolean {
    return this.lines.unstreamable;
  }

  segment(addresses: boolean): void {
    this.lines.segment(addresses);
  }

  push(chunk: Buffer): Buffer[] {
    return this.indicators(this.lines.push(chunk));
  }

  end(): Buffer[] {
    return this.indicators(this.lines.end());
  }

  /** EntryLines' pieces hold whole lines. */
  private indicators(pieces: Buffer[]): Buffer[] {
    const out: Buffer[] = [];
    for (const piece of pieces) {
      let text = '';
      for (let start = 0; start < piece.length;) {
        const lf = piece.indexOf(LF, start);
        const e = JSON.parse(piece.toString('utf8', start, lf)) as JsonEntry;
        const firstSeen = new Date(e.first_seen);
        const lastSeen = new Date(e.last_seen);
        text += `\n${this.bundle.indicator({
          value: e.value,
          type: e.type,
          confidence: e.confidence,
          firstSeen,
          lastSeen,
          validUntil: new Date(e.valid_until),
          createdAt: firstSeen,
          modifiedAt: lastSeen,
          tags: e.tags,
          tlp: e.tlp,
          note: null,
        })}`;
        start = lf + 1;
      }
      out.push(Buffer.from(text, 'utf8'));
    }
    return out;
  }
}

const LF = 10;
const COMMA = 44;

/** The line feeds before each indicator become the commas between objects, in place. */
export function commaSeparated(piece: Buffer): Buffer {
  for (let i = piece.indexOf(LF); i >= 0; i = piece.indexOf(LF, i + 1)) piece[i] = COMMA;
  return piece;
}

/** An entry of the JSON feed (`jsonPieces`). */
interface JsonEntry {
  value: string;
  type: IndicatorType;
  confidence: number;
  first_seen: string;
  last_seen: string;
  valid_until: string;
  tlp: Tlp;
  tags: string[];
}
