import { AllowList } from './allow-list';
import { FeedCache, feedValidators, RenderedFeed } from './feed-cache';
import { feedKey, parseFeedRequest } from './feed-params';
import {
  compareEntries,
  csvCell,
  FeedEntry,
  fnv1a,
  renderCsv,
  renderText,
  shapeFeed,
} from './feed-render';

const T = new Date('2026-11-01T00:00:00Z');
const entry = (value: string, extra: Partial<FeedEntry> = {}): FeedEntry => ({
  value,
  type: value.includes(':')
    ? value.includes('/')
      ? 'ipv6-cidr'
      : 'ipv6'
    : /^[\d.]+(\/\d+)?$/.test(value)
      ? value.includes('/')
        ? 'ipv4-cidr'
        : 'ipv4'
      : 'domain',
  confidence: 50,
  firstSeen: T,
  lastSeen: T,
  validUntil: new Date('2027-01-01T00:00:00Z'),
  tags: [],
  tlp: 'GREEN',
  ...extra,
});

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
    const values = Array.from({ length: 300 }, (_, i) => `77.1.${i >> 8}.${i & 255}`);
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

describe('FeedCache', () => {
  const feed = (seq: number, nextExpiry = Infinity, size = 10): RenderedFeed => ({
    seq,
    nextExpiry,
    ...feedValidators('k', seq, nextExpiry, Buffer.alloc(size)),
    lastModified: T,
    body: Buffer.alloc(size),
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

  it('derives the ETag from the counter, the expiry and the request, not the body', () => {
    const v = (seq: number, expiry: number, key = 'k') =>
      feedValidators(key, seq, expiry, Buffer.from('x')).etag;
    expect(v(1, 5)).toBe(v(1, 5));
    expect(new Set([v(1, 5), v(2, 5), v(1, 6), v(1, 5, 'other')]).size).toBe(4);
  });
});
