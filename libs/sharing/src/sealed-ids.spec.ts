import { randomBytes } from 'node:crypto';
import { openId, sealId, sealKeys } from './sealed-ids';

const keys = sealKeys(randomBytes(32), 'test');

describe('sealed ids', () => {
  it('opens for the reader it was sealed for, and for nobody else', () => {
    const sealed = sealId(keys, 41, 'org:a');
    expect(sealed).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(openId(keys, sealed, 'org:a')).toBe(41);
    expect(openId(keys, sealed, 'org:b')).toBeNull();
    expect(openId(sealKeys(randomBytes(32), 'test'), sealed, 'org:a')).toBeNull();
  });

  it('reads differently to every reader, the same every time to one', () => {
    expect(sealId(keys, 7, 'org:a')).toBe(sealId(keys, 7, 'org:a'));
    expect(sealId(keys, 7, 'org:a')).not.toBe(sealId(keys, 7, 'org:b'));
  });

  it('shows nothing of the order or distance of ids', () => {
    const a = sealId(keys, 1000, 'org:a');
    const b = sealId(keys, 1001, 'org:a');
    // Consecutive ids differ in about half of their bits, like unrelated values.
    const diff = [...Buffer.from(a, 'base64url')].reduce(
      (n, x, i) => n + popcount(x ^ Buffer.from(b, 'base64url')[i]),
      0,
    );
    expect(diff).toBeGreaterThan(32);
  });

  it('refuses what this hub did not write', () => {
    for (const text of ['', '41', 'x'.repeat(22), `${sealId(keys, 1, 'org:a')}=`, '!'.repeat(22)]) {
      expect(openId(keys, text, 'org:a')).toBeNull();
    }
    // A tampered block opens to garbage whose reader tag fails.
    const raw = Buffer.from(sealId(keys, 1, 'org:a'), 'base64url');
    raw[3] ^= 1;
    expect(openId(keys, raw.toString('base64url'), 'org:a')).toBeNull();
  });
});

function popcount(x: number): number {
  let n = 0;
  for (; x; x >>= 1) n += x & 1;
  return n;
}
