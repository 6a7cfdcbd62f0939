import { Injectable } from '@nestjs/common';
import { AnyPrincipal } from '@renkei/identity';
import {
  HUB_STIX_NAMESPACE,
  IndicatorList,
  ListEntry,
  ListService,
  stix,
} from '@renkei/indicators';
import { Report, ReportAuthor, ReportService } from '@renkei/reports';
import {
  encodeNext,
  isAfter,
  matchesVersion,
  micro,
  ObjectQuery,
  Position,
  TaxiiError,
} from './taxii-params';

export const REPORTS_COLLECTION_ID = stix.uuidv5('renkei reports collection', HUB_STIX_NAMESPACE);
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
  addedAt: string;
  key: string;
  version: string;
  object: Record<string, unknown>;
}

export interface Page {
  items: Item[];
  more: boolean;
  next?: string;
}

/**
 * TAXII 2.1 collections over what the caller may see (ADR 0009): one per published, non-RED
 * indicator list (scope feeds:read) and one of reports (scope reports:read). Every request
 * asks the services again under the caller's policy, `next` included, so a token revoked or an
 * audience narrowed between pages takes effect on the next page.
 */
@Injectable()
export class TaxiiService {
  constructor(
    private readonly lists: ListService,
    private readonly reports: ReportService,
  ) {}

  async collections(p: AnyPrincipal): Promise<TaxiiCollection[]> {
    const out: TaxiiCollection[] = [];
    if (may(p, 'reports:read')) {
      out.push(
        collection(
          REPORTS_COLLECTION_ID,
          'Reports',
          'Incident and near-miss reports you may read (TLP 2.0), newest versions.',
        ),
      );
    }
    if (may(p, 'feeds:read')) {
      for (const l of await this.lists.forStix(p)) {
        out.push(
          collection(
            l.id,
            l.name,
            l.description || `Indicator list (TLP:${l.tlp}), by ${l.author.label}`,
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

  async page(p: AnyPrincipal, collectionId: string, q: ObjectQuery): Promise<Page> {
    await this.collection(p, collectionId); // visible and readable, asked again every page
    const items =
      collectionId === REPORTS_COLLECTION_ID
        ? await this.reportItems(p, q)
        : await this.listItems(p, collectionId, q);
    const more = items.length > q.limit;
    const page = items.slice(0, q.limit);
    const last = page[page.length - 1];
    return { items: page, more, next: more && last ? encodeNext(last) : undefined };
  }

  async object(p: AnyPrincipal, collectionId: string, objectId: string, q: ObjectQuery) {
    const page = await this.page(p, collectionId, {
      ...q,
      ids: [objectId],
      next: undefined,
      limit: 1,
    });
    if (!page.items.length) throw notFound('object');
    return page;
  }

  // --- reports -------------------------------------------------------------------------------

  private async reportItems(p: AnyPrincipal, q: ObjectQuery): Promise<Item[]> {
    const items = [...markingItems()];
    for (const { report, addedAt } of await this.reports.forStix(p)) {
      items.push(reportItem(report, addedAt));
    }
    return select(items, q).slice(0, q.limit + 1);
  }

  // --- lists ---------------------------------------------------------------------------------

  private async listItems(p: AnyPrincipal, listId: string, q: ObjectQuery): Promise<Item[]> {
    const list = (await this.lists.forStix(p)).find((l) => l.id === listId)!;
    const markings = select(markingItems(), q);
    const wantIndicators = !q.types || q.types.includes('indicator');
    if (!wantIndicators || markings.length > q.limit) return markings.slice(0, q.limit + 1);
    // Without an id filter the database pages; ids are derived from values, so with one the
    // list is read whole and filtered here.
    const entries = await this.lists.stixEntries(p, listId, {
      after: q.ids ? undefined : q.next && { addedAt: q.next.addedAt, value: q.next.key },
      addedAfter: q.ids ? undefined : q.addedAfter,
      limit: q.ids ? undefined : q.limit + 1 - markings.length,
    });
    return [...markings, ...select(indicatorItems(list, entries), q)].slice(0, q.limit + 1);
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
        (!q.addedAfter || i.addedAt > micro(q.addedAfter)) &&
        (!q.ids || q.ids.includes(i.id)) &&
        (!q.types || q.types.includes(i.type)) &&
        (!q.specVersions || q.specVersions.includes('2.1')) &&
        matchesVersion(q.version, i.version),
    )
    .sort((a, b) => (isAfter(a, b) ? 1 : isAfter(b, a) ? -1 : 0));
}

function markingItems(): Item[] {
  return stix.TLP_MARKINGS.map((m) => ({
    id: m.id,
    type: m.type,
    addedAt: MARKINGS_ADDED,
    key: m.id,
    version: m.created,
    object: m as unknown as Record<string, unknown>,
  }));
}

export function stixAuthor(author: ReportAuthor): stix.StixAuthor {
  // A pseudonym is a class of organisations ("an operator in electric power"), never one of
  // them: its identity is derived from the label alone.
  return author.organisationId
    ? {
        key: author.organisationId,
        name: author.label,
        identityClass: 'organization',
        createdAt: IDENTITY_EPOCH,
        modifiedAt: IDENTITY_EPOCH,
      }
    : {
        key: `pseudonym:${author.label}`,
        name: author.label,
        identityClass: 'class',
        createdAt: IDENTITY_EPOCH,
        modifiedAt: IDENTITY_EPOCH,
      };
}

export function entryInputs(
  list: IndicatorList,
  entries: (ListEntry & { createdAt: Date; modifiedAt: Date })[],
): stix.IndicatorEntryInput[] {
  return entries.map((e) => ({
    type: e.type as stix.IndicatorEntryInput['type'],
    value: e.value,
    confidence: e.confidence,
    firstSeen: e.firstSeen,
    lastSeen: e.lastSeen,
    validUntil: e.validUntil,
    createdAt: e.createdAt,
    modifiedAt: e.modifiedAt < e.createdAt ? e.createdAt : e.modifiedAt,
    tags: e.tags,
    note: e.note,
    tlp: list.tlp,
  }));
}

function indicatorItems(
  list: IndicatorList,
  entries: (ListEntry & { addedAt: string; createdAt: Date; modifiedAt: Date })[],
): Item[] {
  if (!entries.length) return [];
  const bundle = stix.buildIndicatorBundle({
    namespace: HUB_STIX_NAMESPACE,
    generatedAt: new Date(),
    author: stixAuthor(list.author),
    tlp: list.tlp,
    entries: entryInputs(list, entries),
  });
  const byId = new Map(
    bundle.objects
      .filter((o) => o.type === 'indicator')
      .map((o) => [o.id, o as stix.StixIndicator]),
  );
  return entries.map((e) => {
    const object = byId.get(
      stix.indicatorId(e.type as stix.IndicatorEntryInput['type'], e.value, HUB_STIX_NAMESPACE),
    )!;
    return {
      id: object.id,
      type: 'indicator',
      addedAt: e.addedAt,
      key: e.value,
      version: object.modified,
      object: object as unknown as Record<string, unknown>,
    };
  });
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

export function reportInput(r: Report): stix.ReportBundleInput['report'] {
  return {
    id: r.id,
    title: r.title,
    description: reportDescription(r),
    publishedAt: r.publishedAt ?? r.createdAt,
    createdAt: r.createdAt,
    modifiedAt: r.updatedAt < r.createdAt ? r.createdAt : r.updatedAt,
    kind: r.kind,
    labels: [...r.categories, ...(r.status === 'retracted' ? ['retracted'] : [])],
  };
}

function reportItem(r: Report, addedAt: string): Item {
  const bundle = stix.buildReportBundle({
    namespace: HUB_STIX_NAMESPACE,
    generatedAt: new Date(),
    author: stixAuthor(r.author),
    tlp: r.tlp,
    report: reportInput(r),
    entries: [],
  });
  const object = bundle.objects.find((o) => o.type === 'report') as stix.StixReport;
  return {
    id: object.id,
    type: 'report',
    addedAt,
    key: object.id,
    version: object.modified,
    object: object as unknown as Record<string, unknown>,
  };
}

export type { Position };
