import { lookup as dnsLookup, LookupAddress, LookupAllOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where a webhook may connect (ADR 0010): public unicast addresses only — never loopback,
 * private, link-local (cloud metadata), carrier-grade NAT, unique-local, multicast, reserved,
 * or IPv6 forms that embed an IPv4 address (mapped ones are judged as the IPv4 they carry).
 * Loopback only outside production, for local receivers and tests.
 */
export function isAllowedAddress(address: string, allowLoopback: boolean): boolean {
  if (!ipaddr.isValid(address)) return false;
  const range = ipaddr.process(address).range();
  return range === 'unicast' || (allowLoopback && range === 'loopback');
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
