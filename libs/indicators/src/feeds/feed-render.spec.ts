import { AllowList } from './allow-list';
import { FeedBody, FeedCache, feedValidators, RenderedFeed } from './feed-cache';
import { feedEntry } from './feed-entry.fixture';
import { feedKey, parseFeedRequest } from './feed-params';
import {
  compareEntries,
  csvCell,
  csvPieces,
  fnv1a,
  renderCsv,
  renderText,
  shapeFeed,
  shapeFeedInSlices,
  textPieces,
} from './feed-render';
import { TimeSlices } from './time-slices';

const T = new Date('2026-11-01T00:00:00Z');
const entry = feedEntry;

describe('shapeFeed', () => {
  const allow = new AllowList([{ range: '45.0.0.0/24', reason: 'own' }]);

  it('drops allowed addresses and serves ranges minus their allowed part', () => {
    const shaped = shapeFeed(
      [entry('10.0.0.1'), entry('8.8.8.8'), entry('45.0.0.0/23'), entry('77.1.1.1')],
      allow,
      { aggregate: false },
    );
    expect(shaped.entries.map((e) => e.value)).toEqual(['45.0.1.0/24', '77.1.1.1']);
    expect(shaped.suppressed).toBe(3);
  });

  it('orders addresses numerically, IPv4 before IPv6, then other kinds', () => {
    const values = ['evil.example', '2a00::1', '77.1.1.10', '77.1.1.9', '77.1.1.0/24', 'a.example'];
    const shaped = shapeFeed(
      values.map((v) => entry(v)),
      allow,
      { aggregate: false },
    );
    expect(shaped.entries.map((e) => e.value)).toEqual([
      '77.1.1.0/24',
      '77.1.1.9',
      '77.1.1.10',
      '2a00::1',
      'a.example',
      'evil.example',
    ]);
    expect(compareEntries(entry('77.1.1.9'), entry('77.1.1.10'))).toBeLessThan(0);
  });

  it('aggregates adjacent blocks', () => {
    const shaped = shapeFeed(
      [entry('77.1.0.0/24'), entry('77.1.1.0/24'), entry('77.1.2.1'), entry('evil.example')],
      allow,
      { aggregate: true },
    );
    expect(shaped.entries.map((e) => e.value)).toEqual(['77.1.0.0/23', '77.1.2.1', 'evil.example']);
  });

  it('puts each entry in one stable part, whatever else the feed holds', () => {
    const values = Array.from(
      { length: 300 },
      (_, i) => `${11 + (i % 100)}.1.${i >> 8}.${i & 255}`,
    );
    const partOf = (vs: string[]) => {
      const where = new Map<string, number>();
      for (const part of [1, 2, 3, 4]) {
        for (const e of shapeFeed(
          vs.map((v) => entry(v)),
          allow,
          { aggregate: false, parts: 4, part },
        ).entries) {
          expect(where.has(e.value)).toBe(false);
          where.set(e.value, part);
        }
      }
      return where;
    };
    const before = partOf(values);
    expect(before.size).toBe(300);
    expect(new Set(before.values()).size).toBe(4); // spread over every part
    const after = partOf([...values.slice(0, 200), '91.1.1.1', '91.1.1.2']);
    for (const v of values.slice(0, 200)) expect(after.get(v)).toBe(before.get(v));
  });

  it('keeps an address in its part when aggregating, whatever its neighbours do', () => {
    // Every address of a block, counted without the aggregation code.
    const addresses = (blocks: string[]) => {
      const out = new Set<number>();
      for (const b of blocks) {
        const [addr, len = '32'] = b.split('/');
        const base = addr.split('.').reduce((n, o) => n * 256 + Number(o), 0);
        for (let k = 0; k < 2 ** (32 - Number(len)); k++) out.add(base + k);
      }
      return out;
    };
    const partsOf = (vs: string[]) =>
      [1, 2, 3].map(
        (part) =>
          new Set(
            addresses(
              shapeFeed(
                vs.map((v) => entry(v)),
                allow,
                { aggregate: true, parts: 3, part },
              ).entries.map((e) => e.value),
            ),
          ),
      );
    const values = Array.from({ length: 64 }, (_, i) => `77.1.1.${i * 2}`); // every other one
    const before = partsOf(values);
    const all = addresses(values);
    // The parts together cover exactly the addresses of the whole list, each in one part.
    expect(before.reduce((n, p) => n + p.size, 0)).toBe(all.size);
    expect(new Set(before.flatMap((p) => [...p]))).toEqual(all);
    // The odd neighbours arrive: aggregation now makes /24-ish blocks, yet no even address
    // leaves its part.
    const after = partsOf([
      ...values,
      ...values.map((v) => v.replace(/\d+$/, (d) => String(+d + 1))),
    ]);
    for (const a of all) {
      const was = before.findIndex((p) => p.has(a));
      expect(after[was].has(a)).toBe(true);
    }
  });

  it('caps a response and says how many were left out', () => {
    const shaped = shapeFeed(
      ['77.1.1.1', '77.1.1.2', '77.1.1.3'].map((v) => entry(v)),
      allow,
      {
        aggregate: false,
        max: 2,
      },
    );
    expect(shaped.entries.map((e) => e.value)).toEqual(['77.1.1.1', '77.1.1.2']);
    expect(shaped.omitted).toBe(1);
  });
});

describe('formats', () => {
  it('writes text with a trailing newline, and nothing for an empty feed', () => {
    expect(renderText([entry('77.1.1.1'), entry('77.1.1.2')])).toBe('77.1.1.1\n77.1.1.2\n');
    expect(renderText([])).toBe('');
  });

  it('quotes CSV cells and defuses spreadsheet formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=cmd|x')).toBe("'=cmd|x");
    expect(renderCsv([entry('77.1.1.1', { tags: ['c2', 'x'] })]).split('\n')[1]).toBe(
      '77.1.1.1,ipv4,50,2026-11-01T00:00:00.000Z,2026-11-01T00:00:00.000Z,2027-01-01T00:00:00.000Z,GREEN,c2;x',
    );
  });

  it('hashes with FNV-1a (reference vectors)', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });
});

describe('parseFeedRequest', () => {
  it('reads kind, format, checksum and parameters into one canonical key', () => {
    const a = parseFeedRequest('ipv4.txt', {
      list: ['b0000000-0000-4000-8000-000000000000,a0000000-0000-4000-8000-000000000000'],
      min_confidence: '80',
    });
    const b = parseFeedRequest('ipv4.txt.sha256', {
      min_confidence: '80',
      list: ['a0000000-0000-4000-8000-000000000000', 'b0000000-0000-4000-8000-000000000000'],
    });
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) {
      expect(b.request.checksum).toBe('sha256');
      expect(feedKey(a.request)).toBe(feedKey(b.request));
    }
  });

  it('names every problem by its parameter', () => {
    const r = parseFeedRequest('ipv4.txt', {
      min_confidance: '9',
      max: '0',
      part: '2',
      list: 'x',
      aggregate: 'yes',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.map((e) => e.path).sort()).toEqual([
        'aggregate',
        'list.0',
        'max',
        'min_confidance',
        'parts',
      ]);
    }
    const path = parseFeedRequest('ips.txt', {});
    expect(!path.ok && path.errors[0].message).toMatch(/kind one of ip, ipv4/);
    const agg = parseFeedRequest('all.csv', { aggregate: 'true' });
    expect(!agg.ok && agg.errors[0].path).toBe('aggregate');
  });
});

describe('rendering in time slices', () => {
  const values = Array.from(
    { length: 20_000 },
    (_, i) => `${1 + (i % 200)}.${(i * 37) % 256}.${(i >> 8) & 255}.${i & 255}`,
  );
  const rows = () => [
    ...values.map((v) => entry(v)),
    entry('2a00::1'),
    entry('evil.example'),
    entry('45.0.0.0/23'),
  ];
  const allow = new AllowList([{ range: '45.0.0.0/24', reason: 'own' }]);

  it('gives the event loop turns while it shapes, and the same feed as in one go', async () => {
    // A budget of 0 ms pauses at every step: other work must get turns before the end.
    let turns = 0;
    let done = false;
    const other = () => {
      turns++;
      if (!done) setImmediate(other);
    };
    setImmediate(other);
    const sliced = await shapeFeedInSlices(rows(), allow, { aggregate: false }, new TimeSlices(0));
    done = true;
    expect(turns).toBeGreaterThan(100);
    const whole = shapeFeed(rows(), allow, { aggregate: false });
    expect(sliced.entries.map((e) => e.value)).toEqual(whole.entries.map((e) => e.value));
    expect(sliced.suppressed).toBe(whole.suppressed);
    // The merge sort agrees with one Array.sort by compareEntries.
    const sorted = [...whole.entries].sort(compareEntries);
    expect(sliced.entries).toEqual(sorted);
  });

  it('writes bodies in bounded pieces that join to the text', () => {
    const shaped = shapeFeed(rows(), allow, { aggregate: false });
    for (const [pieces, text] of [
      [[...textPieces(shaped.entries, 1024)], renderText(shaped.entries)],
      [[...csvPieces(shaped.entries, 1024)], renderCsv(shaped.entries)],
    ] as const) {
      expect(pieces.join('')).toBe(text);
      expect(pieces.length).toBeGreaterThan(50);
      expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(1024 + 200);
    }
  });
});

const KEY = Buffer.alloc(32, 7);

function bodyOf(bytes: Buffer): FeedBody {
  const body = new FeedBody();
  body.add(bytes);
  return body;
}

describe('FeedCache', () => {
  const feed = (seq: number, nextExpiry = Infinity, size = 10): RenderedFeed => ({
    seq,
    nextExpiry,
    fingerprint: `f${seq}`,
    ...feedValidators(KEY, 'k', `f${seq}`, nextExpiry, bodyOf(Buffer.alloc(size))),
    lastModified: T,
    body: [Buffer.alloc(size)],
    size,
    contentType: 'text/plain',
    count: 0,
    omitted: 0,
  });

  it('serves a body while the counter holds and no entry has expired', async () => {
    const cache = new FeedCache(1000);
    let renders = 0;
    const render =
      (seq: number, expiry = Infinity) =>
      async () => {
        renders++;
        return feed(seq, expiry);
      };
    await cache.getOrRender('k', 1, 0, render(1, 5000));
    await cache.getOrRender('k', 1, 4999, render(1, 5000));
    expect(renders).toBe(1);
    await cache.getOrRender('k', 1, 5000, render(1, 9000)); // an entry expired
    expect(renders).toBe(2);
    await cache.getOrRender('k', 2, 5000, render(2)); // something changed
    expect(renders).toBe(3);
  });

  it('renders once for concurrent misses, and evicts the least recently used', async () => {
    const cache = new FeedCache(25);
    let renders = 0;
    const slow = async () => {
      renders++;
      await new Promise((r) => setTimeout(r, 10));
      return feed(1);
    };
    await Promise.all([1, 2, 3].map(() => cache.getOrRender('a', 1, 0, slow)));
    expect(renders).toBe(1);
    await cache.getOrRender('b', 1, 0, slow);
    cache.fresh('a', 1, 0); // a is now the most recently used
    await cache.getOrRender('c', 1, 0, slow); // 30 bytes > 25: b goes
    expect(cache.fresh('a', 1, 0)).toBeDefined();
    expect(cache.fresh('b', 1, 0)).toBeUndefined();
  });

  it('hands the stale body to whoever decides whether it is still right', async () => {
    const cache = new FeedCache(1000);
    await cache.getOrRender('k', 1, 0, async () => feed(1));
    const seen: (RenderedFeed | undefined)[] = [];
    const same = await cache.getOrRender('k', 2, 0, async (stale) => {
      seen.push(stale);
      stale!.seq = 2;
      return stale!;
    });
    expect(seen[0]?.seq).toBe(2);
    expect(same).toBe(seen[0]);
    expect(cache.fresh('k', 2, 0)).toBe(same);
  });

  it('derives the ETag from the lists and allow-list behind it, the expiry and the request, keyed', () => {
    const v = (fingerprint: string, expiry: number, key = 'k', secret = KEY) =>
      feedValidators(secret, key, fingerprint, expiry, bodyOf(Buffer.from('x'))).etag;
    expect(v('a', 5)).toBe(v('a', 5));
    expect(v('a', 5)).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    expect(
      new Set([
        v('a', 5),
        v('b', 5),
        v('a', 6),
        v('a', 5, 'other'),
        v('a', 5, 'k', Buffer.from('x')),
      ]).size,
    ).toBe(5);
    // Not the body: the same inputs over other bytes give the same tag.
    expect(feedValidators(KEY, 'k', 'a', 5, bodyOf(Buffer.from('y'))).etag).toBe(v('a', 5));
  });
});
