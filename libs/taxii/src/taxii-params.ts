/**
 * The query of a TAXII 2.1 objects or manifest request, checked (malformed → TaxiiError 400).
 * Pure, for unit tests (ADR 0002).
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
  addedAfter?: string;
  limit: number;
  next?: Position;
  ids?: string[];
  types?: string[];
  /** 'last', 'first', 'all' or one version timestamp; the hub keeps one version per object. */
  version: string;
  specVersions?: string[];
}

export class TaxiiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly description?: string,
  ) {
    super(title);
  }
}

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/;

export function parseObjectQuery(query: Record<string, unknown>): ObjectQuery {
  const one = (key: string): string | undefined => {
    const v = query[key];
    if (v === undefined) return undefined;
    if (Array.isArray(v) || typeof v !== 'string') {
      throw new TaxiiError(400, 'Malformed filter', `${key} may be given once`);
    }
    return v;
  };
  const out: ObjectQuery = { limit: DEFAULT_LIMIT, version: 'last' };
  const addedAfter = one('added_after');
  if (addedAfter !== undefined) {
    if (!TIMESTAMP.test(addedAfter) || Number.isNaN(Date.parse(addedAfter))) {
      throw new TaxiiError(
        400,
        'Malformed filter',
        'added_after must be an RFC 3339 timestamp in UTC, e.g. 2026-11-22T09:00:00.000000Z',
      );
    }
    out.addedAfter = addedAfter;
  }
  const limit = one('limit');
  if (limit !== undefined) {
    if (!/^\d+$/.test(limit) || Number(limit) < 1) {
      throw new TaxiiError(400, 'Malformed filter', 'limit must be a positive whole number');
    }
    out.limit = Math.min(Number(limit), MAX_LIMIT);
  }
  const next = one('next');
  if (next !== undefined) out.next = decodeNext(next);
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
  const version = one('match[version]');
  if (version !== undefined) {
    if (!['last', 'first', 'all'].includes(version) && !TIMESTAMP.test(version)) {
      throw new TaxiiError(
        400,
        'Malformed filter',
        'match[version] must be last, first, all or a timestamp',
      );
    }
    out.version = version;
  }
  out.specVersions = list('match[spec_version]');
  return out;
}

export function encodeNext(p: Position): string {
  return Buffer.from(JSON.stringify([p.addedAt, p.key])).toString('base64url');
}

export function decodeNext(text: string): Position {
  try {
    const [addedAt, key] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    const position = { addedAt, key };
    // base64url decoding skips stray characters; only what this server wrote is accepted.
    if (
      typeof addedAt === 'string' &&
      TIMESTAMP.test(addedAt) &&
      typeof key === 'string' &&
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
