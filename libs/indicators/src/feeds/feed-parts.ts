import { parseSpan, parseV4Span, spanBlocks } from './cidr-aggregate';

/**
 * Which part of a segmented feed (`parts=n&part=k`) each address belongs to.
 *
 * The part is a function of the address alone (and n), never of the entry that carries it or
 * of its neighbours: so every address is in exactly one part, the parts together are the whole
 * feed, and an address stays in its part whatever is added or removed around it (a firewall
 * refreshes its external lists one at a time; an address that moved would be in neither for a
 * while). Hashing each entry's text, as before, let a /32 land in another part than the /20 that
 * contains it.
 *
 * The space is cut in top blocks (IPv4 /8, IPv6 /12, the size of the registries' allocations);
 * each top block is cut in n contiguous runs of slots (IPv4 /24s, IPv6 /32s), and the runs are
 * dealt to the parts starting at a hash of the top block. Contiguous runs keep a wide entry in
 * few pieces (a /8 is at most n runs, each a handful of blocks) where hashing every /24 would
 * shatter it; the hash of the top block spreads the busy low ends of the top blocks over all
 * parts. See ADR 0013.
 */

interface Family {
  bits: number;
  /** Prefix length of a top block. */
  top: number;
  /** Prefix length of a slot, the unit runs are made of (so run edges are aligned blocks). */
  slot: number;
}

const V4: Family = { bits: 32, top: 8, slot: 24 };
const V6: Family = { bits: 128, top: 12, slot: 32 };

/** The hash of a top block, from the family and the block's number: stable across releases. */
function topHash(v6: boolean, top: bigint): number {
  return fnv1a(`${v6 ? 6 : 4}:${top}`);
}

/** 32-bit FNV-1a of the UTF-16 code units: stable across releases, cheap, well spread. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const V4_TOP_HASHES = Array.from({ length: 256 }, (_, top) => topHash(false, BigInt(top)));

/**
 * The part of an address or CIDR block (in the hub's normalised form) that falls in `part` of
 * `parts`: [entry] when all of it does (the usual case), [] when none of it does, else the
 * minimal blocks of what does.
 */
export function blocksInPart(entry: string, parts: number, part: number): string[] {
  if (!entry.includes(':')) {
    // Most entries: an IPv4 address or a block within one /24, checked without BigInt.
    const { first, last } = parseV4Span(entry);
    if (Math.floor(first / 256) === Math.floor(last / 256)) {
      const run = Math.floor((((first >>> 8) & 0xffff) * parts) / 0x10000);
      return ((V4_TOP_HASHES[first >>> 24] + run) % parts) + 1 === part ? [entry] : [];
    }
  }
  const span = parseSpan(entry);
  const f = span.v6 ? V6 : V4;
  const pieces = runsInPart(f, span.v6, span.first, span.last, parts, part);
  if (pieces.length === 1 && pieces[0].first === span.first && pieces[0].last === span.last) {
    return [entry];
  }
  return pieces.flatMap((p) => spanBlocks(span.v6, p.first, p.last));
}

/** The address intervals of first..last that lie in `part`, in order. */
function runsInPart(
  f: Family,
  v6: boolean,
  first: bigint,
  last: bigint,
  parts: number,
  part: number,
): { first: bigint; last: bigint }[] {
  const out: { first: bigint; last: bigint }[] = [];
  const topShift = BigInt(f.bits - f.top);
  const slotShift = BigInt(f.bits - f.slot);
  const slotBits = BigInt(f.slot - f.top);
  const n = BigInt(parts);
  for (let top = first >> topShift; top <= last >> topShift; top++) {
    // The one run of this top block dealt to `part`: runs start at ceil(j * slots / n).
    const j = BigInt((((part - 1 - topHash(v6, top)) % parts) + parts) % parts);
    const fromSlot = (j * (1n << slotBits) + n - 1n) / n;
    const toSlot = ((j + 1n) * (1n << slotBits) + n - 1n) / n - 1n;
    if (toSlot < fromSlot) continue; // more parts than slots: this top block has no run here
    const base = top << topShift;
    const runFirst = base + (fromSlot << slotShift);
    const runLast = base + ((toSlot + 1n) << slotShift) - 1n;
    const lo = runFirst > first ? runFirst : first;
    const hi = runLast < last ? runLast : last;
    if (lo <= hi) out.push({ first: lo, last: hi });
  }
  return out;
}
