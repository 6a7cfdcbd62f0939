import { FieldError } from '../errors/hub-errors';

/** In a `u` pattern a pair is one code point: only a lone half is of category Cs. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Text PostgreSQL cannot hold as given, refused at the edge with its path: U+0000, which it
 * refuses (an error without a path), and a lone surrogate (half of a UTF-16 pair, e.g. from
 * the JSON escape "\ud800"), which the driver would silently store as U+FFFD.
 */
export function findUnstorableText(value: unknown, path: string): FieldError | undefined {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) {
      return { path: path || 'value', message: 'must not contain a NUL character' };
    }
    if (LONE_SURROGATE.test(value)) {
      return {
        path: path || 'value',
        message: 'must not contain a lone surrogate (half of a UTF-16 pair, not a character)',
      };
    }
    return undefined;
  }
  // Only argument data: plain objects and arrays (never a request or a class instance).
  const proto = value && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (Array.isArray(value) || proto === Object.prototype || proto === null) {
    for (const [k, v] of Object.entries(value as object)) {
      const hit = findUnstorableText(v, path ? `${path}.${k}` : k);
      if (hit) return hit;
    }
  }
  return undefined;
}
