import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/**
 * Which proxies' X-Forwarded-For the hub believes: the addresses and ranges of TRUSTED_PROXIES
 * (proxy-addr's names `loopback`, `linklocal` and `uniquelocal` too), none when it is unset.
 * Believing a header from anyone else would let a client claim any address, and so pass a
 * token's allowed ranges; believing loopback by default would let any local process do so.
 *
 * This is the one rule: Express is given the same function (`trust proxy`), so every path that
 * records or checks a client's address — the framework's `req.ip`, token ranges, the feeds' fast
 * path, WebSocket connections, TAXII and feed pull records — agrees on it.
 */
let trusted: (address: string, hop: number) => boolean = () => false;
let trustsAny = false;

/**
 * The trust function for a list of proxies; throws with the offending entry when one is neither
 * an address, a CIDR range nor one of proxy-addr's names.
 */
export function compileTrustedProxies(
  proxies: string[],
): (address: string, hop: number) => boolean {
  for (const proxy of proxies) {
    try {
      proxyaddr.compile(proxy);
    } catch {
      throw new Error(
        `"${proxy}" is not an IP address, a CIDR range, or one of loopback, linklocal, uniquelocal`,
      );
    }
  }
  return proxies.length ? proxyaddr.compile(proxies) : () => false;
}

/** Sets the trusted proxies once at start; returns the function to give Express as `trust proxy`. */
export function trustProxies(proxies: string[]): (address: string, hop: number) => boolean {
  trusted = compileTrustedProxies(proxies);
  trustsAny = proxies.length > 0;
  return trusted;
}

/** The client's address as Express's `req.ip` gives it, IPv4-mapped IPv6 written as IPv4. */
export function clientAddress(req: IncomingMessage): string | null {
  if (!req.socket.remoteAddress) return null;
  // Without a trusted proxy or an X-Forwarded-For, proxy-addr answers the socket's address: skip
  // its parsing (the feeds' fast path asks on every pull).
  const address =
    trustsAny && req.headers['x-forwarded-for']
      ? proxyaddr(req, trusted)
      : req.socket.remoteAddress;
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
