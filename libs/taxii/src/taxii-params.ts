import { parseInstant } from '@renkei/platform/time';

/**
 * The query of a TAXII 2.1 objects, manifest, object or versions request, checked (malformed →
 * TaxiiError 400). Pure, for unit tests (ADR 0002).
 */

export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 100;

export interface Position {
  /** Date added, RFC 3339 with microseconds. */
  addedAt: string;
  /** Tie-breaker within one date added (the entry's value, or the object's id). */
  key: string;
}

export interface ObjectQuery {
  /** In canonical form (microseconds, see `micro`). */
  addedAfter?: string;
  limit: number;
  /** `next` as the client sent it (sealed, see NextTokens). */
  nextToken?: string;
  /** The position it names, once opened. */
  next?: Position;
  ids?: string[];
  types?: string[];
  /**
   * match[version]: any of 'last', 'first', 'all' and version timestamps in canonical form
   * (microseconds), so that equal instants are equal strings. See `matchesVersion`.
   */
  version: string[];
  specVersions?: string[];
}

export class TaxiiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly description?: string,
    /** Headers the answer carries besides the media type (e.g. Allow on a 405). */
    readonly headers: Record<string, string> = {},
  ) {
    super(title);
  }
}

const TIMESTAMP_FORM = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?Z$/;
const VERSION_KEYWORDS = ['last', 'first', 'all'];

/**
 * An RFC 3339 timestamp in UTC that names a real instant PostgreSQL can hold, read by the hub's
 * one reader of client instants: years 0001–9999, a day that exists in its month (Date.parse
 * takes 2026-02-30 as 2 March, PostgreSQL refuses it), no leap second. Returned in canonical
 * form, or undefined.
 */
export function canonicalTimestamp(text: string): string | undefined {
  return TIMESTAMP_FORM.test(text) && parseInstant(text).ok ? micro(text) : undefined;
}

export function parseObjectQuery(query: Record<string, unknown>): ObjectQuery {
  const one = (key: string): string | undefined => {
    const v = query[key];
    if (v === undefined) return undefined;
    if (Array.isArray(v) || typeof v !== 'string') {
      throw new TaxiiError(400, 'Malformed filter', `${key} may be given once`);
    }
    return v;
  };
  const out: ObjectQuery = { limit: DEFAULT_LIMIT, version: ['last'] };
  const addedAfter = one('added_after');
  if (addedAfter !== undefined) {
    out.addedAfter = canonicalTimestamp(addedAfter);
    if (out.addedAfter === undefined) {
      throw new TaxiiError(
        400,
        'Malformed filter',
        'added_after must be an RFC 3339 timestamp in UTC, e.g. 2026-11-22T09:00:00.000000Z',
      );
    }
  }
  const limit = one('limit');
  if (limit !== undefined) {
    if (!/^\d+$/.test(limit) || Number(limit) < 1) {
      throw new TaxiiError(400, 'Malformed filter', 'limit must be a positive whole number');
    }
    out.limit = Math.min(Number(limit), MAX_LIMIT);
  }
  // Opened (and refused) by the service, which holds the key it was sealed with (NextTokens).
  const next = one('next');
  if (next !== undefined) out.nextToken = next;
  const list = (key: string) =>
    one(key)
      ?.split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  out.ids = list('match[id]');
  if (out.ids?.some((id) => !/^[a-z0-9-]+--[0-9a-f-]{36}$/.test(id))) {
    throw new TaxiiError(400, 'Malformed filter', 'match[id] must hold STIX identifiers');
  }
  out.types = list('match[type]');
  if (out.types?.some((t) => !/^[a-z0-9-]{3,250}$/.test(t))) {
    throw new TaxiiError(400, 'Malformed filter', 'match[type] must hold STIX object types');
  }
  const versions = list('match[version]');
  if (versions !== undefined) {
    const canonical = versions.map((v) =>
      VERSION_KEYWORDS.includes(v) ? v : canonicalTimestamp(v),
    );
    if (!canonical.length || canonical.some((v) => v === undefined)) {
      throw new TaxiiError(
        400,
        'Malformed filter',
        'match[version] must be a comma-separated list of last, first, all and timestamps',
      );
    }
    out.version = [...new Set(canonical as string[])];
  }
  out.specVersions = list('match[spec_version]');
  if (out.specVersions?.some((v) => !/^\d+\.\d+$/.test(v))) {
    throw new TaxiiError(
      400,
      'Malformed filter',
      'match[spec_version] must hold versions, e.g. 2.1',
    );
  }
  return out;
}

/** The parameters TAXII 2.1 defines for Get Object Versions (§5.8); others are ignored. */
const VERSIONS_PARAMETERS = ['added_after', 'limit', 'next', 'match[spec_version]'];

export function parseVersionsQuery(query: Record<string, unknown>): ObjectQuery {
  return parseObjectQuery(
    Object.fromEntries(Object.entries(query).filter(([k]) => VERSIONS_PARAMETERS.includes(k))),
  );
}

/**
 * Whether match[version] selects an object's version (its STIX `modified`, or `created`). The hub
 * keeps one version per object, which is its first, its last and all of them; a timestamp
 * selects it when it names the same instant, however many fractional digits either is written
 * with (2026-11-22T09:00:00.123Z = 2026-11-22T09:00:00.123000Z).
 */
export function matchesVersion(match: string[], version: string): boolean {
  return match.some((m) => VERSION_KEYWORDS.includes(m) || m === micro(version));
}

export function encodeNext(p: Position): string {
  return Buffer.from(JSON.stringify([p.addedAt, p.key])).toString('base64url');
}

export function decodeNext(text: string): Position {
  try {
    const [addedAt, key] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    const position = { addedAt, key };
    // base64url decoding skips stray characters; only what this server wrote is accepted.
    // Anyone can encode a position, but this server writes them in canonical form, from values
    // and ids without NUL: anything else would only make PostgreSQL fail.
    if (
      typeof addedAt === 'string' &&
      canonicalTimestamp(addedAt) === addedAt &&
      typeof key === 'string' &&
      !key.includes('\u0000') &&
      encodeNext(position) === text
    ) {
      return position;
    }
  } catch {
    // fall through
  }
  throw new TaxiiError(400, 'Malformed filter', 'next is not a value this server returned');
}

/** Whether (a) sorts after (b): by date added, then key. Timestamps compare as text (fixed width). */
export function isAfter(a: Position, b: Position): boolean {
  return a.addedAt > b.addedAt || (a.addedAt === b.addedAt && a.key > b.key);
}

/** TAXII timestamps carry microseconds; STIX ones milliseconds. */
export function micro(timestamp: string): string {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?Z$/.exec(timestamp);
  if (!m) return timestamp;
  return `${m[1]}.${(m[2] ?? '').padEnd(6, '0')}Z`;
}
