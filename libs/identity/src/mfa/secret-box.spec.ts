import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };

describe('SecretBox', () => {
  it('round-trips and never stores the plaintext', () => {
    const box = new SecretBox([k1]);
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'user-1');
    expect(sealed.keyId).toBe('k1');
    expect(sealed.sealed.toString('latin1')).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed, 'user-1')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('uses a fresh IV every time', () => {
    const box = new SecretBox([k1]);
    expect(box.seal('same', 'u').sealed.equals(box.seal('same', 'u').sealed)).toBe(false);
  });

  it('refuses a tampered ciphertext, another context, or a swapped key id', () => {
    const box = new SecretBox([k1, k2]);
    const sealed = box.seal('secret', 'user-1');
    const flipped = Buffer.from(sealed.sealed);
    flipped[flipped.length - 1] ^= 1;
    expect(() => box.open({ ...sealed, sealed: flipped }, 'user-1')).toThrow();
    expect(() => box.open(sealed, 'user-2')).toThrow();
    expect(() => box.open({ ...sealed, keyId: 'k2' }, 'user-1')).toThrow();
  });

  it('rotates: seals with the first key, opens with any, tells what to re-seal', () => {
    const old = new SecretBox([k1]).seal('seed', 'u');
    const rotated = new SecretBox([k2, k1]);
    expect(rotated.open(old, 'u')).toBe('seed');
    expect(rotated.needsResealing(old)).toBe(true);
    expect(rotated.seal('seed', 'u').keyId).toBe('k2');
    expect(() => new SecretBox([k2]).open(old, 'u')).toThrow(/no key "k1"/);
  });

  it('insists on 32-byte keys', () => {
    expect(() => new SecretBox([{ id: 'short', key: randomBytes(16) }])).toThrow(/32 bytes/);
  });
});
