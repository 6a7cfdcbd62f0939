import { EntryProblem, EntryFormat } from '../lists/list.models';
import { readStixBundle } from '../stix';
import { cut, EntryError, EntryRow, readCsv, readText } from './entry-input';

export interface ReadEntries {
  rows: EntryRow[];
  errors: EntryError[];
  ignored: EntryProblem[];
}

/** Any accepted input format as entries, refused lines and (STIX) objects left aside. */
export function readEntries(format: EntryFormat, text: string): ReadEntries {
  if (format === EntryFormat.CSV) return { ...readCsv(text), ignored: [] };
  if (format === EntryFormat.TEXT) return { ...readText(text), ignored: [] };
  const bundle = readStixBundle(text);
  const index = (path: string) => Number(/^objects\[(\d+)\]/.exec(path)?.[1] ?? 0);
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
      input: '',
      message: r.reason,
    })),
    ignored: bundle.ignored.map((i) => ({
      line: index(i.path),
      where: i.path,
      input: cut(i.type),
      message: i.reason,
    })),
  };
}
