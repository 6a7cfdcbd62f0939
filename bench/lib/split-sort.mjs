/*
 * The least work before a fresh import's first sorted row (bench/import-floor.mjs and its
 * worker, bench/lib/split-sort-worker.mjs): a body's bytes split into lines, optionally each
 * checked by the hub's parseIndicator, sorted in list_entry's key order and de-duplicated.
 * Latin1 decoding keeps one byte per character, so the default string order is byte order (the
 * key's COLLATE "C"), and it is the fastest decoding.
 */
import { createRequire } from 'node:module';

const { parseIndicator } = createRequire(import.meta.url)(
  '../../dist/libs/indicators/src/values/indicator-value.js',
);

/** The lines of a body (a Buffer), each checked and made canonical when `parse`. */
export function splitLines(body, parse) {
  const lines = body.toString('latin1').split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (parse) {
    for (let i = 0; i < lines.length; i++) {
      const p = parseIndicator(lines[i]);
      if (!p.ok) throw new Error(`line ${i + 1}: ${p.message}`);
      lines[i] = p.value;
    }
  }
  return lines;
}

/** The lines sorted and de-duplicated, in place. */
export function sortUnique(lines) {
  lines.sort();
  let n = 0;
  for (let i = 0; i < lines.length; i++)
    if (n === 0 || lines[i] !== lines[n - 1]) lines[n++] = lines[i];
  lines.length = n;
  return lines;
}
