import { BadInputError } from '../errors/hub-errors';

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

/**
 * Keyset cursors: the sort key values of the last row, base64url JSON. Opaque to clients; a
 * cursor that does not decode is a BAD_USER_INPUT on `after`.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): (string | number)[] {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === arity &&
      key.every((k) => typeof k === 'string' || typeof k === 'number')
    ) {
      return key;
    }
  } catch {
    // fall through
  }
  throw new BadInputError([{ path: 'after', message: 'is not a cursor this hub issued' }]);
}

export const DEFAULT_PAGE_SIZE = 25;

/** Builds a page from rows fetched with LIMIT first+1. */
export function toPage<T>(
  rows: T[],
  first: number,
  totalCount: number,
  keyOf: (row: T) => readonly (string | number)[],
): Page<T> {
  const slice = rows.slice(0, first);
  const edges = slice.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: rows.length > first,
      endCursor: edges.length ? edges[edges.length - 1].cursor : null,
    },
  };
}
