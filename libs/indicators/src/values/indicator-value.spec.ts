import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { IndicatorType, parseIndicator } from './indicator-value';

// Documentation addresses and names (RFC 5737, RFC 3849, RFC 2606, the IANA IDN test TLD), so
// nothing here points at a real host.
const VALID: [string, IndicatorType, string][] = [
  // IPv4: dotted-quad decimal, as is.
  ['192.0.2.1', 'ipv4', '192.0.2.1'],
  ['0.0.0.0', 'ipv4', '0.0.0.0'],
  ['255.255.255.255', 'ipv4', '255.255.255.255'],
  ['198.51.100.0', 'ipv4', '198.51.100.0'],
  ['  203.0.113.9\t', 'ipv4', '203.0.113.9'],
  ['203.0.113.9,', 'ipv4', '203.0.113.9'],
  ['203.0.113.9 ; ', 'ipv4', '203.0.113.9'],
  ['203[.]0[.]113[.]9', 'ipv4', '203.0.113.9'],
  ['203(.)0(.)113(.)9', 'ipv4', '203.0.113.9'],
  // IPv6: RFC 5952.
  ['2001:DB8:0:0:1:0:0:1', 'ipv6', '2001:db8::1:0:0:1'],
  ['2001:0db8:0000:0000:0000:ff00:0042:8329', 'ipv6', '2001:db8::ff00:42:8329'],
  ['2001:db8:0:0:0:0:2:1', 'ipv6', '2001:db8::2:1'],
  ['2001:db8:0:1:1:1:1:1', 'ipv6', '2001:db8:0:1:1:1:1:1'],
  ['2001:0:0:1:0:0:0:1', 'ipv6', '2001:0:0:1::1'],
  ['2001:db8::0:1', 'ipv6', '2001:db8::1'],
  ['0:0:0:0:0:0:0:1', 'ipv6', '::1'],
  ['0:0:0:0:0:0:0:0', 'ipv6', '::'],
  ['::', 'ipv6', '::'],
  ['FE80::ABCD', 'ipv6', 'fe80::abcd'],
  ['2001:db8:1:2:3:4:5::', 'ipv6', '2001:db8:1:2:3:4:5:0'],
  ['2001:db8::', 'ipv6', '2001:db8::'],
  ['::ffff:192.0.2.128', 'ipv6', '::ffff:192.0.2.128'],
  ['::FFFF:C000:0280', 'ipv6', '::ffff:192.0.2.128'],
  ['0:0:0:0:0:ffff:c000:280', 'ipv6', '::ffff:192.0.2.128'],
  ['64:ff9b::192.0.2.33', 'ipv6', '64:ff9b::c000:221'],
  ['2001[:]db8[:][:]1', 'ipv6', '2001:db8::1'],
  // CIDR ranges.
  ['192.0.2.0/24', 'ipv4-cidr', '192.0.2.0/24'],
  ['10.0.0.0/8', 'ipv4-cidr', '10.0.0.0/8'],
  ['0.0.0.0/0', 'ipv4-cidr', '0.0.0.0/0'],
  ['192.0.2.4/31', 'ipv4-cidr', '192.0.2.4/31'],
  ['2001:DB8:0:0::/32', 'ipv6-cidr', '2001:db8::/32'],
  ['2001:0db8:0001:0000::/64', 'ipv6-cidr', '2001:db8:1::/64'],
  ['::ffff:192.0.2.0/120', 'ipv6-cidr', '::ffff:192.0.2.0/120'],
  ['::/0', 'ipv6-cidr', '::/0'],
  // A single-address range is the address.
  ['192.0.2.1/32', 'ipv4', '192.0.2.1'],
  ['2001:db8:0:0:0:0:0:1/128', 'ipv6', '2001:db8::1'],
  // Domains.
  ['example.com', 'domain', 'example.com'],
  ['Example.CO.JP.', 'domain', 'example.co.jp'],
  ['  WWW.Example.Org  ', 'domain', 'www.example.org'],
  ['mail.denryoku-east.example', 'domain', 'mail.denryoku-east.example'],
  ['例え.テスト', 'domain', 'xn--r8jz45g.xn--zckzah'],
  ['例え。テスト', 'domain', 'xn--r8jz45g.xn--zckzah'],
  ['XN--R8JZ45G.xn--zckzah', 'domain', 'xn--r8jz45g.xn--zckzah'],
  ['münchen.example', 'domain', 'xn--mnchen-3ya.example'],
  ['ｅｘａｍｐｌｅ．ｃｏｍ', 'domain', 'example.com'],
  ['1.example', 'domain', '1.example'],
  ['123.example.net', 'domain', '123.example.net'],
  ['a-b.example', 'domain', 'a-b.example'],
  [`${'a'.repeat(63)}.example`, 'domain', `${'a'.repeat(63)}.example`],
  ['evil[.]example[.]com', 'domain', 'evil.example.com'],
  ['evil[dot]example{.}com;', 'domain', 'evil.example.com'],
  // URLs: as the WHATWG URL parser serialises them, without the fragment.
  ['http://example.com', 'url', 'http://example.com/'],
  ['HTTP://Example.COM:80/a/b?c=d#top', 'url', 'http://example.com/a/b?c=d'],
  ['https://Example.com:443/', 'url', 'https://example.com/'],
  ['https://example.com:8443/x', 'url', 'https://example.com:8443/x'],
  ['http://example.com:443/', 'url', 'http://example.com:443/'],
  ['ftp://FTP.Example.com:21/pub/file.zip', 'url', 'ftp://ftp.example.com/pub/file.zip'],
  ['https://例え.テスト/パス', 'url', 'https://xn--r8jz45g.xn--zckzah/%E3%83%91%E3%82%B9'],
  ['http://example.com/a/../b/./c', 'url', 'http://example.com/b/c'],
  ['http://example.com/my file.exe', 'url', 'http://example.com/my%20file.exe'],
  ['http://example.com/%7e%41', 'url', 'http://example.com/%7e%41'],
  ['http://example.com./login', 'url', 'http://example.com/login'],
  ['http://user:Secret@Example.com/', 'url', 'http://user:Secret@example.com/'],
  ['http://192.0.2.1:8080/x', 'url', 'http://192.0.2.1:8080/x'],
  ['http://[2001:DB8:0:0::1]/', 'url', 'http://[2001:db8::1]/'],
  ['hxxp://evil[.]example/payload', 'url', 'http://evil.example/payload'],
  ['hXXps[:]//evil[.]example/a', 'url', 'https://evil.example/a'],
  ['hxxps[://]evil(.)example', 'url', 'https://evil.example/'],
  ['fxp://files[.]example/x', 'url', 'ftp://files.example/x'],
  ['https://example.com/path,', 'url', 'https://example.com/path'],
  // E-mail: the local part as typed, the domain as a domain.
  ['alice@example.com', 'email', 'alice@example.com'],
  ['Alice.Smith+TLP@Example.COM', 'email', 'Alice.Smith+TLP@example.com'],
  ['info@例え.テスト', 'email', 'info@xn--r8jz45g.xn--zckzah'],
  ['phish[@]evil[.]example', 'email', 'phish@evil.example'],
  ['phish[at]evil[dot]example', 'email', 'phish@evil.example'],
  ["o'brien!#$%&*/=?^_`{|}~-@example.com", 'email', "o'brien!#$%&*/=?^_`{|}~-@example.com"],
  // Hashes.
  ['D41D8CD98F00B204E9800998ECF8427E', 'md5', 'd41d8cd98f00b204e9800998ecf8427e'],
  ['da39a3ee5e6b4b0d3255bfef95601890afd80709', 'sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
  [
    ' E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855 ',
    'sha256',
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  ],
  ['12345678901234567890123456789012', 'md5', '12345678901234567890123456789012'],
];

describe('parseIndicator: valid inputs', () => {
  it('has a table of at least 60', () => {
    expect(VALID.length).toBeGreaterThanOrEqual(60);
  });

  it.each(VALID)('%p -> %s %p', (input, type, value) => {
    expect(parseIndicator(input)).toEqual({ ok: true, type, value });
  });

  it.each(VALID)('%p is accepted when its type is given', (input, type, value) => {
    expect(parseIndicator(input, { type })).toEqual({ ok: true, type, value });
  });

  // A canonical value must be a fixed point, or the same indicator stored twice would differ.
  it.each(VALID)('%p: the normalised value parses to itself', (input) => {
    const first = parseIndicator(input);
    if (!first.ok) throw new Error(first.message);
    expect(parseIndicator(first.value)).toEqual(first);
  });
});

const INVALID: [string, string][] = [
  ['', 'is empty'],
  ['   ', 'is empty'],
  [' ; ', 'is empty'],
  // IPv4 spellings that software reads differently.
  ['010.1.1.1', 'leading zeros are not accepted'],
  ['192.0.2.01', 'leading zeros are not accepted'],
  ['0x7f.1', 'hexadecimal parts such as "0x7f" are not accepted'],
  ['0x7f.0.0.1', 'hexadecimal parts'],
  ['127.1', 'shortened and integer forms are ambiguous'],
  ['2130706433', 'shortened and integer forms are ambiguous'],
  ['192.0.2', 'expected four decimal numbers 0–255'],
  ['192.0.2.1.5', 'expected four decimal numbers 0–255'],
  ['192.0.2.256', 'each part must be 0–255'],
  ['192.0.2.1.', 'is not a dotted-quad IPv4 address'],
  // IPv6.
  ['2001:db8::1::1', '"::" may appear only once'],
  ['2001:db8:12345::1', 'the group "12345" is longer than 4 hexadecimal digits'],
  ['1:2:3:4:5:6:7', 'expected 8 groups'],
  ['1:2:3:4:5:6:7:8:9', 'expected 8 groups'],
  ['1:2:3:4:5:6:7:8::', 'which must stand for at least one'],
  [':1:2:3:4:5:6:7', 'empty group'],
  ['2001:db8:::1', 'empty group'],
  ['fe80::1%eth0', 'zone indexes'],
  ['::ffff:010.0.2.1', 'in the embedded IPv4 address, leading zeros'],
  ['::1.2.3.4:5', 'an embedded IPv4 address may only come last'],
  // CIDR.
  ['10.1.2.3/8', 'has host bits set; the network is 10.0.0.0/8'],
  ['2001:db8::1/64', 'has host bits set; the network is 2001:db8::/64'],
  ['192.0.2.0/33', 'expected a prefix length from /0 to /32'],
  ['2001:db8::/129', 'expected a prefix length from /0 to /128'],
  ['192.0.2.0/024', 'expected a prefix length'],
  ['192.0.2.0/', 'expected a prefix length'],
  ['127.1/8', 'is not an IPv4 CIDR range: expected four decimal numbers'],
  ['2001:db8::g/64', 'is not an IPv6 CIDR range'],
  // Domains.
  ['localhost', 'expected at least two labels'],
  ['under_score.example', 'underscores are not allowed'],
  ['-bad.example', 'the label "-bad" starts or ends with a hyphen'],
  ['bad-.example', 'starts or ends with a hyphen'],
  ['a..example', 'empty label'],
  ['.example.com', 'empty label'],
  ['example.com..', 'empty label'],
  [`${'a'.repeat(64)}.example`, 'is 64 characters long; the limit is 63'],
  [`${'abcdefghi.'.repeat(25)}example`, 'characters long; the limit is 253'],
  ['example.123', 'the top-level label "123" is all-numeric'],
  ['*.example.com', '"*" is not allowed'],
  ['xn--zz.example', 'not a valid internationalised name'],
  ['hello world', 'is not a recognised indicator; expected an IP address'],
  // URLs.
  ['javascript://alert(1)', 'has the scheme "javascript"; only http, https and ftp'],
  ['file:///etc/passwd', 'has the scheme "file"'],
  ['http:example.com', 'expected "//" after "http:"'],
  ['http:///path', 'it has no host'],
  ['http://example.com:99999/', 'is not a valid URL'],
  ['http://127.1/', 'has the host "127.1", which is not a dotted-quad IPv4 address'],
  ['http://0x7f.0.0.1/', 'hexadecimal parts'],
  ['http://under_score.example/', 'has an invalid host: underscores'],
  ['http://intranet/', 'has an invalid host: expected at least two labels'],
  ['example.com/login.php', 'looks like a URL without a scheme'],
  ['example.com:8080', 'has a port but no scheme'],
  // E-mail.
  ['a@b@example.com', 'more than one "@"'],
  ['@example.com', 'nothing comes before the "@"'],
  ['alice@', 'nothing comes after the "@"'],
  ['.alice@example.com', 'single dots between them'],
  ['al..ice@example.com', 'single dots between them'],
  ['"alice"@example.com', 'the part before "@" may use only'],
  [`${'a'.repeat(65)}@example.com`, 'longer than 64 characters'],
  ['alice@[192.0.2.1]', 'address literals'],
  ['alice@localhost', 'has an invalid domain after "@": expected at least two labels'],
  ['alice@under_score.example', 'has an invalid domain after "@": underscores'],
  // Hashes.
  ['d41d8cd98f00b204e9800998ecf8427', 'has 31 hexadecimal digits; expected 32 (MD5)'],
  ['abcdef', 'has 6 hexadecimal digits'],
  ['da39a3ee5e6b4b0d3255bfef95601890afd8070900', 'has 42 hexadecimal digits'],
  // Whole input.
  ['192.0.2.1\n192.0.2.2', 'contains a tab, line break or other control character'],
  ['http://exa\tmple.com/', 'contains a tab, line break or other control character'],
  ['example.com\u0000', 'contains a tab, line break or other control character'],
  ['192.0.2.1,,', '"," is not allowed'],
  [`http://example.com/${'a'.repeat(8200)}`, 'is longer than 8192 characters'],
];

describe('parseIndicator: invalid inputs', () => {
  it('has a table of at least 40', () => {
    expect(INVALID.length).toBeGreaterThanOrEqual(40);
  });

  it.each(INVALID)('%p: %s', (input, fragment) => {
    const result = parseIndicator(input);
    if (result.ok) throw new Error(`accepted as ${result.type} ${result.value}`);
    expect(result.message).toContain(fragment);
  });

  // Messages are shown to the person who typed the value: they must say which value, and read
  // as the continuation of a sentence.
  it.each(INVALID)('%p: the message quotes the input', (input) => {
    const result = parseIndicator(input);
    if (result.ok) throw new Error(`accepted as ${result.type} ${result.value}`);
    // Long inputs are cut to 80 characters (all inputs here are single code units).
    const quoted = JSON.stringify(input.length > 80 ? `${input.slice(0, 80)}…` : input);
    expect(result.message.startsWith(`${quoted} `)).toBe(true);
    expect(result.message.slice(quoted.length + 1)).toMatch(/^[a-z]/);
  });

  it('tells which of ambiguous IPv4 spellings it refuses', () => {
    expect(parseIndicator('010.1.1.1')).toEqual({
      ok: false,
      message:
        '"010.1.1.1" is not a dotted-quad IPv4 address: leading zeros are not accepted ' +
        '(some software reads them as octal); expected four decimal numbers 0–255 such as ' +
        '192.0.2.1',
    });
  });
});

describe('parseIndicator: an explicit type', () => {
  it.each([
    ['192.0.2.1', 'domain', '"192.0.2.1" is an IPv4 address (ipv4), not a domain name (domain)'],
    ['example.com', 'url', '"example.com" is a domain name (domain), not a URL (url)'],
    ['http://example.com/', 'domain', 'is a URL (url), not a domain name (domain)'],
    ['::1', 'ipv4', '"::1" is an IPv6 address (ipv6), not an IPv4 address (ipv4)'],
    ['10.0.0.0/8', 'ipv4', 'is an IPv4 CIDR range (ipv4-cidr), not an IPv4 address (ipv4)'],
    ['2001:db8::/32', 'ipv4-cidr', 'is an IPv6 CIDR range (ipv6-cidr), not an IPv4 CIDR range'],
    ['alice@example.com', 'domain', 'is an e-mail address (email), not a domain name'],
    [
      'd41d8cd98f00b204e9800998ecf8427e',
      'sha256',
      'is an MD5 hash (md5), not a SHA-256 hash (sha256)',
    ],
  ] as [string, IndicatorType, string][])('%p as %s is refused', (input, type, message) => {
    const result = parseIndicator(input, { type });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });

  it('does not take a URL without a scheme for a URL', () => {
    expect(parseIndicator('example.com/login', { type: 'url' })).toEqual({
      ok: false,
      message:
        '"example.com/login" is not a URL: expected it to start with http://, https:// or ftp://',
    });
  });

  it("gives the type's own message when the input is nothing valid", () => {
    expect(parseIndicator('zz', { type: 'md5' })).toEqual({
      ok: false,
      message: '"zz" is not a hash: expected hexadecimal digits only (0–9, a–f)',
    });
    expect(parseIndicator('10.1.2.3/8', { type: 'ipv4-cidr' })).toEqual({
      ok: false,
      message:
        '"10.1.2.3/8" has host bits set; the network is 10.0.0.0/8, the single address 10.1.2.3/32: ' +
        'write the one you mean, or ask for normalisation to use the network',
    });
  });

  it('accepts a single address where a range is asked for, as the address', () => {
    expect(parseIndicator('192.0.2.1', { type: 'ipv4-cidr' })).toEqual({
      ok: true,
      type: 'ipv4',
      value: '192.0.2.1',
    });
    expect(parseIndicator('2001:db8::1/128', { type: 'ipv6-cidr' })).toEqual({
      ok: true,
      type: 'ipv6',
      value: '2001:db8::1',
    });
  });

  it('refuses an unknown type from an untyped caller', () => {
    const result = parseIndicator('example.com', { type: 'hostname' as IndicatorType });
    expect(result).toEqual({
      ok: false,
      message: expect.stringContaining('unknown indicator type "hostname"; expected one of ipv4'),
    });
  });
});

describe('parseIndicator: CIDR host bits', () => {
  it('rejects them by default, naming both readings: the network and the single address', () => {
    expect(parseIndicator('10.1.2.3/8')).toEqual({
      ok: false,
      message:
        '"10.1.2.3/8" has host bits set; the network is 10.0.0.0/8, the single address 10.1.2.3/32: ' +
        'write the one you mean, or ask for normalisation to use the network',
    });
    expect(parseIndicator('2.0.0.0/1')).toEqual({
      ok: false,
      message: expect.stringContaining('the network is 0.0.0.0/1, the single address 2.0.0.0/32'),
    });
    expect(parseIndicator('2001:db8::1/64')).toEqual({
      ok: false,
      message: expect.stringContaining(
        'the network is 2001:db8::/64, the single address 2001:db8::1/128',
      ),
    });
    expect(parseIndicator('10.1.2.3/8', { hostBits: 'reject' }).ok).toBe(false);
  });

  it('masks them with a warning when asked to', () => {
    expect(parseIndicator('10.1.2.3/8', { hostBits: 'mask' })).toEqual({
      ok: true,
      type: 'ipv4-cidr',
      value: '10.0.0.0/8',
      warning: '"10.1.2.3/8" has host bits set; it was masked to 10.0.0.0/8',
    });
    expect(parseIndicator('2001:DB8::1:2/112', { hostBits: 'mask', type: 'ipv6-cidr' })).toEqual({
      ok: true,
      type: 'ipv6-cidr',
      value: '2001:db8::1:0/112',
      warning: '"2001:DB8::1:2/112" has host bits set; it was masked to 2001:db8::1:0/112',
    });
  });

  it('gives no warning when there was nothing to mask', () => {
    expect(parseIndicator('10.0.0.0/8', { hostBits: 'mask' })).toEqual({
      ok: true,
      type: 'ipv4-cidr',
      value: '10.0.0.0/8',
    });
  });

  it('turns a /32 into the address, which has no host bits to mask', () => {
    expect(parseIndicator('192.0.2.77/32', { hostBits: 'mask' })).toEqual({
      ok: true,
      type: 'ipv4',
      value: '192.0.2.77',
    });
  });
});

describe('parseIndicator: IPv6 against ipaddr.js', () => {
  const group = fc.integer({ min: 0, max: 0xffff });
  // Zero groups are common in real addresses and are what compression is about.
  const groups = fc.array(fc.oneof(group, fc.constant(0), fc.constant(0)), {
    minLength: 8,
    maxLength: 8,
  });

  it('keeps the address and prints it as RFC 5952 does', () => {
    fc.assert(
      fc.property(groups, fc.boolean(), (parts, upper) => {
        const full = parts.map((p) => p.toString(16).padStart(4, '0')).join(':');
        const result = parseIndicator(upper ? full.toUpperCase() : full);
        if (!result.ok) throw new Error(result.message);
        const address = new ipaddr.IPv6(parts);
        expect(result.type).toBe('ipv6');
        expect(ipaddr.IPv6.parse(result.value).parts).toEqual(parts);
        if (!address.isIPv4MappedAddress()) expect(result.value).toBe(address.toRFC5952String());
        // The compressed run is the whole run, and "::" appears once at most.
        expect(result.value).not.toMatch(/(^|:):0(:|$)|::.*::/);
      }),
    );
  });
});

describe('the dotted IPv4 fast path', () => {
  it('agrees with the general parser on every dotted-quad form', () => {
    // Forms the fast path takes (canonical) and forms it must leave to the general path
    // (leading zeros, out of range), compared with the general path's answer via a defanged
    // spelling, which never takes the fast path.
    const octets = [
      '0',
      '1',
      '9',
      '10',
      '99',
      '100',
      '199',
      '200',
      '249',
      '250',
      '255',
      '256',
      '01',
      '001',
      '300',
    ];
    for (const a of octets) {
      for (const b of ['0', '255', '07', '256']) {
        const text = `${a}.${b}.1.${a}`;
        const fast = parseIndicator(text);
        const general = parseIndicator(text.replace('.', '[.]'));
        // Messages quote the input as typed, so only the outcome is compared.
        const outcome = (p: typeof fast) =>
          p.ok ? { text, type: p.type, value: p.value } : { text, ok: false };
        expect(outcome(fast)).toEqual(outcome(general));
      }
    }
  });
});
