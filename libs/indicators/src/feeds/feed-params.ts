import { FieldError } from '@renkei/platform';
import { FEED_KINDS, FeedFormat, FeedKind } from './feed-render';

/** A feed request, checked and in one canonical form (which is also its cache key). */
export interface FeedRequest {
  kind: FeedKind;
  format: FeedFormat;
  checksum?: 'sha256' | 'md5';
  lists: string[];
  minConfidence: number;
  sectors: string[];
  aggregate: boolean;
  max?: number;
  parts?: number;
  part?: number;
}

const FORMATS: Record<string, FeedFormat> = { txt: 'txt', csv: 'csv', json: 'json', stix: 'stix' };
const PARAMS = ['list', 'min_confidence', 'sector', 'aggregate', 'max', 'parts', 'part'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The shape of the seeded sector codes (electric-power): nothing else reaches the database. */
const SECTOR_CODE = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * Reads `/feeds/<kind>.<format>[.sha256|.md5]` and its query. Every problem is reported with
 * the parameter it concerns; unknown parameters are refused rather than ignored, so a typo
 * (`min_confidance=90`) cannot silently widen a firewall's list.
 */
export function parseFeedRequest(
  name: string,
  query: Record<string, unknown>,
): { ok: true; request: FeedRequest } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const m = /^([a-z0-9]+)\.(txt|csv|json|stix)(?:\.(sha256|md5))?$/.exec(name);
  const kinds = Object.keys(FEED_KINDS).join(', ');
  if (!m || !(m[1] in FEED_KINDS)) {
    return {
      ok: false,
      errors: [
        {
          path: 'path',
          message: `"${name}" is not a feed; use <kind>.<format> with kind one of ${kinds} and format txt, csv, json or stix (e.g. ipv4.txt)`,
        },
      ],
    };
  }
  const values = (key: string): string[] => {
    const v = query[key];
    if (v === undefined) return [];
    const list = Array.isArray(v) ? v : [v];
    return list
      .flatMap((x) => String(x).split(','))
      .map((x) => x.trim())
      .filter(Boolean);
  };
  const single = (key: string): string | undefined => {
    const v = values(key);
    if (v.length > 1) errors.push({ path: key, message: 'may be given once' });
    return v[0];
  };
  const integer = (key: string, min: number, max: number): number | undefined => {
    const v = single(key);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
      errors.push({ path: key, message: `must be a whole number from ${min} to ${max}` });
      return undefined;
    }
    return Number(v);
  };

  for (const key of Object.keys(query)) {
    if (!PARAMS.includes(key)) {
      errors.push({ path: key, message: `is not a feed parameter; use ${PARAMS.join(', ')}` });
    }
  }
  const lists = [...new Set(values('list'))].sort();
  lists.forEach((l, i) => {
    if (!UUID.test(l)) errors.push({ path: `list.${i}`, message: `"${l}" is not a list id` });
  });
  const sectors = [...new Set(values('sector'))].sort();
  sectors.forEach((s, i) => {
    if (!SECTOR_CODE.test(s))
      errors.push({ path: `sector.${i}`, message: `"${s}" is not a sector code` });
  });
  const aggregateText = single('aggregate');
  if (aggregateText !== undefined && !['0', '1', 'true', 'false'].includes(aggregateText)) {
    errors.push({ path: 'aggregate', message: 'must be true or false' });
  }
  const aggregate = aggregateText === '1' || aggregateText === 'true';
  const format = FORMATS[m[2]];
  const kind = m[1] as FeedKind;
  if (aggregate && (format !== 'txt' || !['ip', 'ipv4', 'ipv6'].includes(kind))) {
    errors.push({
      path: 'aggregate',
      message: 'applies to the address feeds in text (ip.txt, ipv4.txt, ipv6.txt)',
    });
  }
  const minConfidence = integer('min_confidence', 0, 100) ?? 0;
  const max = integer('max', 1, 10_000_000);
  const parts = integer('parts', 1, 1000);
  const part = integer('part', 1, 1000);
  if ((parts === undefined) !== (part === undefined)) {
    errors.push({
      path: parts === undefined ? 'parts' : 'part',
      message: 'parts and part go together',
    });
  } else if (parts !== undefined && part! > parts) {
    errors.push({ path: 'part', message: `must be at most parts (${parts})` });
  }
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    request: {
      kind,
      format,
      checksum: m[3] as FeedRequest['checksum'],
      lists,
      minConfidence,
      sectors,
      aggregate,
      max,
      parts,
      part,
    },
  };
}

/** The canonical text of a request without its checksum suffix: the body it names. */
export function feedKey(r: FeedRequest): string {
  return JSON.stringify([
    r.kind,
    r.format,
    r.lists,
    r.minConfidence,
    r.sectors,
    r.aggregate,
    r.max ?? null,
    r.parts ?? null,
    r.part ?? null,
  ]);
}
