import { base32Decode, totpAt } from './totp';

// The harness's own TOTP must be right, or every second-factor test would be checking nothing.
describe('test TOTP generator', () => {
  it('matches the RFC 6238 SHA-1 test vectors (last six digits)', () => {
    const secret = Buffer.from('12345678901234567890').toString('base64');
    const b32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // base32 of the same ASCII secret
    expect(base32Decode(b32).toString('base64')).toBe(secret);
    expect(totpAt(b32, Math.floor(59 / 30))).toBe('287082');
    expect(totpAt(b32, Math.floor(1111111109 / 30))).toBe('081804');
    expect(totpAt(b32, Math.floor(1234567890 / 30))).toBe('005924');
    expect(totpAt(b32, Math.floor(2000000000 / 30))).toBe('279037');
  });
});
