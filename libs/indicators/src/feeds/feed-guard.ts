import ipaddr from 'ipaddr.js';
import type { FeedGuardConfig } from '@renkei/platform';
import type { EntryError, EntryRow } from '../imports/entry-input';
import { parseSpan, parseV4Span, Span } from './cidr-aggregate';

/**
 * The guard-rails every entry passes before it is stored, whatever the input path (GraphQL,
 * REST text, CSV, STIX, the bulk COPY): they run in ListService.addEntries, the one door into
 * `list_entry` (ADR 0012). Pure: the limits and the protected ranges are given.
 *
 * Firewalls apply the hub's feeds automatically at every member, so one typo or one stolen
 * token must not black-hole a sector: ranges broader than real threat feeds ever publish are
 * refused, and so is anything that overlaps a range the coordinator declared protected.
 */

export interface ProtectedRange {
  range: string;
  note: string;
}

/** What a change would add to feeds, for the review rule: IPv4 addresses, IPv6 /64 networks. */
export interface AddedSpace {
  ipv4: number;
  ipv6Nets: number;
}

const ADDRESS_TYPES = new Set(['ipv4', 'ipv6', 'ipv4-cidr', 'ipv6-cidr']);

/** The entries that may be stored, and why each other one is refused. */
export function guardEntries(
  rows: EntryRow[],
  broadest: FeedGuardConfig['broadest'],
  protectedRanges: ProtectedRange[],
): { rows: EntryRow[]; errors: EntryError[] } {
  const guarded = protectedRanges.map((p) => ({ ...p, span: parseSpan(p.range) }));
  const kept: EntryRow[] = [];
  const errors: EntryError[] = [];
  for (const row of rows) {
    const host = row.type === 'url' ? urlAddressHost(row) : null;
    const why = ADDRESS_TYPES.has(row.type)
      ? refusal(row, broadest, guarded)
      : host && refusal(host, broadest, guarded);
    if (why === null) kept.push(row);
    else
      errors.push({
        line: row.line,
        where: row.where ?? `line ${row.line}`,
        input: row.value,
        message: why,
      });
  }
  return { rows: kept, errors };
}

function refusal(
  row: EntryRow,
  broadest: FeedGuardConfig['broadest'],
  guarded: (ProtectedRange & { span: Span })[],
): string | null {
  const v6 = row.type === 'ipv6' || row.type === 'ipv6-cidr';
  if (row.type === 'ipv4-cidr' || row.type === 'ipv6-cidr') {
    const prefix = Number(row.value.slice(row.value.indexOf('/') + 1));
    const limit = v6 ? broadest.ipv6 : broadest.ipv4;
    if (prefix < limit) {
      const family = v6 ? 'IPv6' : 'IPv4';
      return (
        `${row.value} is broader than /${limit}, the broadest ${family} range the hub serves: ` +
        `blocklists are applied automatically at every member, and real threat feeds never list ` +
        `ranges this wide. List the attacking addresses or narrower ranges; if a range this ` +
        `wide must be blocked, ask the coordinator`
      );
    }
  }
  if (!guarded.length) return null;
  const span = spanOf(row.value, v6);
  for (const p of guarded) {
    if (p.span.v6 !== v6 || p.span.first > span.last || p.span.last < span.first) continue;
    const inside = p.span.first <= span.first && p.span.last >= span.last;
    const what = p.note ? `${p.range} (${p.note})` : p.range;
    return inside
      ? `${row.value} is within ${what}, a range the coordinator protected: it must never be blocked`
      : `${row.value} overlaps ${what}, a range the coordinator protected: list the parts outside it`;
  }
  return null;
}

/**
 * A URL whose host is an address literal, as that address (an IPv4-mapped IPv6 literal as its
 * IPv4): a URL filter blocks the host, so a protected address must not be reached that way.
 */
function urlAddressHost(row: EntryRow): EntryRow | null {
  let host: string;
  try {
    host = new URL(row.value).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
  if (!ipaddr.isValid(host)) return null;
  let address = ipaddr.parse(host);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    address = (address as ipaddr.IPv6).toIPv4Address();
  }
  return { ...row, value: address.toString(), type: address.kind() === 'ipv4' ? 'ipv4' : 'ipv6' };
}

function spanOf(value: string, v6: boolean): Span {
  if (v6) return parseSpan(value);
  const { first, last } = parseV4Span(value);
  return { v6: false, first: BigInt(first), last: BigInt(last) };
}

/**
 * The address space the rows would add at most (values already in the list are counted too;
 * the service counts exactly in the database when this bound crosses a threshold).
 */
export function addedSpace(rows: { value: string; type: string }[]): AddedSpace {
  const space: AddedSpace = { ipv4: 0, ipv6Nets: 0 };
  for (const r of rows) {
    if (r.type === 'ipv4') space.ipv4 += 1;
    else if (r.type === 'ipv4-cidr') space.ipv4 += 2 ** (32 - prefixOf(r.value));
    else if (r.type === 'ipv6') space.ipv6Nets += 1;
    else if (r.type === 'ipv6-cidr') space.ipv6Nets += 2 ** Math.max(0, 64 - prefixOf(r.value));
  }
  return space;
}

/**
 * The space of the values new to a list when every row is a single address of one family:
 * then each new value counts one, and `newValues` (how many the merge inserted) is exact without
 * reading them back. Otherwise undefined: the database counts.
 */
export function singleAddresses(
  rows: { type: string }[],
  newValues: number,
): AddedSpace | undefined {
  const type = rows[0]?.type;
  if (type !== 'ipv4' && type !== 'ipv6') return undefined;
  for (const r of rows) if (r.type !== type) return undefined;
  return type === 'ipv4' ? { ipv4: newValues, ipv6Nets: 0 } : { ipv4: 0, ipv6Nets: newValues };
}

/**
 * The growth rule applies from a /16's worth of IPv4 addresses up: below it, a change is small
 * whatever the feeds hold, and a young hub's feeds (nearly empty) may still grow.
 */
export const GROWTH_FLOOR = 65_536;

/**
 * Why a change must wait for a coordinator, or null when it may reach feeds at once. `served`:
 * what every member's blocklists already hold (the CLEAR and GREEN lists, which every member
 * receives), a lower bound of the feed of any organisation the change reaches, so the growth
 * rule holds a change that grows any of them by more than the share, and perhaps more. IPv4
 * only: IPv6 blocklists are mostly single addresses, and one /48 multiplies their address space
 * by thousands, so a share says nothing there; the absolute /64 limit guards IPv6.
 */
export function reviewReason(
  space: AddedSpace,
  review: FeedGuardConfig['review'],
  served?: AddedSpace,
): string | null {
  if (space.ipv4 > review.ipv4Addresses) {
    return (
      `it adds ${space.ipv4.toLocaleString('en')} IPv4 addresses to blocklists, more than ` +
      `${review.ipv4Addresses.toLocaleString('en')}`
    );
  }
  if (space.ipv6Nets > review.ipv6Nets) {
    return (
      `it adds ${space.ipv6Nets.toLocaleString('en')} IPv6 /64 networks to blocklists, more than ` +
      `${review.ipv6Nets.toLocaleString('en')}`
    );
  }
  if (!served || space.ipv4 < GROWTH_FLOOR) return null;
  if (space.ipv4 <= served.ipv4 * (review.growthPercent / 100)) return null;
  const grows = served.ipv4 ? `${Math.round((space.ipv4 / served.ipv4) * 100)}%` : 'from nothing';
  return (
    `it grows the blocklists every member receives by ${grows} ` +
    `(${space.ipv4.toLocaleString('en')} IPv4 addresses on ${served.ipv4.toLocaleString('en')}), ` +
    `more than the ${review.growthPercent}% the hub takes at once`
  );
}

/** Whether a change this large might need review: then the database counts exactly. */
export function mayNeedReview(space: AddedSpace, review: FeedGuardConfig['review']): boolean {
  return reviewReason(space, review) !== null || space.ipv4 >= GROWTH_FLOOR;
}

function prefixOf(value: string): number {
  return Number(value.slice(value.indexOf('/') + 1));
}
