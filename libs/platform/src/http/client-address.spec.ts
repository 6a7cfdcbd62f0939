import type { IncomingMessage } from 'node:http';
import { clientAddress, trustProxies } from './client-address';

const req = (remoteAddress: string | undefined, forwarded?: string) =>
  ({
    socket: { remoteAddress },
    connection: { remoteAddress },
    headers: forwarded ? { 'x-forwarded-for': forwarded } : {},
  }) as unknown as IncomingMessage;

describe('clientAddress', () => {
  afterEach(() => trustProxies([]));

  it('believes no X-Forwarded-For when no proxy is trusted', () => {
    trustProxies([]);
    expect(clientAddress(req('127.0.0.1', '203.0.113.9'))).toBe('127.0.0.1');
    expect(clientAddress(req('198.51.100.1', '203.0.113.9'))).toBe('198.51.100.1');
  });

  it('believes X-Forwarded-For from the configured proxies only', () => {
    const trust = trustProxies(['198.51.100.0/24']);
    expect(clientAddress(req('198.51.100.20', '203.0.113.9'))).toBe('203.0.113.9');
    expect(clientAddress(req('127.0.0.1', '203.0.113.9'))).toBe('127.0.0.1');
    // Express is given the very same rule.
    expect([trust('198.51.100.20', 0), trust('127.0.0.1', 0)]).toEqual([true, false]);
  });

  it('believes X-Forwarded-For from a proxy on loopback only, when loopback is trusted', () => {
    trustProxies(['loopback']);
    expect(clientAddress(req('127.0.0.1', '203.0.113.9'))).toBe('203.0.113.9');
    expect(clientAddress(req('::1', '2001:db8::7'))).toBe('2001:db8::7');
    expect(clientAddress(req('198.51.100.1', '203.0.113.9'))).toBe('198.51.100.1');
  });

  it('takes the nearest address not of a trusted proxy, so a client cannot prepend its own', () => {
    trustProxies(['loopback']);
    expect(clientAddress(req('127.0.0.1', '10.9.9.9, 203.0.113.9'))).toBe('203.0.113.9');
    expect(clientAddress(req('127.0.0.1', '203.0.113.9, 127.0.0.1'))).toBe('203.0.113.9');
  });

  it('writes IPv4-mapped addresses as IPv4, and has none for a closed socket', () => {
    expect(clientAddress(req('::ffff:198.51.100.4'))).toBe('198.51.100.4');
    expect(clientAddress(req(undefined))).toBeNull();
  });
});
