import { setImmediate } from 'node:timers/promises';
import { EntryRow, LINES_PER_TURN } from './entry-input';

/** Strings sorted per turn of the event loop, and merged per turn after. */
const RUN = 50_000;

/**
 * The same order as `strings.sort()` (UTF-16 code units), in parts that each hold the event
 * loop for a few milliseconds: sorting a million-line import at once held it for half a second.
 * Runs sorted natively, then merged pairwise, yielding every RUN strings.
 */
export async function sortInTurns(strings: string[], run = RUN): Promise<string[]> {
  if (strings.length <= run) return strings.sort();
  let runs: string[][] = [];
  for (let i = 0; i < strings.length; i += run) {
    runs.push(strings.slice(i, i + run).sort());
    await setImmediate();
  }
  while (runs.length > 1) {
    const next: string[][] = [];
    for (let r = 0; r < runs.length; r += 2) {
      next.push(r + 1 < runs.length ? await merge(runs[r], runs[r + 1], run) : runs[r]);
    }
    runs = next;
  }
  return runs[0];
}

/** Strings per key range of `sortedRanges`: each is sorted natively at once, in a few ms. */
const RANGE = 16_384;

/**
 * The distinct strings in the order of `strings.sort()`, as consecutive sorted ranges: the
 * strings are dealt into key ranges in one pass (splitters from a sorted sample, a binary
 * search per string), then each range is sorted natively and de-duplicated when it is asked
 * for. Concatenated, the ranges are `sortInTurns` followed by de-duplication; but the first is
 * ready after the one pass, not after the whole sort, and no pairwise merges follow (ADR 0042):
 * a COPY takes each range while the next is sorted. Equal strings always land in one range.
 * A range much larger than RANGE (one value repeated, a skewed sample) is sorted in turns.
 */
export async function* sortedRanges(strings: string[], range = RANGE): AsyncGenerator<string[]> {
  const count = Math.ceil(strings.length / range);
  const step = Math.max(1, Math.floor(strings.length / (count * 64)));
  const sample: string[] = [];
  for (let i = 0; i < strings.length; i += step) sample.push(strings[i]);
  sample.sort();
  const splitters: string[] = [];
  for (let k = 1; k < count; k++) {
    const s = sample[Math.floor((k * sample.length) / count)];
    if (s !== splitters[splitters.length - 1]) splitters.push(s);
  }
  const dealt: string[][] = Array.from({ length: splitters.length + 1 }, () => []);
  for (let i = 0; i < strings.length; i++) {
    if (i > 0 && i % RUN === 0) await setImmediate();
    const s = strings[i];
    let lo = 0;
    let hi = splitters.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s < splitters[mid]) hi = mid;
      else lo = mid + 1;
    }
    dealt[lo].push(s);
  }
  for (let k = 0; k < dealt.length; k++) {
    const part = dealt[k].length > 4 * range ? await sortInTurns(dealt[k]) : dealt[k].sort();
    dealt[k] = [];
    let n = 0;
    for (let i = 0; i < part.length; i++)
      if (n === 0 || part[i] !== part[n - 1]) part[n++] = part[i];
    part.length = n;
    if (n) yield part;
    await setImmediate();
  }
}

async function merge(a: string[], b: string[], run: number): Promise<string[]> {
  const out = new Array<string>(a.length + b.length);
  let i = 0;
  let j = 0;
  for (let k = 0; k < out.length; k++) {
    if (k > 0 && k % run === 0) await setImmediate();
    out[k] = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
  }
  return out;
}

/**
 * One row per value, the last line winning, in the order of the values (the list index's):
 * what the general merge of an import stages. Both loops over a million rows take a few hundred
 * milliseconds, so they let other requests in as sortInTurns does.
 */
export async function uniqueSorted(rows: EntryRow[]): Promise<EntryRow[]> {
  const last = new Map<string, EntryRow>();
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % LINES_PER_TURN === 0) await setImmediate();
    last.set(rows[i].value, rows[i]);
  }
  // The default order compares strings by UTF-16 code units, which is byte order for the ASCII
  // of canonical values (only speed depends on it).
  const values = await sortInTurns([...last.keys()]);
  const out = new Array<EntryRow>(values.length);
  for (let i = 0; i < values.length; i++) {
    if (i > 0 && i % LINES_PER_TURN === 0) await setImmediate();
    out[i] = last.get(values[i])!;
  }
  return out;
}
