import type { PoolClient } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';
import { EntryRow } from './entry-input';

const CHUNK_ROWS = 10_000;

/**
 * Streams parsed entries into a staging table with COPY (one round trip for a million lines,
 * not a million INSERTs), on the connection of the caller's transaction so the rows vanish with
 * it. Columns: value, type, line, confidence, first_seen, last_seen, valid_until, tags, note.
 */
export async function copyRows(tx: EntityManager, table: string, rows: EntryRow[]): Promise<void> {
  await copyChunks(
    tx,
    `COPY ${table} (value, type, line, confidence, first_seen, last_seen, valid_until, tags, note) FROM STDIN`,
    inChunks(rows.length, (from, to) => {
      const lines = new Array<string>(to - from);
      for (let i = from; i < to; i++) lines[i - from] = copyLine(rows[i]);
      return lines.join('');
    }),
  );
}

/**
 * COPY of ready lines (text format, already escaped), each followed by the same `suffix` (the
 * columns every line shares, and the newline).
 */
export async function copyLines(
  tx: EntityManager,
  sql: string,
  lines: string[],
  suffix: string,
): Promise<void> {
  await copyChunks(tx, sql, linesInChunks(lines, suffix));
}

/**
 * COPY of ready lines that arrive in parts (`sortedRanges`), each line followed by `suffix`:
 * every part is written as soon as it comes, so PostgreSQL takes the first while the next is
 * made. A failing source aborts the COPY (and so the transaction).
 */
export async function copyParts(
  tx: EntityManager,
  sql: string,
  parts: AsyncIterable<string[]>,
  suffix: string,
): Promise<void> {
  await copyChunks(
    tx,
    sql,
    (async function* () {
      for await (const part of parts) yield* linesInChunks(part, suffix);
    })(),
  );
}

/** CHUNK_ROWS rows at a time, rendered by `chunk` (joined arrays: concatenation is slower). */
function* inChunks(count: number, chunk: (from: number, to: number) => string): Iterable<string> {
  for (let i = 0; i < count; i += CHUNK_ROWS) yield chunk(i, Math.min(i + CHUNK_ROWS, count));
}

function linesInChunks(lines: string[], suffix: string): Iterable<string> {
  return inChunks(lines.length, (from, to) => lines.slice(from, to).join(suffix).concat(suffix));
}

/**
 * The one COPY writer: streams the chunks in the caller's transaction, waiting whenever
 * PostgreSQL has not taken the last one yet. A source that fails aborts the COPY.
 */
async function copyChunks(
  tx: EntityManager,
  sql: string,
  chunks: Iterable<string> | AsyncIterable<string>,
): Promise<void> {
  const client = await clientOf(tx);
  const stream = client.query(copyFrom(sql));
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  finished.catch(() => undefined); // awaited below, after the source is drained or has failed
  try {
    for await (const text of chunks) {
      if (!stream.write(text)) {
        await Promise.race([new Promise((resolve) => stream.once('drain', resolve)), finished]);
      }
    }
    stream.end();
  } catch (e) {
    stream.destroy(e as Error);
    throw e;
  }
  await finished;
}

/** The pg connection of a transaction's query runner (for COPY and row counts). */
async function clientOf(tx: EntityManager): Promise<PoolClient> {
  const runner = tx.queryRunner as unknown as { connect(): Promise<PoolClient> } | undefined;
  if (!runner) throw new Error('needs a transaction');
  return runner.connect();
}

/**
 * Runs a query in the transaction with rows as arrays, not objects: for the large reads
 * (a feed's every entry), where building an object per row costs more than the query.
 */
export async function queryArrays<T extends unknown[]>(
  tx: EntityManager,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const result = await (
    await clientOf(tx)
  ).query<T>({ text: sql, values: params, rowMode: 'array' });
  return result.rows;
}

/** `COPY (…) TO STDOUT` in the transaction, as a stream of its bytes. */
export async function copyOut(tx: EntityManager, sql: string): Promise<NodeJS.ReadableStream> {
  return (await clientOf(tx)).query(copyTo(sql));
}

/** Runs a statement in the transaction and returns how many rows it wrote. */
export async function execute(tx: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const result = await (await clientOf(tx)).query(sql, params);
  return result.rowCount ?? 0;
}

export function copyLine(r: EntryRow): string {
  // Values are canonical (no control characters), so only overrides need escaping; the
  // common case, a bare value, is a short concatenation.
  if (
    r.confidence === undefined &&
    !r.firstSeen &&
    !r.lastSeen &&
    !r.validUntil &&
    !r.tags &&
    r.note === undefined
  ) {
    return `${field(r.value)}\t${r.type}\t${r.line}\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n`;
  }
  return (
    [
      field(r.value),
      r.type,
      String(r.line),
      r.confidence === undefined ? '\\N' : String(r.confidence),
      r.firstSeen ? r.firstSeen.toISOString() : '\\N',
      r.lastSeen ? r.lastSeen.toISOString() : '\\N',
      r.validUntil ? r.validUntil.toISOString() : '\\N',
      r.tags ? field(arrayLiteral(r.tags)) : '\\N',
      r.note === undefined ? '\\N' : field(r.note),
    ].join('\t') + '\n'
  );
}

/** COPY text format: backslash, tab, newline and carriage return escaped. */
export function field(text: string): string {
  return /[\\\t\n\r]/.test(text)
    ? text.replace(
        /[\\\t\n\r]/g,
        (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!,
      )
    : text;
}

/** A PostgreSQL text[] literal with every element quoted. */
export function arrayLiteral(items: string[]): string {
  return `{${items.map((t) => `"${t.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
