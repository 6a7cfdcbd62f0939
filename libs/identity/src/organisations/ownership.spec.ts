import { normaliseCidr, normaliseDomain } from './ownership';

describe('normaliseCidr', () => {
  it.each([
    ['192.0.2.0/24', '192.0.2.0/24'],
    [' 198.51.100.7 ', '198.51.100.7/32'],
    ['2001:DB8:0:0::/32', '2001:db8::/32'],
    ['2001:db8:0:0:0:0:0:1', '2001:db8::1/128'],
  ])('%s -> %s', (input, out) => {
    expect(normaliseCidr(input)).toEqual({ ok: true, value: out });
  });

  it('names the network when host bits are set', () => {
    expect(normaliseCidr('10.1.2.3/8')).toEqual({
      ok: false,
      message: '"10.1.2.3/8" has host bits set; the network is 10.0.0.0/8',
    });
  });

  it.each(['10.0.0.0/33', 'hello', '1.2.3/24', '010.1.1.1', '', '::/129'])('rejects %p', (bad) => {
    expect(normaliseCidr(bad).ok).toBe(false);
  });
});

describe('normaliseDomain', () => {
  it.each([
    ['Example.CO.JP.', 'example.co.jp'],
    ['電力.example', 'xn--tfr140n.example'],
    ['mail.denryoku-east.example', 'mail.denryoku-east.example'],
  ])('%s -> %s', (input, out) => {
    expect(normaliseDomain(input)).toEqual({ ok: true, value: out });
  });

  it.each(['localhost', '-bad.example', 'a..b', 'under_score.example', 'http://x.example', ''])(
    'rejects %p',
    (bad) => {
      expect(normaliseDomain(bad).ok).toBe(false);
    },
  );
});
