import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/**
 * Which proxies' X-Forwarded-For the hub believes: those on loopback (a reverse proxy on the
 * same host). Express is told the same (`trust proxy`), so every path that records or checks a
 * client's address — the framework's `req.ip`, the feeds' fast path, WebSocket connections —
 * agrees on it.
 */
export const TRUST_PROXY = 'loopback';
const trusted = proxyaddr.compile(TRUST_PROXY);

/** The client's address as Express's `req.ip` gives it, IPv4-mapped IPv6 written as IPv4. */
export function clientAddress(req: IncomingMessage): string | null {
  if (!req.socket.remoteAddress) return null;
  // Without X-Forwarded-For proxy-addr answers the socket's address: skip its parsing (the
  // feeds' fast path asks on every pull).
  const address = req.headers['x-forwarded-for']
    ? proxyaddr(req, trusted)
    : req.socket.remoteAddress;
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
