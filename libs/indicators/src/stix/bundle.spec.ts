import { parseIndicator } from '../values/indicator-value';
import {
  IndicatorBundleInput,
  IndicatorEntryInput,
  ReportBundleInput,
  StixIndicator,
  StixReport,
  buildIndicatorBundle,
  buildReportBundle,
  bundleChunks,
  indicatorBundleBody,
  IndicatorBundleStream,
  indicatorId,
  reportBundleChunks,
} from './bundle';
import { STIX_SCO_NAMESPACE } from './ids';
import { TLP_MARKINGS, tlpMarkingId } from './tlp-markings';

const NAMESPACE = '5d0f2a43-8e0b-4c1e-9a37-2f6c1b7d9e10';
const AT = new Date('2026-11-22T04:05:06.123Z');

function at(iso: string): Date {
  return new Date(iso);
}

/** An entry for `input` (normalised as the hub stores it), with plausible dates. */
function entry(input: string, overrides: Partial<IndicatorEntryInput> = {}): IndicatorEntryInput {
  const parsed = parseIndicator(input);
  if (!parsed.ok) throw new Error(parsed.message);
  return {
    type: parsed.type,
    value: parsed.value,
    confidence: 80,
    firstSeen: at('2026-11-01T10:00:00.000Z'),
    lastSeen: at('2026-11-20T10:00:00.000Z'),
    validUntil: at('2027-02-01T00:00:00.000Z'),
    createdAt: at('2026-11-01T10:00:00.500Z'),
    modifiedAt: at('2026-11-20T10:00:00.500Z'),
    tags: [],
    note: null,
    ...overrides,
  };
}

function feed(entries: IndicatorEntryInput[], overrides: Partial<IndicatorBundleInput> = {}) {
  return {
    namespace: NAMESPACE,
    generatedAt: AT,
    author: { key: 'org-7', name: 'Tohoku Grid Operations', identityClass: 'organization' },
    tlp: 'AMBER',
    entries,
    ...overrides,
  } satisfies IndicatorBundleInput;
}

function indicators(objects: { type: string }[]): StixIndicator[] {
  return objects.filter((o): o is StixIndicator => o.type === 'indicator');
}

describe('buildIndicatorBundle', () => {
  it('holds the five TLP markings, the author and one indicator per entry, in that order', () => {
    const bundle = buildIndicatorBundle(
      feed([entry('203.0.113.5'), entry('example.com'), entry('2001:db8::/32')]),
    );
    expect(bundle.type).toBe('bundle');
    expect(bundle.id).toMatch(/^bundle--[0-9a-f-]{36}$/);
    expect(bundle.objects.map((o) => o.type)).toEqual([
      ...TLP_MARKINGS.map(() => 'marking-definition'),
      'identity',
      'indicator',
      'indicator',
      'indicator',
    ]);
    expect(bundle.objects.slice(0, 5)).toEqual(TLP_MARKINGS);
  });

  it('renders an entry as this indicator', () => {
    const bundle = buildIndicatorBundle(
      feed([
        entry("http://www.example.com/it's", {
          confidence: 65,
          tags: ['phishing', 'energy'],
          note: 'Seen in mail to\nthree operators',
          listName: 'Sector blocklist',
        }),
      ]),
    );
    const identity = bundle.objects[5];
    expect(identity).toEqual({
      type: 'identity',
      spec_version: '2.1',
      id: expect.stringMatching(/^identity--/),
      created: '2026-11-22T04:05:06.123Z',
      modified: '2026-11-22T04:05:06.123Z',
      name: 'Tohoku Grid Operations',
      identity_class: 'organization',
      object_marking_refs: [tlpMarkingId('AMBER')],
    });
    expect(bundle.objects[6]).toEqual({
      type: 'indicator',
      spec_version: '2.1',
      id: indicatorId('url', "http://www.example.com/it's", NAMESPACE),
      created_by_ref: identity.id,
      created: '2026-11-01T10:00:00.500Z',
      modified: '2026-11-20T10:00:00.500Z',
      name: "http://www.example.com/it's",
      description: 'Seen in mail to\nthree operators',
      indicator_types: ['malicious-activity'],
      pattern: "[url:value = 'http://www.example.com/it\\'s']",
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: '2026-11-01T10:00:00.000Z',
      valid_until: '2027-02-01T00:00:00.000Z',
      confidence: 65,
      labels: ['phishing', 'energy', 'list:Sector blocklist'],
      object_marking_refs: [tlpMarkingId('AMBER')],
    });
  });

  it('leaves out labels and description when there are none', () => {
    const [indicator] = indicators(
      buildIndicatorBundle(feed([entry('203.0.113.5', { note: '' })])).objects,
    );
    expect(indicator).not.toHaveProperty('labels');
    expect(indicator).not.toHaveProperty('description');
  });

  it.each(['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'] as const)(
    'marks everything but the markings with TLP:%s, and always includes all five',
    (tlp) => {
      const bundle = buildIndicatorBundle(feed([entry('203.0.113.5')], { tlp }));
      expect(bundle.objects.filter((o) => o.type === 'marking-definition')).toHaveLength(5);
      for (const object of bundle.objects.slice(5)) {
        expect(object).toHaveProperty('object_marking_refs', [tlpMarkingId(tlp)]);
      }
    },
  );

  it("marks an entry with its own TLP when it has one, and the rest with the bundle's", () => {
    const bundle = buildIndicatorBundle(
      feed([entry('203.0.113.5', { tlp: 'RED' }), entry('203.0.113.6')], { tlp: 'GREEN' }),
    );
    expect(
      bundle.objects.slice(5).map((o) => 'object_marking_refs' in o && o.object_marking_refs),
    ).toEqual([[tlpMarkingId('GREEN')], [tlpMarkingId('RED')], [tlpMarkingId('GREEN')]]);
  });

  it('gives a value the same indicator id whatever else changes, and another per namespace', () => {
    const id = (input: IndicatorBundleInput) =>
      indicators(buildIndicatorBundle(input).objects)[0].id;
    const base = id(feed([entry('203.0.113.5')]));
    expect(id(feed([entry('203.0.113.5', { confidence: 10, tags: ['x'] })], { tlp: 'RED' }))).toBe(
      base,
    );
    expect(id(feed([entry('203.0.113.6')]))).not.toBe(base);
    expect(
      id(feed([entry('203.0.113.5')], { namespace: '0e7f6c5d-4b3a-4291-8807-f6e5d4c3b2a1' })),
    ).not.toBe(base);
    expect(base).toBe(indicatorId('ipv4', '203.0.113.5', NAMESPACE));
    // The type is part of the name: a /24 and an address with the same text cannot collide.
    expect(indicatorId('ipv4-cidr', '203.0.113.5', NAMESPACE)).not.toBe(base);
  });

  it('gives a list entry an id of its scope, its author and its value: one id, one creator', () => {
    const id = (
      overrides: Partial<IndicatorEntryInput>,
      input: Partial<IndicatorBundleInput> = {},
    ) =>
      indicators(buildIndicatorBundle(feed([entry('203.0.113.5', overrides)], input)).objects)[0]
        .id;
    const scope = 'list:3f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b|batch:7';
    const base = id({ scope });
    expect(id({ scope, confidence: 1, tlp: 'RED', revoked: true })).toBe(base);
    expect(base).not.toBe(id({})); // not the blocklist's value-only id
    expect(id({ scope: 'list:3f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b|batch:8' })).not.toBe(base);
    expect(id({ scope: 'list:00000000-0000-4000-8000-000000000000|batch:7' })).not.toBe(base);
    // The same entry under a pseudonym is another object, never linked to the named one.
    const pseudonym = {
      key: 'pseudonym:an operator in electric power',
      name: 'x',
      identityClass: 'class' as const,
    };
    expect(id({ scope }, { author: pseudonym })).not.toBe(base);
    expect(id({ scope, author: pseudonym })).toBe(id({ scope }, { author: pseudonym }));
    expect(base).toBe(indicatorId('ipv4', '203.0.113.5', NAMESPACE, { scope, authorKey: 'org-7' }));
  });

  it("refers each entry to its own author's identity, in the bundle once", () => {
    const other = { key: 'org-9', name: 'Chubu Power', identityClass: 'organization' as const };
    const bundle = buildIndicatorBundle(
      feed([
        entry('203.0.113.5', { scope: 'a' }),
        entry('203.0.113.6', { scope: 'b', author: other }),
        entry('203.0.113.7', { scope: 'b', author: other }),
      ]),
    );
    const identities = bundle.objects.filter((o) => o.type === 'identity');
    expect(identities.map((i) => 'name' in i && i.name)).toEqual([
      'Tohoku Grid Operations',
      'Chubu Power',
    ]);
    expect(indicators(bundle.objects).map((i) => i.created_by_ref)).toEqual([
      identities[0].id,
      identities[1].id,
      identities[1].id,
    ]);
  });

  it('renders a revoked entry with revoked: true, and marks an identity as its author says', () => {
    const bundle = buildIndicatorBundle(
      feed([entry('203.0.113.5', { revoked: true }), entry('203.0.113.6')], {
        author: { key: 'org-7', name: 'Tohoku', identityClass: 'organization', tlp: 'GREEN' },
      }),
    );
    expect(indicators(bundle.objects).map((i) => i.revoked)).toEqual([true, undefined]);
    expect(bundle.objects.find((o) => o.type === 'identity')).toMatchObject({
      object_marking_refs: [tlpMarkingId('GREEN')],
    });
    expect(indicators(bundle.objects)[0].object_marking_refs).toEqual([tlpMarkingId('AMBER')]);
  });

  it('renders the same input as byte-identical JSON, and any change as another bundle id', () => {
    const entries = () => [entry('203.0.113.5', { tags: ['c2'] }), entry('example.com')];
    const first = JSON.stringify(buildIndicatorBundle(feed(entries())));
    expect(JSON.stringify(buildIndicatorBundle(feed(entries())))).toBe(first);

    const idOf = (input: IndicatorBundleInput) => buildIndicatorBundle(input).id;
    const baseId = idOf(feed(entries()));
    const variants = [
      feed([entry('203.0.113.5', { tags: ['c2'], confidence: 81 }), entry('example.com')]),
      feed(entries().reverse()),
      feed(entries(), { generatedAt: new Date(AT.getTime() + 1) }),
      feed(entries(), { objectName: 'another feed' }),
      feed(entries(), { tlp: 'RED' }),
      feed(entries(), { author: { key: 'org-8', name: 'x', identityClass: 'unknown' } }),
    ];
    const ids = variants.map(idOf);
    expect(new Set([baseId, ...ids]).size).toBe(variants.length + 1);
  });

  it('moves valid_until 1 ms after valid_from when the entry ends before it starts', () => {
    const firstSeen = at('2026-11-01T10:00:00.000Z');
    const rendered = [firstSeen, at('2026-10-01T00:00:00.000Z')].map(
      (validUntil) =>
        indicators(
          buildIndicatorBundle(feed([entry('203.0.113.5', { firstSeen, validUntil })])).objects,
        )[0],
    );
    for (const indicator of rendered) {
      expect(indicator.valid_from).toBe('2026-11-01T10:00:00.000Z');
      expect(indicator.valid_until).toBe('2026-11-01T10:00:00.001Z');
    }
  });

  it('never writes modified before created', () => {
    const [indicator] = indicators(
      buildIndicatorBundle(
        feed([
          entry('203.0.113.5', {
            createdAt: at('2026-11-02T00:00:00.000Z'),
            modifiedAt: at('2026-11-01T00:00:00.000Z'),
          }),
        ]),
      ).objects,
    );
    expect(indicator.created).toBe('2026-11-02T00:00:00.000Z');
    expect(indicator.modified).toBe('2026-11-02T00:00:00.000Z');
  });

  it("takes the identity's dates from the author when given", () => {
    const author = {
      key: 'org-7',
      name: 'Tohoku Grid Operations',
      identityClass: 'organization' as const,
      createdAt: at('2025-01-01T00:00:00.000Z'),
      modifiedAt: at('2026-03-01T00:00:00.000Z'),
    };
    const identity = buildIndicatorBundle(feed([], { author })).objects[5];
    expect(identity).toMatchObject({
      created: '2025-01-01T00:00:00.000Z',
      modified: '2026-03-01T00:00:00.000Z',
    });
  });

  it.each<[string, Partial<IndicatorBundleInput>, string]>([
    ['a namespace that is not a UUID', { namespace: 'renkei' }, 'is not a UUID'],
    ['the cyber-observable namespace', { namespace: STIX_SCO_NAMESPACE }, 'cyber-observable'],
    ['an unknown TLP', { tlp: 'WHITE' as 'CLEAR' }, 'unknown TLP level'],
    [
      'an invalid generatedAt',
      { generatedAt: new Date(NaN) },
      'generatedAt: expected a valid Date',
    ],
    [
      'an author without key',
      { author: { key: '', name: 'x', identityClass: 'unknown' } },
      'non-empty key',
    ],
  ])('throws on %s', (_, overrides, message) => {
    expect(() => buildIndicatorBundle(feed([entry('203.0.113.5')], overrides))).toThrow(message);
  });

  it.each<[string, Partial<IndicatorEntryInput>, string]>([
    ['confidence above 100', { confidence: 101 }, 'entries[1].confidence must be an integer'],
    ['fractional confidence', { confidence: 50.5 }, 'entries[1].confidence must be an integer'],
    [
      'an invalid date',
      { modifiedAt: new Date(NaN) },
      'entries[1].modifiedAt: expected a valid Date',
    ],
    ['an empty value', { value: '' }, 'entries[1].value must be a non-empty string'],
  ])('throws on an entry with %s, naming it', (_, overrides, message) => {
    const input = feed([entry('203.0.113.5'), entry('203.0.113.6', overrides)]);
    expect(() => buildIndicatorBundle(input)).toThrow(message);
  });

  it('renders stored times STIX cannot write clamped to the years it can, never throwing', () => {
    // What rows stored before client times were bounded hold, and PostgreSQL's ±infinity (which
    // pg reads as a number): one such entry once made every STIX feed and TAXII answer 500.
    const infinity = Infinity as unknown as Date;
    const extremes: Partial<IndicatorEntryInput>[] = [
      { firstSeen: at('9999-12-31T23:59:59.000Z'), validUntil: at('+010000-01-30T23:59:59.000Z') },
      { firstSeen: at('9999-12-31T23:59:59.999Z'), validUntil: at('9999-12-31T23:59:59.999Z') },
      { firstSeen: at('+275760-09-13T00:00:00.000Z'), lastSeen: infinity, validUntil: infinity },
      { firstSeen: at('-000001-01-01T00:00:00.000Z'), validUntil: -Infinity as unknown as Date },
      { createdAt: at('+012000-01-01T00:00:00.000Z'), modifiedAt: at('-271821-04-20T00:00:00Z') },
    ];
    const input = feed(extremes.map((o, i) => entry(`203.0.113.${i + 1}`, o)));
    const objects = buildIndicatorBundle(input).objects;
    const stamps = JSON.stringify(objects).match(
      /"(created|modified|valid_from|valid_until)":"[^"]*"/g,
    )!;
    for (const s of stamps) expect(s).toMatch(/":"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"$/);
    for (const o of indicators(objects)) {
      expect(Date.parse(o.valid_until!)).toBeGreaterThan(Date.parse(o.valid_from));
      expect(Date.parse(o.modified)).toBeGreaterThanOrEqual(Date.parse(o.created));
    }
    expect(indicators(objects)[0].valid_until).toBe('9999-12-31T23:59:59.999Z');
    expect([...bundleChunks(input)].join('')).toBe(JSON.stringify(buildIndicatorBundle(input)));
  });

  it('throws on a value given twice, which would give two objects one id', () => {
    const input = feed([entry('203.0.113.5'), entry('example.com'), entry('203.0.113.5')]);
    expect(() => buildIndicatorBundle(input)).toThrow('the entries hold 203.0.113.5 twice');
    expect(() => [...bundleChunks(input)]).toThrow('the entries hold 203.0.113.5 twice');
  });
});

describe('bundleChunks', () => {
  const entries = Array.from({ length: 300 }, (_, i) =>
    entry(`198.51.${Math.floor(i / 250)}.${i % 250}`, {
      tags: i % 2 ? ['c2'] : [],
      note: i % 3 ? null : `note ${i} with 'quotes' and "double quotes" and \\`,
    }),
  );

  it.each([1, 100, 4096, 64 * 1024])(
    'joins to exactly JSON.stringify of the bundle (chunks of %i)',
    (size) => {
      const input = feed(entries);
      const chunks = [...bundleChunks(input, size)];
      expect(chunks.join('')).toBe(JSON.stringify(buildIndicatorBundle(input)));
      if (size <= 4096) expect(chunks.length).toBeGreaterThan(10);
    },
  );

  it('joins to the bundle when there are no entries', () => {
    const input = feed([]);
    expect([...bundleChunks(input)].join('')).toBe(JSON.stringify(buildIndicatorBundle(input)));
  });

  it('streams 100,000 indicators in bounded pieces', () => {
    const many = Array.from({ length: 100_000 }, (_, i) =>
      entry(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`),
    );
    let pieces = 0;
    let longest = 0;
    let total = 0;
    let text = '';
    for (const chunk of bundleChunks(feed(many))) {
      pieces++;
      longest = Math.max(longest, chunk.length);
      total += chunk.length;
      if (pieces <= 2) text += chunk;
    }
    expect(pieces).toBeGreaterThan(500);
    expect(longest).toBeLessThan(64 * 1024 + 2048);
    expect(total).toBeGreaterThan(50_000_000);
    expect(text.startsWith('{"type":"bundle","id":"bundle--')).toBe(true);
  });
});

describe('indicatorBundleBody', () => {
  /** The head (the generator's return value) and then every piece, as a feed body keeps them. */
  function body(input: IndicatorBundleInput, size?: number): { head: string; pieces: string[] } {
    const it = indicatorBundleBody(input, size);
    const pieces: string[] = [];
    for (let next = it.next(); ; next = it.next()) {
      if (next.done) return { head: next.value, pieces };
      pieces.push(next.value);
    }
  }

  it.each([1, 4096, 64 * 1024])(
    'is the text of bundleChunks, head first, objects rendered once (pieces of %i)',
    (size) => {
      const entries = Array.from({ length: 300 }, (_, i) => entry(`198.51.100.${i % 250}`, {}));
      const input = feed(
        entries.filter((e, i, all) => all.findIndex((x) => x.value === e.value) === i),
      );
      const { head, pieces } = body(input, size);
      expect(head + pieces.join('')).toBe([...bundleChunks(input, size)].join(''));
      if (size <= 4096) expect(pieces.length).toBeGreaterThan(10);
    },
  );

  it('throws on a value given twice, before the head exists', () => {
    const input = feed([entry('203.0.113.5'), entry('203.0.113.5')]);
    expect(() => body(input)).toThrow('the entries hold 203.0.113.5 twice');
  });
});

describe('IndicatorBundleStream', () => {
  /** The body as the feed assembles it: indicators framed by line feeds, the head last. */
  function streamed(input: IndicatorBundleInput): string {
    const { entries, tlp: _tlp, ...rest } = input;
    const bundle = new IndicatorBundleStream(rest);
    const framed = Buffer.from(
      entries
        .map((e) => `\n${bundle.indicator(e as IndicatorEntryInput & { tlp: 'GREEN' })}`)
        .join(''),
    );
    const tail = bundle.finish();
    // Fed in two pieces, as a feed body's pieces come.
    tail.add(framed.subarray(0, Math.floor(framed.length / 3)));
    tail.add(framed.subarray(Math.floor(framed.length / 3)));
    const objects = framed.toString().replace(/\n/g, ',');
    return `${tail.head()}${tail.before}${objects}]}`;
  }

  it.each([0, 1, 40])('gives the text of indicatorBundleBody (%i entries)', (n) => {
    const markings = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT'] as const;
    const entries = Array.from({ length: n }, (_, i) =>
      entry(`198.51.100.${i}`, {
        tlp: markings[(i * 7) % (i < 20 ? 2 : 4)],
        tags: i % 3 ? ['botnet', 'フィッシング'] : [],
        confidence: i,
      }),
    );
    // The bundle's marking is the strictest of its entries', as the feed gives it.
    const strictest = entries.reduce<IndicatorBundleInput['tlp']>(
      (a, e) => (markings.indexOf(e.tlp as never) > markings.indexOf(a as never) ? e.tlp! : a),
      'CLEAR',
    );
    const input = feed(entries, {
      tlp: strictest,
      author: { key: 'renkei-hub', name: 'renkei hub', identityClass: 'unknown' },
    });
    const it = indicatorBundleBody(input);
    const pieces: string[] = [];
    let next = it.next();
    for (; !next.done; next = it.next()) pieces.push(next.value);
    expect(streamed(input)).toBe(next.value + pieces.join(''));
  });
});

describe('buildReportBundle', () => {
  function report(
    entries: IndicatorEntryInput[],
    overrides: Partial<ReportBundleInput['report']> = {},
  ) {
    return {
      ...feed(entries),
      report: {
        id: '8b4c1a2e-3f5d-4e6a-9b7c-0d1e2f3a4b5c',
        title: 'Spear-phishing against control-room staff',
        description: 'Three operators received mail with a credential-harvesting link.',
        publishedAt: at('2026-11-21T09:00:00.000Z'),
        createdAt: at('2026-11-20T08:00:00.000Z'),
        modifiedAt: at('2026-11-21T08:30:00.000Z'),
        kind: 'incident' as const,
        labels: ['phishing'],
        ...overrides,
      },
    } satisfies ReportBundleInput;
  }

  function reportOf(input: ReportBundleInput): StixReport {
    return buildReportBundle(input).objects.find((o): o is StixReport => o.type === 'report')!;
  }

  it('holds the markings, the author, the report and its indicators', () => {
    const bundle = buildReportBundle(report([entry('203.0.113.5'), entry('example.com')]));
    expect(bundle.objects.map((o) => o.type)).toEqual([
      ...TLP_MARKINGS.map(() => 'marking-definition'),
      'identity',
      'report',
      'indicator',
      'indicator',
    ]);
    const identity = bundle.objects[5];
    expect(bundle.objects[6]).toEqual({
      type: 'report',
      spec_version: '2.1',
      id: expect.stringMatching(/^report--/),
      created_by_ref: identity.id,
      created: '2026-11-20T08:00:00.000Z',
      modified: '2026-11-21T08:30:00.000Z',
      name: 'Spear-phishing against control-room staff',
      description: 'Three operators received mail with a credential-harvesting link.',
      report_types: ['threat-report'],
      published: '2026-11-21T09:00:00.000Z',
      labels: ['incident', 'phishing'],
      object_refs: [identity.id, bundle.objects[7].id, bundle.objects[8].id],
      object_marking_refs: [tlpMarkingId('AMBER')],
    });
  });

  it('refers to the author when there are no indicators, since object_refs may not be empty', () => {
    const input = report([], { kind: 'near_miss', labels: [], description: '' });
    const stix = reportOf(input);
    expect(stix.object_refs).toEqual([buildReportBundle(input).objects[5].id]);
    expect(stix.labels).toEqual(['near-miss']);
    expect(stix).not.toHaveProperty('description');
  });

  it("derives the report id from the hub's report id and its author", () => {
    const a = reportOf(report([])).id;
    expect(reportOf(report([entry('203.0.113.5')], { title: 'renamed' })).id).toBe(a);
    expect(reportOf(report([], { id: '00000000-0000-4000-8000-000000000000' })).id).not.toBe(a);
    const pseudonym = {
      key: 'pseudonym:a vendor',
      name: 'a vendor',
      identityClass: 'class' as const,
    };
    expect(reportOf({ ...report([]), author: pseudonym }).id).not.toBe(a);
  });

  it('refers to indicators of other authors and carries their identities', () => {
    const other = { key: 'org-9', name: 'Chubu Power', identityClass: 'organization' as const };
    const input = report([
      entry('203.0.113.5', { scope: 'list:a|batch:1' }),
      entry('203.0.113.5', { scope: 'list:b|batch:2', author: other }),
    ]);
    const bundle = buildReportBundle(input);
    const ids = bundle.objects.map((o) => o.id);
    expect(bundle.objects.filter((o) => o.type === 'identity')).toHaveLength(2);
    const stix = reportOf(input);
    expect(stix.object_refs).toHaveLength(3);
    for (const ref of stix.object_refs) expect(ids).toContain(ref);
    expect(reportOf(report([], { revoked: true })).revoked).toBe(true);
    expect(stix).not.toHaveProperty('revoked');
  });

  it('is deterministic and streams to the same text', () => {
    const input = report([entry('203.0.113.5'), entry('example.com')]);
    const text = JSON.stringify(buildReportBundle(input));
    expect(JSON.stringify(buildReportBundle(input))).toBe(text);
    expect([...reportBundleChunks(input, 50)].join('')).toBe(text);
  });

  it('throws on an invalid report date, naming it', () => {
    expect(() => buildReportBundle(report([], { publishedAt: new Date(NaN) }))).toThrow(
      'report.publishedAt: expected a valid Date',
    );
  });
});
