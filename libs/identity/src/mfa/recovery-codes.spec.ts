import { hashRecoveryCode, newRecoveryCode, normaliseRecoveryCode } from './recovery-codes';

describe('recovery codes', () => {
  it('look like xxxx-xxxx-xxxx-xxxx from an unambiguous alphabet', () => {
    for (let i = 0; i < 200; i++)
      expect(newRecoveryCode()).toMatch(/^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}$/);
  });

  it('are not repeated', () => {
    const codes = new Set(Array.from({ length: 1000 }, newRecoveryCode));
    expect(codes.size).toBe(1000);
  });

  it('match however they are typed back', () => {
    const code = newRecoveryCode();
    const typed = ` ${code.toUpperCase().replace(/-/g, ' ')} `;
    expect(normaliseRecoveryCode(typed)).toBe(code);
    expect(hashRecoveryCode('u1', typed).equals(hashRecoveryCode('u1', code))).toBe(true);
  });

  it('hash differently per user', () => {
    expect(
      hashRecoveryCode('u1', 'abcd-efgh-jkmn-pqrs').equals(
        hashRecoveryCode('u2', 'abcd-efgh-jkmn-pqrs'),
      ),
    ).toBe(false);
  });
});
