import fc from 'fast-check';
import { IndicatorType, parseIndicator } from '../values/indicator-value';
import { stixStringLiteral, tokenize } from './pattern-lexer';
import { hashTypeForKey, indicatorPattern, parseSimplePattern } from './patterns';

const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** The reason parseSimplePattern gives, failing the test if it accepts the pattern. */
function reason(pattern: string): string {
  const parsed = parseSimplePattern(pattern);
  if (parsed.ok) throw new Error(`accepted ${pattern}: ${JSON.stringify(parsed.entries)}`);
  return parsed.reason;
}

function entries(pattern: string): { type: IndicatorType; value: string }[] {
  const parsed = parseSimplePattern(pattern);
  if (!parsed.ok) throw new Error(`refused ${pattern}: ${parsed.reason}`);
  return parsed.entries;
}

describe('indicatorPattern', () => {
  it.each<[IndicatorType, string, string]>([
    ['ipv4', '203.0.113.5', "[ipv4-addr:value = '203.0.113.5']"],
    ['ipv4-cidr', '198.51.100.0/24', "[ipv4-addr:value = '198.51.100.0/24']"],
    ['ipv6', '2001:db8::1', "[ipv6-addr:value = '2001:db8::1']"],
    ['ipv6-cidr', '2001:db8::/32', "[ipv6-addr:value = '2001:db8::/32']"],
    ['domain', 'xn--mnchen-3ya.example', "[domain-name:value = 'xn--mnchen-3ya.example']"],
    ['url', 'http://example.com/a', "[url:value = 'http://example.com/a']"],
    ['email', 'alice@example.com', "[email-addr:value = 'alice@example.com']"],
    ['md5', MD5, `[file:hashes.MD5 = '${MD5}']`],
    ['sha1', SHA1, `[file:hashes.'SHA-1' = '${SHA1}']`],
    ['sha256', SHA256, `[file:hashes.'SHA-256' = '${SHA256}']`],
  ])('writes %s %s', (type, value, pattern) => {
    expect(indicatorPattern(type, value)).toBe(pattern);
  });

  it("escapes ' and \\ as the grammar requires", () => {
    expect(indicatorPattern('url', "http://example.com/it's")).toBe(
      "[url:value = 'http://example.com/it\\'s']",
    );
    expect(indicatorPattern('email', "o'brien@example.com")).toBe(
      "[email-addr:value = 'o\\'brien@example.com']",
    );
    expect(stixStringLiteral("a\\b'c\\'")).toBe("'a\\\\b\\'c\\\\\\''");
  });

  it('refuses an unknown type', () => {
    expect(() => indicatorPattern('ssdeep' as IndicatorType, 'x')).toThrow(
      'unknown indicator type',
    );
  });
});

describe('stixStringLiteral and the lexer', () => {
  it('read back any string exactly', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const [token, end] = tokenize(stixStringLiteral(value));
        expect(token).toMatchObject({ kind: 'string', value });
        expect(end.kind).toBe('end');
      }),
    );
  });

  it("refuses escapes other than \\' and \\\\", () => {
    expect(reason("[url:value = 'http://example.com/\\n']")).toContain(
      'a backslash in a string must be followed by',
    );
  });
});

describe('parseSimplePattern accepts', () => {
  it.each<[string, { type: IndicatorType; value: string }[]]>([
    ["[ipv4-addr:value = '203.0.113.5']", [{ type: 'ipv4', value: '203.0.113.5' }]],
    ["[ipv4-addr:value = '198.51.100.0/24']", [{ type: 'ipv4-cidr', value: '198.51.100.0/24' }]],
    // A /32 is the address.
    ["[ipv4-addr:value = '198.51.100.7/32']", [{ type: 'ipv4', value: '198.51.100.7' }]],
    ["[ipv6-addr:value = '2001:DB8:0::1']", [{ type: 'ipv6', value: '2001:db8::1' }]],
    ["[ipv6-addr:value = '2001:db8::/32']", [{ type: 'ipv6-cidr', value: '2001:db8::/32' }]],
    [
      "[domain-name:value = 'München.Example']",
      [{ type: 'domain', value: 'xn--mnchen-3ya.example' }],
    ],
    [
      "[url:value = 'HTTP://Example.com/it\\'s']",
      [{ type: 'url', value: "http://example.com/it's" }],
    ],
    [
      "[email-addr:value = 'o\\'brien@Example.com']",
      [{ type: 'email', value: "o'brien@example.com" }],
    ],
    [`[file:hashes.MD5 = '${MD5.toUpperCase()}']`, [{ type: 'md5', value: MD5 }]],
    [`[file:hashes.'MD5' = '${MD5}']`, [{ type: 'md5', value: MD5 }]],
    [`[file:hashes.'SHA-1' = '${SHA1}']`, [{ type: 'sha1', value: SHA1 }]],
    [`[file:hashes.SHA1 = '${SHA1}']`, [{ type: 'sha1', value: SHA1 }]],
    [`[file:hashes.'SHA-256' = '${SHA256}']`, [{ type: 'sha256', value: SHA256 }]],
    [`[file:hashes.sha256 = '${SHA256}']`, [{ type: 'sha256', value: SHA256 }]],
    [`[file:hashes.SHA_256 = '${SHA256}']`, [{ type: 'sha256', value: SHA256 }]],
    [`[file:'hashes'.'sha-256' = '${SHA256}']`, [{ type: 'sha256', value: SHA256 }]],
    // "==" is the grammar's other spelling of "=".
    ["[domain-name:value == 'example.com']", [{ type: 'domain', value: 'example.com' }]],
  ])('%s', (pattern, expected) => {
    expect(entries(pattern)).toEqual(expected);
  });

  it('an OR of comparisons within one observation', () => {
    expect(
      entries("[ipv4-addr:value = '203.0.113.5' OR domain-name:value = 'example.com']"),
    ).toEqual([
      { type: 'ipv4', value: '203.0.113.5' },
      { type: 'domain', value: 'example.com' },
    ]);
  });

  it('an OR of observations, with parentheses, whitespace and comments', () => {
    const pattern =
      "( [ipv4-addr:value = '203.0.113.5'] OR\n\t[url:value = 'http://example.com/'] ) " +
      "/* the C2 */ OR ([email-addr:value = 'a@example.com' OR (domain-name:value = 'example.org')]) // end";
    expect(entries(pattern)).toEqual([
      { type: 'ipv4', value: '203.0.113.5' },
      { type: 'url', value: 'http://example.com/' },
      { type: 'email', value: 'a@example.com' },
      { type: 'domain', value: 'example.org' },
    ]);
  });

  it.each<[string, { type: IndicatorType; value: string }[]]>([
    // MISP's ip-dst and ip-src (misp-stix), and the same with the comparisons swapped.
    [
      "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '198.51.100.7']",
      [{ type: 'ipv4', value: '198.51.100.7' }],
    ],
    [
      "[network-traffic:src_ref.value = '198.51.100.0/24' AND network-traffic:src_ref.type = 'ipv4-addr']",
      [{ type: 'ipv4-cidr', value: '198.51.100.0/24' }],
    ],
    [
      "[network-traffic:dst_ref.type = 'ipv6-addr' AND network-traffic:dst_ref.value = '2001:DB8::7']",
      [{ type: 'ipv6', value: '2001:db8::7' }],
    ],
    [
      "[network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value = 'C2.Example']",
      [{ type: 'domain', value: 'c2.example' }],
    ],
    // A referenced address without its type, when it can only be an address.
    ["[network-traffic:dst_ref.value = '198.51.100.8']", [{ type: 'ipv4', value: '198.51.100.8' }]],
    [
      "[network-traffic:src_ref.type = 'ipv4-addr' AND network-traffic:src_ref.value = '198.51.100.9'] OR " +
        "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '198.51.100.10' " +
        "OR ipv4-addr:value = '198.51.100.11']",
      [
        { type: 'ipv4', value: '198.51.100.9' },
        { type: 'ipv4', value: '198.51.100.10' },
        { type: 'ipv4', value: '198.51.100.11' },
      ],
    ],
  ])('a referenced address: %s', (pattern, expected) => {
    expect(entries(pattern)).toEqual(expected);
  });

  it('returns a value that occurs twice once', () => {
    expect(
      entries("[domain-name:value = 'example.com'] OR [domain-name:value = 'EXAMPLE.com']"),
    ).toEqual([{ type: 'domain', value: 'example.com' }]);
  });
});

describe('parseSimplePattern refuses, saying why and where', () => {
  it.each([
    [
      "[ipv4-addr:value = '203.0.113.5' AND domain-name:value = 'example.com']",
      'AND is not supported',
      34,
    ],
    [
      "[ipv4-addr:value = '203.0.113.5'] AND [domain-name:value = 'example.com']",
      'AND is not supported',
      35,
    ],
    [
      "[ipv4-addr:value = '203.0.113.5'] FOLLOWEDBY [url:value = 'http://a.example/']",
      'FOLLOWEDBY is not supported',
      35,
    ],
    ["[ipv4-addr:value != '203.0.113.5']", 'the operator != is not supported', 18],
    ["[ipv4-addr:value <> '203.0.113.5']", 'the operator <> is not supported', 18],
    ["[ipv4-addr:value > '203.0.113.5']", 'the operator > is not supported', 18],
    ["[url:value MATCHES '^http://']", 'the operator MATCHES is not supported', 12],
    ["[url:value LIKE 'http://%']", 'the operator LIKE is not supported', 12],
    ["[ipv4-addr:value IN ('203.0.113.5', '203.0.113.6')]", 'the operator IN is not supported', 18],
    ["[ipv4-addr:value ISSUBSET '198.51.100.0/24']", 'the operator ISSUBSET is not supported', 18],
    ["[ipv4-addr:value NOT = '203.0.113.5']", 'the operator NOT is not supported', 18],
    [
      "[ipv4-addr:value = '203.0.113.5'] WITHIN 300 SECONDS",
      'the qualifier WITHIN is not supported',
      35,
    ],
    [
      "[ipv4-addr:value = '203.0.113.5'] START t'2026-01-01T00:00:00Z' STOP t'2026-02-01T00:00:00Z'",
      'the qualifier START is not supported',
      35,
    ],
    [
      "[ipv4-addr:value = '203.0.113.5'] REPEATS 5 TIMES",
      'the qualifier REPEATS is not supported',
      35,
    ],
    // A port (MISP's ip-dst|port) narrows the address: not a value of its own.
    [
      "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '198.51.100.7' AND network-traffic:dst_port = '443']",
      'the further condition on network-traffic:dst_port would have to match together',
      96,
    ],
    [
      "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:src_ref.value = '198.51.100.7']",
      'AND is not supported',
      45,
    ],
    [
      "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '2001:db8::1']",
      '"2001:db8::1" is an IPv6 address, not an IPv4 address or CIDR range',
      81,
    ],
    [
      "[network-traffic:dst_ref.type = 'mac-addr' AND network-traffic:dst_ref.value = '00:11:22:33:44:55']",
      "network-traffic:dst_ref.type 'mac-addr' is not supported",
      33,
    ],
    [
      "[network-traffic:dst_ref.type = 'ipv4-addr']",
      'network-traffic:dst_ref.type alone names no value',
      2,
    ],
    [
      "[network-traffic:dst_ref.value = 'c2.example']",
      '"c2.example" is not an IP address or range; give the reference\'s type too',
      34,
    ],
    ["[file:name = 'evil.exe']", 'the object path file:name is not supported', 2],
    [
      "[network-traffic:dst_port = '443']",
      'the object path network-traffic:dst_port is not supported',
      2,
    ],
    [
      "[ipv4-addr:resolves_to_refs[*].value = 'aa:bb']",
      'list indexes in object paths are not supported',
      28,
    ],
    [`[file:hashes.'SHA-512' = '${'a'.repeat(128)}']`, 'the hash "SHA-512" is not supported', 2],
    [
      `[file:hashes.SHA-256 = '${SHA256}']`,
      'the property name SHA-256 has a hyphen and must be quoted',
      14,
    ],
    [`[file:hashes.MD5 = '${SHA1}']`, 'is a SHA-1 hash, not an MD5 hash', 20],
    [`[file:hashes.MD5 = 'xyz']`, 'file:hashes.MD5: "xyz" is not a hash', 20],
    [
      "[ipv4-addr:value = '2001:db8::1']",
      '"2001:db8::1" is an IPv6 address, not an IPv4 address or CIDR range',
      20,
    ],
    ["[ipv4-addr:value = '203.0.113.256']", 'each part must be 0–255', 20],
    ["[ipv4-addr:value = '10.1.2.3/8']", 'host bits set', 20],
    ["[domain-name:value = 'http://example.com/']", 'is a URL, not a domain name', 22],
    ["[url:value = 'javascript:alert(1)']", 'only http, https and ftp URLs are accepted', 14],
    ['[ipv4-addr:value = 5]', 'expected a string in single quotes after "=", found 5', 20],
    ["[ipv4-addr:value = t'2026-01-01T00:00:00Z']", 'found the timestamp literal', 20],
    ['[domain-name:value = "example.com"]', 'single quotes', 22],
    [
      "[domain-name:value = 'example.com' or domain-name:value = 'example.org']",
      '"or" (STIX keywords are upper case)',
      36,
    ],
    ["[domain-name:value = 'example.com'", 'expected OR or "]"', 35],
    ["domain-name:value = 'example.com'", 'expected an observation in square brackets', 1],
    ["[domain-name:value = 'example.com]", 'never closed', 22],
    ["[domain-name:value = 'example.com'] []", 'expected OR or the end of the pattern', 37],
    ['[EXISTS ipv4-addr:value]', 'EXISTS is not supported', 2],
    ['', 'the pattern is empty', 1],
    ['  /* nothing */ ', 'the pattern is empty', 1],
    ["[domain-name:value = 'example.com'] ; DROP", 'unexpected character ";"', 37],
  ])('%s', (pattern, why, at) => {
    expect(reason(pattern)).toContain(why);
    expect(reason(pattern)).toMatch(new RegExp(`\\(at character ${at}\\)$`));
  });

  it('refuses parentheses nested too deeply rather than recursing without bound', () => {
    const deep = `${'('.repeat(10_000)}[domain-name:value = 'example.com']${')'.repeat(10_000)}`;
    expect(reason(deep)).toContain('nested too deeply');
  });

  it('refuses something that is not a string', () => {
    expect(reason(42 as unknown as string)).toBe('the pattern is not a string');
  });
});

describe('hashTypeForKey', () => {
  it.each([
    ['MD5', 'md5'],
    ['md5', 'md5'],
    ['SHA-1', 'sha1'],
    ['sha_1', 'sha1'],
    ['SHA256', 'sha256'],
    ['Sha-256', 'sha256'],
    ['SHA-512', undefined],
    ['SHA3-256', undefined],
    ['SSDEEP', undefined],
  ])('%s is %s', (key, type) => {
    expect(hashTypeForKey(key)).toBe(type);
  });
});

describe('indicatorPattern and parseSimplePattern round-trip', () => {
  const hex = (length: number) =>
    fc.string({
      unit: fc.constantFrom(...'0123456789abcdefABCDEF'),
      minLength: length,
      maxLength: length,
    });
  const cidr = (address: fc.Arbitrary<string>, max: number) =>
    fc.tuple(address, fc.integer({ min: 0, max })).map(([a, bits]) => `${a}/${bits}`);
  const inputs = fc.oneof(
    fc.ipV4(),
    fc.ipV6(),
    cidr(fc.ipV4(), 32),
    cidr(fc.ipV6(), 128),
    fc.domain(),
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc.emailAddress(),
    hex(32),
    hex(40),
    hex(64),
  );

  it('gives back every canonical value of every type', () => {
    let checked = 0;
    fc.assert(
      fc.property(inputs, (input) => {
        // Generated inputs the hub would refuse (host bits set, numeric TLDs…) are not indicators.
        const parsed = parseIndicator(input, { hostBits: 'mask' });
        fc.pre(parsed.ok);
        if (!parsed.ok) return;
        // parseIndicator tidies pasted text (a trailing "," or ";" is dropped, "[.]" refanged),
        // so a URL ending in "," is not a fixed point of it; those cannot round-trip anywhere.
        const again = parseIndicator(parsed.value);
        fc.pre(again.ok && again.value === parsed.value);
        checked++;
        const pattern = indicatorPattern(parsed.type, parsed.value);
        expect(parseSimplePattern(pattern)).toEqual({
          ok: true,
          entries: [{ type: parsed.type, value: parsed.value }],
        });
      }),
      { numRuns: 3000 },
    );
    expect(checked).toBeGreaterThan(1000);
  });

  it('gives back an OR of many values in order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.ipV4(), { minLength: 1, maxLength: 50 }), (addresses) => {
        const pattern = addresses.map((a) => indicatorPattern('ipv4', a)).join(' OR ');
        const values = addresses
          .map((a) => parseIndicator(a))
          .filter((p) => p.ok)
          .map((p) => p.value);
        const parsed = parseSimplePattern(pattern);
        expect(parsed.ok && parsed.entries.map((e) => e.value)).toEqual(values);
      }),
    );
  });
});
