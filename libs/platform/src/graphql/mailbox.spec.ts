import { canonicalMailbox, mailboxKey } from './mailbox';

describe('canonicalMailbox', () => {
  it('gives one spelling per mailbox', () => {
    expect(canonicalMailbox('  SOC@Chubu.Example ')).toBe('soc@chubu.example');
    expect(canonicalMailbox('idn@例え.example')).toBe('idn@xn--r8jz45g.example');
    expect(canonicalMailbox('idn@XN--R8JZ45G.example')).toBe('idn@xn--r8jz45g.example');
    expect(canonicalMailbox('a.b+tag@example.org')).toBe('a.b+tag@example.org');
  });

  it('is idempotent', () => {
    for (const raw of ['X@Y.example', 'idn@例え.example', 'a+b@sub.example.org']) {
      const once = canonicalMailbox(raw)!;
      expect(canonicalMailbox(once)).toBe(once);
    }
  });

  it('refuses quoted local parts and what is no address', () => {
    for (const raw of [
      '"soc"@chubu.example',
      '"so c"@chubu.example',
      'so\\c@chubu.example',
      'soc@',
      '@chubu.example',
      'soc',
      'soc@chubu.example.',
      'soc@[127.0.0.1]',
      'soc@a_b',
    ]) {
      expect([raw, canonicalMailbox(raw)]).toEqual([raw, null]);
    }
  });

  it('mailboxKey falls back to a trimmed lower-case text for lookups', () => {
    expect(mailboxKey(' "X"@Y.example ')).toBe('"x"@y.example');
    expect(mailboxKey('idn@例え.example')).toBe('idn@xn--r8jz45g.example');
  });
});
