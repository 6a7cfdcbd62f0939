import { ValidateBy, ValidationOptions } from 'class-validator';
import { setImmediate } from 'node:timers/promises';
import { once } from 'node:events';
import { parse as parseCsvStream } from 'csv-parse';
import { parse as parseCsv } from 'csv-parse/sync';
import { parseInstant } from '@renkei/platform/time';
import { IndicatorType, parseIndicator } from '../values/indicator-value';

/**
 * Bulk input for a list, read into normalised entries or located errors, before anything touches
 * the database. Pure and framework-free (ADR 0002).
 *
 * Plain text: one value per line; `#` starts a comment at the start of a line or after
 * whitespace (a `#` inside a URL is a fragment, not a comment); blank lines are skipped.
 * CSV: a header row naming the columns (`value` required; `type`, `confidence`, `first_seen`,
 * `last_seen`, `valid_until`, `tags`, `note` optional, in any order), or no header and the
 * value alone in the first column.
 */

/** Properties a line may set for itself; absent ones come from the import's batch. */
export interface EntryOverrides {
  confidence?: number;
  firstSeen?: Date;
  lastSeen?: Date;
  validUntil?: Date;
  tags?: string[];
  note?: string;
}

export interface EntryRow extends EntryOverrides {
  /** 1-based line of the input (text, CSV), or the object's position for STIX. */
  line: number;
  /** Where in the input, e.g. "objects[3].pattern"; absent for a line of text or CSV ("line 12"). */
  where?: string;
  value: string;
  type: IndicatorType;
  warning?: string;
}

export interface EntryError {
  line: number;
  where: string;
  /** The offending input, cut to 200 characters. */
  input: string;
  message: string;
}

export interface EntryInput {
  rows: EntryRow[];
  errors: EntryError[];
}

export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 64;
const MAX_NOTE_LENGTH = 2000;

/**
 * What a tag may be, whichever way it comes (CSV cell, GraphQL, REST options, STIX labels): at
 * most MAX_TAG_LENGTH characters, no control character, and neither ';' nor '|' — the separators
 * of a CSV tags cell, in imports and in the CSV feed: a tag holding one would read back from
 * the feed as two tags, one of them nobody set (attack session 5b).
 */
export function tagProblem(tag: string): string | undefined {
  if (tag.length > MAX_TAG_LENGTH) {
    return `tag "${cut(tag)}" is longer than ${MAX_TAG_LENGTH} characters`;
  }
  if (/[;|]/.test(tag)) return `tag "${cut(tag)}" holds ";" or "|", which separate tags`;
  // Control characters (C0, DEL, C1 such as NEL), line and paragraph separators (line readers
  // split at them) and bidirectional overrides (they disguise what a tag says on screen).
  if (/[\p{Cc}\p{Zl}\p{Zp}\u202a-\u202e\u2066-\u2069]/u.test(tag)) {
    return `tag "${cut(tag)}" holds a control character`;
  }
  return undefined;
}

/** An input field of tags (GraphQL): `tagProblem` at the edge. */
export function IsTag(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTag',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && !tagProblem(v),
        defaultMessage: () =>
          `${options?.each ? 'each ' : ''}must be a tag of at most ${MAX_TAG_LENGTH} characters without ";", "|" or control characters`,
      },
    },
    options,
  );
}

/** The problem with a list of tags, if any (their number, then the first bad tag). */
export function tagsProblem(tags: readonly string[]): string | undefined {
  if (tags.length > MAX_TAGS) return `at most ${MAX_TAGS} tags`;
  for (const tag of tags) {
    const problem = tagProblem(tag);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * `normalise`: a range with host bits set (10.1.2.3/8) is taken as its network, with a warning.
 * Without it the line is refused with both readings, because a typo either way can mean a
 * block 2^n times larger or smaller than meant.
 */
export interface ReadOptions {
  normalise?: boolean;
}

/** `firstLine`: the number of the text's first line, when it is a part of a larger input. */
export function readText(text: string, options: ReadOptions = {}, firstLine = 1): EntryInput {
  const out: EntryInput = { rows: [], errors: [] };
  readLines(firstLine === 1 ? stripBom(text) : text, options, firstLine, out);
  return out;
}

/**
 * The lines of `text` as entries and located errors, added to `out`; answers how many pieces
 * the text split into (a text ending with a line break ends with an empty one).
 */
function readLines(text: string, options: ReadOptions, firstLine: number, out: EntryInput): number {
  const hostBits = options.normalise ? 'mask' : 'reject';
  const { rows, errors } = out;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let raw = lines[i];
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    const value = withoutComment(raw).trim();
    if (value === '') continue;
    const line = i + firstLine;
    const parsed = parseIndicator(value, { hostBits });
    if (parsed.ok) {
      // A million lines make a million of these: no more fields than needed.
      const row: EntryRow = { line, value: parsed.value, type: parsed.type };
      if (parsed.warning) row.warning = parsed.warning;
      rows.push(row);
    } else {
      errors.push({ line, where: `line ${line}`, input: cut(value), message: parsed.message });
    }
  }
  return lines.length;
}

/**
 * Lines read per turn of the event loop: a million-line import read in one go held every other
 * request for about a second (bench/event-loop.mjs); this many take a few milliseconds.
 */
export const LINES_PER_TURN = 10_000;

/**
 * Characters of a text read per turn (about LINES_PER_TURN addresses): a part ends at the first
 * line break after this many, found with one search rather than one per line (ADR 0042).
 */
const CHARS_PER_TURN = 131_072;

/** readText, a part of the text at a time, letting other requests in between the parts. */
export async function readTextInTurns(
  text: string,
  options: ReadOptions = {},
): Promise<EntryInput> {
  const out: EntryInput = { rows: [], errors: [] };
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  for (;;) {
    const newline =
      start + CHARS_PER_TURN < text.length ? text.indexOf('\n', start + CHARS_PER_TURN) : -1;
    const end = newline === -1 ? text.length : newline + 1;
    const pieces = readLines(text.slice(start, end), options, line, out);
    if (end >= text.length) return out;
    // The part ends with its line break: its last piece is empty, not a line.
    line += pieces - 1;
    start = end;
    await setImmediate();
  }
}

const CSV_COLUMNS = [
  'value',
  'type',
  'confidence',
  'first_seen',
  'last_seen',
  'valid_until',
  'tags',
  'note',
] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

const CSV_OPTIONS = {
  info: true,
  relax_column_count: true,
  skip_empty_lines: true,
  trim: true,
  comment: '#',
  comment_no_infix: true,
};

export function readCsv(text: string, options: ReadOptions = {}): EntryInput {
  let records: CsvRecord[];
  try {
    records = parseCsv(stripBom(text), CSV_OPTIONS) as unknown as CsvRecord[];
  } catch (e) {
    return notCsv(e);
  }
  const head = csvColumns(records);
  if ('message' in head) return { rows: [], errors: [head] };
  return readCsvRecords(records.slice(head.skip), head.columns, options);
}

/**
 * readCsv, a part of the text at a time, letting other requests in between: a million CSV lines
 * take seconds to parse (csv-parse reads about 300,000 a second here).
 */
export async function readCsvInTurns(text: string, options: ReadOptions = {}): Promise<EntryInput> {
  let records: CsvRecord[];
  try {
    records = await parseCsvInTurns(stripBom(text));
  } catch (e) {
    return notCsv(e);
  }
  const head = csvColumns(records);
  if ('message' in head) return { rows: [], errors: [head] };
  const rows: EntryRow[] = [];
  const errors: EntryError[] = [];
  for (let from = head.skip; from < records.length; from += LINES_PER_TURN) {
    if (from > head.skip) await setImmediate();
    const part = readCsvRecords(records.slice(from, from + LINES_PER_TURN), head.columns, options);
    for (const r of part.rows) rows.push(r);
    for (const e of part.errors) errors.push(e);
  }
  return { rows, errors };
}

/** CSV_OPTIONS' records, the parser fed 64 KiB per turn of the event loop. */
async function parseCsvInTurns(text: string): Promise<CsvRecord[]> {
  const parser = parseCsvStream(CSV_OPTIONS);
  const feeding = (async () => {
    for (let i = 0; i < text.length; i += 65_536) {
      if (!parser.write(text.slice(i, i + 65_536))) await once(parser, 'drain');
      await setImmediate();
    }
    parser.end();
  })();
  const records: CsvRecord[] = [];
  try {
    for await (const r of parser) records.push(r as CsvRecord);
  } finally {
    // A parse error ends the records early; the feeding then stops at its next write.
    await feeding.catch(() => undefined);
  }
  return records;
}

function notCsv(e: unknown): EntryInput {
  const err = e as Error & { lines?: number };
  const line = err.lines ?? 0;
  return {
    rows: [],
    errors: [{ line, where: `line ${line}`, input: '', message: `not valid CSV: ${err.message}` }],
  };
}

/** The columns from the first record: a header naming them (skip 1), or the value alone. */
function csvColumns(
  records: CsvRecord[],
): { columns: (CsvColumn | null)[]; skip: number } | EntryError {
  if (!records.length) return { columns: ['value'], skip: 0 };
  const first = records[0].record.map((h) => h.toLowerCase());
  const hasHeader = first.includes('value');
  if (!hasHeader) return { columns: ['value'], skip: 0 };
  const unknown = first.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  if (unknown.length) {
    const line = records[0].info.lines;
    return {
      line,
      where: `line ${line}`,
      input: cut(records[0].record.join(',')),
      message: `unknown column ${unknown.map((u) => JSON.stringify(u)).join(', ')}; the columns are ${CSV_COLUMNS.join(', ')}`,
    };
  }
  return { columns: first as CsvColumn[], skip: 1 };
}

/** Records after the header, as entries or located errors. */
function readCsvRecords(
  records: CsvRecord[],
  columns: (CsvColumn | null)[],
  options: ReadOptions,
): EntryInput {
  const hostBits = options.normalise ? 'mask' : 'reject';
  const rows: EntryRow[] = [];
  const errors: EntryError[] = [];
  for (const { record, info } of records) {
    const line = info.lines;
    const where = `line ${line}`;
    const cells: Partial<Record<CsvColumn, string>> = {};
    columns.forEach((c, i) => {
      if (c && record[i] !== undefined && record[i] !== '') cells[c] = record[i];
    });
    const fail = (message: string) =>
      errors.push({ line, where, input: cut(record.join(',')), message });
    if (!cells.value) {
      fail('the value column is empty');
      continue;
    }
    const type = cells.type as IndicatorType | undefined;
    const parsed = parseIndicator(cells.value, { type, hostBits });
    if (!parsed.ok) {
      fail(parsed.message);
      continue;
    }
    const overrides = readOverrides(cells);
    if ('message' in overrides) {
      fail(overrides.message);
      continue;
    }
    rows.push({
      line,
      where,
      value: parsed.value,
      type: parsed.type,
      warning: parsed.warning,
      ...overrides,
    });
  }
  return { rows, errors };
}

/** The optional columns of one CSV line, checked; a message names the first bad one. */
export function readOverrides(
  cells: Partial<Record<CsvColumn, string>>,
): EntryOverrides | { message: string } {
  const out: EntryOverrides = {};
  if (cells.confidence !== undefined) {
    if (!/^\d{1,3}$/.test(cells.confidence) || Number(cells.confidence) > 100) {
      return {
        message: `confidence "${cut(cells.confidence)}" must be a whole number from 0 to 100`,
      };
    }
    out.confidence = Number(cells.confidence);
  }
  for (const [column, key] of [
    ['first_seen', 'firstSeen'],
    ['last_seen', 'lastSeen'],
    ['valid_until', 'validUntil'],
  ] as const) {
    const text = cells[column];
    if (text === undefined) continue;
    const read = parseInstant(text);
    if (!read.ok) return { message: `${column}: ${read.message}` };
    out[key] = read.date;
  }
  if (out.firstSeen && out.lastSeen && out.firstSeen > out.lastSeen) {
    return { message: 'first_seen is after last_seen' };
  }
  if (cells.tags !== undefined) {
    const tags = [
      ...new Set(
        cells.tags
          .split(/[;|]/)
          .map((t) => t.trim())
          .filter(Boolean),
      ),
    ];
    const problem = tagsProblem(tags);
    if (problem) return { message: problem };
    out.tags = tags;
  }
  if (cells.note !== undefined) {
    if (cells.note.length > MAX_NOTE_LENGTH) {
      return { message: `note is longer than ${MAX_NOTE_LENGTH} characters` };
    }
    out.note = cells.note;
  }
  return out;
}

function withoutComment(line: string): string {
  if (!line.includes('#')) return line;
  const at = line.search(/(^|\s)#/);
  return at < 0 ? line : line.slice(0, at);
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function cut(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
