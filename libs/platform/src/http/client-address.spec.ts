import type { IncomingMessage } from 'node:http';
import { clientAddress } from './client-address';

const req = (remoteAddress: string | undefined, forwarded?: string) =>
  ({
    socket: { remoteAddress },
    connection: { remoteAddress },
    headers: forwarded ? { 'x-forwarded-for': forwarded } : {},
  }) as unknown as IncomingMessage;

describe('clientAddress', () => {
  it('believes X-Forwarded-For from a proxy on loopback only', () => {
    expect(clientAddress(req('127.0.0.1', '203.0.113.9'))).toBe('203.0.113.9');
    expect(clientAddress(req('::1', '2001:db8::7'))).toBe('2001:db8::7');
    expect(clientAddress(req('198.51.100.1', '203.0.113.9'))).toBe('198.51.100.1');
  });

  it('takes the nearest address not of a trusted proxy, so a client cannot prepend its own', () => {
    expect(clientAddress(req('127.0.0.1', '10.9.9.9, 203.0.113.9'))).toBe('203.0.113.9');
    expect(clientAddress(req('127.0.0.1', '203.0.113.9, 127.0.0.1'))).toBe('203.0.113.9');
  });

  it('writes IPv4-mapped addresses as IPv4, and has none for a closed socket', () => {
    expect(clientAddress(req('::ffff:198.51.100.4'))).toBe('198.51.100.4');
    expect(clientAddress(req(undefined))).toBeNull();
  });
});
