import { setImmediate } from 'node:timers/promises';
import type { EntityManager } from 'typeorm';
import { LINES_PER_TURN } from './entry-input';

/**
 * The values of one list in the index's order (byte order, `COLLATE "C"`), read in the caller's
 * transaction and under its policy: what a re-post is compared with (ADR 0039). One text of
 * all of them rather than a row each (a million rows cost the hub more to take apart than the
 * 14 MB of one value to split); `undefined` if a value holds a line break, so that the lines
 * are not the values.
 */
export async function listValues(
  tx: EntityManager,
  listSeq: number,
): Promise<string[] | undefined> {
  const [{ n, text }]: { n: number; text: string | null }[] = await tx.query(
    `SELECT count(*)::int AS n, string_agg(value, E'\\n' ORDER BY value) AS text
       FROM list_entry WHERE list_seq = $1`,
    [listSeq],
  );
  if (text === null) return [];
  // Split in turns, as the posted lines are read: at once, 14 MB hold the event loop.
  const values: string[] = [];
  for (let at = 0; at <= text.length;) {
    if (values.length % LINES_PER_TURN === LINES_PER_TURN - 1) await setImmediate();
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    values.push(text.slice(at, end));
    at = end + 1;
  }
  return values.length === n ? values : undefined;
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
