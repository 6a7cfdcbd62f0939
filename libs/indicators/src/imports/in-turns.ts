import { setImmediate } from 'node:timers/promises';
import { LINES_PER_TURN } from './entry-input';

/*
 * Passes over an import's rows (a million of them) that let other requests in every
 * LINES_PER_TURN rows, as the parse and the sort do: one synchronous pass over a million rows
 * held the event loop for 20–60 ms, several in a row for more than the 50 ms a request may.
 */

/** `items.map(f)`, a turn of the event loop at a time. */
export async function mapInTurns<T, U>(items: readonly T[], f: (item: T) => U): Promise<U[]> {
  const out = new Array<U>(items.length);
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % LINES_PER_TURN === 0) await setImmediate();
    out[i] = f(items[i]);
  }
  return out;
}

/** `items.every(test)`, a turn of the event loop at a time. */
export async function everyInTurns<T>(
  items: readonly T[],
  test: (item: T) => boolean,
): Promise<boolean> {
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % LINES_PER_TURN === 0) await setImmediate();
    if (!test(items[i])) return false;
  }
  return true;
}

/** The first `max` items that pass `test`, in order, a turn of the event loop at a time. */
export async function firstInTurns<T>(
  items: readonly T[],
  test: (item: T) => boolean,
  max: number,
): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < items.length && out.length < max; i++) {
    if (i > 0 && i % LINES_PER_TURN === 0) await setImmediate();
    if (test(items[i])) out.push(items[i]);
  }
  return out;
}

/**
 * `chunk` applied to consecutive slices of LINES_PER_TURN items, one per turn of the event
 * loop; the parts it answers are joined in order.
 */
export async function partsInTurns<T, R extends Record<string, unknown[]>>(
  items: readonly T[],
  chunk: (part: T[]) => R,
): Promise<R> {
  let out: R | undefined;
  for (let from = 0; from < items.length || !out; from += LINES_PER_TURN) {
    if (from > 0) await setImmediate();
    const part = chunk(items.slice(from, from + LINES_PER_TURN));
    if (!out) out = part;
    else
      for (const key of Object.keys(part) as (keyof R)[])
        for (const x of part[key]) out[key].push(x);
  }
  return out;
}
