import { createHash } from 'node:crypto';
import { LATEST_INSTANT_MS, renderableInstant } from '@renkei/platform/time';
import { mostRestrictive } from '@renkei/sharing/tlp';
import { IndicatorType } from '../values/indicator-value';
import { assertHubNamespace, stixId } from './ids';
import { indicatorPattern } from './patterns';
import { stixTimestamp } from './timestamps';
import { TLP_MARKINGS, Tlp, TlpMarkingDefinition, tlpMarkingId } from './tlp-markings';

/**
 * STIX 2.1 bundles built from plain data: the hub's blocklist feeds (indicators only) and report
 * exports (a report with its indicators). Pure: the same input always gives byte-identical JSON,
 * so a feed can be cached, compared and signed, and a consumer re-reading it sees the same ids.
 *
 * Every id is a UUIDv5 in the caller's namespace (one per hub installation), derived from what
 * identifies the object: the author from its key; an indicator of a list from the list entry
 * (`scope`), its author and its value, a report from its hub id and its author, so that one id
 * always has one creator (STIX 2.1 section 3.6) and the views of one item that different readers
 * get (named, or a pseudonym) never share an id; a blocklist indicator, which merges lists and
 * has the hub as its author, from its type and value alone; the bundle from its whole content.
 */

export interface StixAuthor {
  /** Stable key of the organisation (or the hub) that authors the objects, e.g. its uuid. */
  key: string;
  name: string;
  identityClass: 'organization' | 'class' | 'unknown';
  /**
   * When the author's record was created and last changed. The identity's `created` must stay the
   * same across versions, so pass these when known; without them generatedAt is used for both.
   */
  createdAt?: Date;
  modifiedAt?: Date;
  /**
   * The marking of the identity object; by default the bundle's. A collection serves one
   * identity with objects of several markings, so there it must not depend on them.
   */
  tlp?: Tlp;
}

export interface IndicatorEntryInput {
  type: IndicatorType;
  /** The canonical value, as parseIndicator returns it. */
  value: string;
  /** 0–100, as STIX confidence. */
  confidence: number;
  firstSeen: Date;
  /** Not rendered: a STIX indicator has no "last seen" (that belongs to sightings). */
  lastSeen: Date;
  validUntil: Date;
  createdAt: Date;
  modifiedAt: Date;
  tags: readonly string[];
  note: string | null;
  /** The hub list the entry comes from; rendered as the label `list:<name>`. */
  listName?: string;
  /**
   * The entry's own TLP, when a bundle merges lists shared under different levels; by default
   * the bundle's. All five definitions are in every bundle, so any level can be referenced.
   */
  tlp?: Tlp;
  /**
   * What identifies the entry besides its value, e.g. `list:<uuid>|batch:<first batch>`: with
   * it, the id derives from this scope, the author and the value; without it (the blocklist
   * feed) from the value alone.
   */
  scope?: string;
  /** The entry's author when it is not the bundle's (a report with lists of others). */
  author?: StixAuthor;
  /** A revoked version: the entry was removed or its list retracted. */
  revoked?: boolean;
}

export interface IndicatorBundleInput {
  /** The hub's UUID namespace for STIX ids; not the STIX cyber-observable namespace. */
  namespace: string;
  generatedAt: Date;
  author: StixAuthor;
  tlp: Tlp;
  /** Each (type, value) at most once: the value determines the indicator's id. */
  entries: readonly IndicatorEntryInput[];
  /**
   * What the bundle renders (a feed's name, say). A bundle has no name property, so this only
   * keeps two feeds with the same entries at the same moment from sharing a bundle id.
   */
  objectName?: string;
}

export interface ReportInput {
  /** The report's uuid in the hub. */
  id: string;
  title: string;
  description: string;
  publishedAt: Date;
  createdAt: Date;
  modifiedAt: Date;
  kind: 'incident' | 'near_miss' | 'advisory';
  labels: readonly string[];
  /** A revoked version: the report was retracted. */
  revoked?: boolean;
}

export interface ReportBundleInput {
  namespace: string;
  generatedAt: Date;
  author: StixAuthor;
  tlp: Tlp;
  report: ReportInput;
  entries: readonly IndicatorEntryInput[];
}

export interface StixIdentity {
  type: 'identity';
  spec_version: '2.1';
  id: string;
  created: string;
  modified: string;
  name: string;
  identity_class: StixAuthor['identityClass'];
  object_marking_refs: string[];
}

export interface StixIndicator {
  type: 'indicator';
  spec_version: '2.1';
  id: string;
  created_by_ref: string;
  created: string;
  modified: string;
  name: string;
  description?: string;
  indicator_types: string[];
  pattern: string;
  pattern_type: 'stix';
  pattern_version: '2.1';
  valid_from: string;
  valid_until: string;
  confidence: number;
  labels?: string[];
  revoked?: true;
  object_marking_refs: string[];
}

export interface StixReport {
  type: 'report';
  spec_version: '2.1';
  id: string;
  created_by_ref: string;
  created: string;
  modified: string;
  name: string;
  description?: string;
  report_types: string[];
  published: string;
  labels: string[];
  object_refs: string[];
  revoked?: true;
  object_marking_refs: string[];
}

export type StixObject = TlpMarkingDefinition | StixIdentity | StixIndicator | StixReport;

export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: StixObject[];
}

/** The indicator bundle of a blocklist feed: the five TLP markings, the author, the indicators. */
export function buildIndicatorBundle(input: IndicatorBundleInput): StixBundle {
  return materialise(planIndicatorBundle(input));
}

/**
 * The objects of buildIndicatorBundle(input) without the bundle: what a TAXII collection serves,
 * built by the same code as the exports, so one version of an object reads the same in both.
 */
export function indicatorBundleObjects(input: IndicatorBundleInput): StixObject[] {
  return [...planIndicatorBundle(input).objects()];
}

/** The objects of buildReportBundle(input) without the bundle. */
export function reportBundleObjects(input: ReportBundleInput): StixObject[] {
  return [...planReportBundle(input).objects()];
}

/**
 * The same text as `JSON.stringify(buildIndicatorBundle(input))`, in pieces of about `chunkSize`
 * characters, so that a feed of 100,000 indicators is written without holding it as one string.
 * The input is checked completely before the first piece: the bundle id, written first, is a hash
 * of every object, so each object is rendered twice (once for the id, once for the text), and a
 * bad entry throws before anything has been sent.
 */
export function* bundleChunks(
  input: IndicatorBundleInput,
  chunkSize = 64 * 1024,
): Generator<string> {
  yield* planChunks(planIndicatorBundle(input), chunkSize);
}

/**
 * The text of bundleChunks(input) for a caller that keeps every piece (a feed body, ADR 0020):
 * each object is rendered once, not twice. Yields the objects' text (from the first object to
 * the closing brackets) in pieces of about `chunkSize` characters, and returns the head that goes
 * before them, whose bundle id hashes them all. A bad entry throws before the head exists.
 */
export function* indicatorBundleBody(
  input: IndicatorBundleInput,
  chunkSize = 64 * 1024,
): Generator<string, string> {
  const plan = planIndicatorBundle(input);
  const id = new BundleIdHash(plan);
  let buffer = '';
  let first = true;
  for (const object of plan.objects()) {
    const text = JSON.stringify(object);
    id.add(object, text);
    buffer += (first ? '' : ',') + text;
    first = false;
    if (buffer.length >= chunkSize) {
      yield buffer;
      buffer = '';
    }
  }
  yield `${buffer}]}`;
  return bundleHead(id.digest());
}

/** Exactly what JSON.stringify writes for { type, id, objects } in this key order, up to the objects. */
function bundleHead(id: string): string {
  return `{"type":"bundle","id":${JSON.stringify(id)},"objects":[`;
}

/**
 * The text of `indicatorBundleBody` for a blocklist feed of millions, written one indicator at a
 * time (ADR 0037): nothing holds the entries or their objects. Each entry carries its own marking
 * (a feed's always do); the bundle's, the strictest of them, marks only the author's identity,
 * which comes before the indicators and so is written once they all are (`finish`), with the
 * head, whose bundle id hashes every object. The caller keeps the indicators' text: the entries
 * come unique by type and value (the database merged them), so the duplicate check of
 * `BundleIdHash`, a set of every id, is not made here.
 */
export class IndicatorBundleStream {
  private tlp: Tlp = 'CLEAR';
  private index = 0;
  private readonly context: BundleContext;

  constructor(private readonly input: Omit<IndicatorBundleInput, 'entries' | 'tlp'>) {
    // Indicators refer to the author's id, which no marking changes.
    this.context = bundleContext({ ...input, tlp: 'CLEAR' });
  }

  /** The text of the next indicator. */
  indicator(entry: IndicatorEntryInput & { tlp: Tlp }): string {
    this.tlp = mostRestrictive(this.tlp, entry.tlp);
    return JSON.stringify(indicatorObject(entry, this.index++, this.context));
  }

  /**
   * Once every indicator is written: the objects before them (the markings and the author, as
   * text joined by commas) and the bundle id's hash, to be fed the indicators' text, each
   * after a line feed, in order; `head()` then gives what goes before everything.
   */
  finish(): { before: string; add(framed: Buffer): void; head(): string } {
    const plan = planIndicatorBundle({ ...this.input, tlp: this.tlp, entries: [] });
    const id = new BundleIdHash(plan);
    const before: string[] = [];
    for (const object of plan.objects()) {
      const text = JSON.stringify(object);
      id.add(object, text);
      before.push(text);
    }
    return {
      before: before.join(','),
      add: (framed) => id.addFramed(framed),
      head: () => bundleHead(id.digest()),
    };
  }
}

/**
 * A report with its indicators. `report_types` is "threat-report", the value of the STIX
 * vocabulary (report-type-ov) for a report on a threat as a whole: the vocabulary has no
 * "incident", and consumers that offer report types from it (OpenCTI, stix2-validator's checks)
 * would reject or warn about an invented one. Whether it was an incident or a near miss is kept
 * as the first label ("incident" or "near-miss").
 *
 * `object_refs` lists the author's identity and then the indicators; a report must refer to at
 * least one object, and the identity is always present, so a report without indicators is valid.
 * Indicators by other authors (lists of other organisations that name the report) bring their
 * authors' identities into the bundle.
 */
export function buildReportBundle(input: ReportBundleInput): StixBundle {
  return materialise(planReportBundle(input));
}

/** Like bundleChunks, for a report bundle. */
export function* reportBundleChunks(
  input: ReportBundleInput,
  chunkSize = 64 * 1024,
): Generator<string> {
  yield* planChunks(planReportBundle(input), chunkSize);
}

// ---------------------------------------------------------------------------------------------
// Plans: what a bundle holds, as a re-iterable sequence of objects, so that the same code serves
// the object form and the streamed text.

interface BundlePlan {
  namespace: string;
  /** Stirred into the bundle id along with the objects' text. */
  salt: string;
  objects: () => Iterable<StixObject>;
}

function planIndicatorBundle(input: IndicatorBundleInput): BundlePlan {
  const context = bundleContext(input);
  return {
    namespace: input.namespace,
    salt: `${stamp(input.generatedAt, 'generatedAt')}\n${input.objectName ?? ''}`,
    objects: function* () {
      yield* TLP_MARKINGS;
      yield* context.identities(input.entries);
      yield* indicators(input.entries, context);
    },
  };
}

function planReportBundle(input: ReportBundleInput): BundlePlan {
  const context = bundleContext(input);
  const report = reportObject(input, context);
  return {
    namespace: input.namespace,
    salt: stamp(input.generatedAt, 'generatedAt'),
    objects: function* () {
      yield* TLP_MARKINGS;
      yield* context.identities(input.entries);
      yield report;
      yield* indicators(input.entries, context);
    },
  };
}

function materialise(plan: BundlePlan): StixBundle {
  const objects = [...plan.objects()];
  const id = bundleId(plan, objects);
  return { type: 'bundle', id, objects };
}

function* planChunks(plan: BundlePlan, chunkSize: number): Generator<string> {
  const id = bundleId(plan, plan.objects());
  // Exactly what JSON.stringify writes for { type, id, objects } in this key order.
  let buffer = bundleHead(id);
  let first = true;
  for (const object of plan.objects()) {
    buffer += (first ? '' : ',') + JSON.stringify(object);
    first = false;
    if (buffer.length >= chunkSize) {
      yield buffer;
      buffer = '';
    }
  }
  yield `${buffer}]}`;
}

/**
 * STIX suggests a random bundle id, but then the same feed would differ on every request. Here it
 * is derived from everything the bundle contains, so equal content gives an equal id and any
 * change gives a new one. Reading the objects also checks for duplicate indicator ids.
 */
function bundleId(plan: BundlePlan, objects: Iterable<StixObject>): string {
  const id = new BundleIdHash(plan);
  for (const object of objects) id.add(object, JSON.stringify(object));
  return id.digest();
}

/** bundleId, fed one object (and its text) at a time. */
class BundleIdHash {
  private readonly hash;
  private readonly indicatorIds = new Set<string>();

  constructor(private readonly plan: BundlePlan) {
    this.hash = createHash('sha256').update(plan.salt);
  }

  add(object: StixObject, text: string): void {
    if (object.type === 'indicator') {
      if (this.indicatorIds.has(object.id)) {
        throw new Error(
          `the entries hold ${object.name} twice; each (type, value) may appear once because ` +
            'it determines the indicator id',
        );
      }
      this.indicatorIds.add(object.id);
    }
    this.hash.update('\n').update(text);
  }

  /** Objects' text as `add` hashes it: each after a line feed. */
  addFramed(bytes: Buffer): void {
    this.hash.update(bytes);
  }

  digest(): string {
    return stixId('bundle', this.hash.digest('hex'), this.plan.namespace);
  }
}

// ---------------------------------------------------------------------------------------------
// Objects

interface BundleContext {
  namespace: string;
  generatedAt: Date;
  author: StixAuthor;
  identity: StixIdentity;
  markingRefs: string[];
  /** The bundle's author and then every other author of an entry, each once. */
  identities(entries: readonly IndicatorEntryInput[]): Generator<StixIdentity>;
}

function bundleContext(input: {
  namespace: string;
  generatedAt: Date;
  author: StixAuthor;
  tlp: Tlp;
}): BundleContext {
  assertHubNamespace(input.namespace);
  const markingRefs = [tlpMarkingId(input.tlp)];
  const identity = identityObject(input.author, input.generatedAt, input.namespace, markingRefs);
  return {
    namespace: input.namespace,
    generatedAt: input.generatedAt,
    author: input.author,
    identity,
    markingRefs,
    identities: function* (entries) {
      const seen = new Set([identity.id]);
      yield identity;
      for (const entry of entries) {
        if (!entry.author) continue;
        const other = identityObject(entry.author, input.generatedAt, input.namespace, markingRefs);
        if (seen.has(other.id)) continue;
        seen.add(other.id);
        yield other;
      }
    },
  };
}

/**
 * The identity object of `author` as bundles render it, for a collection that serves it on its
 * own; `tlp` marks it unless the author has its own marking.
 */
export function identityOf(
  author: StixAuthor,
  namespace: string,
  generatedAt: Date,
  tlp: Tlp,
): StixIdentity {
  assertHubNamespace(namespace);
  return identityObject(author, generatedAt, namespace, [tlpMarkingId(tlp)]);
}

/**
 * The author. It carries the bundle's TLP like everything else: who reported an incident is often
 * the most sensitive part of it.
 */
function identityObject(
  author: StixAuthor,
  generatedAt: Date,
  namespace: string,
  markingRefs: string[],
): StixIdentity {
  if (typeof author.key !== 'string' || author.key === '') {
    throw new TypeError('the author needs a non-empty key');
  }
  const created = author.createdAt ?? generatedAt;
  return {
    type: 'identity',
    spec_version: '2.1',
    id: stixId('identity', author.key, namespace),
    created: stamp(created, author.createdAt ? 'author.createdAt' : 'generatedAt'),
    modified: modifiedStamp(created, author.modifiedAt ?? created, 'author.modifiedAt'),
    name: author.name,
    identity_class: author.identityClass,
    object_marking_refs: author.tlp ? [tlpMarkingId(author.tlp)] : markingRefs,
  };
}

function* indicators(
  entries: readonly IndicatorEntryInput[],
  context: BundleContext,
): Generator<StixIndicator> {
  for (const [index, entry] of entries.entries()) {
    yield indicatorObject(entry, index, context);
  }
}

/**
 * The id of an indicator. With an origin (a list entry, and its author as the reader sees it),
 * from the origin and the value: one id per entry and view of its author. Without, from the
 * type and value alone, which only the blocklist feed uses (the hub is its author).
 */
export function indicatorId(
  type: IndicatorType,
  value: string,
  namespace: string,
  origin?: { scope: string; authorKey: string },
): string {
  const name = origin
    ? `${origin.scope}|by:${origin.authorKey}|${type}:${value}`
    : `${type}:${value}`;
  return stixId('indicator', name, namespace);
}

/** The id of an entry's indicator in a bundle by `author` (the entry's own author first). */
export function entryIndicatorId(
  entry: IndicatorEntryInput,
  author: StixAuthor,
  namespace: string,
): string {
  const origin =
    entry.scope === undefined
      ? undefined
      : { scope: entry.scope, authorKey: (entry.author ?? author).key };
  return indicatorId(entry.type, entry.value, namespace, origin);
}

/** The id of a report as `author` (the reader's view of its author) publishes it. */
export function reportId(hubId: string, author: StixAuthor, namespace: string): string {
  return stixId('report', `${hubId}|by:${author.key}`, namespace);
}

function indicatorObject(
  entry: IndicatorEntryInput,
  index: number,
  context: BundleContext,
): StixIndicator {
  const where = `entries[${index}]`;
  checkEntry(entry, where);
  const labels = unique([
    ...entry.tags,
    ...(entry.listName === undefined ? [] : [`list:${entry.listName}`]),
  ]);
  const author = entry.author
    ? identityObject(entry.author, context.generatedAt, context.namespace, context.markingRefs)
    : context.identity;
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: entryIndicatorId(entry, context.author, context.namespace),
    created_by_ref: author.id,
    created: stamp(entry.createdAt, `${where}.createdAt`),
    modified: modifiedStamp(entry.createdAt, entry.modifiedAt, `${where}.modifiedAt`),
    name: entry.value,
    ...(entry.note ? { description: entry.note } : {}),
    indicator_types: ['malicious-activity'],
    pattern: indicatorPattern(entry.type, entry.value),
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: stamp(validFromOf(entry), `${where}.firstSeen`),
    valid_until: validUntilStamp(validFromOf(entry), entry.validUntil, `${where}.validUntil`),
    confidence: entry.confidence,
    ...(labels.length > 0 ? { labels } : {}),
    ...(entry.revoked ? { revoked: true as const } : {}),
    object_marking_refs: entry.tlp ? [tlpMarkingId(entry.tlp)] : context.markingRefs,
  };
}

/**
 * STIX requires valid_until to be later than valid_from. Hub data can violate that (an entry that
 * expired the moment it was first seen, or a first sighting recorded after a manually set expiry).
 * Dropping valid_until would make such an indicator valid forever, the opposite of what the data
 * says; the smallest valid window, one millisecond, keeps it expired for every consumer.
 */
function validUntilStamp(validFrom: Date, validUntil: Date, where: string): string {
  const until = renderableInstant(validUntil);
  if (until.getTime() > validFrom.getTime()) return stamp(until, where);
  return stamp(new Date(validFrom.getTime() + 1), where);
}

/** valid_from, clamped like every stored time, and a millisecond short of the last one STIX can
 * write so that a valid_until after it always exists. */
function validFromOf(entry: IndicatorEntryInput): Date {
  return new Date(Math.min(renderableInstant(entry.firstSeen).getTime(), LATEST_INSTANT_MS - 1));
}

function reportObject(input: ReportBundleInput, context: BundleContext): StixReport {
  const { report } = input;
  const kindLabel = report.kind === 'near_miss' ? 'near-miss' : report.kind;
  const indicatorIds = input.entries.map((e) =>
    entryIndicatorId(e, input.author, context.namespace),
  );
  return {
    type: 'report',
    spec_version: '2.1',
    id: reportId(report.id, input.author, context.namespace),
    created_by_ref: context.identity.id,
    created: stamp(report.createdAt, 'report.createdAt'),
    modified: modifiedStamp(report.createdAt, report.modifiedAt, 'report.modifiedAt'),
    name: report.title,
    ...(report.description ? { description: report.description } : {}),
    report_types: ['threat-report'],
    published: stamp(report.publishedAt, 'report.publishedAt'),
    labels: unique([kindLabel, ...report.labels]),
    object_refs: [context.identity.id, ...indicatorIds],
    ...(report.revoked ? { revoked: true as const } : {}),
    object_marking_refs: context.markingRefs,
  };
}

/**
 * Throws on an entry that would render an invalid object. These come from the hub's own database,
 * so a bad one is a bug to surface, not a value to repair silently.
 */
function checkEntry(entry: IndicatorEntryInput, where: string): void {
  if (typeof entry.value !== 'string' || entry.value === '') {
    throw new TypeError(`${where}.value must be a non-empty string`);
  }
  const c = entry.confidence;
  if (!Number.isInteger(c) || c < 0 || c > 100) {
    throw new RangeError(`${where}.confidence must be an integer from 0 to 100, got ${c}`);
  }
}

/**
 * `modified` as a STIX timestamp, but never before `created`, which STIX forbids: rows written
 * by two clocks, or migrated, can have it so.
 */
function modifiedStamp(created: Date, modified: Date, where: string): string {
  const text = stamp(modified, where);
  return modified.getTime() >= created.getTime() ? text : stamp(created, where);
}

/**
 * A STIX timestamp of a stored time. Stored times are clamped to the years STIX can write (rows
 * from before client times were bounded, PostgreSQL's infinity): one such row once made every
 * member's STIX feed and TAXII collection answer 500. The error, which a clamped Date cannot
 * reach, would still name the input field at fault.
 */
function stamp(date: Date, where: string): string {
  try {
    // An invalid Date comes from no column (a bug in the hub): that one still throws.
    return stixTimestamp(Number.isNaN(+date) ? date : renderableInstant(date));
  } catch (error) {
    throw new RangeError(`${where}: ${(error as Error).message}`, { cause: error });
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
