import { domainToASCII } from 'node:url';
import ipaddr from 'ipaddr.js';

/**
 * Indicator values (IP addresses, ranges, domains, URLs, e-mail addresses, file hashes) in one
 * canonical text form, so that the same indicator reported by two organisations, typed two ways,
 * is stored, deduplicated and matched as one value. Pure and framework-free (ADR 0002).
 *
 * The address and domain rules follow libs/identity/src/organisations/ownership.ts
 * (normaliseCidr, normaliseDomain) but are written here, with more specific messages, rather
 * than imported from another library's internals.
 */

export type IndicatorType =
  | 'ipv4'
  | 'ipv6'
  | 'ipv4-cidr'
  | 'ipv6-cidr'
  | 'domain'
  | 'url'
  | 'email'
  | 'md5'
  | 'sha1'
  | 'sha256';

export type Parsed =
  | { ok: true; type: IndicatorType; value: string; warning?: string }
  | { ok: false; message: string };

type Success = Extract<Parsed, { ok: true }>;
type Failure = Extract<Parsed, { ok: false }>;
type HostBits = 'reject' | 'mask';

/** How each type is named in messages; the identifier follows in brackets for API users. */
const TYPE_NAMES: Record<IndicatorType, string> = {
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  'ipv4-cidr': 'an IPv4 CIDR range',
  'ipv6-cidr': 'an IPv6 CIDR range',
  domain: 'a domain name',
  url: 'a URL',
  email: 'an e-mail address',
  md5: 'an MD5 hash',
  sha1: 'a SHA-1 hash',
  sha256: 'a SHA-256 hash',
};

const EXPECTED =
  'expected an IP address, CIDR range, domain name, http/https/ftp URL, e-mail address ' +
  'or MD5/SHA-1/SHA-256 hash';

// Long enough for real phishing URLs with tracking parameters; the cap only keeps a pasted
// document from being taken for one indicator.
const MAX_LENGTH = 8192;

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/** Dotted decimal without leading zeros (which some parsers read as octal): already canonical. */
const CANONICAL_IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

const HASH_TYPES: Record<number, IndicatorType> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };
const URL_SCHEMES = new Set(['http', 'https', 'ftp']);

/**
 * Reports and feeds "defang" indicators so that nobody clicks them by accident; analysts paste
 * them as they are. These forms next to never occur in a real value; a URL path that does hold
 * "(.)" or "[at]" is altered, which is the price of accepting pasted reports.
 */
const DEFANGS: [RegExp, string][] = [
  [/\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)/gi, '.'],
  [/\[:\/\/\]/g, '://'],
  [/\[:\]/g, ':'],
  [/\[@\]|\(@\)|\[at\]|\(at\)/gi, '@'],
  [/^hxxp(s?):/i, 'http$1:'],
  [/^fxp:/i, 'ftp:'],
];

/**
 * Parses one indicator and returns its canonical value and type, or a message for the person
 * who typed it. Without `opts.type` the type is detected; with it, an input of another type is
 * an error naming both. A CIDR range with host bits set is an error unless `hostBits: 'mask'`,
 * in which case the network is returned with a `warning`.
 */
export function parseIndicator(
  input: string,
  opts: { type?: IndicatorType; hostBits?: 'reject' | 'mask' } = {},
): Parsed {
  // Callers from JavaScript or untyped JSON get a message rather than a TypeError.
  if (typeof input !== 'string') return fail(`expected the indicator as text, got ${typeof input}`);
  // Blocklists are mostly plain IPv4 addresses, already canonical: a million of them parse in
  // a tenth of the time the general path takes (refanging, ipaddr.js), with the same result.
  if (CANONICAL_IPV4.test(input) && (opts.type === undefined || opts.type.startsWith('ipv4'))) {
    return { ok: true, type: 'ipv4', value: input };
  }
  const q = quote(input);
  const text = refang(tidy(input));
  if (text === '') return fail(`${q} is empty`);
  if (text.length > MAX_LENGTH) {
    return fail(`${q} is longer than ${MAX_LENGTH} characters; expected a single indicator`);
  }
  // The URL parser silently deletes tabs and line breaks, which would turn two pasted values
  // into one plausible-looking indicator.
  if (/\p{Cc}/u.test(text)) {
    return fail(`${q} contains a tab, line break or other control character; ${EXPECTED}`);
  }
  const hostBits = opts.hostBits ?? 'reject';
  const expected = opts.type;
  if (expected === undefined) return parseDetected(text, q, hostBits);
  if (!Object.hasOwn(TYPE_NAMES, expected)) {
    const known = Object.keys(TYPE_NAMES).join(', ');
    return fail(`unknown indicator type ${JSON.stringify(expected)}; expected one of ${known}`);
  }

  const asGiven = parseAs(expected, text, q, hostBits);
  if (asGiven.ok && compatible(expected, asGiven.type)) return asGiven;
  const detected = asGiven.ok ? asGiven : parseDetected(text, q, hostBits);
  if (detected.ok && !compatible(expected, detected.type)) {
    return fail(
      `${q} is ${TYPE_NAMES[detected.type]} (${detected.type}), ` +
        `not ${TYPE_NAMES[expected]} (${expected})`,
    );
  }
  return asGiven;
}

/**
 * A single address is the /32 (or /128) range, which is normalised to the address type; so a
 * caller asking for a range accepts an address, but not the other way round.
 */
function compatible(expected: IndicatorType, actual: IndicatorType): boolean {
  return (
    expected === actual ||
    (expected === 'ipv4-cidr' && actual === 'ipv4') ||
    (expected === 'ipv6-cidr' && actual === 'ipv6')
  );
}

function parseAs(type: IndicatorType, text: string, q: string, hostBits: HostBits): Parsed {
  switch (type) {
    case 'ipv4':
    case 'ipv4-cidr':
      return text.includes('/') ? parseCidr(text, q, hostBits) : parseIPv4(text, q);
    case 'ipv6':
    case 'ipv6-cidr':
      return text.includes('/') ? parseCidr(text, q, hostBits) : parseIPv6(text, q);
    case 'domain':
      return parseDomain(text, q);
    case 'url':
      return parseUrl(text, q);
    case 'email':
      return parseEmail(text, q);
    case 'md5':
    case 'sha1':
    case 'sha256':
      return parseHash(text, q);
  }
}

/**
 * Picks the one parser the input can only be meant for, so that its message explains what is
 * wrong (a bad IPv4 address is told about octets, not about domain labels).
 */
function parseDetected(text: string, q: string, hostBits: HostBits): Parsed {
  // Only a scheme followed by "//" (or one of ours without it) is a URL attempt: "fe80::1" and
  // "mailto:x@example.com" also start with letters and a colon.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^(https?|ftp):/i.test(text)) {
    return parseUrl(text, q);
  }
  if (text.includes('@')) return parseEmail(text, q);
  if (text.includes('/')) {
    const address = text.slice(0, text.indexOf('/'));
    if (looksLikeIPv4(address) || looksLikeIPv6(address)) return parseCidr(text, q, hostBits);
    if (address.includes('.')) {
      return fail(
        `${q} looks like a URL without a scheme; a URL must start with http://, https:// or ftp://`,
      );
    }
    return fail(`${q} is not a recognised indicator; ${EXPECTED}`);
  }
  if (looksLikeIPv6(text)) return parseIPv6(text, q);
  if (text.includes(':')) {
    if (/^[^:]+:\d+$/.test(text)) {
      return fail(
        `${q} has a port but no scheme; give the host alone, ` +
          'or a URL starting with http://, https:// or ftp://',
      );
    }
    return fail(`${q} is not a recognised indicator; ${EXPECTED}`);
  }
  // A bare decimal number is the integer spelling of an IPv4 address (2130706433 = 127.0.0.1),
  // unless it has exactly a hash's length.
  if (/^[0-9a-f]+$/i.test(text) && !(/^\d+$/.test(text) && !HASH_TYPES[text.length])) {
    return parseHash(text, q);
  }
  if (looksLikeIPv4(text)) return parseIPv4(text, q);
  // A word without a dot that a domain could not contain anyway ("hello world") is not worth a
  // domain-specific message.
  if (!text.includes('.') && /(?![a-z0-9_-])[ -~]/i.test(text)) {
    return fail(`${q} is not a recognised indicator; ${EXPECTED}`);
  }
  return parseDomain(text, q);
}

/** Numbers and hex numbers separated by dots: what inet_aton and URL hosts read as IPv4. */
function looksLikeIPv4(text: string): boolean {
  return /^(\d+|0x[0-9a-f]*)(\.(\d+|0x[0-9a-f]*))*\.?$/i.test(text);
}

/** Two or more colons and nothing a host name could not hold: an IPv6 attempt, typos included. */
function looksLikeIPv6(text: string): boolean {
  return /^[0-9a-z:.]+(%.*)?$/i.test(text) && (text.match(/:/g) ?? []).length >= 2;
}

// ---------------------------------------------------------------------------------------------
// IP addresses and ranges

const DOTTED_QUAD = 'expected four decimal numbers 0–255 such as 192.0.2.1';

/**
 * The four octets of a dotted-quad decimal IPv4 address, or why the text is not one. Octal
 * (010.1.1.1), hex (0x7f.1) and short (127.1) forms are rejected rather than converted: C
 * libraries, browsers and firewalls disagree on them, so any reading could be the wrong one.
 */
function dottedQuad(text: string): number[] | string {
  const parts = text.split('.');
  if (parts.some((p) => /^0x/i.test(p))) {
    return `hexadecimal parts such as "0x7f" are not accepted; ${DOTTED_QUAD}`;
  }
  if (parts.length !== 4 || !parts.every((p) => /^\d+$/.test(p))) {
    return `${DOTTED_QUAD} (shortened and integer forms are ambiguous)`;
  }
  if (parts.some((p) => p.length > 1 && p.startsWith('0'))) {
    return `leading zeros are not accepted (some software reads them as octal); ${DOTTED_QUAD}`;
  }
  const octets = parts.map(Number);
  if (octets.some((o) => o > 255)) return `each part must be 0–255; ${DOTTED_QUAD}`;
  return octets;
}

/**
 * The eight 16-bit groups of an IPv6 address, or why the text is not one. Parsed here rather
 * than by ipaddr.js, which reads "::1.2.3.4" as ::ffff:1.2.3.4 (another address) and accepts
 * leading zeros in an embedded IPv4 part; its messages could not say what was wrong either.
 */
function ipv6Groups(text: string): number[] | string {
  if (text.includes('%')) {
    return 'zone indexes ("%…") are not accepted: they only mean something on one host';
  }
  if (!/^[0-9a-f:.]+$/i.test(text)) {
    return 'only hexadecimal digits, ":" and an embedded dotted-quad IPv4 address are allowed';
  }
  const halves = text.split('::');
  if (halves.length > 2) return '"::" may appear only once';
  const groups: number[][] = [];
  for (const [h, half] of halves.entries()) {
    const fields = half === '' ? [] : half.split(':');
    const out: number[] = [];
    for (const [f, field] of fields.entries()) {
      if (field.includes('.')) {
        if (h !== halves.length - 1 || f !== fields.length - 1) {
          return 'an embedded IPv4 address may only come last';
        }
        const octets = dottedQuad(field);
        if (typeof octets === 'string') return `in the embedded IPv4 address, ${octets}`;
        out.push((octets[0] << 8) | octets[1], (octets[2] << 8) | octets[3]);
      } else if (/^[0-9a-f]{1,4}$/i.test(field)) {
        out.push(parseInt(field, 16));
      } else if (field === '') {
        return 'it has an empty group (a stray ":")';
      } else {
        return `the group "${field}" is longer than 4 hexadecimal digits`;
      }
    }
    groups.push(out);
  }
  if (groups.length === 1) {
    if (groups[0].length !== 8) {
      return `expected 8 groups, or "::" standing for the zero groups; found ${groups[0].length}`;
    }
    return groups[0];
  }
  const [head, tail] = groups;
  const zeros = 8 - head.length - tail.length;
  if (zeros < 1) return 'it has 8 groups as well as "::", which must stand for at least one';
  return [...head, ...new Array<number>(zeros).fill(0), ...tail];
}

/**
 * RFC 5952 text: lower case, no leading zeros, the longest (first on a tie) run of two or more
 * zero groups as "::", and IPv4-mapped addresses in mixed notation as section 5 recommends.
 */
function showIPv6(address: ipaddr.IPv6): string {
  return address.isIPv4MappedAddress()
    ? `::ffff:${address.toIPv4Address().toString()}`
    : address.toRFC5952String();
}

function parseIPv4(text: string, q: string): Parsed {
  const octets = dottedQuad(text);
  if (typeof octets === 'string') return fail(`${q} is not a dotted-quad IPv4 address: ${octets}`);
  return ok('ipv4', octets.join('.'));
}

function parseIPv6(text: string, q: string): Parsed {
  const groups = ipv6Groups(text);
  if (typeof groups === 'string') return fail(`${q} is not an IPv6 address: ${groups}`);
  return ok('ipv6', showIPv6(new ipaddr.IPv6(groups)));
}

function parseCidr(text: string, q: string, hostBits: HostBits): Parsed {
  const slash = text.indexOf('/');
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const v6 = addressText.includes(':');
  const family = v6 ? 'IPv6' : 'IPv4';
  const max = v6 ? 128 : 32;
  if (!/^(0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > max) {
    return fail(`${q} is not an ${family} CIDR range: expected a prefix length from /0 to /${max}`);
  }
  const bits = Number(prefixText);

  let address: ipaddr.IPv4 | ipaddr.IPv6;
  let network: ipaddr.IPv4 | ipaddr.IPv6;
  if (v6) {
    const groups = ipv6Groups(addressText);
    if (typeof groups === 'string') return fail(`${q} is not an IPv6 CIDR range: ${groups}`);
    address = new ipaddr.IPv6(groups);
    network = ipaddr.IPv6.networkAddressFromCIDR(`${address.toNormalizedString()}/${bits}`);
  } else {
    const octets = dottedQuad(addressText);
    if (typeof octets === 'string') return fail(`${q} is not an IPv4 CIDR range: ${octets}`);
    address = new ipaddr.IPv4(octets);
    network = ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`);
  }
  const show = (a: ipaddr.IPv4 | ipaddr.IPv6) =>
    a.kind() === 'ipv6' ? showIPv6(a as ipaddr.IPv6) : a.toString();

  // A /32 or /128 is exactly one address. It is stored as the plain address (type ipv4/ipv6)
  // so that "192.0.2.1/32" and "192.0.2.1" are one indicator, not two that never match.
  if (bits === max) return ok(v6 ? 'ipv6' : 'ipv4', show(address));

  const range = `${show(network)}/${bits}`;
  const type = v6 ? 'ipv6-cidr' : 'ipv4-cidr';
  if (show(network) === show(address)) return ok(type, range);
  // Host bits usually mean a typo (10.1.2.3/8 for 10.1.2.0/24): silently masking would share
  // or block a range 65,536 times larger than intended, so the caller must opt in.
  if (hostBits === 'mask') {
    return { ...ok(type, range), warning: `${q} has host bits set; it was masked to ${range}` };
  }
  // Both readings, because either may be what was meant: the network the prefix names, or the
  // one address that was typed. Guessing the network black-holes 2^(max-bits) addresses.
  return fail(
    `${q} has host bits set; the network is ${range}, the single address ${show(address)}/${max}: ` +
      `write the one you mean, or ask for normalisation to use the network`,
  );
}

// ---------------------------------------------------------------------------------------------
// Domains, URLs and e-mail addresses

/**
 * A host name as lower-case ASCII (IDN to punycode, UTS #46 as browsers do), without the
 * trailing root dot, or why it is not one. Labels are letters, digits and hyphens: underscores
 * are legal in some DNS records but not in host names, and resolvers and browsers disagree on
 * them. A numeric last label is refused because browsers read such names as IPv4 addresses.
 */
function asciiDomain(text: string): { value: string } | string {
  const lower = text.toLowerCase();
  if (lower.includes('_')) return 'underscores are not allowed in host names';
  // Printable ASCII checked before conversion (control characters never get here), because
  // domainToASCII turns most bad characters into "" and the message could not name them.
  const bad = /(?![a-z0-9.-])[ -~]/.exec(lower);
  if (bad) {
    return `${JSON.stringify(bad[0])} is not allowed; labels use letters, digits and hyphens`;
  }
  // Before conversion too, because domainToASCII returns "" for such names and the message
  // could then not say why.
  const last = lower.replace(/\.$/, '').split('.').pop() ?? '';
  if (/^(\d+|0x[0-9a-f]*)$/.test(last)) return numericTld(last);
  let ascii = domainToASCII(lower);
  if (!ascii) {
    return 'it is not a valid internationalised name (bad punycode or a disallowed character)';
  }
  if (ascii.endsWith('.')) ascii = ascii.slice(0, -1);
  if (ascii.length > 253) return `it is ${ascii.length} characters long; the limit is 253`;
  const labels = ascii.split('.');
  if (labels.length < 2) return 'expected at least two labels, such as example.com';
  for (const label of labels) {
    if (label === '') return 'it has an empty label (two dots in a row, or a leading dot)';
    if (label.length > 63) {
      const start = label.slice(0, 16);
      return `the label "${start}…" is ${label.length} characters long; the limit is 63`;
    }
    // Unicode that UTS #46 maps to ASCII punctuation (a full-width "＿", say) ends up here.
    if (!/^[a-z0-9-]+$/.test(label)) {
      return `the label "${label}" has characters other than letters, digits and hyphens`;
    }
    if (label.startsWith('-') || label.endsWith('-')) {
      return `the label "${label}" starts or ends with a hyphen`;
    }
  }
  const tld = labels[labels.length - 1];
  if (/^\d+$/.test(tld)) return numericTld(tld);
  return { value: ascii };
}

function numericTld(label: string): string {
  return `the top-level label "${label}" is all-numeric (browsers read such names as IPv4)`;
}

function parseDomain(text: string, q: string): Parsed {
  const domain = asciiDomain(text);
  if (typeof domain === 'string') return fail(`${q} is not a valid domain name: ${domain}`);
  return ok('domain', domain.value);
}

/**
 * A URL as the WHATWG URL parser serialises it (what browsers and proxies log): lower-case
 * scheme and host, punycode host, default port dropped, dot segments resolved, characters
 * percent-encoded where the standard says so. The fragment is dropped because it never leaves
 * the client, so it cannot distinguish two requests.
 */
function parseUrl(text: string, q: string): Parsed {
  const scheme = /^([a-z][a-z0-9+.-]*):(\/\/)?/i.exec(text);
  if (!scheme) {
    return fail(`${q} is not a URL: expected it to start with http://, https:// or ftp://`);
  }
  const name = scheme[1].toLowerCase();
  if (!URL_SCHEMES.has(name)) {
    return fail(`${q} has the scheme "${name}"; only http, https and ftp URLs are accepted`);
  }
  // The URL parser would accept "http:example.com" and "http:///x"; people never mean those.
  if (!scheme[2]) return fail(`${q} is not a URL: expected "//" after "${name}:"`);
  const authority = text.slice(scheme[0].length).split(/[/?#\\]/, 1)[0];
  const rawHost = authority.slice(authority.lastIndexOf('@') + 1).replace(/:\d*$/, '');
  if (rawHost === '') return fail(`${q} is not a URL: it has no host`);

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(`${q} is not a valid URL: check the host, port and percent-encoding`);
  }
  url.hash = '';
  const host = url.hostname;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
    // The URL parser converts 127.1, 0x7f.0.0.1 and 017.0.0.1 into dotted quads; hold URL hosts
    // to the same rule as IPv4 indicators instead of guessing what was meant.
    if (rawHost !== host) {
      const reason = dottedQuad(rawHost);
      const why = typeof reason === 'string' ? reason : DOTTED_QUAD;
      return fail(
        `${q} has the host "${rawHost}", which is not a dotted-quad IPv4 address: ${why}`,
      );
    }
  } else if (!host.startsWith('[')) {
    // Same rules as domain indicators, so that a URL's host can be matched against them.
    const domain = asciiDomain(host);
    if (typeof domain === 'string') return fail(`${q} has an invalid host: ${domain}`);
    if (domain.value !== host) url.hostname = domain.value;
  }
  return ok('url', url.href);
}

// Unquoted local parts only (RFC 5322 dot-atom); quoted ones are vanishingly rare in reports.
const DOT_ATOM = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/i;

/**
 * An e-mail address with its domain part normalised like a domain. The local part is kept as
 * typed, case included: RFC 5321 leaves its interpretation to the receiving server, and some
 * servers do treat "Alice" and "alice" as different mailboxes.
 */
function parseEmail(text: string, q: string): Parsed {
  const at = text.lastIndexOf('@');
  const local = text.slice(0, at);
  const domainText = text.slice(at + 1);
  const not = `${q} is not a valid e-mail address`;
  if (local.includes('@')) return fail(`${not}: it has more than one "@"`);
  if (local === '') return fail(`${not}: nothing comes before the "@"`);
  if (local.length > 64) return fail(`${not}: the part before "@" is longer than 64 characters`);
  if (!DOT_ATOM.test(local)) {
    return fail(
      `${not}: the part before "@" may use only letters, digits, ` +
        "!#$%&'*+/=?^_`{|}~- and single dots between them",
    );
  }
  if (domainText === '') return fail(`${not}: nothing comes after the "@"`);
  if (domainText.startsWith('[')) {
    return fail(`${not}: address literals such as user@[192.0.2.1] are not accepted`);
  }
  const domain = asciiDomain(domainText);
  if (typeof domain === 'string') return fail(`${q} has an invalid domain after "@": ${domain}`);
  const value = `${local}@${domain.value}`;
  // RFC 5321's limit on a path, less the angle brackets.
  if (value.length > 254) return fail(`${not}: it is longer than 254 characters`);
  return ok('email', value);
}

// ---------------------------------------------------------------------------------------------
// Hashes

function parseHash(text: string, q: string): Parsed {
  if (!/^[0-9a-f]+$/i.test(text)) {
    return fail(`${q} is not a hash: expected hexadecimal digits only (0–9, a–f)`);
  }
  const type = HASH_TYPES[text.length];
  if (!type) {
    return fail(
      `${q} has ${text.length} hexadecimal digits; expected 32 (MD5), 40 (SHA-1) or 64 (SHA-256)`,
    );
  }
  return ok(type, text.toLowerCase());
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Values pasted from lists and spreadsheets arrive with whitespace and a separator. */
function tidy(input: string): string {
  return input.trim().replace(/[,;]$/, '').trim();
}

function refang(text: string): string {
  return DEFANGS.reduce((t, [pattern, replacement]) => t.replace(pattern, replacement), text);
}

/** The input as typed, JSON-quoted so that invisible characters show, and kept short. */
function quote(input: string): string {
  const chars = [...input];
  return JSON.stringify(chars.length > 80 ? `${chars.slice(0, 80).join('')}…` : input);
}

function ok(type: IndicatorType, value: string): Success {
  return { ok: true, type, value };
}

function fail(message: string): Failure {
  return { ok: false, message };
}
