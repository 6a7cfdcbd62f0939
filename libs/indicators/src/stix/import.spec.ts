import { parseIndicator } from '../values/indicator-value';
import {
  IndicatorBundleInput,
  buildIndicatorBundle,
  buildReportBundle,
  bundleChunks,
} from './bundle';
import { StixImport, readStixBundle } from './import';
import { Tlp } from './tlp-markings';

const NOW = new Date('2026-11-22T00:00:00.000Z');
const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

let serial = 0;

/** A valid STIX 2.1 indicator with a fresh id; `overrides` may remove a property with undefined. */
function indicator(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  serial++;
  const object: Record<string, unknown> = {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    created: '2026-11-01T00:00:00.000Z',
    modified: '2026-11-01T00:00:00.000Z',
    pattern: "[ipv4-addr:value = '203.0.113.5']",
    pattern_type: 'stix',
    valid_from: '2026-11-01T00:00:00Z',
    ...overrides,
  };
  for (const key of Object.keys(object)) if (object[key] === undefined) delete object[key];
  return object;
}

function bundle(...objects: unknown[]): string {
  return JSON.stringify({
    type: 'bundle',
    id: 'bundle--00000000-0000-4000-8000-000000000000',
    objects,
  });
}

function read(...objects: unknown[]): StixImport {
  return readStixBundle(bundle(...objects), { now: NOW });
}

describe('readStixBundle: round trip with the builders', () => {
  const inputs = [
    '203.0.113.5',
    '198.51.100.0/24',
    '2001:db8::7',
    '2001:db8:4000::/36',
    'münchen.example',
    "https://www.example.com/login/it's?next=%2Fhome",
    "o'brien+invoice@example.org",
    MD5,
    'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    SHA256,
  ];
  const entries = inputs.map((input, i) => {
    const parsed = parseIndicator(input);
    if (!parsed.ok) throw new Error(parsed.message);
    return {
      type: parsed.type,
      value: parsed.value,
      confidence: 10 * i,
      firstSeen: new Date('2026-10-01T00:00:00.000Z'),
      lastSeen: new Date('2026-11-01T00:00:00.000Z'),
      validUntil: new Date('2027-01-01T00:00:00.000Z'),
      createdAt: new Date('2026-10-01T00:00:00.000Z'),
      modifiedAt: new Date('2026-10-02T00:00:00.000Z'),
      tags: i % 2 ? ['c2'] : [],
      note: i % 3 ? null : `note ${i}`,
    };
  });
  const input: IndicatorBundleInput = {
    namespace: '5d0f2a43-8e0b-4c1e-9a37-2f6c1b7d9e10',
    generatedAt: new Date('2026-11-22T04:05:06.123Z'),
    author: { key: 'org-7', name: 'Tohoku Grid Operations', identityClass: 'organization' },
    tlp: 'GREEN',
    entries,
  };

  it('gives back every (type, value), with confidence, validity, tags and note', () => {
    const result = readStixBundle(JSON.stringify(buildIndicatorBundle(input)), { now: NOW });
    expect(result.rejected).toEqual([]);
    expect(result.entries).toEqual(
      entries.map((e, i) => ({
        type: e.type,
        value: e.value,
        confidence: e.confidence,
        validFrom: e.firstSeen,
        validUntil: e.validUntil,
        tags: e.tags,
        note: e.note,
        path: `objects[${i + 6}].pattern`,
      })),
    );
    expect(result.ignored.map((o) => o.type)).toEqual([
      ...Array<string>(5).fill('marking-definition'),
      'identity',
    ]);
    // Everything the hub writes, it reads back: nothing reported as dropped.
    expect(result.dropped).toEqual([]);
  });

  it('accepts its own markings into a list of the same TLP and refuses them into a laxer one', () => {
    const text = JSON.stringify(buildIndicatorBundle(input));
    expect(readStixBundle(text, { now: NOW, listTlp: 'GREEN' }).rejected).toEqual([]);
    const clear = readStixBundle(text, { now: NOW, listTlp: 'CLEAR' });
    expect(clear.entries).toEqual([]);
    expect(clear.rejected).toHaveLength(entries.length);
    expect(clear.rejected[0]).toEqual({
      path: 'objects[6].object_marking_refs[0]',
      reason: expect.stringContaining("marked TLP:GREEN, stricter than the list's TLP:CLEAR"),
    });
  });

  it('reads the streamed text the same way', () => {
    const text = [...bundleChunks(input, 100)].join('');
    expect(readStixBundle(text, { now: NOW })).toEqual(
      readStixBundle(JSON.stringify(buildIndicatorBundle(input)), { now: NOW }),
    );
  });

  it('reads the indicators of a report bundle and ignores the report', () => {
    const report = buildReportBundle({
      ...input,
      report: {
        id: '8b4c1a2e-3f5d-4e6a-9b7c-0d1e2f3a4b5c',
        title: 'Phishing',
        description: '',
        publishedAt: NOW,
        createdAt: NOW,
        modifiedAt: NOW,
        kind: 'incident',
        labels: [],
      },
    });
    const result = readStixBundle(JSON.stringify(report), { now: NOW });
    const pairs = (r: { type: string; value: string }[]) => r.map((e) => `${e.type} ${e.value}`);
    expect(new Set(pairs(result.entries))).toEqual(new Set(pairs(entries)));
    expect(result.ignored).toContainEqual({
      path: 'objects[6]',
      type: 'report',
      reason: expect.stringContaining('reports are not imported'),
    });
  });

  it('ignores all of them as expired once their valid_until has passed', () => {
    const later = new Date('2027-01-01T00:00:00.000Z');
    const result = readStixBundle(JSON.stringify(buildIndicatorBundle(input)), { now: later });
    expect(result.entries).toEqual([]);
    expect(result.ignored.filter((o) => o.reason.includes('expired'))).toHaveLength(entries.length);
  });
});

describe('readStixBundle: the document', () => {
  it('reports a JSON syntax error with line and column', () => {
    const result = readStixBundle('{\n  "type": "bundle",\n  "objects": [\n    {"type": }\n  ]\n}');
    expect(result).toEqual({
      entries: [],
      rejected: [
        { path: '', reason: expect.stringContaining('invalid JSON at line 4, column 14') },
      ],
      ignored: [],
      dropped: [],
    });
  });

  it('accepts a byte-order mark', () => {
    expect(readStixBundle(`\uFEFF${bundle(indicator())}`, { now: NOW }).entries).toHaveLength(1);
  });

  it.each([
    ['an array', JSON.stringify([indicator()]), 'got a JSON array'],
    ['a single indicator', JSON.stringify(indicator()), 'got a single "indicator" object'],
    ['an object without type', '{"objects": []}', 'got an object without a "type"'],
    ['a string', '"bundle"', 'got the string "bundle"'],
  ])('refuses %s: only bundles are accepted', (_, text, reason) => {
    const result = readStixBundle(text);
    expect(result.rejected).toEqual([{ path: '', reason: expect.stringContaining(reason) }]);
    expect(result.rejected[0].reason).toContain('expected a STIX bundle');
  });

  it('refuses objects that are not an array', () => {
    expect(readStixBundle('{"type": "bundle", "objects": {}}').rejected).toEqual([
      { path: 'objects', reason: 'expected an array of STIX objects, got an object' },
    ]);
  });

  it('reads an empty bundle as nothing', () => {
    expect(readStixBundle('{"type": "bundle", "id": "bundle--1"}')).toEqual({
      entries: [],
      rejected: [],
      ignored: [],
      dropped: [],
    });
  });
});

describe('readStixBundle: indicators', () => {
  it('takes confidence, validity, labels and description', () => {
    const result = read(
      indicator({
        confidence: 85,
        valid_until: '2027-01-01T00:00:00.000Z',
        labels: ['c2', 'apt'],
        description: 'Beacon',
      }),
    );
    expect(result.entries).toEqual([
      {
        type: 'ipv4',
        value: '203.0.113.5',
        confidence: 85,
        validFrom: new Date('2026-11-01T00:00:00Z'),
        validUntil: new Date('2027-01-01T00:00:00Z'),
        tags: ['c2', 'apt'],
        note: 'Beacon',
        path: 'objects[0].pattern',
      },
    ]);
  });

  it('gives one entry per value of an OR pattern, all with the same path', () => {
    const pattern =
      "[domain-name:value = 'example.com' OR url:value = 'http://example.com/x'] OR " +
      `[file:hashes.'SHA-256' = '${SHA256}']`;
    const result = read(indicator(), indicator({ pattern }));
    expect(result.entries.slice(1).map(({ type, value, path }) => ({ type, value, path }))).toEqual(
      [
        { type: 'domain', value: 'example.com', path: 'objects[1].pattern' },
        { type: 'url', value: 'http://example.com/x', path: 'objects[1].pattern' },
        { type: 'sha256', value: SHA256, path: 'objects[1].pattern' },
      ],
    );
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'an unsupported pattern',
      { pattern: "[ipv4-addr:value = '203.0.113.5' AND ipv4-addr:value = '203.0.113.6']" },
      'pattern',
      'AND is not supported',
    ],
    [
      'a pattern_type that is not a name',
      { pattern_type: 7 },
      'pattern_type',
      'expected a pattern language such as "stix", got the number 7',
    ],
    ['no pattern_type', { pattern_type: undefined }, 'pattern_type', 'pattern_type is missing'],
    ['no pattern', { pattern: undefined }, 'pattern', 'expected a STIX pattern, got nothing'],
    ['an empty pattern', { pattern: '  ' }, 'pattern', 'expected a STIX pattern'],
    ['no valid_from', { valid_from: undefined }, 'valid_from', 'valid_from is missing'],
    ['a bad valid_from', { valid_from: '2026-11-01' }, 'valid_from', 'is not a STIX timestamp'],
    [
      'a bad valid_until',
      { valid_until: '2027-02-30T00:00:00Z' },
      'valid_until',
      'February 2027 has no day 30',
    ],
    [
      'valid_until before valid_from',
      { valid_until: '2026-10-01T00:00:00Z' },
      'valid_until',
      'must be later than valid_from',
    ],
    ['a bad created', { created: 'yesterday' }, 'created', 'is not a STIX timestamp'],
    ['a modified that is a number', { modified: 1700000000 }, 'modified', 'got the number'],
    [
      'confidence above 100',
      { confidence: 150 },
      'confidence',
      'expected an integer from 0 to 100, got the number 150',
    ],
    ['a fractional confidence', { confidence: 2.5 }, 'confidence', 'expected an integer'],
    ['confidence as text', { confidence: 'high' }, 'confidence', 'expected an integer'],
    ['labels that are not a list', { labels: 'c2' }, 'labels', 'expected a list of strings'],
    ['labels that are not strings', { labels: ['c2', 7] }, 'labels', 'expected a list of strings'],
    [
      'a description that is not text',
      { description: { en: 'x' } },
      'description',
      'expected a string, got an object',
    ],
    [
      'an id that is not an indicator id',
      { id: 'indicator--1' },
      'id',
      'expected "indicator--<uuid>"',
    ],
    ['revoked that is not a boolean', { revoked: 'yes' }, 'revoked', 'expected true or false'],
  ])('rejects an indicator with %s, at its path', (_, overrides, property, reason) => {
    const result = read(indicator(), indicator(overrides));
    expect(result.entries).toHaveLength(1);
    expect(result.rejected).toEqual([
      { path: `objects[1].${property}`, reason: expect.stringContaining(reason) },
    ]);
  });

  it('ignores a revoked indicator', () => {
    expect(read(indicator({ revoked: true })).ignored).toEqual([
      { path: 'objects[0]', type: 'indicator', reason: 'the indicator is revoked' },
    ]);
  });

  it('ignores an expired indicator, valid_until being exclusive', () => {
    const result = read(
      indicator({ valid_until: '2026-11-21T23:59:59.999Z' }),
      indicator({ valid_until: NOW.toISOString() }),
      indicator({ valid_until: '2026-11-22T00:00:00.001Z' }),
    );
    expect(result.ignored.map((o) => [o.path, o.reason])).toEqual([
      ['objects[0]', 'the indicator expired at 2026-11-21T23:59:59.999Z (valid_until)'],
      ['objects[1]', 'the indicator expired at 2026-11-22T00:00:00.000Z (valid_until)'],
    ]);
    expect(result.entries.map((e) => e.path)).toEqual(['objects[2].pattern']);
  });

  it('reads only the newest version of an indicator', () => {
    const id = 'indicator--11111111-2222-4333-8444-555555555555';
    const result = read(
      indicator({ id, modified: '2026-11-02T00:00:00.000Z', confidence: 20 }),
      indicator({ id, modified: '2026-11-03T00:00:00.000Z', confidence: 90 }),
      indicator({ id, modified: '2026-11-01T00:00:00.000Z', confidence: 50 }),
      indicator({ id, modified: '2026-11-03T00:00:00.000Z', confidence: 90 }),
    );
    expect(result.entries.map((e) => [e.path, e.confidence])).toEqual([['objects[1].pattern', 90]]);
    expect(result.ignored.map((o) => [o.path, o.reason])).toEqual([
      ['objects[0]', `an older version of ${id}; objects[1] is newer`],
      ['objects[2]', `an older version of ${id}; objects[1] is newer`],
      ['objects[3]', `a repeat of ${id}, which objects[1] already holds in the same version`],
    ]);
  });

  it('does not import a value whose newest version is revoked', () => {
    const id = 'indicator--11111111-2222-4333-8444-555555555555';
    const result = read(
      indicator({ id, modified: '2026-11-02T00:00:00.000Z' }),
      indicator({ id, modified: '2026-11-03T00:00:00.000Z', revoked: true }),
    );
    expect(result.entries).toEqual([]);
    expect(result.ignored.map((o) => o.reason)).toEqual([
      expect.stringContaining('an older version'),
      'the indicator is revoked',
    ]);
  });

  it('takes a STIX 2.0 indicator, which has no pattern_type, as a STIX pattern', () => {
    const text = JSON.stringify({
      type: 'bundle',
      id: 'bundle--00000000-0000-4000-8000-000000000000',
      spec_version: '2.0',
      objects: [indicator({ spec_version: undefined, pattern_type: undefined })],
    });
    expect(readStixBundle(text, { now: NOW }).entries).toHaveLength(1);
  });
});

describe('readStixBundle: observables', () => {
  it.each([
    [{ type: 'ipv4-addr', value: '203.0.113.5' }, 'ipv4', '203.0.113.5'],
    [{ type: 'ipv4-addr', value: '198.51.100.0/24' }, 'ipv4-cidr', '198.51.100.0/24'],
    [{ type: 'ipv6-addr', value: '2001:DB8::1' }, 'ipv6', '2001:db8::1'],
    [{ type: 'domain-name', value: 'München.example' }, 'domain', 'xn--mnchen-3ya.example'],
    [{ type: 'url', value: 'http://Example.com/a' }, 'url', 'http://example.com/a'],
    [{ type: 'email-addr', value: 'alice@Example.com' }, 'email', 'alice@example.com'],
  ])('turns %j into an entry', (observable, type, value) => {
    expect(read(observable).entries).toEqual([
      { type, value, tags: [], note: null, path: 'objects[0].value' },
    ]);
  });

  it('turns each MD5, SHA-1 and SHA-256 of a file into an entry', () => {
    const file = {
      type: 'file',
      id: 'file--00000000-0000-5000-8000-000000000001',
      name: 'invoice.pdf.exe',
      hashes: { MD5: MD5, 'SHA-256': SHA256, 'SHA-512': 'ab'.repeat(64) },
    };
    expect(read(file).entries).toEqual([
      { type: 'md5', value: MD5, tags: [], note: null, path: 'objects[0].hashes.MD5' },
      { type: 'sha256', value: SHA256, tags: [], note: null, path: 'objects[0].hashes["SHA-256"]' },
    ]);
  });

  it('rejects an observable whose value does not fit its type', () => {
    const result = read(
      { type: 'ipv4-addr', value: '2001:db8::1' },
      { type: 'domain-name', value: 42 },
      { type: 'file', hashes: { MD5: SHA256 } },
      { type: 'file', hashes: ['x'] },
    );
    expect(result.rejected).toEqual([
      {
        path: 'objects[0].value',
        reason: '"2001:db8::1" is an IPv6 address, not an IPv4 address or CIDR range',
      },
      { path: 'objects[1].value', reason: 'expected the value as a string, got the number 42' },
      {
        path: 'objects[2].hashes.MD5',
        reason: expect.stringContaining('is a SHA-256 hash, not an MD5 hash'),
      },
      { path: 'objects[3].hashes', reason: 'expected a dictionary of hashes, got an array' },
    ]);
  });

  it('ignores a file without a hash the hub stores', () => {
    const result = read(
      { type: 'file', name: 'a.exe' },
      { type: 'file', hashes: { 'SHA-512': 'ab'.repeat(64) } },
    );
    expect(result.ignored).toEqual([
      {
        path: 'objects[0]',
        type: 'file',
        reason: expect.stringContaining('no MD5, SHA-1 or SHA-256 hash'),
      },
      { path: 'objects[1]', type: 'file', reason: expect.stringContaining('(it has SHA-512)') },
    ]);
  });
});

const TLP2 = {
  CLEAR: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  AMBER: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  AMBER_STRICT: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  RED: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};
const TLP1 = {
  WHITE: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  GREEN: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  AMBER: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  RED: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
};
const CUSTOM_MARKING = 'marking-definition--00000000-0000-4000-8000-0000000000aa';

describe('readStixBundle: markings', () => {
  const into = (listTlp: Tlp, ...objects: unknown[]) =>
    readStixBundle(bundle(...objects), { now: NOW, listTlp });

  it('refuses a TLP:RED indicator for a CLEAR list, naming the marking', () => {
    const result = into('CLEAR', indicator({ object_marking_refs: [TLP2.RED] }));
    expect(result.entries).toEqual([]);
    expect(result.rejected).toEqual([
      {
        path: 'objects[0].object_marking_refs[0]',
        reason: expect.stringContaining(
          "marked TLP:RED, stricter than the list's TLP:CLEAR: the list would show it",
        ),
      },
    ]);
  });

  it.each([
    ['TLP 2.0 AMBER+STRICT', TLP2.AMBER_STRICT, 'AMBER', 'AMBER_STRICT'],
    ['TLP 2.0 AMBER', TLP2.AMBER, 'GREEN', 'AMBER'],
    ['TLP 1.0 WHITE', TLP1.WHITE, undefined, 'CLEAR'],
    ['TLP 1.0 GREEN', TLP1.GREEN, 'CLEAR', 'GREEN'],
    ['TLP 1.0 AMBER', TLP1.AMBER, 'GREEN', 'AMBER'],
    ['TLP 1.0 RED', TLP1.RED, 'AMBER_STRICT', 'RED'],
  ] as const)('reads %s: refused below its level, taken at it', (_, id, below, at) => {
    if (below) {
      const refused = into(below, indicator({ object_marking_refs: [id] }));
      expect(refused.rejected.map((r) => r.path)).toEqual(['objects[0].object_marking_refs[0]']);
    }
    const taken = into(at, indicator({ object_marking_refs: [id] }));
    expect(taken.rejected).toEqual([]);
    expect(taken.entries).toHaveLength(1);
    expect(taken.dropped).toEqual([]);
  });

  it('takes the strictest of several markings', () => {
    const result = into('AMBER', indicator({ object_marking_refs: [TLP2.CLEAR, TLP1.RED] }));
    expect(result.rejected.map((r) => r.path)).toEqual(['objects[0].object_marking_refs[1]']);
  });

  it('counts granular markings as covering the whole object', () => {
    const result = into(
      'GREEN',
      indicator({ granular_markings: [{ lang: 'en', selectors: ['description'] }] }),
      indicator({ granular_markings: [{ marking_ref: TLP2.RED, selectors: ['pattern'] }] }),
    );
    expect(result.entries).toHaveLength(1);
    expect(result.rejected).toEqual([
      {
        path: 'objects[1].granular_markings[0].marking_ref',
        reason: expect.stringContaining('marked TLP:RED'),
      },
    ]);
  });

  it.each([
    ['definition_type "tlp" (TLP 1.0)', { definition_type: 'tlp', definition: { tlp: 'red' } }],
    [
      'the TLP 2.0 extension',
      {
        name: 'our red',
        extensions: {
          'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': {
            extension_type: 'property-extension',
            tlp_2_0: 'red',
          },
        },
      },
    ],
    ['a TLP name', { name: 'TLP:RED' }],
  ])("reads the bundle's own marking definitions: %s", (_, definition) => {
    const result = into(
      'AMBER',
      { type: 'marking-definition', spec_version: '2.1', id: CUSTOM_MARKING, ...definition },
      indicator({ object_marking_refs: [CUSTOM_MARKING] }),
    );
    expect(result.entries).toEqual([]);
    expect(result.rejected).toEqual([
      { path: 'objects[1].object_marking_refs[0]', reason: expect.stringContaining('TLP:RED') },
    ]);
  });

  it('believes the stricter when a bundle redefines a known TLP id', () => {
    const result = into(
      'CLEAR',
      {
        type: 'marking-definition',
        id: TLP2.CLEAR,
        definition_type: 'tlp',
        definition: { tlp: 'amber' },
      },
      indicator({ object_marking_refs: [TLP2.CLEAR] }),
    );
    expect(result.rejected.map((r) => r.reason)).toEqual([
      expect.stringContaining('marked TLP:AMBER'),
    ]);
  });

  it('applies the rule to observables and files too', () => {
    const result = into(
      'GREEN',
      { type: 'ipv4-addr', value: '203.0.113.9', object_marking_refs: [TLP2.AMBER] },
      { type: 'file', hashes: { MD5 }, object_marking_refs: [TLP2.RED] },
      { type: 'domain-name', value: 'ok.example', object_marking_refs: [TLP2.CLEAR] },
    );
    expect(result.entries.map((e) => e.value)).toEqual(['ok.example']);
    expect(result.rejected.map((r) => r.path)).toEqual([
      'objects[0].object_marking_refs[0]',
      'objects[1].object_marking_refs[0]',
    ]);
  });

  it('imports under a marking that is not TLP, and reports it as not applied', () => {
    const result = into(
      'GREEN',
      {
        type: 'marking-definition',
        id: CUSTOM_MARKING,
        definition_type: 'statement',
        definition: { statement: 'Copyright 2026 Example Corp' },
      },
      indicator({ object_marking_refs: [CUSTOM_MARKING, TLP1.GREEN] }),
      indicator({
        object_marking_refs: ['marking-definition--00000000-0000-4000-8000-0000000000bb'],
      }),
    );
    expect(result.rejected).toEqual([]);
    expect(result.entries).toHaveLength(2);
    expect(result.dropped).toEqual([
      {
        path: 'objects[1]',
        type: 'indicator',
        names: [`${CUSTOM_MARKING} (statement "Copyright 2026 Example Corp")`],
        reason: expect.stringContaining('markings that are not TLP are not applied'),
      },
      {
        path: 'objects[2]',
        type: 'indicator',
        names: ['marking-definition--00000000-0000-4000-8000-0000000000bb'],
        reason: expect.stringContaining('not applied'),
      },
    ]);
  });

  it('refuses malformed markings with their path', () => {
    const result = into(
      'RED',
      indicator({ object_marking_refs: TLP2.RED }),
      indicator({ object_marking_refs: ['TLP:RED'] }),
      indicator({ granular_markings: [{ marking_ref: 7, selectors: ['pattern'] }] }),
    );
    expect(result.entries).toEqual([]);
    expect(result.rejected.map((r) => r.path)).toEqual([
      'objects[0].object_marking_refs',
      'objects[1].object_marking_refs[0]',
      'objects[2].granular_markings[0].marking_ref',
    ]);
  });

  it('ignores markings on objects it does not import', () => {
    const result = into('CLEAR', indicator({ revoked: true, object_marking_refs: [TLP2.RED] }));
    expect(result.rejected).toEqual([]);
    expect(result.ignored).toHaveLength(1);
  });
});

describe('readStixBundle: what the hub does not keep', () => {
  it('names, per object, the properties an imported object loses', () => {
    const result = read(
      indicator({
        name: 'C2 of campaign Kite',
        indicator_types: ['anomalous-activity'],
        kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'command-and-control' }],
        external_references: [{ source_name: 'vendor', url: 'https://vendor.example/r/1' }],
        extensions: { 'extension-definition--11111111-1111-4111-8111-111111111111': {} },
        x_acme_score: 7,
      }),
      indicator({ name: '203.0.113.5', indicator_types: ['malicious-activity'], lang: 'en' }),
      { type: 'ipv4-addr', value: '203.0.113.9', resolves_to_refs: [] },
      { type: 'file', name: 'invoice.exe', hashes: { MD5, 'SHA-512': 'ab'.repeat(64) } },
    );
    expect(result.rejected).toEqual([]);
    expect(result.entries).toHaveLength(4);
    expect(result.dropped.map((d) => [d.path, d.type, d.names])).toEqual([
      [
        'objects[0]',
        'indicator',
        [
          'kill_chain_phases',
          'external_references',
          'extensions',
          'x_acme_score',
          'name',
          'indicator_types',
        ],
      ],
      ['objects[1]', 'indicator', ['lang']],
      ['objects[2]', 'ipv4-addr', ['resolves_to_refs']],
      ['objects[3]', 'file', ['name', 'hashes["SHA-512"]']],
    ]);
    expect(result.dropped[0].reason).toContain('not kept by the hub: kill_chain_phases');
  });

  it.each(['sigma', 'yara', 'snort', 'suricata', 'pcre', 'spl'])(
    'sets aside an indicator whose pattern is in %s, with the reason, and reads the rest',
    (language) => {
      const result = read(indicator(), indicator({ pattern_type: language, pattern: 'rule x {}' }));
      expect(result.entries).toHaveLength(1);
      expect(result.rejected).toEqual([]);
      expect(result.ignored).toEqual([
        {
          path: 'objects[1]',
          type: 'indicator',
          reason: expect.stringContaining(`pattern_type "${language}": only STIX patterns`),
        },
      ]);
    },
  );

  it('reports properties of the bundle itself', () => {
    const text = JSON.stringify({ type: 'bundle', id: 'bundle--1', objects: [], x_source: 'a' });
    expect(readStixBundle(text).dropped).toEqual([
      { path: '', type: 'bundle', names: ['x_source'], reason: expect.any(String) },
    ]);
  });

  it('reports nothing for an object it does not import', () => {
    expect(read({ type: 'malware', name: 'x', is_family: true, x_foo: 1 }).dropped).toEqual([]);
  });
});

describe('readStixBundle: accounts for every object', () => {
  it('puts each object into entries, rejected or ignored, and names the type of what it ignores', () => {
    const objects = [
      indicator(),
      { type: 'identity', id: 'identity--00000000-0000-4000-8000-000000000001', name: 'x' },
      {
        type: 'marking-definition',
        id: 'marking-definition--00000000-0000-4000-8000-000000000002',
      },
      { type: 'relationship', relationship_type: 'indicates' },
      { type: 'malware', name: 'x', is_family: true },
      { type: 'x-acme-widget', value: '203.0.113.5' },
      { type: 'mac-addr', value: '00:00:5e:00:53:01' },
      { type: 'ipv4-addr', value: '203.0.113.9' },
      42,
      { name: 'no type' },
      indicator({ pattern_type: 'yara' }),
      indicator({ revoked: true }),
    ];
    const result = read(...objects);
    const paths = [...result.entries, ...result.rejected, ...result.ignored].map((o) => o.path);
    objects.forEach((_, i) => {
      const own = paths.filter((p) => new RegExp(`^objects\\[${i}\\](\\.|\\[|$)`).test(p));
      expect([i, own.length]).toEqual([i, 1]);
    });
    expect(result.ignored.map((o) => o.type)).toEqual([
      'identity',
      'marking-definition',
      'relationship',
      'malware',
      'x-acme-widget',
      'mac-addr',
      'indicator',
      'indicator',
    ]);
    expect(result.ignored.find((o) => o.type === 'x-acme-widget')?.reason).toBe(
      'objects of type "x-acme-widget" are not imported; only indicators and the observables ' +
        'ipv4-addr, ipv6-addr, domain-name, url, email-addr and file are',
    );
    expect(result.rejected).toEqual([
      { path: 'objects[8]', reason: 'expected a STIX object, got the number 42' },
      { path: 'objects[9].type', reason: 'the object has no "type"' },
    ]);
  });
});
