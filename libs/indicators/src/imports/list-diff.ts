import { StringDecoder } from 'node:string_decoder';
import { setImmediate } from 'node:timers/promises';
import type { EntityManager } from 'typeorm';
import { copyOut } from './copy-rows';
import { LINES_PER_TURN } from './entry-input';

/**
 * The values of one list in the index's order (byte order, `COLLATE "C"`), read with `COPY …
 * TO` in the caller's transaction and under its policy: what a re-post is compared with
 * (ADR 0039). A million values are 14 MB and arrive while the hub sorts the posted lines.
 */
export async function listValues(tx: EntityManager, listSeq: number): Promise<string[]> {
  const copy = await copyOut(
    tx,
    `COPY (SELECT value FROM list_entry WHERE list_seq = ${Number(listSeq)} ORDER BY value) TO STDOUT`,
  );
  const decoder = new StringDecoder('utf8');
  const out: string[] = [];
  let rest = '';
  for await (const chunk of copy) {
    const lines = (rest + decoder.write(chunk as Buffer)).split('\n');
    rest = lines.pop()!;
    for (const line of lines) out.push(line.includes('\\') ? unescapeCopy(line) : line);
  }
  return out;
}

/** COPY's text format escapes backslash and control characters (values have none, in practice). */
function unescapeCopy(line: string): string {
  const named: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
  return line.replace(/\\(.)/g, (_, c: string) => named[c] ?? c);
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
