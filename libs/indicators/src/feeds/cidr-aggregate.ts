import ipaddr from 'ipaddr.js';

/** Room for an IPv4 prefix (0 to 32) beside its start: start * 64 + prefix < 2^38 < 2^53. */
const PREFIX_SLOTS = 64;

/**
 * Blocklist aggregation: the fewest CIDR blocks that cover exactly the addresses of a feed's
 * entries, so firewalls with table limits (and operators reading diffs) get short lists.
 *
 * Input: IPv4 and IPv6 addresses and CIDR blocks, mixed, in the hub's normalised form (dotted
 * quad, network address without host bits). Anything else throws rather than being guessed at,
 * because a misread entry would block the wrong addresses.
 *
 * Output conventions (shared by `AllowList.split`):
 * - a block of one address is written as the bare address ('192.0.2.1', '2001:db8::1'), not as
 *   a /32 or /128: the usual firewall list formats (ipset, nftables sets, pf tables, vendors'
 *   external dynamic lists) accept both, and bare addresses are what people grep for;
 * - IPv6 in RFC 5952 form, like the rest of the hub;
 * - each family sorted by numeric address (not as text, where '10.0.0.10' < '10.0.0.9').
 *
 * Method: one interval per entry, sort, merge overlapping and adjacent intervals into maximal
 * runs, then cut each run into the largest aligned blocks from its low end. A CIDR block is an
 * interval, so it lies within one run, and this greedy cut is the unique minimal one for a run;
 * no address is ever expanded. IPv4 uses plain numbers (exact up to 2^53), IPv6 uses bigint.
 */
export function aggregate(entries: string[]): { v4: string[]; v6: string[] } {
  const { v4Keys, v6Spans } = parseAll(entries);
  const v4: string[] = [];
  const runs = mergeV4(v4Keys);
  for (let i = 0; i < runs.length; i += 2) v4Blocks(runs[i], runs[i + 1], v4);
  const v6: string[] = [];
  for (const run of mergeSpans(v6Spans)) bigBlocks(true, run.first, run.last, v6);
  return { v4, v6 };
}

/**
 * How many distinct addresses the blocks cover, IPv4 and IPv6 together; overlapping blocks are
 * counted once, so the count of a feed equals the count of its aggregate.
 */
export function countAddresses(blocks: string[]): bigint {
  const { v4Keys, v6Spans } = parseAll(blocks);
  let v4 = 0; // at most 2^32, exact as a number
  const runs = mergeV4(v4Keys);
  for (let i = 0; i < runs.length; i += 2) v4 += runs[i + 1] - runs[i] + 1;
  let total = BigInt(v4);
  for (const run of mergeSpans(v6Spans)) total += run.last - run.first + 1n;
  return total;
}

/** The inclusive address interval of one entry; IPv4 values are below 2^32. */
export interface Span {
  v6: boolean;
  first: bigint;
  last: bigint;
}

/** One address or CIDR block as an interval (for the allow list); throws on a malformed entry. */
export function parseSpan(entry: string): Span {
  const text = entry.trim();
  if (text.includes(':')) {
    const { start, prefix } = parseV6(text, entry);
    return { v6: true, first: start, last: start + (1n << BigInt(128 - prefix)) - 1n };
  }
  const key = parseV4(text, entry);
  const start = Math.floor(key / PREFIX_SLOTS);
  const size = 2 ** (32 - (key - start * PREFIX_SLOTS));
  return { v6: false, first: BigInt(start), last: BigInt(start + size - 1) };
}

/** An IPv4 address or block as its first and last address, in plain numbers (no BigInt). */
export function parseV4Span(entry: string): { first: number; last: number } {
  const key = parseV4(entry.trim(), entry);
  const first = Math.floor(key / PREFIX_SLOTS);
  return { first, last: first + 2 ** (32 - (key - first * PREFIX_SLOTS)) - 1 };
}

/** The minimal blocks covering first..last, in the output conventions above. */
export function spanBlocks(v6: boolean, first: bigint, last: bigint): string[] {
  const out: string[] = [];
  bigBlocks(v6, first, last, out);
  return out;
}

function parseAll(entries: string[]): { v4Keys: Float64Array; v6Spans: Span[] } {
  // IPv4 entries become start * 64 + prefix in one typed array: 38 bits fit a double exactly,
  // and a typed-array sort is numeric without a comparator, which keeps a million entries fast.
  const v4Keys = new Float64Array(entries.length);
  let count = 0;
  const v6Spans: Span[] = [];
  for (const entry of entries) {
    const text = entry.trim();
    if (text.includes(':')) {
      const { start, prefix } = parseV6(text, entry);
      v6Spans.push({ v6: true, first: start, last: start + (1n << BigInt(128 - prefix)) - 1n });
    } else {
      v4Keys[count++] = parseV4(text, entry);
    }
  }
  return { v4Keys: v4Keys.subarray(0, count), v6Spans };
}

/** Sorted maximal runs of the IPv4 entries, flattened as [first, last, first, last, ...]. */
function mergeV4(keys: Float64Array): number[] {
  keys.sort();
  const runs: number[] = [];
  let first = -1;
  let last = -2;
  for (const key of keys) {
    const start = Math.floor(key / PREFIX_SLOTS);
    const end = start + 2 ** (32 - (key - start * PREFIX_SLOTS)) - 1;
    if (start <= last + 1) {
      if (end > last) last = end; // overlapping or adjacent: extend the run
    } else {
      if (first >= 0) runs.push(first, last);
      first = start;
      last = end;
    }
  }
  if (first >= 0) runs.push(first, last);
  return runs;
}

/** Sorted maximal runs (overlapping and adjacent spans joined); sorts `spans` in place. */
export function mergeSpans(spans: Span[]): { first: bigint; last: bigint }[] {
  spans.sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const runs: { first: bigint; last: bigint }[] = [];
  for (const { first, last } of spans) {
    const run = runs[runs.length - 1];
    if (run && first <= run.last + 1n) {
      if (last > run.last) run.last = last;
    } else {
      runs.push({ first, last });
    }
  }
  return runs;
}

function v4Blocks(first: number, last: number, out: string[]): void {
  while (first <= last) {
    // The largest block starting at `first` is given by its lowest set bit (all of IPv4 at 0);
    // `>>> 0` reads the int32 result unsigned, for blocks of 2^31.
    let size = first === 0 ? 2 ** 32 : (first & -first) >>> 0;
    while (size > last - first + 1) size /= 2;
    const prefix = size === 2 ** 32 ? 0 : Math.clz32(size) + 1;
    const address = formatV4(first);
    out.push(prefix === 32 ? address : `${address}/${prefix}`);
    first += size;
  }
}

function bigBlocks(v6: boolean, first: bigint, last: bigint, out: string[]): void {
  const bits = v6 ? 128 : 32;
  while (first <= last) {
    // Two's-complement `first & -first` is its lowest set bit; bigint has no width to wrap.
    let size = first === 0n ? 1n << BigInt(bits) : first & -first;
    while (size > last - first + 1n) size >>= 1n;
    const prefix = bits - (size.toString(2).length - 1);
    const address = v6 ? formatV6(first) : formatV4(Number(first));
    out.push(prefix === bits ? address : `${address}/${prefix}`);
    first += size;
  }
}

/** `>>> 24` reads the value as unsigned 32-bit; the `& 255` octets are the same either way. */
function formatV4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

function formatV6(value: bigint): string {
  const parts: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) parts.push(Number((value >> shift) & 0xffffn));
  return new ipaddr.IPv6(parts).toRFC5952String();
}

const invalid = (entry: string) => new Error(`"${entry}" is not an IP address or CIDR block`);

function parsePrefix(text: string, max: number, entry: string): number {
  if (!/^(0|[1-9][0-9]{0,2})$/.test(text) || Number(text) > max) throw invalid(entry);
  return Number(text);
}

/**
 * A dotted quad with optional prefix, as start * 64 + prefix. Hand-written because it is the hot
 * path of a million-entry feed; strict (exactly four decimal octets, no leading zeros, which some
 * parsers read as octal) since the input is meant to be normalised already.
 */
function parseV4(text: string, entry: string): number {
  const slash = text.indexOf('/');
  const end = slash === -1 ? text.length : slash;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) throw invalid(entry);
      value = value * 256 + octet;
      dots++;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) throw invalid(entry);
      octet = octet * 10 + (c - 48);
      digits++;
      if (octet > 255) throw invalid(entry);
    } else {
      throw invalid(entry);
    }
  }
  if (digits === 0 || dots !== 3) throw invalid(entry);
  value = value * 256 + octet;
  const prefix = slash === -1 ? 32 : parsePrefix(text.slice(slash + 1), 32, entry);
  const size = 2 ** (32 - prefix);
  if (value % size !== 0) {
    // Masking silently would block a whole network for what may be a typo of one address.
    const network = formatV4(value - (value % size));
    throw new Error(`"${entry}" has host bits set; the network is ${network}/${prefix}`);
  }
  return value * PREFIX_SLOTS + prefix;
}

function parseV6(text: string, entry: string): { start: bigint; prefix: number } {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  // A zone (fe80::1%eth0) names an interface on one host; it means nothing in a shared feed.
  if (address.includes('%') || !ipaddr.IPv6.isValid(address)) throw invalid(entry);
  const prefix = slash === -1 ? 128 : parsePrefix(text.slice(slash + 1), 128, entry);
  let start = 0n;
  for (const part of ipaddr.IPv6.parse(address).parts) start = (start << 16n) | BigInt(part);
  const hostMask = (1n << BigInt(128 - prefix)) - 1n;
  if ((start & hostMask) !== 0n) {
    const network = formatV6(start & ~hostMask);
    throw new Error(`"${entry}" has host bits set; the network is ${network}/${prefix}`);
  }
  return { start, prefix };
}
