import { lookup as dnsLookup, LookupAddress, LookupAllOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where a webhook may connect (ADR 0010): public unicast addresses only — never loopback,
 * private, link-local (cloud metadata), carrier-grade NAT, unique-local, multicast, reserved.
 * An IPv6 address that carries an IPv4 one is judged as that IPv4 address too (every form it
 * can take, see embeddedIpv4): `::a9fe:a9fe` is 169.254.169.254 to a host that routes it so.
 * Loopback only outside production, for local receivers and tests.
 */
export function isAllowedAddress(address: string, allowLoopback: boolean): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.parse(address);
  const allowed = (a: ipaddr.IPv4 | ipaddr.IPv6) => {
    const range = a.range();
    return range === 'unicast' || (allowLoopback && range === 'loopback');
  };
  if (parsed.kind() === 'ipv4') return allowed(parsed);
  const carried = embeddedIpv4(parsed as ipaddr.IPv6);
  if (carried.length) return carried.every(allowed);
  return allowed(parsed);
}

/**
 * The IPv4 addresses an IPv6 address embeds, in each form that makes a host or a gateway
 * reach them: IPv4-mapped ::ffff:0:0/96 and SIIT's ::ffff:0:0:0/96, IPv4-compatible ::/96
 * (deprecated, still routed by some stacks), NAT64 64:ff9b::/96 and 64:ff9b:1::/48 (RFC 6052
 * and 8215), 6to4 2002::/16, and Teredo 2001::/32 (its server, and its client, stored inverted).
 */
export function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4[] {
  const w = address.parts; // eight 16-bit words
  const v4 = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  const zero = (...i: number[]) => i.every((k) => w[k] === 0);
  if (zero(0, 1, 2, 3, 4) && w[5] === 0xffff) return [v4(w[6], w[7])];
  if (zero(0, 1, 2, 3) && w[4] === 0xffff && w[5] === 0) return [v4(w[6], w[7])];
  if (zero(0, 1, 2, 3, 4, 5) && (w[6] !== 0 || w[7] > 1)) return [v4(w[6], w[7])];
  if (w[0] === 0x64 && w[1] === 0xff9b && zero(2, 3, 4, 5)) return [v4(w[6], w[7])];
  // /48: the IPv4 address fills bits 48-63 and 72-87; bits 64-71 (u) stay zero.
  if (w[0] === 0x64 && w[1] === 0xff9b && w[2] === 1) {
    return [v4(w[3], ((w[4] & 0xff) << 8) | (w[5] >> 8))];
  }
  if (w[0] === 0x2002) return [v4(w[1], w[2])];
  if (w[0] === 0x2001 && w[1] === 0) return [v4(w[2], w[3]), v4(w[6] ^ 0xffff, w[7] ^ 0xffff)];
  return [];
}

/** A delivery refused because its host name leads inside. */
export class RefusedAddressError extends Error {
  readonly code = 'ERR_WEBHOOK_ADDRESS_REFUSED';
}

type Resolve = (
  hostname: string,
  options: LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A `lookup` for net/tls.connect that resolves the name and refuses it unless every address is
 * allowed. It runs for each new connection, on the addresses actually connected to, so a name
 * that resolves outside when registered and inside later (DNS rebinding) is refused too.
 */
export function guardedLookup(
  allowLoopback: boolean,
  resolve: Resolve = dnsLookup as unknown as Resolve,
): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { family: options.family, hints: options.hints, all: true }, (err, found) => {
      if (err) return callback(err, '', 0);
      const refused = found.find((a) => !isAllowedAddress(a.address, allowLoopback)) ?? null;
      if (refused || !found.length) {
        // Which internal address it was stays out of the message: org admins read it, and it
        // would make the hub a lookup service for names inside its network.
        const why = refused
          ? 'resolves to an address that is not public'
          : 'resolves to no address';
        return callback(new RefusedAddressError(`refused: ${hostname} ${why}`), '', 0);
      }
      if (options.all) return callback(null, found);
      callback(null, found[0].address, found[0].family);
    });
  };
}
