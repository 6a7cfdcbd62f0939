import { tagsProblem } from '../imports/entry-input';
import { IndicatorType } from '../values/indicator-value';
import { describe, isRecord, parseJson } from './json-values';
import {
  PathRule,
  checkIndicatorValue,
  hashRule,
  parseSimplePattern,
  valuePathRule,
} from './patterns';
import { parseStixTimestamp } from './timestamps';
import {
  TLP_EXTENSION_ID,
  Tlp,
  stricter,
  tlpLabel,
  tlpOfMarkingId,
  tlpOfWord,
} from './tlp-markings';

/**
 * Reads a STIX 2.1 bundle into indicator entries for bulk import into a list. Every object of the
 * bundle ends up in exactly one place: an entry (or several, for an OR pattern or a file with
 * several hashes), `rejected` (malformed, or not importable as values, with the reason and the
 * JSON path), or `ignored` (well-formed but not meant for a list: revoked, expired, superseded, or
 * a kind of object that holds no indicator). Nothing is dropped silently, so the person importing
 * can see what happened to each object: what an imported object says that the hub does not keep
 * (kill chain phases, external references, extensions, custom properties, markings other than
 * TLP) is listed in `dropped`, per object.
 *
 * Markings: an object marked with a TLP stricter than the list's (`listTlp`) is rejected, since
 * the list would show it to readers its producer did not allow. TLP 2.0 and TLP 1.0 marking ids
 * are known, and a bundle's own marking definitions are read (`definition_type: "tlp"`, the TLP
 * 2.0 extension, or a name such as "TLP:RED"); granular markings count as if they covered the
 * whole object, since an entry cannot keep only part of one.
 */

export interface ImportedEntry {
  type: IndicatorType;
  /** Canonical, as parseIndicator returns it. */
  value: string;
  confidence?: number;
  validFrom?: Date;
  validUntil?: Date;
  tags: string[];
  note: string | null;
  /** Where the value was found, e.g. `objects[3].pattern`. */
  path: string;
}

export interface RejectedObject {
  /** JSON path of the faulty part; "" for the document as a whole. */
  path: string;
  reason: string;
}

export interface IgnoredObject {
  path: string;
  /** The STIX type of the object. */
  type: string;
  reason: string;
}

/** What the hub does not keep of an object it imports: properties, or markings it cannot apply. */
export interface DroppedPart {
  /** The object, e.g. `objects[3]`; "" for the bundle itself. */
  path: string;
  /** The STIX type of the object. */
  type: string;
  /** The properties (or marking ids) left out. */
  names: string[];
  reason: string;
}

export interface StixImport {
  entries: ImportedEntry[];
  rejected: RejectedObject[];
  ignored: IgnoredObject[];
  dropped: DroppedPart[];
}

export interface ReadOptions {
  /** Indicators whose valid_until is not after this are ignored as expired. Default: now. */
  now?: Date;
  /**
   * The TLP of the list the entries go into: objects marked with a stricter one are rejected.
   * Undefined: markings are not compared (they are still read and checked for form).
   */
  listTlp?: Tlp;
}

/**
 * The entries of a STIX bundle (JSON text). Only a bundle is accepted, as STIX 2.1 defines for
 * exchanging objects; a lone object or a bare array is rejected with a reason that says so.
 * Indicators become entries when their pattern is one parseSimplePattern accepts, and the
 * observables ipv4-addr, ipv6-addr, domain-name, url, email-addr and file (its MD5, SHA-1 and
 * SHA-256 hashes) become entries directly. Entries are not deduplicated: the same value from two
 * objects appears twice, each with its own path.
 */
export function readStixBundle(text: string, options: ReadOptions = {}): StixImport {
  const result: StixImport = { entries: [], rejected: [], ignored: [], dropped: [] };
  if (typeof text !== 'string') {
    result.rejected.push({ path: '', reason: `expected JSON text, got ${describe(text)}` });
    return result;
  }
  // Editors on Windows save UTF-8 with a byte-order mark, which JSON.parse refuses.
  const parsed = parseJson(text.replace(/^\uFEFF/, ''));
  if (!parsed.ok) {
    result.rejected.push({ path: '', reason: parsed.reason });
    return result;
  }
  const bundle = parsed.value;
  if (!isRecord(bundle) || bundle.type !== 'bundle') {
    result.rejected.push({ path: '', reason: whyNotABundle(bundle) });
    return result;
  }
  const extra = Object.keys(bundle).filter((k) => !BUNDLE_PROPERTIES.has(k));
  if (extra.length) {
    result.dropped.push({ path: '', type: 'bundle', names: extra, reason: dropReason(extra) });
  }
  if (bundle.objects === undefined) return result;
  if (!Array.isArray(bundle.objects)) {
    const reason = `expected an array of STIX objects, got ${describe(bundle.objects)}`;
    result.rejected.push({ path: 'objects', reason });
    return result;
  }

  const reader = new BundleReader(
    result,
    options.now ?? new Date(),
    bundle.spec_version,
    options.listTlp,
    markingDefinitions(bundle.objects),
  );
  const newer = newerVersions(bundle.objects);
  for (const [index, object] of bundle.objects.entries()) {
    reader.read(object, `objects[${index}]`, newer.get(index));
  }
  return result;
}

/** What the document is instead of a bundle. */
function whyNotABundle(value: unknown): string {
  const expected = 'expected a STIX bundle ({"type": "bundle", "id": …, "objects": […]})';
  if (Array.isArray(value)) {
    return `${expected}, got a JSON array; put the objects into a bundle's "objects"`;
  }
  if (!isRecord(value)) return `${expected}, got ${describe(value)}`;
  if (typeof value.type === 'string') {
    return `${expected}, got a single ${JSON.stringify(value.type)} object; only bundles are accepted`;
  }
  return `${expected}, got an object without a "type"`;
}

/** Observable types whose `value` property holds an indicator value. */
const VALUE_OBSERVABLES = ['ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'email-addr'];

/** Reasons for the object types that are recognised but never imported. */
const NOT_IMPORTED: Readonly<Record<string, string>> = {
  'marking-definition':
    'marking definitions are not imported; the list the entries go into has its own TLP',
  identity: 'identities are not imported',
  relationship: 'relationships are not imported; each indicator is read on its own',
  sighting: 'sightings are not imported',
  report: 'reports are not imported; the indicators and observables they refer to are',
  grouping: 'groupings are not imported; the indicators and observables they refer to are',
  'observed-data': 'observed-data is not imported; the observables it refers to are',
};

const BUNDLE_PROPERTIES = new Set(['type', 'id', 'spec_version', 'objects']);

/**
 * Properties every imported object may carry that the hub understands: identity and versioning
 * (read to pick the newest version), markings (compared with the list's TLP), and the author,
 * whom the list's own author replaces (the hub shows who shared the list, never a third party).
 */
const COMMON_PROPERTIES = [
  'type',
  'spec_version',
  'id',
  'created',
  'modified',
  'created_by_ref',
  'object_marking_refs',
  'granular_markings',
];

/** What an indicator's entries keep (or what the hub writes anyway: name, indicator_types). */
const INDICATOR_PROPERTIES = new Set([
  ...COMMON_PROPERTIES,
  'revoked',
  'pattern',
  'pattern_type',
  'pattern_version',
  'valid_from',
  'valid_until',
  'confidence',
  'labels',
  'description',
  'name',
  'indicator_types',
]);
const VALUE_PROPERTIES = new Set([...COMMON_PROPERTIES, 'value']);
const FILE_PROPERTIES = new Set([...COMMON_PROPERTIES, 'hashes']);

const MARKING_ID =
  /^marking-definition--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const INDICATOR_ID =
  /^indicator--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

class BundleReader {
  constructor(
    private readonly result: StixImport,
    private readonly now: Date,
    private readonly bundleSpecVersion: unknown,
    private readonly listTlp: Tlp | undefined,
    private readonly definitions: Map<string, MarkingDefinition>,
  ) {}

  /** Files one object of the bundle into entries, rejected or ignored. */
  read(object: unknown, path: string, newer: NewerVersion | undefined): void {
    if (!isRecord(object)) {
      return this.reject(path, `expected a STIX object, got ${describe(object)}`);
    }
    const type = object.type;
    if (typeof type !== 'string' || type === '') {
      return this.reject(`${path}.type`, 'the object has no "type"');
    }
    if (newer !== undefined) {
      const id = String(object.id);
      const reason = newer.sameVersion
        ? `a repeat of ${id}, which objects[${newer.index}] already holds in the same version`
        : `an older version of ${id}; objects[${newer.index}] is newer`;
      return this.ignore(path, type, reason);
    }
    if (type === 'indicator') return this.readIndicator(object, path);
    const rule = valuePathRule(type);
    if (rule) return this.readValueObservable(object, path, rule);
    if (type === 'file') return this.readFile(object, path);
    const reason =
      NOT_IMPORTED[type] ??
      `objects of type ${JSON.stringify(type)} are not imported; only indicators and the ` +
        `observables ${VALUE_OBSERVABLES.join(', ')} and file are`;
    this.ignore(path, type, reason);
  }

  private readIndicator(indicator: Record<string, unknown>, path: string): void {
    if (indicator.revoked !== undefined && typeof indicator.revoked !== 'boolean') {
      return this.reject(
        `${path}.revoked`,
        `expected true or false, got ${describe(indicator.revoked)}`,
      );
    }
    if (indicator.revoked === true) {
      return this.ignore(path, 'indicator', 'the indicator is revoked');
    }
    if (typeof indicator.id !== 'string' || !INDICATOR_ID.test(indicator.id)) {
      return this.reject(
        `${path}.id`,
        `expected "indicator--<uuid>", got ${describe(indicator.id)}`,
      );
    }
    const pattern = this.stixPattern(indicator, path);
    if (pattern === undefined) return;
    const fields = this.indicatorFields(indicator, path);
    if (!fields) return;
    if (fields.validUntil && fields.validUntil.getTime() <= this.now.getTime()) {
      const reason = `the indicator expired at ${fields.validUntil.toISOString()} (valid_until)`;
      return this.ignore(path, 'indicator', reason);
    }

    const parsed = parseSimplePattern(pattern);
    if (!parsed.ok) return this.reject(`${path}.pattern`, parsed.reason);
    if (!this.markingAllows(indicator, path, 'indicator')) return;
    const dropped = unknownProperties(indicator, INDICATOR_PROPERTIES);
    // The hub names an indicator by its value and types it "malicious-activity": say so when
    // the producer's name or types were something else.
    const values = parsed.entries.map((e) => e.value);
    if (indicator.name !== undefined && !(values.length === 1 && indicator.name === values[0])) {
      dropped.push('name');
    }
    const types = indicator.indicator_types;
    if (
      types !== undefined &&
      !(Array.isArray(types) && types.length === 1 && types[0] === 'malicious-activity')
    ) {
      dropped.push('indicator_types');
    }
    this.dropped(path, 'indicator', dropped);
    for (const { type, value } of parsed.entries) {
      this.result.entries.push({ type, value, ...fields, path: `${path}.pattern` });
    }
  }

  /** The indicator's pattern if it is a STIX one, or undefined after rejecting it. */
  private stixPattern(indicator: Record<string, unknown>, path: string): string | undefined {
    const patternType = indicator.pattern_type ?? (this.isStix20(indicator) ? 'stix' : undefined);
    if (patternType === undefined) {
      return this.reject(`${path}.pattern_type`, 'pattern_type is missing (STIX 2.1 requires it)');
    }
    if (typeof patternType !== 'string' || patternType === '') {
      return this.reject(
        `${path}.pattern_type`,
        `expected a pattern language such as "stix", got ${describe(patternType)}`,
      );
    }
    if (patternType !== 'stix') {
      // A Sigma or YARA rule is a detection, not a value a list can hold: set aside like any
      // other kind of object the hub does not import (OpenCTI bundles mix both).
      this.ignore(
        path,
        'indicator',
        `pattern_type ${JSON.stringify(patternType.length > 40 ? `${patternType.slice(0, 40)}…` : patternType)}: ` +
          'only STIX patterns ("stix") are read as ' +
          'values; rules in other languages (sigma, yara, snort, suricata, pcre…) are not imported',
      );
      return undefined;
    }
    if (typeof indicator.pattern !== 'string' || indicator.pattern.trim() === '') {
      return this.reject(
        `${path}.pattern`,
        `expected a STIX pattern, got ${describe(indicator.pattern)}`,
      );
    }
    return indicator.pattern;
  }

  /**
   * The properties of an indicator that become entry fields, or undefined after rejecting the
   * first malformed one. Timestamps the hub does not use (created, modified) are still checked: a
   * producer that writes them wrongly may have written the rest wrongly too.
   */
  private indicatorFields(
    indicator: Record<string, unknown>,
    path: string,
  ): Omit<ImportedEntry, 'type' | 'value' | 'path'> | undefined {
    for (const name of ['created', 'modified']) {
      if (indicator[name] !== undefined && !this.timestamp(indicator, name, path)) return undefined;
    }
    if (indicator.valid_from === undefined) {
      return this.reject(`${path}.valid_from`, 'valid_from is missing (STIX requires it)');
    }
    const validFrom = this.timestamp(indicator, 'valid_from', path);
    if (!validFrom) return undefined;
    let validUntil: Date | undefined;
    if (indicator.valid_until !== undefined) {
      validUntil = this.timestamp(indicator, 'valid_until', path);
      if (!validUntil) return undefined;
      if (validUntil.getTime() <= validFrom.getTime()) {
        return this.reject(`${path}.valid_until`, 'valid_until must be later than valid_from');
      }
    }
    const confidence = indicator.confidence;
    if (confidence !== undefined && !isConfidence(confidence)) {
      return this.reject(
        `${path}.confidence`,
        `expected an integer from 0 to 100, got ${describe(confidence)}`,
      );
    }
    const labels = indicator.labels ?? [];
    if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string')) {
      return this.reject(`${path}.labels`, `expected a list of strings, got ${describe(labels)}`);
    }
    const labelProblem = tagsProblem(labels as string[]);
    if (labelProblem) return this.reject(`${path}.labels`, labelProblem);
    const description = indicator.description ?? null;
    if (description !== null && typeof description !== 'string') {
      return this.reject(`${path}.description`, `expected a string, got ${describe(description)}`);
    }
    return {
      ...(confidence === undefined ? {} : { confidence }),
      validFrom,
      ...(validUntil ? { validUntil } : {}),
      tags: labels as string[],
      note: description,
    };
  }

  /** STIX 2.0 had no pattern_type (every pattern was STIX); its objects have no spec_version. */
  private isStix20(object: Record<string, unknown>): boolean {
    return (object.spec_version ?? this.bundleSpecVersion) === '2.0';
  }

  private readValueObservable(
    observable: Record<string, unknown>,
    path: string,
    rule: PathRule,
  ): void {
    const where = `${path}.value`;
    if (typeof observable.value !== 'string') {
      return this.reject(
        where,
        `expected the value as a string, got ${describe(observable.value)}`,
      );
    }
    const checked = checkIndicatorValue(observable.value, rule);
    if (typeof checked === 'string') return this.reject(where, checked);
    const type = String(observable.type);
    if (!this.markingAllows(observable, path, type)) return;
    this.dropped(path, type, unknownProperties(observable, VALUE_PROPERTIES));
    this.result.entries.push({ ...checked, tags: [], note: null, path: where });
  }

  /** A file is imported by its hashes; one entry per MD5, SHA-1 or SHA-256 it carries. */
  private readFile(file: Record<string, unknown>, path: string): void {
    const hashes = file.hashes;
    if (hashes !== undefined && !isRecord(hashes)) {
      return this.reject(
        `${path}.hashes`,
        `expected a dictionary of hashes, got ${describe(hashes)}`,
      );
    }
    const supported = Object.entries(hashes ?? {}).filter(([key]) => hashRule(key));
    if (supported.length === 0) {
      const others = Object.keys(hashes ?? {});
      const has = others.length > 0 ? ` (it has ${others.join(', ')})` : '';
      return this.ignore(
        path,
        'file',
        `the file has no MD5, SHA-1 or SHA-256 hash${has}; files are imported by hash`,
      );
    }
    if (!this.markingAllows(file, path, 'file')) return;
    const entries: ImportedEntry[] = [];
    for (const [key, value] of supported) {
      const where = `${path}.hashes${propertyPath(key)}`;
      if (typeof value !== 'string') {
        this.reject(where, `expected the hash as a string, got ${describe(value)}`);
        continue;
      }
      const checked = checkIndicatorValue(value, hashRule(key) as PathRule);
      if (typeof checked === 'string') this.reject(where, checked);
      else entries.push({ ...checked, tags: [], note: null, path: where });
    }
    const dropped = unknownProperties(file, FILE_PROPERTIES);
    for (const key of Object.keys(hashes ?? {})) {
      if (!hashRule(key)) dropped.push(`hashes${propertyPath(key)}`);
    }
    this.dropped(path, 'file', dropped);
    this.result.entries.push(...entries);
  }

  /**
   * Whether the object's markings let it into the list: false (after rejecting) when they are
   * malformed or a TLP marking is stricter than the list's. Markings the hub cannot apply (not
   * TLP) are reported as dropped.
   */
  private markingAllows(object: Record<string, unknown>, path: string, type: string): boolean {
    const refs: { id: string; where: string }[] = [];
    const listed = object.object_marking_refs;
    if (listed !== undefined) {
      if (!Array.isArray(listed)) {
        this.reject(
          `${path}.object_marking_refs`,
          `expected a list of marking-definition ids, got ${describe(listed)}`,
        );
        return false;
      }
      for (const [j, ref] of listed.entries()) {
        const where = `${path}.object_marking_refs[${j}]`;
        if (typeof ref !== 'string' || !MARKING_ID.test(ref)) {
          this.reject(where, `expected "marking-definition--<uuid>", got ${describe(ref)}`);
          return false;
        }
        refs.push({ id: ref, where });
      }
    }
    const granular = object.granular_markings;
    if (granular !== undefined) {
      if (!Array.isArray(granular)) {
        this.reject(
          `${path}.granular_markings`,
          `expected a list of granular markings, got ${describe(granular)}`,
        );
        return false;
      }
      for (const [j, marking] of granular.entries()) {
        const where = `${path}.granular_markings[${j}]`;
        if (!isRecord(marking)) {
          this.reject(where, `expected a granular marking, got ${describe(marking)}`);
          return false;
        }
        // A language marking ("lang") restricts nothing.
        if (marking.marking_ref === undefined) continue;
        if (typeof marking.marking_ref !== 'string' || !MARKING_ID.test(marking.marking_ref)) {
          this.reject(
            `${where}.marking_ref`,
            `expected "marking-definition--<uuid>", got ${describe(marking.marking_ref)}`,
          );
          return false;
        }
        refs.push({ id: marking.marking_ref, where: `${where}.marking_ref` });
      }
    }

    let strictest: { tlp: Tlp; where: string } | undefined;
    const unknown: string[] = [];
    for (const ref of refs) {
      const tlp = this.tlpOf(ref.id);
      if (tlp === undefined) {
        const definition = this.definitions.get(ref.id);
        unknown.push(definition ? `${ref.id} (${definition.label})` : ref.id);
      } else if (!strictest || stricter(tlp, strictest.tlp)) {
        strictest = { tlp, where: ref.where };
      }
    }
    if (strictest && this.listTlp && stricter(strictest.tlp, this.listTlp)) {
      this.reject(
        strictest.where,
        `marked ${tlpLabel(strictest.tlp)}, stricter than the list's ${tlpLabel(this.listTlp)}: ` +
          'the list would show it to readers its producer did not allow; import it into a list ' +
          `marked ${tlpLabel(strictest.tlp)} or stricter`,
      );
      return false;
    }
    if (unknown.length) {
      this.result.dropped.push({
        path,
        type,
        names: [...new Set(unknown)],
        reason:
          'markings that are not TLP are not applied: the entries carry the TLP of the list ' +
          'only, so check that the list may be shared under them',
      });
    }
    return true;
  }

  /** A marking's TLP: the stricter of what its id is known as and what the bundle defines. */
  private tlpOf(id: string): Tlp | undefined {
    const known = tlpOfMarkingId(id);
    const defined = this.definitions.get(id)?.tlp;
    if (known && defined) return stricter(defined, known) ? defined : known;
    return known ?? defined;
  }

  private dropped(path: string, type: string, names: string[]): void {
    if (names.length) this.result.dropped.push({ path, type, names, reason: dropReason(names) });
  }

  /** The Date of a timestamp property, or undefined after rejecting it. */
  private timestamp(object: Record<string, unknown>, name: string, path: string): Date | undefined {
    const parsed = parseStixTimestamp(object[name]);
    if (typeof parsed === 'string') return this.reject(`${path}.${name}`, parsed);
    return parsed;
  }

  /** Records the rejection; returns undefined so that a reader can `return this.reject(…)`. */
  private reject(path: string, reason: string): undefined {
    this.result.rejected.push({ path, reason });
    return undefined;
  }

  private ignore(path: string, type: string, reason: string): void {
    this.result.ignored.push({ path, type, reason });
  }
}

interface MarkingDefinition {
  /** The TLP level it defines, if it is a TLP marking. */
  tlp?: Tlp;
  /** What it is, for messages. */
  label: string;
}

/**
 * The marking definitions a bundle carries, by id. A TLP marking is recognised by its TLP 2.0
 * extension, by `definition_type: "tlp"` (TLP 1.0 as STIX 2.0 wrote it), or by a name of the
 * form "TLP:AMBER"; when these disagree the strictest wins, and an id defined twice keeps the
 * stricter definition.
 */
function markingDefinitions(objects: unknown[]): Map<string, MarkingDefinition> {
  const out = new Map<string, MarkingDefinition>();
  for (const object of objects) {
    if (!isRecord(object) || object.type !== 'marking-definition') continue;
    if (typeof object.id !== 'string') continue;
    const levels: (Tlp | undefined)[] = [];
    const extensions = object.extensions;
    const extension = isRecord(extensions) ? extensions[TLP_EXTENSION_ID] : undefined;
    if (isRecord(extension)) levels.push(tlpOfWord(extension.tlp_2_0));
    const definition = object.definition;
    if (object.definition_type === 'tlp' && isRecord(definition)) {
      levels.push(tlpOfWord(definition.tlp));
    }
    const named = /^TLP:\s*(\S+)$/i.exec(typeof object.name === 'string' ? object.name.trim() : '');
    if (named) levels.push(tlpOfWord(named[1]));
    let tlp: Tlp | undefined;
    for (const level of levels) if (level && (!tlp || stricter(level, tlp))) tlp = level;
    const statement =
      object.definition_type === 'statement' && isRecord(definition)
        ? definition.statement
        : undefined;
    const label =
      typeof statement === 'string'
        ? `statement ${JSON.stringify(statement.length > 60 ? `${statement.slice(0, 60)}…` : statement)}`
        : typeof object.name === 'string'
          ? JSON.stringify(object.name)
          : 'a marking definition of this bundle';
    const before = out.get(object.id);
    if (before?.tlp && (!tlp || stricter(before.tlp, tlp))) continue;
    out.set(object.id, { tlp, label: tlp ? tlpLabel(tlp) : label });
  }
  return out;
}

/** The properties of `object` outside `known`, in the object's order. */
function unknownProperties(object: Record<string, unknown>, known: Set<string>): string[] {
  return Object.keys(object).filter((key) => !known.has(key));
}

function dropReason(names: string[]): string {
  return (
    `not kept by the hub: ${names.join(', ')} (a list entry keeps the value, confidence, ` +
    'validity, labels as tags and description as note)'
  );
}

interface NewerVersion {
  /** Index of the version that is read instead. */
  index: number;
  /** True when it has the same `modified` (a repeat), false when it is newer. */
  sameVersion: boolean;
}

/**
 * For each object that another object of the bundle supersedes (same id, and a later or equal
 * `modified`), which one. STIX lets a bundle carry several versions of an object; only the newest
 * says what the producer currently means (its confidence, its expiry, its revocation). Of equal
 * versions the first is read. Objects without a valid `modified` (observables have none) take no
 * part, so a malformed one is still read, and rejected.
 */
function newerVersions(objects: unknown[]): Map<number, NewerVersion> {
  const versions: { index: number; id: string; modified: number }[] = [];
  const newest = new Map<string, { index: number; modified: number }>();
  for (const [index, object] of objects.entries()) {
    if (!isRecord(object) || typeof object.id !== 'string') continue;
    const parsed = parseStixTimestamp(object.modified);
    if (typeof parsed === 'string') continue;
    const version = { index, id: object.id, modified: parsed.getTime() };
    versions.push(version);
    const best = newest.get(version.id);
    if (!best || version.modified > best.modified) newest.set(version.id, version);
  }
  const superseded = new Map<number, NewerVersion>();
  for (const { index, id, modified } of versions) {
    const best = newest.get(id);
    if (best && best.index !== index) {
      superseded.set(index, { index: best.index, sameVersion: best.modified === modified });
    }
  }
  return superseded;
}

function isConfidence(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 100;
}

/** `.key` for a plain property name, `['key']` for one with other characters (`'SHA-256'`). */
function propertyPath(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
