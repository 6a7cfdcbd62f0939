import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parseIndicator } from '../values/indicator-value';
import {
  IndicatorBundleInput,
  IndicatorEntryInput,
  ReportBundleInput,
  StixBundle,
  StixIndicator,
  buildIndicatorBundle,
  buildReportBundle,
} from './bundle';
import { parseSimplePattern } from './patterns';
import { Tlp } from './tlp-markings';

/**
 * Bundles from the builders, validated against the official OASIS STIX 2.1 JSON schemas
 * (oasis-open/cti-stix2-json-schemas) in the repository's sibling folder ../shared. The schemas
 * cannot check everything the specification requires, so the rest (patterns, modified ≥ created,
 * valid_until > valid_from, references) is checked here by hand.
 */

const SHARED = path.resolve(__dirname, '../../../../../shared/stix2-json-schemas');
const SCHEMA_DIR = path.join(SHARED, 'schemas');
const HAVE_SCHEMAS = fs.existsSync(SCHEMA_DIR);
const describeIfShared = HAVE_SCHEMAS ? describe : describe.skip;
if (!HAVE_SCHEMAS) {
  // Skipped rather than failed (a clone without ../shared still runs its tests), but visibly.
  console.warn(
    `bundle-schemas.spec.ts skipped: no OASIS STIX 2.1 schemas at ${SCHEMA_DIR} ` +
      '(put oasis-open/cti-stix2-json-schemas there to run it)',
  );
}

const NAMESPACE = '5d0f2a43-8e0b-4c1e-9a37-2f6c1b7d9e10';

/** The schema that describes each type of object the builders write. */
const SCHEMA_FOR_TYPE: Record<string, string> = {
  'marking-definition': 'common/marking-definition.json',
  identity: 'sdos/identity.json',
  indicator: 'sdos/indicator.json',
  report: 'sdos/report.json',
};

function entry(input: string, overrides: Partial<IndicatorEntryInput> = {}): IndicatorEntryInput {
  const parsed = parseIndicator(input);
  if (!parsed.ok) throw new Error(parsed.message);
  return {
    type: parsed.type,
    value: parsed.value,
    confidence: 70,
    firstSeen: new Date('2026-10-01T00:00:00.000Z'),
    lastSeen: new Date('2026-11-01T00:00:00.000Z'),
    validUntil: new Date('2027-01-01T00:00:00.000Z'),
    createdAt: new Date('2026-10-01T00:00:00.250Z'),
    modifiedAt: new Date('2026-11-01T00:00:00.250Z'),
    tags: [],
    note: null,
    ...overrides,
  };
}

/** One entry of each kind the hub stores, with and without tags and notes. */
const ENTRIES: IndicatorEntryInput[] = [
  entry('203.0.113.5', { tags: ['c2', 'cobalt-strike'], note: 'Beacon seen from two plants' }),
  entry('198.51.100.0/24', { confidence: 0, tlp: 'RED' }),
  entry('2001:db8::7', { confidence: 100 }),
  entry('2001:db8:4000::/36', { listName: 'Sector blocklist' }),
  entry('München.example', { note: "Look-alike of a utility's portal" }),
  entry("https://www.example.com/login/it's?next=%2Fhome", { tags: ['phishing'] }),
  entry("o'brien+invoice@example.org"),
  entry('D41D8CD98F00B204E9800998ECF8427E'),
  entry('da39a3ee5e6b4b0d3255bfef95601890afd80709', { tags: ['loader'], note: 'Dropper' }),
  entry('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'),
  // An entry whose expiry is not after its first sighting, which the builder repairs.
  entry('192.0.2.99', {
    firstSeen: new Date('2026-10-05T00:00:00.000Z'),
    validUntil: new Date('2026-10-05T00:00:00.000Z'),
  }),
];

function indicatorInput(tlp: Tlp, entries = ENTRIES): IndicatorBundleInput {
  return {
    namespace: NAMESPACE,
    generatedAt: new Date('2026-11-22T04:05:06.123Z'),
    author: { key: 'org-7', name: 'Tohoku Grid Operations', identityClass: 'organization' },
    tlp,
    entries,
    objectName: 'sector-blocklist',
  };
}

function reportInput(entries: IndicatorEntryInput[], description: string): ReportBundleInput {
  return {
    ...indicatorInput('AMBER_STRICT', entries),
    report: {
      id: '8b4c1a2e-3f5d-4e6a-9b7c-0d1e2f3a4b5c',
      title: 'Spear-phishing against control-room staff',
      description,
      publishedAt: new Date('2026-11-21T09:00:00.000Z'),
      createdAt: new Date('2026-11-20T08:00:00.000Z'),
      modifiedAt: new Date('2026-11-21T08:30:00.000Z'),
      kind: 'near_miss',
      labels: ['phishing', 'ot'],
    },
  };
}

const BUNDLES: [string, StixBundle][] = [
  ...(['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'] as const).map(
    (tlp): [string, StixBundle] => [
      `indicator bundle, TLP ${tlp}`,
      buildIndicatorBundle(indicatorInput(tlp)),
    ],
  ),
  ['indicator bundle without entries', buildIndicatorBundle(indicatorInput('GREEN', []))],
  ['report bundle with indicators', buildReportBundle(reportInput(ENTRIES, 'Mail with a link.'))],
  ['report bundle without indicators', buildReportBundle(reportInput([], ''))],
  [
    'indicator bundle of revoked versions (a removed entry, a retracted list)',
    buildIndicatorBundle(
      indicatorInput(
        'GREEN',
        ENTRIES.map((e, i) => ({ ...e, revoked: true, scope: `list:l|batch:${i}` })),
      ),
    ),
  ],
  [
    'report bundle with indicators of several authors, one a pseudonym',
    buildReportBundle(
      reportInput(
        ENTRIES.map((e, i) => ({
          ...e,
          scope: `list:${i % 2}|batch:${i}`,
          ...(i % 2
            ? {
                author: {
                  key: 'pseudonym:an operator in electric power',
                  name: 'an operator in electric power',
                  identityClass: 'class' as const,
                  tlp: 'CLEAR' as const,
                },
              }
            : {}),
        })),
        'Mail with a link.',
      ),
    ),
  ],
  [
    'revoked report bundle (a retracted report)',
    buildReportBundle({
      ...reportInput([], ''),
      report: { ...reportInput([], '').report, revoked: true },
    }),
  ],
];

/** Every JSON file under `dir`, recursively, as [path relative to dir, parsed schema]. */
function schemaFiles(dir: string, prefix = ''): [string, { $id: string }][] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((file) => {
    const relative = prefix ? `${prefix}/${file.name}` : file.name;
    if (file.isDirectory()) return schemaFiles(path.join(dir, file.name), relative);
    if (!file.name.endsWith('.json')) return [];
    const schema = JSON.parse(fs.readFileSync(path.join(dir, file.name), 'utf8')) as {
      $id: string;
    };
    return [[relative, schema]];
  });
}

describeIfShared(
  'bundles against the OASIS STIX 2.1 schemas (skipped where ../shared is absent)',
  () => {
    let ajv: Ajv2020;
    const idOf = new Map<string, string>();

    beforeAll(() => {
      // strict: false because the OASIS schemas use the pre-2019 "definitions" keyword;
      // unicodeRegExp: false because their patterns escape "-" as "\-", which JavaScript
      // refuses under the u flag (the patterns are ASCII: they match the same without it).
      ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
      addFormats(ajv);
      // ajv-formats has no "idn-hostname"; only the domain-name observable uses it, and the
      // builders write no observables.
      ajv.addFormat('idn-hostname', true);
      // Every schema by its $id, so that relative $refs resolve offline.
      for (const [relative, schema] of schemaFiles(SCHEMA_DIR)) {
        ajv.addSchema(schema);
        idOf.set(relative, schema.$id);
      }
    });

    function validator(relative: string): ValidateFunction {
      const id = idOf.get(relative);
      const validate = id === undefined ? undefined : ajv.getSchema(id);
      if (!validate) throw new Error(`no schema ${relative}`);
      return validate;
    }

    function errors(relative: string, value: unknown): string {
      const validate = validator(relative);
      return validate(value) ? '' : ajv.errorsText(validate.errors);
    }

    /** The values of an open vocabulary, from the schema that suggests them. */
    function vocabulary(relative: string, name: string): string[] {
      const schema = validator(relative).schema as {
        definitions: Record<string, { enum: string[] }>;
      };
      return schema.definitions[name].enum;
    }

    it('loaded every schema file', () => {
      expect(idOf.size).toBeGreaterThan(50);
      expect(idOf.get('common/bundle.json')).toMatch(/\/schemas\/common\/bundle\.json$/);
    });

    describe.each(BUNDLES)('%s', (_, bundle) => {
      // JSON round trip: what a consumer receives, with no undefined or Date left over.
      const received = JSON.parse(JSON.stringify(bundle)) as StixBundle;

      it('is a valid bundle', () => {
        expect(errors('common/bundle.json', received)).toBe('');
      });

      it('holds only objects valid against the schema for their type', () => {
        for (const object of received.objects) {
          const schema = SCHEMA_FOR_TYPE[object.type];
          expect(schema).toBeDefined();
          expect(`${object.id}: ${errors(schema, object)}`).toBe(`${object.id}: `);
        }
      });

      it('uses the suggested values of the open vocabularies', () => {
        for (const object of received.objects) {
          if (object.type === 'indicator') {
            const types = vocabulary('sdos/indicator.json', 'indicator-type-ov');
            for (const t of object.indicator_types) expect(types).toContain(t);
            expect(vocabulary('sdos/indicator.json', 'pattern-type-ov')).toContain(
              object.pattern_type,
            );
          } else if (object.type === 'report') {
            const types = vocabulary('sdos/report.json', 'report-type-ov');
            for (const t of object.report_types) expect(types).toContain(t);
          } else if (object.type === 'identity') {
            expect(vocabulary('sdos/identity.json', 'identity-class-ov')).toContain(
              object.identity_class,
            );
          }
        }
      });

      it('has patterns that parse back to their value, and consistent times', () => {
        for (const indicator of received.objects.filter(
          (o): o is StixIndicator => o.type === 'indicator',
        )) {
          expect(parseSimplePattern(indicator.pattern)).toEqual({
            ok: true,
            entries: [{ type: expect.any(String), value: indicator.name }],
          });
          expect(Date.parse(indicator.modified)).toBeGreaterThanOrEqual(
            Date.parse(indicator.created),
          );
          expect(Date.parse(indicator.valid_until)).toBeGreaterThan(
            Date.parse(indicator.valid_from),
          );
        }
        for (const object of received.objects) {
          if ('modified' in object) {
            expect(Date.parse(object.modified)).toBeGreaterThanOrEqual(Date.parse(object.created));
          }
        }
      });

      it('refers only to objects it contains, and holds each id once', () => {
        const ids = received.objects.map((o) => o.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const object of received.objects) {
          const refs = [
            ...('created_by_ref' in object ? [object.created_by_ref] : []),
            ...('object_marking_refs' in object ? object.object_marking_refs : []),
            ...('object_refs' in object ? object.object_refs : []),
          ];
          for (const ref of refs) expect(ids).toContain(ref);
        }
      });
    });

    describe('rejects broken objects, so the checks above are live', () => {
      const bundle = JSON.parse(
        JSON.stringify(buildReportBundle(reportInput(ENTRIES.slice(0, 1), 'x'))),
      ) as { objects: Record<string, unknown>[] } & Record<string, unknown>;
      const byType = (type: string) => bundle.objects.find((o) => o.type === type)!;
      const without = (o: Record<string, unknown>, key: string) => {
        const copy = { ...o };
        delete copy[key];
        return copy;
      };

      it.each<[string, string, () => unknown]>([
        [
          'an indicator without valid_from',
          'sdos/indicator.json',
          () => without(byType('indicator'), 'valid_from'),
        ],
        [
          'an indicator whose created lacks milliseconds',
          'sdos/indicator.json',
          () => ({ ...byType('indicator'), created: '2026-10-01T00:00:00Z' }),
        ],
        [
          'an indicator with confidence 101',
          'sdos/indicator.json',
          () => ({ ...byType('indicator'), confidence: 101 }),
        ],
        [
          'an indicator whose id is not a UUID',
          'sdos/indicator.json',
          () => ({ ...byType('indicator'), id: 'indicator--203.0.113.5' }),
        ],
        [
          'a report without object_refs',
          'sdos/report.json',
          () => without(byType('report'), 'object_refs'),
        ],
        [
          'a report with empty object_refs',
          'sdos/report.json',
          () => ({ ...byType('report'), object_refs: [] }),
        ],
        [
          'an identity without name',
          'sdos/identity.json',
          () => without(byType('identity'), 'name'),
        ],
        [
          'a marking definition with neither definition nor extension',
          'common/marking-definition.json',
          () => without(byType('marking-definition'), 'extensions'),
        ],
        [
          'a bundle holding an indicator without pattern',
          'common/bundle.json',
          () => ({
            ...bundle,
            objects: bundle.objects.map((o) =>
              o.type === 'indicator' ? without(o, 'pattern') : o,
            ),
          }),
        ],
        ['a bundle with a random id', 'common/bundle.json', () => ({ ...bundle, id: 'bundle--1' })],
      ])('%s', (_, schema, broken) => {
        expect(errors(schema, broken())).not.toBe('');
      });
    });
  },
);
