import type { FieldError } from '@renkei/platform';
import { beyondValidity, futureObservation, TimeLimits } from '@renkei/platform/time';
import { cut, EntryError, EntryRow } from './entry-input';

/**
 * The bounds on the times an import gives, applied where every import passes (ListService
 * addEntries, whatever the format or the surface): a sighting may not lie in the future beyond
 * the clock skew, an expiry not beyond the longest validity. One far-future date once made every
 * STIX feed and TAXII collection answer 500 and kept an entry in feeds for eight thousand years.
 *
 * A line with a time out of bounds becomes a refused line, named like the readers name theirs
 * (`line 3`, or the STIX property `objects[2].valid_until`).
 */
export interface BoundedEntries {
  rows: EntryRow[];
  errors: EntryError[];
}

/** What each time is called in the input it came from. */
const NAMES = {
  csv: { firstSeen: 'first_seen', lastSeen: 'last_seen', validUntil: 'valid_until' },
  stix: { firstSeen: 'valid_from', lastSeen: 'last_seen', validUntil: 'valid_until' },
} as const;

export function boundEntryTimes(
  input: { rows: EntryRow[]; errors: EntryError[] },
  source: string,
  now: Date,
  limits: TimeLimits,
): BoundedEntries {
  const names = source === 'stix' ? NAMES.stix : NAMES.csv;
  // A million bare lines carry no times: nothing to look at, no copy of the array.
  if (!input.rows.some((r) => r.firstSeen || r.lastSeen || r.validUntil)) return input;
  const rows: EntryRow[] = [];
  const errors = [...input.errors];
  for (const row of input.rows) {
    const why = (['firstSeen', 'lastSeen', 'validUntil'] as const)
      .map((key) => {
        const date = row[key];
        if (!date) return undefined;
        const message =
          key === 'validUntil'
            ? beyondValidity(date, now, limits)
            : futureObservation(date, now, limits);
        return message && { name: names[key], message };
      })
      .find(Boolean);
    if (!why) {
      rows.push(row);
      continue;
    }
    const object = row.where?.match(/^objects\[\d+\]/)?.[0];
    errors.push({
      line: row.line,
      where: object ? `${object}.${why.name}` : (row.where ?? `line ${row.line}`),
      input: cut(row.value),
      message: `${why.name}: ${why.message}`,
    });
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows, errors };
}

/** How the caller's surface names the batch-wide times, for its errors. */
export interface BatchTimePaths {
  seenAt: string;
  validityDays: string;
}

/**
 * The batch-wide times of an import, checked: when its lines were seen (not in the future beyond
 * the skew) and for how many days they stay live (not beyond the longest validity).
 */
export function batchTimeProblems(
  batch: { seenAt?: Date; validityDays?: number },
  paths: BatchTimePaths,
  now: Date,
  limits: TimeLimits,
): FieldError[] {
  const errors: FieldError[] = [];
  const future = batch.seenAt && futureObservation(batch.seenAt, now, limits);
  if (future) errors.push({ path: paths.seenAt, message: future });
  if (batch.validityDays !== undefined && batch.validityDays > limits.maxValidityDays) {
    errors.push({
      path: paths.validityDays,
      message: `must be at most ${limits.maxValidityDays} days, the longest validity allowed`,
    });
  }
  return errors;
}
