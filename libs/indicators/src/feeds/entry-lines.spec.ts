import fc from 'fast-check';
import { leastRestrictive } from '@renkei/sharing/tlp';
import { AllowList } from './allow-list';
import { EntryLines, unescapeCopy } from './entry-lines';
import { IndicatorType } from '../values/indicator-value';
import {
  blockType,
  compareEntries,
  CSV_HEADER,
  FeedEntry,
  FeedShape,
  JSON_TAIL,
  jsonHead,
  renderCsv,
  renderJson,
  shapeFeed,
  strongest,
} from './feed-render';

// PostgreSQL's part (the merge per value, the times rounded per list, the order, the line) is
// played here by the feed's own functions; test/feed-stream.e2e-spec.ts checks PostgreSQL's
// against the shaped path on a real hub. Here: the hub's part, on random lists.

const HOUR = 3_600_000;
const GENERATED = new Date('2026-12-06T05:00:00.123Z');

interface ListEntry {
  value: string;
  confidence: number;
  firstSeen: number;
  lastSeen: number;
  validUntil: number;
  tags: string[];
}

interface List {
  tlp: FeedEntry['tlp'];
  /** Shown behind a pseudonym: its times are rounded down to the hour. */
  rounded: boolean;
  entries: ListEntry[];
}

const v4 = fc
  .record({
    base: fc.constantFrom(0x08080800, 0x0a000000, 0x0b000000, 0x0b000f00, 0xc0000200),
    offset: fc.integer({ min: 0, max: 0x3ff }),
    prefix: fc.oneof(fc.constant(32), fc.integer({ min: 20, max: 32 })),
  })
  .map(({ base, offset, prefix }) => {
    const n = ((base + offset) & ((0xffffffff << (32 - prefix)) >>> 0)) >>> 0;
    const text = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
    return prefix === 32 ? text : `${text}/${prefix}`;
  });
const v6 = fc.constantFrom('2a00:1450::1', '2a00:1450::/32', '2001:4860:4860::8888', 'fe80::1');
/** Other kinds, some that CSV quotes or prefixes and COPY escapes. */
const OTHERS: Record<string, IndicatorType> = {
  'evil.example': 'domain',
  'a-b.example': 'domain',
  'http://x.example/p?q=a\\b': 'url',
  'http://x.example/a,b': 'url',
  'mal@evil.example': 'email',
  '-x@evil.example': 'email',
  d41d8cd98f00b204e9800998ecf8427e: 'md5',
  da39a3ee5e6b4b0d3255bfef95601890afd80709: 'sha1',
};
const other = fc.constantFrom(...Object.keys(OTHERS));
const tag = fc.constantFrom(
  'botnet',
  'フィッシング',
  'c2,relay',
  'say "hi"',
  '=cmd()',
  'tab\there',
  'line\nbreak',
  'back\\slash',
  'scan',
  'Zeta',
  'ß',
);
/** Characters where UTF-8 byte order and UTF-16 order part: the stream must fall back. */
const disordered = fc.constantFrom('（全角）', '😀');
const time = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 1) });

const listEntry = (values: fc.Arbitrary<string>, tags: fc.Arbitrary<string>) =>
  fc.record({
    value: values,
    confidence: fc.integer({ min: 0, max: 100 }),
    firstSeen: time,
    lastSeen: time,
    validUntil: fc.integer({ min: Date.UTC(2027, 0, 1), max: Date.UTC(2027, 5, 1) }),
    tags: fc.array(tags, { maxLength: 3 }),
  });

const lists = (tags: fc.Arbitrary<string>) =>
  fc.array(
    fc.record({
      tlp: fc.constantFrom('CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT') as fc.Arbitrary<
        FeedEntry['tlp']
      >,
      rounded: fc.boolean(),
      entries: fc.uniqueArray(listEntry(fc.oneof({ arbitrary: v4, weight: 4 }, v6, other), tags), {
        selector: (e) => e.value,
        maxLength: 30,
      }),
    }),
    { minLength: 1, maxLength: 3 },
  );

const shownAs = (list: List, ms: number) =>
  new Date(list.rounded ? Math.floor(ms / HOUR) * HOUR : ms);

function entryOf(list: List, e: ListEntry): FeedEntry {
  const type = OTHERS[e.value] ?? blockType(e.value);
  return {
    value: e.value,
    type,
    confidence: e.confidence,
    firstSeen: shownAs(list, e.firstSeen),
    lastSeen: shownAs(list, e.lastSeen),
    validUntil: shownAs(list, e.validUntil),
    tags: e.tags,
    tlp: list.tlp,
  };
}

/** The shaped path: entries merged as `FeedService.entries` does, shaped, written. */
function shapedBody(input: List[], allow: AllowList, shape: FeedShape, format: 'csv' | 'json') {
  const merged = new Map<string, FeedEntry>();
  for (const list of input) {
    for (const e of list.entries) {
      const entry = entryOf(list, e);
      const seen = merged.get(e.value);
      merged.set(e.value, seen ? strongest(seen, entry) : entry);
    }
  }
  const { entries, omitted } = shapeFeed([...merged.values()], allow, shape);
  const body = format === 'csv' ? renderCsv(entries) : renderJson(entries, GENERATED);
  return { body, count: entries.length, omitted };
}

/** COPY's text format: a backslash, tab, line feed or carriage return is escaped. */
function copyEscape(text: string): string {
  return text.replace(
    /[\\\t\n\r]/g,
    (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!,
  );
}

/**
 * The database's stream: per value the highest confidence, the earliest first and latest last
 * sighting and expiry (as shown), the least restrictive marking, the tags of one list as stored
 * or the sorted union of several (`COLLATE "C"`: byte order); in feed order; `value TAB line`.
 */
function streamRows(input: List[], format: 'csv' | 'json'): { addresses: string; others: string } {
  const byValue = new Map<string, FeedEntry[]>();
  for (const list of input) {
    for (const e of list.entries) {
      byValue.set(e.value, [...(byValue.get(e.value) ?? []), entryOf(list, e)]);
    }
  }
  const bytes = (s: string) => Buffer.from(s, 'utf8');
  const merged = [...byValue.values()].map((rows) => ({
    ...rows[0],
    confidence: Math.max(...rows.map((r) => r.confidence)),
    firstSeen: new Date(Math.min(...rows.map((r) => r.firstSeen.getTime()))),
    lastSeen: new Date(Math.max(...rows.map((r) => r.lastSeen.getTime()))),
    validUntil: new Date(Math.max(...rows.map((r) => r.validUntil.getTime()))),
    tlp: rows.map((r) => r.tlp).reduce((a, b) => leastRestrictive(a, b)),
    tags:
      rows.length === 1
        ? rows[0].tags
        : [...new Set(rows.flatMap((r) => r.tags))].sort((a, b) =>
            Buffer.compare(bytes(a), bytes(b)),
          ),
  }));
  merged.sort(compareEntries);
  const line = (e: FeedEntry) =>
    format === 'csv'
      ? renderCsv([e]).slice(CSV_HEADER.length + 1, -1)
      : renderJson([e], GENERATED).slice(jsonHead(GENERATED, 1).length, -JSON_TAIL.length);
  const rows = (es: FeedEntry[]) =>
    es.map((e) => `${copyEscape(e.value)}\t${copyEscape(line(e))}\n`).join('');
  const address = (e: FeedEntry) => ['ipv4', 'ipv4-cidr', 'ipv6', 'ipv6-cidr'].includes(e.type);
  return {
    addresses: rows(merged.filter(address)),
    others: rows(merged.filter((e) => !address(e))),
  };
}

/** The streamed body as `FeedService` assembles it, or null when the stream fell back. */
function streamedBody(
  input: List[],
  allow: AllowList,
  shape: FeedShape,
  format: 'csv' | 'json',
  cuts: number[],
) {
  const { addresses, others } = streamRows(input, format);
  const lines = new EntryLines(format, allow, shape);
  const out: Buffer[] = [];
  for (const [rows, isAddress] of [
    [addresses, true],
    [others, false],
  ] as const) {
    lines.segment(isAddress);
    const bytes = Buffer.from(rows, 'utf8');
    let from = 0;
    for (const cut of [...cuts.map((c) => c % (bytes.length + 1)), bytes.length].sort(
      (a, b) => a - b,
    )) {
      out.push(...lines.push(bytes.subarray(from, Math.max(from, cut))));
      from = Math.max(from, cut);
    }
    out.push(...lines.end());
  }
  if (lines.unstreamable) return null;
  const count = lines.count - lines.omitted;
  const head = format === 'csv' ? `${CSV_HEADER}\n` : jsonHead(GENERATED, count);
  const tail = format === 'csv' ? '' : JSON_TAIL;
  return { body: head + Buffer.concat(out).toString('utf8') + tail, count, omitted: lines.omitted };
}

const shapes = fc.record({
  max: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
  segment: fc.option(
    fc
      .integer({ min: 1, max: 4 })
      .chain((parts) =>
        fc.record({ parts: fc.constant(parts), part: fc.integer({ min: 1, max: parts }) }),
      ),
    { nil: undefined },
  ),
  ownRange: fc.boolean(),
});

describe('EntryLines (the database-sorted CSV and JSON feeds)', () => {
  it('gives the bytes, count and omitted of shapeFeed and renderCsv / renderJson', () => {
    let streamedRuns = 0;
    let fellBack = 0;
    fc.assert(
      fc.property(
        lists(tag),
        shapes,
        fc.constantFrom('csv', 'json') as fc.Arbitrary<'csv' | 'json'>,
        fc.array(fc.nat(), { maxLength: 6 }),
        (input, { max, segment, ownRange }, format, cuts) => {
          const allow = new AllowList(
            ownRange ? [{ range: '11.0.0.0/20', reason: 'own range' }] : [],
          );
          const shape: FeedShape = { aggregate: false, max, ...segment };
          const got = streamedBody(input, allow, shape, format, cuts);
          if (!got) {
            fellBack++;
            return;
          }
          streamedRuns++;
          expect(got).toEqual(shapedBody(input, allow, shape, format));
        },
      ),
      { numRuns: 600 },
    );
    // Falling back (a cut piece equal to another value) is the exception, not the rule.
    expect(streamedRuns).toBeGreaterThan(fellBack * 4);
  });

  it('falls back to the shaped path where byte order and UTF-16 order part', () => {
    fc.assert(
      fc.property(lists(fc.oneof(tag, disordered)), (input) => {
        const shape: FeedShape = { aggregate: false };
        const allow = new AllowList();
        const got = streamedBody(input, allow, shape, 'csv', []);
        const hasDisordered = input.some((l) =>
          l.entries.some((e) => e.tags.some((t) => /[\uE000-\uFFFF\uD800-\uDFFF]/.test(t))),
        );
        if (hasDisordered) expect(got).toBeNull();
        else if (got) expect(got).toEqual(shapedBody(input, allow, shape, 'csv'));
      }),
      { numRuns: 200 },
    );
  });

  it('falls back when a piece of a cut block is also a line (its metadata must be merged)', () => {
    // The hub never blocks 8.8.8.8: 8.8.8.0/24 is cut, and one of its pieces is 8.8.8.0/29.
    const entry = (value: string, confidence: number): ListEntry => ({
      value,
      confidence,
      firstSeen: Date.UTC(2026, 5, 1),
      lastSeen: Date.UTC(2026, 5, 2),
      validUntil: Date.UTC(2027, 1, 1),
      tags: [],
    });
    const input: List[] = [
      { tlp: 'GREEN', rounded: false, entries: [entry('8.8.8.0/24', 90), entry('8.8.8.0/29', 10)] },
    ];
    expect(streamedBody(input, new AllowList(), { aggregate: false }, 'csv', [])).toBeNull();
    input[0].entries.pop();
    const got = streamedBody(input, new AllowList(), { aggregate: false }, 'json', [7]);
    expect(got).toEqual(shapedBody(input, new AllowList(), { aggregate: false }, 'json'));
    expect(got!.body).toContain('{"value":"8.8.8.0/29","type":"ipv4-cidr","confidence":90,');
  });

  it('undoes what COPY escapes', () => {
    expect(unescapeCopy('a\\\\b\\tc\\nd\\re')).toBe('a\\b\tc\nd\re');
  });
});
