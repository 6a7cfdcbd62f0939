import { setImmediate } from 'node:timers/promises';
import type { EntityManager } from 'typeorm';
import { LINES_PER_TURN } from './entry-input';

/**
 * The values of one list in the index's order (byte order, `COLLATE "C"`), one per line, read in
 * the caller's transaction and under its policy: what a re-post is compared with (ADR 0039).
 * One text rather than a stream of a protocol message per value. `undefined` if the list holds
 * more than `atMost` values (so the text stays far below PostgreSQL's 1 GB for one value).
 */
export async function listText(
  tx: EntityManager,
  listSeq: number,
  atMost: number,
): Promise<ListText | undefined> {
  const [row]: ListText[] = await tx.query(
    `SELECT count(*)::int AS count, coalesce(string_agg(value, E'\\n' ORDER BY value), '') AS text
       FROM (SELECT value FROM list_entry WHERE list_seq = $1 ORDER BY value LIMIT $2) v`,
    [listSeq, atMost + 1],
  );
  return row.count > atMost ? undefined : row;
}

export interface ListText {
  count: number;
  text: string;
}

/**
 * Posted values (sorted, distinct) against the list's text. The daily re-post of a whole list
 * is recognised without taking the text apart (its lines are exactly the posted values);
 * otherwise the text is split and compared (`diffSorted`). `undefined` when the lines are not
 * the values (one held a line break) or not in the posted values' order.
 */
export async function diffWithList(
  posted: string[],
  list: ListText,
): Promise<SortedDiff | undefined> {
  if (list.count === posted.length && (await sameLines(list.text, posted))) {
    return { added: [], missing: [] };
  }
  // Split in turns, as the posted lines are read: at once, 14 MB hold the event loop.
  const values: string[] = [];
  for (let at = 0; list.count && at <= list.text.length;) {
    if (values.length % LINES_PER_TURN === LINES_PER_TURN - 1) await setImmediate();
    let end = list.text.indexOf('\n', at);
    if (end < 0) end = list.text.length;
    values.push(list.text.slice(at, end));
    at = end + 1;
  }
  return values.length === list.count ? diffSorted(posted, values) : undefined;
}

/** Whether `text` is exactly `lines`, each followed by a line break but the last. */
async function sameLines(text: string, lines: string[]): Promise<boolean> {
  let at = 0;
  for (let i = 0; i < lines.length; i++) {
    if (i % LINES_PER_TURN === LINES_PER_TURN - 1) await setImmediate();
    if (!text.startsWith(lines[i], at)) return false;
    at += lines[i].length;
    if (i < lines.length - 1 ? text.charCodeAt(at) !== 10 : at !== text.length) return false;
    at++;
  }
  return lines.length > 0 || text.length === 0;
}

export interface SortedDiff {
  /** Posted values not in the list, in order. */
  added: string[];
  /** Values of the list not posted. */
  missing: string[];
}

/**
 * Posted values against the list's, both sorted: which are new and which of the list's were not
 * posted, in one pass that lets other requests in every LINES_PER_TURN steps. Both must be in
 * the order of `Array.prototype.sort` (UTF-16 code units) and without duplicates; the list's
 * values come in byte order, the same for every value outside the astral planes, and the pass
 * answers `undefined` if they are not in its order rather than a wrong difference.
 */
export async function diffSorted(
  posted: string[],
  list: string[],
): Promise<SortedDiff | undefined> {
  const added: string[] = [];
  const missing: string[] = [];
  let i = 0;
  let j = 0;
  for (let step = 1; i < posted.length || j < list.length; step++) {
    if (step % LINES_PER_TURN === 0) await setImmediate();
    if (j > 0 && j < list.length && list[j] <= list[j - 1]) return undefined;
    if (j >= list.length || (i < posted.length && posted[i] < list[j])) added.push(posted[i++]);
    else if (i >= posted.length || list[j] < posted[i]) missing.push(list[j++]);
    else {
      i++;
      j++;
    }
  }
  return { added, missing };
}
