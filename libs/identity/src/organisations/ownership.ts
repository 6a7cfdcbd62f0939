import { domainToASCII } from 'node:url';
import ipaddr from 'ipaddr.js';

export type Normalised = { ok: true; value: string } | { ok: false; message: string };

/**
 * An owned address range in canonical form: network address (RFC 5952 for IPv6) and prefix.
 * A bare address is a /32 or /128. Host bits set is an error that names the intended network,
 * since a typo here would later exempt (or scrub) the wrong addresses.
 */
export function normaliseCidr(input: string): Normalised {
  const text = input.trim();
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  let bits: number;
  try {
    if (text.includes('/')) {
      [addr, bits] = ipaddr.parseCIDR(text);
    } else {
      addr = ipaddr.parse(text);
      bits = addr.kind() === 'ipv4' ? 32 : 128;
    }
  } catch {
    return { ok: false, message: `"${input}" is not an IP address or CIDR range` };
  }
  if (addr.kind() === 'ipv4' && !ipaddr.IPv4.isValidFourPartDecimal(text.split('/')[0])) {
    return { ok: false, message: `"${input}" is not a dotted-quad IPv4 address` };
  }
  const show = (a: ipaddr.IPv4 | ipaddr.IPv6) =>
    a.kind() === 'ipv6' ? (a as ipaddr.IPv6).toRFC5952String() : a.toString();
  const network =
    addr.kind() === 'ipv4'
      ? ipaddr.IPv4.networkAddressFromCIDR(`${addr.toString()}/${bits}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${addr.toString()}/${bits}`);
  if (show(network) !== show(addr)) {
    return {
      ok: false,
      message: `"${input}" has host bits set; the network is ${show(network)}/${bits}`,
    };
  }
  return { ok: true, value: `${show(addr)}/${bits}` };
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A domain name as lower-case ASCII (IDN to punycode), without a trailing dot. */
export function normaliseDomain(input: string): Normalised {
  const trimmed = input.trim().replace(/\.$/, '');
  const ascii = trimmed ? domainToASCII(trimmed.toLowerCase()) : '';
  const labels = ascii.split('.');
  if (!ascii || ascii.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l))) {
    return { ok: false, message: `"${input}" is not a domain name` };
  }
  return { ok: true, value: ascii };
}
