import { EntryProblem, EntryFormat } from '../lists/list.models';
import { readStixBundle, Tlp, valueAtPath } from '../stix';
import { loneSurrogateEscape } from './body-text';
import { cut, EntryError, EntryRow, readCsvInTurns, readTextInTurns } from './entry-input';

export interface ReadEntries {
  rows: EntryRow[];
  errors: EntryError[];
  ignored: EntryProblem[];
}

/**
 * Any accepted input format as entries, refused lines and (STIX) objects or parts of objects
 * left aside. `listTlp`: the TLP of the list the entries go into; STIX objects marked with a
 * stricter one are refused (text and CSV carry no markings). `normalise`: text and CSV ranges
 * with host bits set are taken as their networks; STIX patterns are machine-written, and one with
 * host bits set is always refused.
 */
export async function readEntries(
  format: EntryFormat,
  text: string,
  options: { listTlp?: Tlp; normalise?: boolean } = {},
): Promise<ReadEntries> {
  if (format === EntryFormat.CSV) return { ...(await readCsvInTurns(text, options)), ignored: [] };
  if (format === EntryFormat.TEXT)
    return { ...(await readTextInTurns(text, options)), ignored: [] };
  // Over REST and GraphQL alike: JSON.parse would make the escape a lone surrogate, which the
  // database would keep as U+FFFD.
  const lone = loneSurrogateEscape(text);
  if (lone) {
    const message = `${lone.escape} is a lone surrogate (half of a UTF-16 pair, not a character)`;
    return {
      rows: [],
      errors: [{ line: lone.line, where: `line ${lone.line}`, input: lone.escape, message }],
      ignored: [],
    };
  }
  const bundle = readStixBundle(text, { listTlp: options.listTlp });
  const index = (path: string) => Number(/^objects\[(\d+)\]/.exec(path)?.[1] ?? 0);
  // What a refused object's path points to, shown beside the reason; the text is read again
  // only when something was refused.
  let root: unknown;
  const inputAt = (path: string): string => {
    if (path === '') return text;
    root ??= JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
    const value = valueAtPath(root, path);
    return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  };
  return {
    rows: bundle.entries.map((e) => ({
      line: index(e.path),
      where: e.path,
      value: e.value,
      type: e.type,
      confidence: e.confidence,
      firstSeen: e.validFrom,
      validUntil: e.validUntil,
      tags: e.tags.length ? e.tags : undefined,
      note: e.note ?? undefined,
    })),
    errors: bundle.rejected.map((r) => ({
      line: index(r.path),
      where: r.path || 'the document',
      input: cut(inputAt(r.path)),
      message: r.reason,
    })),
    ignored: [
      ...bundle.ignored.map((i) => ({
        line: index(i.path),
        where: i.path,
        input: cut(i.type),
        message: i.reason,
      })),
      // Parts of imported objects the hub does not keep: the object's path, what was left out.
      ...bundle.dropped.map((d) => ({
        line: index(d.path),
        where: d.path || 'the bundle',
        input: cut(d.names.join(', ')),
        message: d.reason,
      })),
    ].sort((a, b) => a.line - b.line),
  };
}
