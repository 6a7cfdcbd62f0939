import { readerKey } from './shared-execution';

/*
 * The part of the shared-execution key that stands for the context: two subscriptions share an
 * execution only when resolvers could not tell their contexts apart (ADR 0032).
 */
describe('readerKey', () => {
  const token = {
    kind: 'token',
    tokenId: 't1',
    organisationId: 'o1',
    sectorCode: 'gas',
    groupId: null,
    scopes: ['reports:read'],
    expiresAt: new Date('2027-01-01T00:00:00Z'),
  };

  it('is the same for equal principals, whatever the order of their fields', () => {
    const reordered = Object.fromEntries(Object.entries(token).reverse());
    expect(readerKey(reordered, '127.0.0.1')).toBe(readerKey({ ...token }, '127.0.0.1'));
  });

  it('differs with any field, scopes and dates included, and with the address', () => {
    const key = readerKey(token, '127.0.0.1');
    expect(readerKey({ ...token, scopes: ['reports:read', 'feeds:read'] }, '127.0.0.1')).not.toBe(
      key,
    );
    expect(
      readerKey({ ...token, expiresAt: new Date('2027-01-02T00:00:00Z') }, '127.0.0.1'),
    ).not.toBe(key);
    expect(readerKey({ ...token, tokenId: 't2' }, '127.0.0.1')).not.toBe(key);
    expect(readerKey(token, '10.0.0.1')).not.toBe(key);
  });

  it('spells out sets and maps (JSON.stringify would make every one "{}")', () => {
    const a = readerKey({ ...token, scopes: new Set(['reports:read']) }, undefined);
    const b = readerKey({ ...token, scopes: new Set(['feeds:read']) }, undefined);
    expect(a).not.toBe(b);
    const m1 = readerKey({ ...token, extra: new Map([['x', 1]]) }, undefined);
    const m2 = readerKey({ ...token, extra: new Map([['x', 2]]) }, undefined);
    expect(m1).not.toBe(m2);
  });

  it('shares nothing without a principal', () => {
    expect(readerKey(undefined, '127.0.0.1')).toBeUndefined();
  });
});
