import { NextTokens } from './next-tokens';
import { Inject, Injectable } from '@nestjs/common';
import { AnyPrincipal } from '@renkei/identity';
import {
  IndicatorList,
  ListService,
  stix,
  StixEntryVersion,
  StixList,
  StixNamespace,
} from '@renkei/indicators';
import { HUB_CONFIG, HubConfig } from '@renkei/platform';
import { Report, ReportAuthor, ReportService } from '@renkei/reports';
import { authorNamed, PublicationBoundary } from '@renkei/sharing';
import { isAfter, matchesVersion, micro, ObjectQuery, Position, TaxiiError } from './taxii-params';

/**
 * Collection ids only need to be unique on this server: a fixed namespace keeps the reports
 * collection's id the same across upgrades (STIX object ids use the installation's namespace).
 */
const COLLECTIONS_NAMESPACE = '6f0b2c1e-8f4a-5c3b-9d7e-2a1b0c9d8e7f';
export const REPORTS_COLLECTION_ID = stix.uuidv5(
  'renkei reports collection',
  COLLECTIONS_NAMESPACE,
);
/** When the TLP 2.0 marking definitions were added: their creation (they never change). */
const MARKINGS_ADDED = '2022-10-01T00:00:00.000000Z';
/** Identities of pseudonyms and organisations are rendered with this fixed creation time. */
const IDENTITY_EPOCH = new Date('2026-01-01T00:00:00Z');

export interface TaxiiCollection {
  id: string;
  title: string;
  description: string;
  can_read: true;
  can_write: false;
  media_types: string[];
}

interface Item {
  id: string;
  type: string;
  /** When it was added, exact: what pages are sealed on (positions never leave the server). */
  addedAt: string;
  /**
   * `date_added` as readers are shown it: rounded down like other organisations' times (ADR
   * 0007, ADR 0018), for every reader, own items included: a collection mixes authors, and its
   * dates added must rise with its order. `added_after` compares this one, so bisecting with it
   * finds the rounding step, not the commit's microsecond.
   */
  shownAt: string;
  key: string;
  version: string;
  object: Record<string, unknown>;
}

export interface Page {
  items: Item[];
  more: boolean;
  next?: string;
}

/** A list TAXII serves, with the versions of its indicators the caller may see. */
interface ListVersions {
  list: StixList;
  versions: StixEntryVersion[];
}

/**
 * TAXII 2.1 collections over what the caller may see (ADR 0009): one per published or retracted,
 * non-RED indicator list (scope feeds:read) and one of reports (scope reports:read). Every
 * request asks the services again under the caller's policy, `next` included, so a token revoked
 * or an audience narrowed between pages takes effect on the next page. Every collection holds
 * what its objects refer to: the TLP markings and the identities of their authors as the caller
 * may know them; the reports collection also the indicators of the lists that name a report.
 */
@Injectable()
export class TaxiiService {
  constructor(
    private readonly lists: ListService,
    private readonly reports: ReportService,
    private readonly boundary: PublicationBoundary,
    private readonly namespace: StixNamespace,
    private readonly tokens: NextTokens,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async collections(p: AnyPrincipal): Promise<TaxiiCollection[]> {
    const out: TaxiiCollection[] = [];
    if (may(p, 'reports:read')) {
      out.push(
        collection(
          REPORTS_COLLECTION_ID,
          'Reports',
          'Incident and near-miss reports you may read (TLP 2.0), newest versions, with the ' +
            'indicators of the lists that name them.',
        ),
      );
    }
    if (may(p, 'feeds:read')) {
      for (const l of await this.lists.forStix(p)) {
        const about = l.description || `Indicator list (TLP:${l.tlp}), by ${l.author.label}`;
        out.push(
          collection(
            l.id,
            l.name,
            l.status === 'retracted' ? `Retracted: its indicators are revoked. ${about}` : about,
          ),
        );
      }
    }
    return out;
  }

  async collection(p: AnyPrincipal, id: string): Promise<TaxiiCollection> {
    const found = (await this.collections(p)).find((c) => c.id === id);
    if (!found) throw notFound('collection');
    return found;
  }

  async page(p: AnyPrincipal, collectionId: string, query: ObjectQuery): Promise<Page> {
    await this.collection(p, collectionId); // visible and readable, asked again every page
    const q = query.nextToken
      ? { ...query, next: await this.tokens.open(query.nextToken, collectionId) }
      : query;
    const namespace = await this.namespace.get();
    const items =
      collectionId === REPORTS_COLLECTION_ID
        ? await this.reportItems(p, q, namespace)
        : await this.listItems(p, collectionId, q, namespace);
    const more = items.length > q.limit;
    const page = items.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page,
      more,
      next: more && last ? await this.tokens.seal(last, collectionId) : undefined,
    };
  }

  async object(p: AnyPrincipal, collectionId: string, objectId: string, q: ObjectQuery) {
    // One object's versions fit one page and no `next` is issued for them; one sent anyway
    // must still be one of this server's.
    if (q.nextToken) await this.tokens.open(q.nextToken, collectionId);
    const page = await this.page(p, collectionId, {
      ...q,
      ids: [objectId],
      next: undefined,
      nextToken: undefined,
      limit: 1,
    });
    if (!page.items.length) throw notFound('object');
    return page;
  }

  /**
   * A report's STIX input as this caller may see it, the same for the export and the reports
   * collection: its object_refs are the current indicators of the visible lists that name it.
   */
  async reportInput(
    p: AnyPrincipal,
    report: Report,
    addedAt: string | null,
    linked: ListVersions[],
    namespace: string,
    known?: Map<string, number[]>,
  ): Promise<{ input: stix.ReportBundleInput; addedAt: string }> {
    const ids = linked.map((l) => l.list.id);
    const all = known ?? (await this.lists.stixHistory(p, ids));
    const history = new Map(ids.map((id) => [id, all.get(id) ?? []]));
    const version = reportVersion(
      report,
      addedAt,
      history,
      (d) => this.boundary.time(report.author, d),
      this.boundary.roundingStepMs,
    );
    // A revoked version is the last: its references must not change with the lists after it.
    const entries =
      report.status === 'retracted'
        ? []
        : linked.flatMap(({ list, versions }) =>
            versions.filter((v) => !v.removed).map((v) => entryInput(list, v, true)),
          );
    return {
      addedAt: version.addedAt,
      input: {
        namespace,
        generatedAt: IDENTITY_EPOCH,
        author: stixAuthor(report.author),
        tlp: report.tlp,
        report: reportInput(report, version.modifiedAt),
        entries,
      },
    };
  }

  // --- reports -------------------------------------------------------------------------------

  private async reportItems(p: AnyPrincipal, q: ObjectQuery, namespace: string): Promise<Item[]> {
    const reports = await this.reports.forStix(p);
    const visible = new Set(reports.map((r) => r.report.id));
    const linked: ListVersions[] = [];
    for (const list of await this.lists.forStix(p)) {
      if (!list.reportId || !visible.has(list.reportId)) continue;
      linked.push({ list, versions: await this.lists.stixEntries(p, list.id, {}) });
    }
    const items: Item[] = [...markingItems()];
    const authors = new Map<string, stix.StixAuthor>();
    for (const { list, versions } of linked) {
      const author = stixAuthor(list.author);
      authors.set(author.key, author);
      items.push(...indicatorItems(list, versions, namespace, true, this.boundary.roundingStepMs));
    }
    const history = await this.lists.stixHistory(
      p,
      linked.map((l) => l.list.id),
    );
    for (const { report, addedAt } of reports) {
      const own = linked.filter((l) => l.list.reportId === report.id);
      const built = await this.reportInput(p, report, addedAt, own, namespace, history);
      authors.set(built.input.author.key, built.input.author);
      const object = stix
        .reportBundleObjects(built.input)
        .find((o): o is stix.StixReport => o.type === 'report')!;
      items.push(
        item(
          object,
          built.addedAt,
          object.id,
          shownAt(built.addedAt, this.boundary.roundingStepMs),
        ),
      );
    }
    items.push(...identityItems([...authors.values()], items, namespace));
    return select(items, q).slice(0, q.limit + 1);
  }

  // --- lists ---------------------------------------------------------------------------------

  private async listItems(
    p: AnyPrincipal,
    listId: string,
    q: ObjectQuery,
    namespace: string,
  ): Promise<Item[]> {
    const list = (await this.lists.forStix(p)).find((l) => l.id === listId)!;
    const author = stixAuthor(list.author);
    // The identity is added with the list's first batch: before every indicator that names it.
    const identity =
      list.firstAddedAt === null
        ? []
        : [
            identityItem(
              identityObject(author, namespace),
              list.firstAddedAt,
              shownAt(list.firstAddedAt, this.boundary.roundingStepMs),
            ),
          ];
    const fixed = select([...markingItems(), ...identity], q);
    const wantIndicators = !q.types || q.types.includes('indicator');
    if (!wantIndicators || fixed.length > q.limit) return fixed.slice(0, q.limit + 1);
    // Without an id filter the database pages; ids derive from what the reader sees of the
    // author, so with one the list is read whole and filtered here.
    const versions = await this.lists.stixEntries(p, listId, {
      after: q.ids ? undefined : q.next && { addedAt: q.next.addedAt, ...positionOf(q.next.key) },
      addedAfter: q.ids ? undefined : q.addedAfter,
      limit: q.ids ? undefined : q.limit + 1 - fixed.length,
    });
    const indicators = indicatorItems(
      list,
      versions,
      namespace,
      false,
      this.boundary.roundingStepMs,
    );
    return [...fixed, ...select(indicators, q)].slice(0, q.limit + 1);
  }
}

function may(p: AnyPrincipal, scope: string): boolean {
  return p.kind === 'user' || p.scopes.includes(scope);
}

function collection(id: string, title: string, description: string): TaxiiCollection {
  return {
    id,
    title,
    description,
    can_read: true,
    can_write: false,
    media_types: ['application/stix+json;version=2.1'],
  };
}

export function notFound(what: 'collection' | 'object'): TaxiiError {
  return new TaxiiError(
    404,
    what === 'collection' ? 'Collection not found' : 'Object not found',
    what === 'collection'
      ? 'No collection with this id that you may read.'
      : 'No object with this id in this collection that you may read.',
  );
}

/** The filters of a request, applied to items in date-added order. */
function select(items: Item[], q: ObjectQuery): Item[] {
  return items
    .filter(
      (i) =>
        (!q.next || isAfter(i, q.next)) &&
        (!q.addedAfter || addedAfter(i, micro(q.addedAfter))) &&
        (!q.ids || q.ids.includes(i.id)) &&
        (!q.types || q.types.includes(i.type)) &&
        (!q.specVersions || q.specVersions.includes('2.1')) &&
        matchesVersion(q.version, i.version),
    )
    .sort((a, b) => (isAfter(a, b) ? 1 : isAfter(b, a) ? -1 : 0));
}

// --- positions: date added, then a key that orders as the database does ------------------------

/**
 * The key of an entry's version: its value, then its first batch (a removed value added again
 * is another entry, with a tombstone of the first one). "\u0001" sorts before every character of
 * a canonical value, and the batch has a fixed width, so keys compare as the database orders
 * (value, first batch).
 */
function entryKey(value: string, firstBatch: number): string {
  return `${value}\u0001${String(firstBatch).padStart(10, '0')}`;
}

/**
 * Identities sort first among the items added at the same time, before what names them: their
 * key starts with the separator itself, below every character of a value. (Not NUL: positions
 * with NUL are refused, as PostgreSQL text cannot hold it.)
 */
function identityKey(id: string): string {
  return `\u0001${id}`;
}

/** The (value, first batch) after which a page goes on, from a key this server wrote. */
function positionOf(key: string): { value: string; firstBatch: number } {
  const cut = key.indexOf('\u0001');
  // An identity (cut 0) or a marking (no cut): every entry added at the same time comes after.
  if (cut === 0) return { value: '', firstBatch: -1 };
  if (cut === -1) return { value: key, firstBatch: -1 };
  // A forged batch number must not reach PostgreSQL as something an int cannot hold.
  const batch = Number(key.slice(cut + 1));
  const firstBatch = Number.isInteger(batch) ? Math.max(-1, Math.min(batch, 2_147_483_647)) : 0;
  return { value: key.slice(0, cut), firstBatch };
}

// --- objects ----------------------------------------------------------------------------------

/**
 * TAXII's added_after, on rounded dates added: the step given included, so a client passing
 * back the X-TAXII-Date-Added-Last it was shown gets that step again (at least once) rather than
 * missing what was added later in it. The fixed markings compare exactly.
 */
function addedAfter(i: Item, after: string): boolean {
  return i.shownAt === MARKINGS_ADDED ? i.shownAt > after : i.shownAt >= after;
}

/** An item's date added as readers are shown it: rounded down to the step. */
function shownAt(addedAt: string, stepMs: number): string {
  const stepUs = stepMs * 1000;
  return stix.microsText(Math.floor(stix.microsOf(addedAt) / stepUs) * stepUs);
}

function item(
  object: { id: string; type: string; modified: string },
  addedAt: string,
  key: string,
  shown = addedAt,
) {
  return {
    id: object.id,
    type: object.type,
    addedAt,
    shownAt: shown,
    key,
    version: object.modified,
    object: object as unknown as Record<string, unknown>,
  };
}

function markingItems(): Item[] {
  return stix.TLP_MARKINGS.map((m) => ({
    id: m.id,
    type: m.type,
    addedAt: MARKINGS_ADDED,
    shownAt: MARKINGS_ADDED,
    key: m.id,
    version: m.created,
    object: m as unknown as Record<string, unknown>,
  }));
}

function identityObject(author: stix.StixAuthor, namespace: string): stix.StixIdentity {
  return stix.identityOf(author, namespace, IDENTITY_EPOCH, author.tlp ?? 'GREEN');
}

function identityItem(identity: stix.StixIdentity, addedAt: string, shown: string): Item {
  return item(identity, addedAt, identityKey(identity.id), shown);
}

/**
 * The identities the items refer to, each added with the earliest item that names it, so a
 * client paging from any point gets an author no later than the first object it needs it for.
 * (When that object gets a newer version the identity moves with it, and is sent again in the
 * same version: a repeat a client skips.)
 */
function identityItems(authors: stix.StixAuthor[], items: Item[], namespace: string): Item[] {
  const first = new Map<string, Item>();
  for (const i of items) {
    const ref = i.object.created_by_ref;
    if (typeof ref !== 'string') continue;
    const seen = first.get(ref);
    if (seen === undefined || i.addedAt < seen.addedAt) first.set(ref, i);
  }
  const out: Item[] = [];
  for (const author of authors) {
    const identity = identityObject(author, namespace);
    const by = first.get(identity.id);
    if (by !== undefined) out.push(identityItem(identity, by.addedAt, by.shownAt));
  }
  return out;
}

/**
 * How an author appears in STIX. A pseudonym is a class of organisations ("an operator in
 * electric power"), never one of them: its identity derives from the label alone, and names
 * nobody, so it is TLP:CLEAR; an organisation's name is known to the community (TLP:GREEN). The
 * identity's marking depends on nothing else, so one identity reads the same in every collection
 * and bundle; who authored what is in each object's created_by_ref, under that object's marking.
 */
export function stixAuthor(author: ReportAuthor): stix.StixAuthor {
  return author.organisationId
    ? {
        key: author.organisationId,
        name: author.label,
        identityClass: 'organization',
        createdAt: IDENTITY_EPOCH,
        modifiedAt: IDENTITY_EPOCH,
        tlp: 'GREEN',
      }
    : {
        key: `pseudonym:${author.label}`,
        name: author.label,
        identityClass: 'class',
        createdAt: IDENTITY_EPOCH,
        modifiedAt: IDENTITY_EPOCH,
        tlp: 'CLEAR',
      };
}

/**
 * One version of a list entry as builder input. `withAuthor`: name the list's author on the
 * entry (bundles that mix lists, such as a report's); the id is the same either way.
 */
export function entryInput(
  list: IndicatorList,
  v: StixEntryVersion,
  withAuthor = false,
): stix.IndicatorEntryInput {
  return {
    type: v.type as stix.IndicatorEntryInput['type'],
    value: v.value,
    confidence: v.confidence,
    firstSeen: v.firstSeen,
    lastSeen: v.lastSeen,
    validUntil: v.validUntil,
    createdAt: v.createdAt,
    modifiedAt: v.modifiedAt < v.createdAt ? v.createdAt : v.modifiedAt,
    tags: v.tags,
    note: v.note,
    tlp: v.tlp,
    scope: `list:${list.id}|batch:${v.firstBatch}`,
    ...(withAuthor ? { author: stixAuthor(list.author) } : {}),
    ...(v.revoked ? { revoked: true } : {}),
  };
}

function indicatorItems(
  list: IndicatorList,
  versions: StixEntryVersion[],
  namespace: string,
  withAuthor: boolean,
  stepMs: number,
): Item[] {
  if (!versions.length) return [];
  const objects = stix
    .indicatorBundleObjects({
      namespace,
      generatedAt: IDENTITY_EPOCH,
      author: stixAuthor(list.author),
      tlp: list.tlp,
      entries: versions.map((v) => entryInput(list, v, withAuthor)),
    })
    .filter((o): o is stix.StixIndicator => o.type === 'indicator');
  // The builder keeps the order of the entries.
  return versions.map((v, i) =>
    item(objects[i], v.addedAt, entryKey(v.value, v.firstBatch), shownAt(v.addedAt, stepMs)),
  );
}

export function reportDescription(r: Report): string {
  const parts: [string, string | null][] = [
    ['Summary', r.summary],
    ['Background', r.background],
    ['Detection', r.detection],
    ['Response', r.response],
    ['Cause', r.cause],
    ['Countermeasures', r.countermeasures],
    ['Lessons learned', r.lessonsLearned],
  ];
  return parts
    .filter(([, text]) => text)
    .map(([title, text]) => `${title}: ${text}`)
    .join('\n\n');
}

function reportInput(r: Report, modifiedAt: Date): stix.ReportBundleInput['report'] {
  return {
    id: r.id,
    title: r.title,
    description: reportDescription(r),
    publishedAt: r.publishedAt ?? r.createdAt,
    createdAt: r.createdAt,
    modifiedAt: modifiedAt < r.createdAt ? r.createdAt : modifiedAt,
    kind: r.kind,
    labels: [...r.categories, ...(r.status === 'retracted' ? ['retracted'] : [])],
    revoked: r.status === 'retracted',
  };
}

/**
 * A report's version: it changes with the report (a revision) and, until it is retracted, with
 * the lists that name it (their indicators are its object_refs). Its date added is the latest of
 * those commit-ordered times; `modified` is that time, or for other organisations the time
 * rounded down plus one millisecond per revision and per change of those lists in the rounding
 * step, so two versions never share a `modified` (see ListService roundedVersion).
 */
export function reportVersion(
  report: Report,
  addedAt: string | null,
  history: Map<string, number[]>,
  round: (d: Date) => Date,
  stepMs: number,
): { addedAt: string; modifiedAt: Date } {
  let us = addedAt ? stix.microsOf(addedAt) : report.updatedAt.getTime() * 1000;
  if (report.status !== 'retracted') {
    for (const events of history.values()) {
      if (events.length) us = Math.max(us, events[events.length - 1]);
    }
  }
  const modifiedAt = authorNamed(report.author)
    ? new Date(Math.floor(us / 1000))
    : stix.roundedModified(us, round, stepMs, (from) => {
        let count = report.revision;
        for (const events of history.values()) count += stix.countBetween(events, from, us);
        return count;
      });
  return { addedAt: stix.microsText(us), modifiedAt };
}

export type { ListVersions, Position };
