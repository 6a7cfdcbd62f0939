import { setImmediate } from 'node:timers/promises';
import { IndicatorType } from '../values/indicator-value';
import { readText, ReadOptions } from './entry-input';

/**
 * A text import's values read, sorted and de-duplicated off the main thread (ADR 0042), while
 * the main thread reads the same text into rows and guards them. The main thread takes these
 * keys instead of sorting its own rows only when they must be the same values: see
 * `presortedKeys`.
 */
export interface PresortedValues {
  /** How many lines were read as values (before de-duplication). */
  lines: number;
  /** The one kind every value is. */
  type: IndicatorType;
  /** The distinct values in the order of `strings.sort()`, up to CHUNK_KEYS per '\n'-joined text. */
  chunks: string[];
}

/** Keys per text of the answer: one text per 10,000, so receiving and splitting them is done in turns. */
const CHUNK_KEYS = 10_000;

/**
 * What `bareLines` needs from a plain-text import, worked out by the same reader as the main
 * thread's (`readText`, the same options): null when the text has a refused line, more than one
 * kind of value, or a value the bulk path would not take as it is (COPY escapes), so the main
 * thread does as before. Pure, for the worker and for unit tests.
 */
export function presortValues(text: string, options: ReadOptions): PresortedValues | null {
  const { rows, errors } = readText(text, options);
  if (errors.length || !rows.length) return null;
  const type = rows[0].type;
  const values = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r.type !== type || /[\\\t\n\r]/.test(r.value)) return null;
    values[i] = r.value;
  }
  values.sort();
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (n === 0 || values[i] !== values[n - 1]) values[n++] = values[i];
  }
  const chunks: string[] = [];
  for (let i = 0; i < n; i += CHUNK_KEYS) {
    chunks.push(values.slice(i, Math.min(i + CHUNK_KEYS, n)).join('\n'));
  }
  return { lines: rows.length, type, chunks };
}

/**
 * The presorted keys for `rows`, the rows the main thread read from the same text, guarded and
 * kept, or undefined when they may differ. The worker read the text with the same reader and
 * options, and the guards only ever drop rows (they never change a value): so when as many rows
 * are kept as the worker read, and of its one kind, they are the very values it sorted. The
 * answer's texts are split a few at a time, letting other requests in.
 */
export async function presortedKeys(
  presorted: Promise<PresortedValues | null> | undefined,
  rows: readonly { type: IndicatorType }[],
): Promise<string[] | undefined> {
  const ready = presorted && (await presorted);
  if (!ready || ready.lines !== rows.length || ready.type !== rows[0]?.type) return undefined;
  const keys: string[] = [];
  for (let c = 0; c < ready.chunks.length; c++) {
    if (c > 0 && c % 10 === 0) await setImmediate();
    for (const key of ready.chunks[c].split('\n')) keys.push(key);
  }
  return keys;
}
