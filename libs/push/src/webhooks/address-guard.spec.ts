import type { LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { embeddedIpv4, guardedLookup, isAllowedAddress } from './address-guard';

describe('isAllowedAddress', () => {
  it.each([
    ['8.8.8.8', true],
    ['2606:4700::1111', true],
    ['127.0.0.1', false],
    ['::1', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false], // cloud metadata
    ['100.64.0.1', false], // carrier-grade NAT
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['fc00::1', false],
    ['fe80::1', false],
    ['::ffff:10.0.0.1', false], // IPv4-mapped: judged as the IPv4 it carries
    ['::ffff:8.8.8.8', true],
    ['64:ff9b::a00:1', false], // NAT64 of 10.0.0.1
    ['2002:a00:1::1', false], // 6to4 of 10.0.0.1
    // Every IPv6 form that carries 169.254.169.254 (cloud metadata) is judged as that address.
    ['::a9fe:a9fe', false], // IPv4-compatible, issue #11
    ['::169.254.169.254', false],
    ['::ffff:a9fe:a9fe', false], // IPv4-mapped
    ['::ffff:0:a9fe:a9fe', false], // SIIT
    ['64:ff9b::a9fe:a9fe', false], // NAT64, well-known prefix
    ['64:ff9b:1:a9fe:a9:fe00::', false], // NAT64, local-use /48
    ['2002:a9fe:a9fe::1', false], // 6to4
    ['2001:0:a9fe:a9fe::5601:5601', false], // Teredo, server 169.254.169.254
    ['2001:0:808:808::5601:5601', false], // Teredo, client 169.254.169.254 (inverted)
    ['::7f00:1', false], // IPv4-compatible 127.0.0.1
    // ... and the same forms of a public address as that address.
    ['::808:808', true],
    ['64:ff9b::808:808', true],
    ['64:ff9b:1:808:8:800::', true],
    ['2002:808:808::1', true],
    ['2001:0:808:808::f7f7:f7f7', true],
    ['::', false],
    ['not an address', false],
  ])('%s in production: %s', (address, allowed) => {
    expect(isAllowedAddress(address, false)).toBe(allowed);
  });

  it('lets loopback through only when asked (outside production)', () => {
    expect(isAllowedAddress('127.0.0.1', true)).toBe(true);
    expect(isAllowedAddress('::1', true)).toBe(true);
    expect(isAllowedAddress('10.0.0.1', true)).toBe(false);
    expect(isAllowedAddress('::7f00:1', true)).toBe(true);
    expect(isAllowedAddress('::a9fe:a9fe', true)).toBe(false);
  });

  it('finds the IPv4 address in each embedding form', () => {
    const of = (a: string) => embeddedIpv4(ipaddr.parse(a) as ipaddr.IPv6).map(String);
    expect(of('::ffff:192.0.2.1')).toEqual(['192.0.2.1']);
    expect(of('64:ff9b:1:c000:2:100::')).toEqual(['192.0.2.1']);
    expect(of('2001:0:c000:201::3fff:fdfe')).toEqual(['192.0.2.1', '192.0.2.1']);
    expect(of('2606:4700::1111')).toEqual([]);
  });
});

describe('guardedLookup', () => {
  /** A resolver that answers from a table, as DNS would. */
  const fake =
    (table: Record<string, LookupAddress[]>) =>
    (
      name: string,
      _o: unknown,
      cb: (e: NodeJS.ErrnoException | null, a: LookupAddress[]) => void,
    ) =>
      table[name]
        ? cb(null, table[name])
        : cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' }), []);
  const table = {
    'public.example': [{ address: '93.184.216.34', family: 4 }],
    'inside.example': [{ address: '10.0.0.7', family: 4 }],
    'both.example': [
      { address: '93.184.216.34', family: 4 },
      { address: 'fd00::7', family: 6 },
    ],
    'loop.example': [{ address: '127.0.0.1', family: 4 }],
  };
  const resolve = (lookup: ReturnType<typeof guardedLookup>, name: string, all: boolean) =>
    new Promise<{ err: Error | null; address: unknown; family?: number }>((done) =>
      lookup(name, { all }, (err, address, family) => done({ err, address, family })),
    );

  it('passes public names through, in either callback form', async () => {
    const lookup = guardedLookup(false, fake(table));
    expect(await resolve(lookup, 'public.example', false)).toEqual({
      err: null,
      address: '93.184.216.34',
      family: 4,
    });
    expect((await resolve(lookup, 'public.example', true)).address).toEqual([
      { address: '93.184.216.34', family: 4 },
    ]);
  });

  it('refuses a name with any internal address, without naming it', async () => {
    const lookup = guardedLookup(false, fake(table));
    const inside = await resolve(lookup, 'inside.example', false);
    expect(inside.err?.message).toBe(
      'refused: inside.example resolves to an address that is not public',
    );
    const both = (await resolve(lookup, 'both.example', true)).err?.message;
    expect(both).toMatch(/^refused: both\.example resolves to an address that is not public$/);
    expect(both).not.toMatch(/fd00/);
    expect((await resolve(lookup, 'loop.example', false)).err).not.toBeNull();
  });

  it('allows loopback names only outside production, never private ones', async () => {
    const lookup = guardedLookup(true, fake(table));
    expect((await resolve(lookup, 'loop.example', false)).err).toBeNull();
    expect((await resolve(lookup, 'inside.example', false)).err).not.toBeNull();
  });

  it('passes resolution failures on as they are', async () => {
    const lookup = guardedLookup(false, fake(table));
    expect((await resolve(lookup, 'nowhere.example', false)).err?.message).toMatch(/ENOTFOUND/);
  });
});
