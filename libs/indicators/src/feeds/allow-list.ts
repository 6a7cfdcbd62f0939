import { mergeSpans, parseSpan, parseV4Span, Span, spanBlocks } from './cidr-aggregate';

export interface AllowedRange {
  range: string;
  reason: string;
}

/**
 * The IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890, as updated by RFC 8190
 * and the RFCs of later entries), plus the multicast spaces, which have registries of their own.
 * Blocking any of these either does nothing (never routed) or breaks the network the firewall
 * protects (private, loopback, link-local, multicast, DNS infrastructure such as AS112), and a
 * feed listing them is most often a sandbox or parser artefact. Entries that sit inside a larger
 * one are listed for their more precise reason; the registry's own names are kept so an
 * operator can look them up. Each reason names the RFC that assigned the block.
 */
export const SPECIAL_PURPOSE: AllowedRange[] = [
  // IPv4 Special-Purpose Address Registry
  { range: '0.0.0.0/8', reason: '"This network" (RFC 791, section 3.2)' },
  { range: '0.0.0.0/32', reason: '"This host on this network" (RFC 1122, section 3.2.1.3)' },
  { range: '10.0.0.0/8', reason: 'Private-Use (RFC 1918)' },
  { range: '100.64.0.0/10', reason: 'Shared Address Space, carrier-grade NAT (RFC 6598)' },
  { range: '127.0.0.0/8', reason: 'Loopback (RFC 1122, section 3.2.1.3)' },
  { range: '169.254.0.0/16', reason: 'Link Local (RFC 3927)' },
  { range: '172.16.0.0/12', reason: 'Private-Use (RFC 1918)' },
  { range: '192.0.0.0/24', reason: 'IETF Protocol Assignments (RFC 6890, section 2.1)' },
  { range: '192.0.0.0/29', reason: 'IPv4 Service Continuity Prefix (RFC 7335)' },
  { range: '192.0.0.8/32', reason: 'IPv4 dummy address (RFC 7600)' },
  { range: '192.0.0.9/32', reason: 'Port Control Protocol Anycast (RFC 7723)' },
  { range: '192.0.0.10/32', reason: 'Traversal Using Relays around NAT Anycast (RFC 8155)' },
  { range: '192.0.0.170/32', reason: 'NAT64/DNS64 Discovery (RFC 8880, RFC 7050)' },
  { range: '192.0.0.171/32', reason: 'NAT64/DNS64 Discovery (RFC 8880, RFC 7050)' },
  { range: '192.0.2.0/24', reason: 'Documentation, TEST-NET-1 (RFC 5737)' },
  { range: '192.31.196.0/24', reason: 'AS112-v4, reverse DNS sink (RFC 7535)' },
  { range: '192.52.193.0/24', reason: 'Automatic Multicast Tunneling (RFC 7450)' },
  { range: '192.88.99.0/24', reason: 'Deprecated 6to4 Relay Anycast (RFC 7526)' },
  { range: '192.168.0.0/16', reason: 'Private-Use (RFC 1918)' },
  { range: '192.175.48.0/24', reason: 'Direct Delegation AS112 Service (RFC 7534)' },
  { range: '198.18.0.0/15', reason: 'Benchmarking (RFC 2544)' },
  { range: '198.51.100.0/24', reason: 'Documentation, TEST-NET-2 (RFC 5737)' },
  { range: '203.0.113.0/24', reason: 'Documentation, TEST-NET-3 (RFC 5737)' },
  // Not in the special-purpose registry but in the IPv4 Multicast Address Space registry.
  { range: '224.0.0.0/4', reason: 'Multicast (RFC 5771)' },
  { range: '240.0.0.0/4', reason: 'Reserved (RFC 1112, section 4)' },
  { range: '255.255.255.255/32', reason: 'Limited Broadcast (RFC 8190, RFC 919 section 7)' },

  // IPv6 Special-Purpose Address Registry
  { range: '::/128', reason: 'Unspecified Address (RFC 4291)' },
  { range: '::1/128', reason: 'Loopback Address (RFC 4291)' },
  // Also what keeps '::ffff:10.0.0.1' and every other IPv4 address written as IPv6 unblocked.
  { range: '::ffff:0:0/96', reason: 'IPv4-mapped Address (RFC 4291)' },
  // Not in IANA's registry, but inside the reserved ::/8: the deprecated IPv4-compatible form of
  // the whole IPv4 space, which no host uses and which would otherwise be served as 31 ranges.
  { range: '::/96', reason: 'IPv4-compatible Address, deprecated (RFC 4291)' },
  { range: '64:ff9b::/96', reason: 'IPv4-IPv6 Translation, NAT64 (RFC 6052)' },
  { range: '64:ff9b:1::/48', reason: 'IPv4-IPv6 Translation, local use (RFC 8215)' },
  { range: '100::/64', reason: 'Discard-Only Address Block (RFC 6666)' },
  { range: '100:0:0:1::/64', reason: 'Dummy IPv6 Prefix (RFC 9780)' },
  { range: '2001::/23', reason: 'IETF Protocol Assignments (RFC 2928)' },
  { range: '2001::/32', reason: 'TEREDO (RFC 4380, RFC 8190)' },
  { range: '2001:1::1/128', reason: 'Port Control Protocol Anycast (RFC 7723)' },
  { range: '2001:1::2/128', reason: 'Traversal Using Relays around NAT Anycast (RFC 8155)' },
  { range: '2001:1::3/128', reason: 'DNS-SD Service Registration Protocol Anycast (RFC 9665)' },
  { range: '2001:2::/48', reason: 'Benchmarking (RFC 5180)' },
  { range: '2001:3::/32', reason: 'Automatic Multicast Tunneling (RFC 7450)' },
  { range: '2001:4:112::/48', reason: 'AS112-v6, reverse DNS sink (RFC 7535)' },
  { range: '2001:10::/28', reason: 'Deprecated, previously ORCHID (RFC 4843)' },
  { range: '2001:20::/28', reason: 'ORCHIDv2 (RFC 7343)' },
  { range: '2001:30::/28', reason: 'Drone Remote ID Protocol Entity Tags (RFC 9374)' },
  { range: '2001:db8::/32', reason: 'Documentation (RFC 3849)' },
  { range: '2002::/16', reason: '6to4 (RFC 3056)' },
  { range: '2620:4f:8000::/48', reason: 'Direct Delegation AS112 Service (RFC 7534)' },
  { range: '3fff::/20', reason: 'Documentation (RFC 9637)' },
  { range: '5f00::/16', reason: 'Segment Routing (SRv6) SIDs (RFC 9602)' },
  { range: 'fc00::/7', reason: 'Unique-Local (RFC 4193, RFC 8190)' },
  { range: 'fe80::/10', reason: 'Link-Local Unicast (RFC 4291)' },
  // Not in the special-purpose registry but in the IPv6 Multicast Address Space registry.
  { range: 'ff00::/8', reason: 'Multicast (RFC 4291)' },
];

/**
 * Public DNS resolvers: attacker infrastructure often queries them, so sandbox-derived feeds
 * list them, and blocking one takes name resolution down for everyone behind the firewall.
 */
export const PUBLIC_RESOLVERS: AllowedRange[] = [
  { range: '8.8.8.8/32', reason: 'Public DNS resolver: Google' },
  { range: '8.8.4.4/32', reason: 'Public DNS resolver: Google' },
  { range: '2001:4860:4860::8888/128', reason: 'Public DNS resolver: Google' },
  { range: '2001:4860:4860::8844/128', reason: 'Public DNS resolver: Google' },
  { range: '1.1.1.1/32', reason: 'Public DNS resolver: Cloudflare' },
  { range: '1.0.0.1/32', reason: 'Public DNS resolver: Cloudflare' },
  { range: '2606:4700:4700::1111/128', reason: 'Public DNS resolver: Cloudflare' },
  { range: '2606:4700:4700::1001/128', reason: 'Public DNS resolver: Cloudflare' },
  { range: '9.9.9.9/32', reason: 'Public DNS resolver: Quad9' },
  { range: '149.112.112.112/32', reason: 'Public DNS resolver: Quad9' },
  { range: '2620:fe::fe/128', reason: 'Public DNS resolver: Quad9' },
  { range: '2620:fe::9/128', reason: 'Public DNS resolver: Quad9' },
  // Filtering variants of the same services: as widely configured, as often in sandbox traffic.
  { range: '9.9.9.10/32', reason: 'Public DNS resolver: Quad9 (unsecured)' },
  { range: '149.112.112.10/32', reason: 'Public DNS resolver: Quad9 (unsecured)' },
  { range: '9.9.9.11/32', reason: 'Public DNS resolver: Quad9 (ECS)' },
  { range: '149.112.112.11/32', reason: 'Public DNS resolver: Quad9 (ECS)' },
  { range: '2620:fe::10/128', reason: 'Public DNS resolver: Quad9 (unsecured)' },
  { range: '2620:fe::fe:10/128', reason: 'Public DNS resolver: Quad9 (unsecured)' },
  { range: '2620:fe::11/128', reason: 'Public DNS resolver: Quad9 (ECS)' },
  { range: '2620:fe::fe:11/128', reason: 'Public DNS resolver: Quad9 (ECS)' },
  { range: '1.1.1.2/32', reason: 'Public DNS resolver: Cloudflare (malware blocking)' },
  { range: '1.0.0.2/32', reason: 'Public DNS resolver: Cloudflare (malware blocking)' },
  { range: '1.1.1.3/32', reason: 'Public DNS resolver: Cloudflare (families)' },
  { range: '1.0.0.3/32', reason: 'Public DNS resolver: Cloudflare (families)' },
  {
    range: '2606:4700:4700::1112/128',
    reason: 'Public DNS resolver: Cloudflare (malware blocking)',
  },
  {
    range: '2606:4700:4700::1002/128',
    reason: 'Public DNS resolver: Cloudflare (malware blocking)',
  },
  { range: '2606:4700:4700::1113/128', reason: 'Public DNS resolver: Cloudflare (families)' },
  { range: '2606:4700:4700::1003/128', reason: 'Public DNS resolver: Cloudflare (families)' },
  { range: '208.67.222.123/32', reason: 'Public DNS resolver: OpenDNS FamilyShield' },
  { range: '208.67.220.123/32', reason: 'Public DNS resolver: OpenDNS FamilyShield' },
  { range: '208.67.222.222/32', reason: 'Public DNS resolver: OpenDNS' },
  { range: '208.67.220.220/32', reason: 'Public DNS resolver: OpenDNS' },
  { range: '2620:119:35::35/128', reason: 'Public DNS resolver: OpenDNS' },
  { range: '2620:119:53::53/128', reason: 'Public DNS resolver: OpenDNS' },
];

interface Allowed extends Span {
  range: string;
  reason: string;
}

/**
 * The addresses a blocklist must never contain: the special-purpose ranges, the public
 * resolvers, and caller-supplied ranges (the hub-wide list, the pulling organisation's own
 * ranges, which it would otherwise block itself out of).
 *
 * Entries are addresses or CIDR blocks in the forms `aggregate` accepts; a malformed entry
 * throws. IPv4 and IPv6 are separate spaces, but the IPv6 forms that embed an IPv4 address
 * (mapped, NAT64, 6to4, Teredo) lie in special-purpose IPv6 ranges and so are covered whole.
 */
export class AllowList {
  private readonly ranges: Allowed[];
  /** Per family, the union of the ranges as sorted disjoint runs: the fast "not covered". */
  private readonly union: Record<'v4' | 'v6', { first: bigint; last: bigint }[]>;
  /** The IPv4 union again as plain numbers: a million imported addresses are checked here. */
  private readonly v4Firsts: Float64Array;
  private readonly v4Lasts: Float64Array;
  private readonly v6Firsts: bigint[];
  private readonly v6Lasts: bigint[];

  constructor(extra: AllowedRange[] = []) {
    this.ranges = [...SPECIAL_PURPOSE, ...PUBLIC_RESOLVERS, ...extra].map(({ range, reason }) => {
      try {
        return { ...parseSpan(range), range, reason };
      } catch (error) {
        throw new Error(`allowed range for "${reason}": ${(error as Error).message}`, {
          cause: error,
        });
      }
    });
    this.union = {
      v4: mergeSpans(this.ranges.filter((r) => !r.v6)),
      v6: mergeSpans(this.ranges.filter((r) => r.v6)),
    };
    this.v4Firsts = Float64Array.from(this.union.v4, (r) => Number(r.first));
    this.v4Lasts = Float64Array.from(this.union.v4, (r) => Number(r.last));
    this.v6Firsts = this.union.v6.map((r) => r.first);
    this.v6Lasts = this.union.v6.map((r) => r.last);
  }

  /**
   * Whether an address or CIDR block overlaps an allowed range. Any overlap counts: a /8 that
   * contains 8.8.8.8 must not be blocked whole (`split` gives what can be). The reason is that
   * of the narrowest range containing the whole entry, else of the narrowest one overlapping
   * it; on a tie, special-purpose before resolvers before caller-supplied ranges.
   */
  covers(entry: string): { reason: string; range: string } | null {
    if (!entry.includes(':') && !this.overlapsV4(parseV4Span(entry))) return null;
    const span = parseSpan(entry);
    if (!this.overlapsUnion(span)) return null; // the usual case for a feed entry
    const { best } = this.narrowest(span);
    return best && { reason: best.reason, range: best.range };
  }

  private narrowest(span: Span): { best: Allowed | null; contains: boolean } {
    let best: Allowed | null = null;
    let bestContains = false;
    for (const r of this.ranges) {
      if (r.v6 !== span.v6 || r.first > span.last || r.last < span.first) continue;
      const contains = r.first <= span.first && r.last >= span.last;
      const narrower = best !== null && r.last - r.first < best.last - best.first;
      if (best === null || (contains && !bestContains) || (contains === bestContains && narrower)) {
        best = r;
        bestContains = contains;
      }
    }
    return { best, contains: bestContains };
  }

  /**
   * Every allowed range an entry overlaps, so a poster is told all that is withheld: the
   * narrowest range that contains the whole entry when there is one (its reason is the most
   * precise), else the outermost ranges that overlap it, in address order (a range inside
   * another listed one adds nothing). [] when nothing is withheld.
   */
  withheld(entry: string): { reason: string; range: string }[] {
    const span = parseSpan(entry);
    if (!this.overlapsUnion(span)) return [];
    const { best, contains } = this.narrowest(span);
    if (best && contains) return [{ range: best.range, reason: best.reason }];
    const hits = this.ranges.filter(
      (r) => r.v6 === span.v6 && r.first <= span.last && r.last >= span.first,
    );
    const outermost = hits.filter(
      (r, i) =>
        !hits.some(
          (o, j) =>
            o.first <= r.first &&
            o.last >= r.last &&
            (o.first !== r.first || o.last !== r.last || j < i),
        ),
    );
    outermost.sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    return outermost.map(({ range, reason }) => ({ range, reason }));
  }

  /**
   * The entry minus every allowed range, as the minimal CIDR blocks in `aggregate`'s output
   * conventions, so a feed can still block the rest of a network that contains, say, a
   * resolver. [] when the entry is wholly allowed; the entry itself when nothing overlaps.
   */
  split(entry: string): string[] {
    // Most entries of a feed: an IPv4 address or block clear of every allowed range, already
    // in the output conventions (a /32 is written as the bare address).
    if (!entry.includes(':') && !entry.endsWith('/32') && entry === entry.trim()) {
      if (!this.overlapsV4(parseV4Span(entry))) return [entry];
    }
    const span = parseSpan(entry);
    const out: string[] = [];
    let next = span.first; // lowest address not yet emitted or excluded
    for (const run of this.union[span.v6 ? 'v6' : 'v4']) {
      if (run.last < next) continue;
      if (run.first > span.last) break;
      if (run.first > next) out.push(...spanBlocks(span.v6, next, run.first - 1n));
      next = run.last + 1n;
    }
    if (next <= span.last) out.push(...spanBlocks(span.v6, next, span.last));
    return out;
  }

  private overlapsV4({ first, last }: { first: number; last: number }): boolean {
    return reaches(this.v4Firsts, this.v4Lasts, first, last);
  }

  private overlapsUnion(span: Span): boolean {
    if (!span.v6) return this.overlapsV4({ first: Number(span.first), last: Number(span.last) });
    return reaches(this.v6Firsts, this.v6Lasts, span.first, span.last);
  }
}

/** Whether sorted disjoint runs (given by their firsts and lasts) reach into first..last. */
function reaches<T extends number | bigint>(
  firsts: ArrayLike<T>,
  lasts: ArrayLike<T>,
  first: T,
  last: T,
): boolean {
  // The last run starting at or before the entry's end is the only one that can reach it.
  let low = 0;
  let high = firsts.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (firsts[mid] <= last) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found >= 0 && lasts[found] >= first;
}
