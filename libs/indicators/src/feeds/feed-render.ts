import { csvCell } from '@renkei/platform/csv';
import ipaddr from 'ipaddr.js';
import { renderableInstant } from '@renkei/platform/time';
import { leastRestrictive } from '@renkei/sharing/tlp';
import { IndicatorType } from '../values/indicator-value';
import { aggregate } from './cidr-aggregate';
import { AllowList } from './allow-list';
import { blocksInPart, fnv1a } from './feed-parts';
import { finish, Steps, TimeSlices } from './time-slices';

export { fnv1a };

/**
 * Blocklist feeds as pure functions over the entries a caller may see: the allow-list, the
 * aggregation, a deterministic order, stable segments and the text formats firewalls read.
 * The service supplies the entries (already filtered by TLP policy and expiry).
 */

export type FeedKind = 'ip' | 'ipv4' | 'ipv6' | 'domain' | 'url' | 'email' | 'hash' | 'all';
export type FeedFormat = 'txt' | 'csv' | 'json' | 'stix';

export const FEED_KINDS: Record<FeedKind, IndicatorType[]> = {
  ip: ['ipv4', 'ipv4-cidr', 'ipv6', 'ipv6-cidr'],
  ipv4: ['ipv4', 'ipv4-cidr'],
  ipv6: ['ipv6', 'ipv6-cidr'],
  domain: ['domain'],
  url: ['url'],
  email: ['email'],
  hash: ['md5', 'sha1', 'sha256'],
  all: [
    'ipv4',
    'ipv4-cidr',
    'ipv6',
    'ipv6-cidr',
    'domain',
    'url',
    'email',
    'md5',
    'sha1',
    'sha256',
  ],
};

export interface FeedEntry {
  value: string;
  type: IndicatorType;
  confidence: number;
  firstSeen: Date;
  lastSeen: Date;
  validUntil: Date;
  tags: string[];
  /** The least restrictive marking under which the caller sees the value. */
  tlp: 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER_STRICT' | 'RED';
}

export interface FeedShape {
  aggregate: boolean;
  /** Stable segments: an address is in the part `feed-parts.ts` gives it (before aggregation). */
  parts?: number;
  part?: number;
  /** At most this many entries per response (after segmenting). */
  max?: number;
}

export interface ShapedFeed {
  entries: FeedEntry[];
  /** Entries left out by `max`. */
  omitted: number;
  /** Entries (or parts of ranges) left out by the allow-list. */
  suppressed: number;
}

const ADDRESS = new Set<IndicatorType>(['ipv4', 'ipv4-cidr', 'ipv6', 'ipv6-cidr']);

/**
 * The allow-list, aggregation, order and segmenting, in that order. Ranges that overlap an
 * allowed range are served minus the allowed part; with `aggregate`, the address entries become
 * the fewest CIDR blocks covering exactly the same addresses (their metadata is then the
 * strongest of what they cover: aggregation is for the text format, which carries none).
 */
export function shapeFeed(rows: FeedEntry[], allow: AllowList, shape: FeedShape): ShapedFeed {
  return finish(shapeSteps(rows, allow, shape));
}

/** shapeFeed in time slices (ADR 0020): a feed of 2,000,000 entries must not hold the event loop. */
export function shapeFeedInSlices(
  rows: FeedEntry[],
  allow: AllowList,
  shape: FeedShape,
  slices: TimeSlices,
): Promise<ShapedFeed> {
  return slices.run(shapeSteps(rows, allow, shape));
}

/** Yields every STEP items: where a slice may end (never inside an item). */
const STEP = 255;

function* shapeSteps(rows: FeedEntry[], allow: AllowList, shape: FeedShape): Steps<ShapedFeed> {
  let suppressed = 0;
  const kept = new Map<string, FeedEntry>();
  let n = 0;
  for (const row of rows) {
    if ((++n & STEP) === 0) yield;
    if (!ADDRESS.has(row.type)) {
      kept.set(row.value, row);
      continue;
    }
    const blocks = allow.split(row.value);
    if (blocks.length !== 1 || blocks[0] !== row.value) suppressed++;
    for (const block of blocks) keepPiece(kept, row, block);
  }
  // Segments are chosen per address, before aggregating (feed-parts.ts): an address stays in
  // its part whatever is added or removed around it, and a block that spans parts is cut.
  let entries = yield* valuesOf(kept);
  const { parts, part } = shape;
  if (parts && part) entries = yield* entriesInPart(entries, parts, part);
  if (shape.aggregate) {
    const addresses = entries.filter((e) => ADDRESS.has(e.type));
    const others = entries.filter((e) => !ADDRESS.has(e.type));
    const { v4, v6 } = aggregate(addresses.map((e) => e.value));
    const template = addresses.reduce<FeedEntry | null>((a, e) => (a ? strongest(a, e) : e), null);
    entries = [
      ...[...v4, ...v6].map((value) => ({ ...template!, value, type: blockType(value) })),
      ...others,
    ];
  }
  entries = yield* sortSteps(entries);
  let omitted = 0;
  if (shape.max !== undefined && entries.length > shape.max) {
    omitted = entries.length - shape.max;
    entries = entries.slice(0, shape.max);
  }
  return { entries, omitted, suppressed };
}

function* valuesOf<T>(map: Map<string, T>): Steps<T[]> {
  const out: T[] = [];
  for (const value of map.values()) {
    if ((out.length & STEP) === 0) yield;
    out.push(value);
  }
  return out;
}

/** The entries (or the pieces of address blocks) that fall in one part of a segmented feed. */
function* entriesInPart(entries: FeedEntry[], parts: number, part: number): Steps<FeedEntry[]> {
  const out = new Map<string, FeedEntry>();
  let n = 0;
  for (const e of entries) {
    if ((++n & STEP) === 0) yield;
    if (!ADDRESS.has(e.type)) {
      if ((fnv1a(e.value) % parts) + 1 === part) out.set(e.value, e);
      continue;
    }
    for (const block of blocksInPart(e.value, parts, part)) keepPiece(out, e, block);
  }
  return yield* valuesOf(out);
}

/** Runs this long are sorted by Array.sort in one go (a fraction of a millisecond). */
const RUN = 2048;

/**
 * The order of compareEntries as a merge sort that can stop between steps: runs sorted by
 * Array.sort, then merged pairwise. Values are unique, so the order is total and the result is
 * the one a single Array.sort gives.
 */
function* sortSteps(entries: FeedEntry[]): Steps<FeedEntry[]> {
  const n = entries.length;
  let src: SortKey[] = new Array(n);
  for (let i = 0; i < n; i++) {
    if ((i & STEP) === 0) yield;
    src[i] = sortKey(entries[i]);
  }
  for (let lo = 0; lo < n; lo += RUN) {
    yield;
    const run = src.slice(lo, lo + RUN).sort(compareKeys);
    for (let i = 0; i < run.length; i++) src[lo + i] = run[i];
  }
  let dst: SortKey[] = new Array(n);
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let a = lo;
      let b = mid;
      for (let k = lo; k < hi; k++) {
        if ((k & STEP) === 0) yield;
        dst[k] = b >= hi || (a < mid && compareKeys(src[a], src[b]) <= 0) ? src[a++] : src[b++];
      }
    }
    [src, dst] = [dst, src];
  }
  const out: FeedEntry[] = new Array(n);
  for (let i = 0; i < n; i++) {
    if ((i & STEP) === 0) yield;
    out[i] = src[i].entry;
  }
  return out;
}

/** Keeps `block` (the entry itself or a piece of it) once, merged with what is kept for it. */
function keepPiece(kept: Map<string, FeedEntry>, entry: FeedEntry, block: string): void {
  const piece = block === entry.value ? entry : { ...entry, value: block, type: blockType(block) };
  const existing = kept.get(block);
  kept.set(block, existing ? strongest(existing, piece) : piece);
}

/** The type of an address or block as written in a feed ('192.0.2.0/24' is a range). */
export function blockType(value: string): IndicatorType {
  const v6 = value.includes(':');
  const range = value.includes('/');
  return v6 ? (range ? 'ipv6-cidr' : 'ipv6') : range ? 'ipv4-cidr' : 'ipv4';
}

/** Two entries for one value: the highest confidence, widest dates, least restrictive marking. */
export function strongest(a: FeedEntry, b: FeedEntry): FeedEntry {
  return {
    value: a.value,
    type: a.type,
    confidence: Math.max(a.confidence, b.confidence),
    firstSeen: a.firstSeen < b.firstSeen ? a.firstSeen : b.firstSeen,
    lastSeen: a.lastSeen > b.lastSeen ? a.lastSeen : b.lastSeen,
    validUntil: a.validUntil > b.validUntil ? a.validUntil : b.validUntil,
    tags: [...new Set([...a.tags, ...b.tags])].sort(),
    tlp: leastRestrictive(a.tlp, b.tlp),
  };
}

/**
 * Deterministic order: IPv4 before IPv6, each by numeric address then prefix length (not as
 * text, where 10.0.0.10 sorts before 10.0.0.9); then the other kinds by type and value.
 */
export function compareEntries(a: FeedEntry, b: FeedEntry): number {
  return compareKeys(sortKey(a), sortKey(b));
}

export function compareKeys(ka: SortKey, kb: SortKey): number {
  if (ka.group !== kb.group) return ka.group - kb.group;
  if (ka.num !== kb.num) return ka.num < kb.num ? -1 : 1;
  if (ka.text !== kb.text) return ka.text < kb.text ? -1 : 1;
  return 0;
}

export interface SortKey {
  group: number;
  num: bigint | number;
  text: string;
  entry: FeedEntry;
}

const GROUPS: Record<IndicatorType, number> = {
  ipv4: 0,
  'ipv4-cidr': 0,
  ipv6: 1,
  'ipv6-cidr': 1,
  domain: 2,
  url: 3,
  email: 4,
  md5: 5,
  sha1: 6,
  sha256: 7,
};

/** The sort key of an address or block as written in a feed. */
export function addressSortKey(value: string): SortKey {
  return sortKey({ value, type: blockType(value) } as FeedEntry);
}

function sortKey(e: FeedEntry): SortKey {
  let key: SortKey;
  const group = GROUPS[e.type];
  if (group === 0) {
    // Canonical dotted quad, optionally /len: read in one pass, no intermediate strings.
    const v = e.value;
    let num = 0;
    let octet = 0;
    let len = 32;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c === 46) {
        num = num * 256 + octet;
        octet = 0;
      } else if (c === 47) {
        len = Number(v.slice(i + 1));
        break;
      } else {
        octet = octet * 10 + (c - 48);
      }
    }
    num = num * 256 + octet;
    key = { group, num: num * 64 + len, text: '', entry: e };
  } else if (group === 1) {
    const [addr, len = '128'] = e.value.split('/');
    let num = 0n;
    for (const part of ipaddr.IPv6.parse(addr).parts) num = (num << 16n) + BigInt(part);
    key = { group, num: num * 256n + BigInt(len), text: '', entry: e };
  } else {
    key = { group, num: 0, text: e.value, entry: e };
  }
  return key;
}

// --- formats ---------------------------------------------------------------------------------

/** Pieces of a body are about this many characters unless the caller says otherwise. */
export const PIECE = 64 * 1024;

/** Lines joined into pieces of about PIECE characters, each line followed by LF. */
function* pieces(lines: Iterable<string>, size: number): Generator<string> {
  let buffer = '';
  for (const line of lines) {
    buffer += line + '\n';
    if (buffer.length >= size) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

/** One value per line, LF, trailing newline: what PAN-OS EDLs, FortiGate, pfBlockerNG and ipset read. */
export function* textPieces(entries: FeedEntry[], size = PIECE): Generator<string> {
  yield* pieces(valuesOfEntries(entries), size);
}

function* valuesOfEntries(entries: FeedEntry[]): Generator<string> {
  for (const e of entries) yield e.value;
}

export function renderText(entries: FeedEntry[]): string {
  return [...textPieces(entries)].join('');
}

export const CSV_HEADER = 'value,type,confidence,first_seen,last_seen,valid_until,tlp,tags';

export function* csvPieces(entries: FeedEntry[], size = PIECE): Generator<string> {
  yield* pieces(csvLines(entries), size);
}

function* csvLines(entries: FeedEntry[]): Generator<string> {
  yield CSV_HEADER;
  for (const e of entries) {
    yield [
      csvCell(e.value),
      e.type,
      e.confidence,
      iso(e.firstSeen),
      iso(e.lastSeen),
      iso(e.validUntil),
      e.tlp,
      csvCell(e.tags.join(';')),
    ].join(',');
  }
}

export function renderCsv(entries: FeedEntry[]): string {
  return [...csvPieces(entries)].join('');
}

/** A stored time as a feed writes it: within years 0001–9999, never "+010000-…". */
function iso(date: Date): string {
  return renderableInstant(date).toISOString();
}

/** The hub's one CSV cell rule (platform): formulas neutralised, RFC 4180 quoting. */
export { csvCell };

/** The JSON feed up to its first entry: its count is known only once every entry is. */
export function jsonHead(generatedAt: Date, count: number): string {
  return `{"generated_at":${JSON.stringify(generatedAt.toISOString())},"count":${count},"entries":[`;
}

/** What follows the JSON feed's last entry. */
export const JSON_TAIL = ']}\n';

export function* jsonPieces(
  entries: FeedEntry[],
  generatedAt: Date,
  size = PIECE,
): Generator<string> {
  let buffer = jsonHead(generatedAt, entries.length);
  let first = true;
  for (const e of entries) {
    buffer +=
      (first ? '' : ',') +
      JSON.stringify({
        value: e.value,
        type: e.type,
        confidence: e.confidence,
        first_seen: iso(e.firstSeen),
        last_seen: iso(e.lastSeen),
        valid_until: iso(e.validUntil),
        tlp: e.tlp,
        tags: e.tags,
      });
    first = false;
    if (buffer.length >= size) {
      yield buffer;
      buffer = '';
    }
  }
  yield buffer + JSON_TAIL;
}

export function renderJson(entries: FeedEntry[], generatedAt: Date): string {
  return [...jsonPieces(entries, generatedAt)].join('');
}
