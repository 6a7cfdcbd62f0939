import { domainToASCII, domainToUnicode } from 'node:url';
import ipaddr from 'ipaddr.js';
import { CandidateQueue, TakenSpans } from './span-selection';
import { TermAutomaton } from './term-automaton';

/**
 * Scrubs free text of what would identify the author of an anonymous item (DESIGN.md,
 * "Anonymity"): e-mail addresses, phone numbers, the organisation's names, domains, address
 * ranges and internal host names, plus terms the author adds. The result is a proposal the author
 * previews and confirms, so the scrubber leans towards redacting too much rather than too little.
 *
 * Pure and framework-free. Every detector runs in time linear in the text (scans of maximal runs,
 * bounded quantifiers, no nested unbounded repetition), because the text comes from users.
 */

export type RedactionKind =
  | 'email'
  | 'phone'
  | 'organisation_name'
  | 'person_name'
  | 'postal_address'
  | 'account'
  | 'card_number'
  | 'my_number'
  | 'domain'
  | 'host'
  | 'ip_address'
  | 'term';

/** One redaction; start and end (exclusive) are UTF-16 offsets into the original text. */
export interface Redaction {
  start: number;
  end: number;
  kind: RedactionKind;
  original: string;
  replacement: string;
  /**
   * Whether the author may keep it in the preview: an attacker's address or phone number is an
   * indicator worth sharing. Never for anything that touches the organisation's own data (its
   * names, terms, domains, ranges, users), so a careless "keep" cannot publish the author.
   */
  keepable: boolean;
}

export interface ScrubContext {
  organisationNames: string[];
  domains: string[];
  /** CIDR ranges (a bare address is a /32 or /128). */
  addressRanges: string[];
  extraTerms: string[];
  /** Display names of the organisation's own users. */
  personNames?: string[];
  /** The users' e-mail addresses (some lie outside the organisation's domains). */
  emails?: string[];
}

export interface ScrubResult {
  text: string;
  redactions: Redaction[];
}

const REPLACEMENT: Record<RedactionKind, string> = {
  email: '[email]',
  phone: '[phone]',
  organisation_name: '[organisation]',
  person_name: '[person-name]',
  postal_address: '[address]',
  account: '[account]',
  card_number: '[card-number]',
  my_number: '[my-number]',
  domain: '[domain]',
  host: '[host]',
  ip_address: '[ip-address]',
  term: '[term]',
};

// Two detectors can claim exactly the same span (an extra term that is also the domain); the more
// specific kind is the more useful label in the preview.
const PRIORITY: RedactionKind[] = [
  'email',
  'card_number',
  'my_number',
  'phone',
  'ip_address',
  'account',
  'host',
  'domain',
  'organisation_name',
  'person_name',
  'postal_address',
  'term',
];

/** Redacts one text. */
export function scrub(text: string, ctx: ScrubContext): ScrubResult {
  return scrubWith(text, compile(ctx));
}

/** One context compiled once, for the several texts of a request. */
export function scrubberFor(ctx: ScrubContext): (text: string) => ScrubResult {
  const compiled = compile(ctx);
  return (text) => scrubWith(text, compiled);
}

/**
 * Redacts every section of a report with one context (compiled once). Absent sections come back
 * as null with no redactions, so callers can store the result as is.
 */
export function scrubAll<K extends string>(
  sections: Record<K, string | null | undefined>,
  ctx: ScrubContext,
): { sections: Record<K, string | null>; redactions: Record<K, Redaction[]> } {
  const compiled = compile(ctx);
  const out = {} as Record<K, string | null>;
  const redactions = {} as Record<K, Redaction[]>;
  for (const key of Object.keys(sections) as K[]) {
    const value = sections[key];
    if (value === null || value === undefined) {
      out[key] = null;
      redactions[key] = [];
    } else {
      const result = scrubWith(value, compiled);
      out[key] = result.text;
      redactions[key] = result.redactions;
    }
  }
  return { sections: out, redactions };
}

// ---------------------------------------------------------------------------------------------
// Folding: every detector runs on one normalised copy of the text, NFKC and lower case, so that
// full-width ０３－１２３４ or ＨＩＧＡＳＨＩ and half-width ｶﾀｶﾅ match like their usual forms.
// NFKC changes lengths (ｶﾞ is two code points, one after; ㈱ becomes "(株)"), so each folded code
// unit remembers the span of the original it came from.

export interface Folded {
  text: string;
  /** For each folded code unit, the original offset its cluster starts at. */
  from: Int32Array;
  /** For each folded code unit, the original offset its cluster ends at (exclusive). */
  to: Int32Array;
}

// Invisible characters that could split a name without changing how it reads (soft hyphen,
// zero-width space/joiners, word joiner, BOM). Dropping them lets "Higa\u00adshi" match.
const INVISIBLE = new Set([0x00ad, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff]);

// Incident reports "defang" indicators so that nobody clicks them: 10[.]0[.]0[.]1,
// soc[at]example[.]jp. An author may defang their own addresses out of habit.
// Obfuscated by hand ("soc (at) example (dot) jp") to keep harvesters off an address: the spaces
// around a bracketed form belong to it.
const DEFANGED: [string, string][] = [
  ['[.]', '.'],
  ['(.)', '.'],
  ['[dot]', '.'],
  ['(dot)', '.'],
  ['[@]', '@'],
  ['[at]', '@'],
  ['(at)', '@'],
];

function defangedAt(text: string, i: number): [string, number] | undefined {
  const spaced = text.charCodeAt(i) === 0x20;
  const at = spaced ? i + 1 : i;
  const found = DEFANGED.find(([form]) => text.slice(at, at + form.length).toLowerCase() === form);
  if (!found) return undefined;
  let end = at + found[0].length;
  if (spaced) {
    // Only " (at) " with a space on both sides; a lone leading space stays prose.
    if (text.charCodeAt(end) !== 0x20) return undefined;
    end++;
  }
  return [found[1], end];
}

const MARK = /^\p{M}$/u;

function isClusterContinuation(codePoint: number): boolean {
  // Half-width voiced sound marks (ﾞﾟ) are letters, not combining marks, yet NFKC composes them
  // with the kana before them.
  if (codePoint === 0xff9e || codePoint === 0xff9f) return true;
  return codePoint >= 0x300 && MARK.test(String.fromCodePoint(codePoint));
}

/** Exported for the reference implementation the spec compares the scrubber with. */
export function fold(text: string): Folded {
  const parts: string[] = [];
  // Typed and grown by doubling: NFKC rarely lengthens a text, and a plain array of a number per
  // code unit kept the garbage collector busy on long texts.
  let from = new Int32Array(text.length + 16);
  let to = new Int32Array(text.length + 16);
  let length = 0;
  const emit = (s: string, start: number, end: number) => {
    parts.push(s);
    if (length + s.length > from.length) {
      const size = Math.max(2 * from.length, length + s.length);
      const grownFrom = new Int32Array(size);
      const grownTo = new Int32Array(size);
      grownFrom.set(from);
      grownTo.set(to);
      from = grownFrom;
      to = grownTo;
    }
    from.fill(start, length, length + s.length);
    to.fill(end, length, length + s.length);
    length += s.length;
  };
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (c === 0x5b || c === 0x28 || (c === 0x20 && (next === 0x5b || next === 0x28))) {
      const defanged = defangedAt(text, i);
      if (defanged) {
        emit(defanged[0], i, defanged[1]);
        i = defanged[1];
        continue;
      }
    }
    let j = i + (text.codePointAt(i)! > 0xffff ? 2 : 1);
    while (j < text.length) {
      const next = text.codePointAt(j)!;
      if (!isClusterContinuation(next)) break;
      j += next > 0xffff ? 2 : 1;
    }
    if (j === i + 1 && c < 0x80) {
      // ASCII fast path: NFKC leaves it alone.
      emit(c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 32) : text[i], i, j);
    } else if (!(j === i + 1 && INVISIBLE.has(c))) {
      emit(text.slice(i, j).normalize('NFKC').toLowerCase(), i, j);
    }
    i = j;
  }
  return { text: parts.join(''), from: from.subarray(0, length), to: to.subarray(0, length) };
}

/** A needle (name, term, domain) folded exactly as the text is. */
const foldNeedle = (s: string) => fold(s).text.trim();

// ---------------------------------------------------------------------------------------------
// Character classes on folded text.

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isLower = (c: number) => c >= 0x61 && c <= 0x7a;
/** A character of an ASCII DNS label (underscore for _dmarc and SRV names). */
const isLabelChar = (c: number) => isDigit(c) || isLower(c) || c === 0x2d || c === 0x5f;
const isAsciiWord = (c: number) => isDigit(c) || isLower(c) || c === 0x5f;

const WORDISH = /^[\p{L}\p{N}\p{M}_]$/u;
// Scripts written without spaces: a name in them is matched as a substring.
const SPACELESS = /^[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}]$/u;

/** Would this character continue a word written with spaces (Latin, digits, Cyrillic...)? */
function isSpacedWordChar(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  if (ch.length > 1) return WORDISH.test(ch) && !SPACELESS.test(ch);
  // Asked for every needle that ends at a place: the two property tests run once per character.
  const c = ch.charCodeAt(0);
  let known = spacedWordCache[c];
  if (known === 0) {
    known = WORDISH.test(ch) && !SPACELESS.test(ch) ? 1 : 2;
    spacedWordCache[c] = known;
  }
  return known === 1;
}
// 0 = not yet known, 1 = yes, 2 = no; for the BMP.
const spacedWordCache = new Uint8Array(0x10000);

function codePointBefore(s: string, i: number): string | undefined {
  if (i <= 0) return undefined;
  const c = s.charCodeAt(i - 1);
  if (c >= 0xdc00 && c <= 0xdfff && i >= 2) return s.slice(i - 2, i);
  return s[i - 1];
}

function codePointAt(s: string, i: number): string | undefined {
  const cp = s.codePointAt(i);
  return cp === undefined ? undefined : String.fromCodePoint(cp);
}

// Dashes people put in phone numbers after NFKC (which already turned － into -): hyphen, the
// Unicode hyphens and dashes, minus, and the katakana prolonged sound mark ー that Japanese IMEs
// often produce when typing a dash (half-width ｰ folds to it).
const DASHES = '\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc';
// Between the groups of a number: one of those dashes or one space.
const PHONE_SEPARATORS = new Set([...'-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc ']);

// Between the words of a name: spaces, dashes, underscores or ・ (or none): "Higashi Denryoku",
// "Higashi-Denryoku", "HigashiDenryoku", "ヒガシ・デンリョク". Names and terms are matched on the
// text with these left out, so they may also fall inside a word: "Higa-\nshi" broken at a line
// end, "東 電 力" spaced out. That redacts a little more than the words-only rule it replaces, which
// the author sees in the preview; the automaton needs one form per needle.
const SEPARATOR = /^[\s\p{Pd}_\u30fb]$/u;
// 0 = not yet known, 1 = separator, 2 = not. Every separator is in the BMP.
const separatorCache = new Uint8Array(0x10000);

function isSeparator(c: number): boolean {
  let known = separatorCache[c];
  if (known === 0) {
    known = SEPARATOR.test(String.fromCharCode(c)) ? 1 : 2;
    separatorCache[c] = known;
  }
  return known === 1;
}

function skeletonOf(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) if (!isSeparator(s.charCodeAt(i))) out += s[i];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Compiling the context.

const NEEDLE_RANK: Needle['kind'][] = ['organisation_name', 'email', 'person_name', 'term'];

/** What a term or name is, as the automaton keeps it (one per distinct folded form). */
interface Needle {
  kind: 'organisation_name' | 'person_name' | 'email' | 'term';
  /** Whether the needle starts/ends with a character of a spaced script (needs a word boundary). */
  boundedStart: boolean;
  boundedEnd: boolean;
}

interface Compiled {
  needles: TermAutomaton<Needle>;
  domains: string[];
  ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][];
}

// Forms a person is named by in the text: "Sato-san", "Mr. Sato", "佐藤さん", "佐藤様".
const HONORIFIC_SUFFIXES = ['san', 'さん', '様', '氏', 'くん', '君'];
const HONORIFIC_PREFIXES = ['mr.', 'mr', 'ms.', 'ms', 'mrs.', 'mrs', 'dr.', 'dr'];

/**
 * A display name in the orders and forms it is written: as given, words reversed ("SATO Yui"),
 * and each word of three or more letters (or two kanji) with an honorific. A bare single word
 * stays: "Sato" alone would also redact "Satoshi" in a spaceless script. A display name of one
 * word in a spaced script ("soc", "admin") names a role or a mailbox, not a person, and would
 * redact that word everywhere; one word in kanji or kana (佐藤結) is a name written without space.
 */
function personForms(name: string): string[] {
  const words = foldNeedle(name)
    .split(/[\s\u30fb]+/u)
    .filter(Boolean);
  if (words.length === 0) return [];
  if (words.length === 1 && !SPACELESS.test(codePointAt(words[0], 0) ?? '')) return [];
  const forms = new Set([words.join(' '), [...words].reverse().join(' ')]);
  for (const word of words) {
    const spaceless = SPACELESS.test(codePointAt(word, 0) ?? '');
    if ([...word].length < (spaceless ? 2 : 3)) continue;
    for (const suffix of HONORIFIC_SUFFIXES) forms.add(`${word} ${suffix}`);
    if (!spaceless) for (const prefix of HONORIFIC_PREFIXES) forms.add(`${prefix} ${word}`);
  }
  return [...forms];
}

// Japanese company names are written with the legal form in full or abbreviated: 東電力株式会社,
// 東電力(株), 東電力㈱ (NFKC turns ㈱ and （株） into "(株)").
const LEGAL_FORMS: [string, string][] = [
  ['株式会社', '(株)'],
  ['有限会社', '(有)'],
  ['合同会社', '(同)'],
];

/** A needle as the automaton matches it: folded, and without separators (see `skeleton`). */
function needle(raw: string, kind: Needle['kind']): [string, Needle] | undefined {
  const key = skeletonOf(foldNeedle(raw));
  if (key === '') return undefined;
  return [
    key,
    {
      kind,
      boundedStart: isSpacedWordChar(codePointAt(key, 0)),
      boundedEnd: isSpacedWordChar(codePointBefore(key, key.length)),
    },
  ];
}

function compile(ctx: ScrubContext): Compiled {
  const needles: [string, Needle][] = [];
  for (const name of ctx.organisationNames) {
    const folded = foldNeedle(name);
    const variants = new Set([folded]);
    for (const [full, short] of LEGAL_FORMS) {
      if (folded.includes(full)) variants.add(folded.replace(full, short));
    }
    for (const variant of variants) {
      const n = needle(variant, 'organisation_name');
      if (n) needles.push(n);
    }
  }
  for (const term of ctx.extraTerms) {
    const n = needle(term, 'term');
    if (n) needles.push(n);
  }
  for (const name of ctx.personNames ?? []) {
    for (const form of personForms(name)) {
      const n = needle(form, 'person_name');
      if (n) needles.push(n);
    }
  }
  for (const email of ctx.emails ?? []) {
    const n = needle(email, 'email');
    if (n) needles.push(n);
  }

  // Each domain in every form it can appear in: as typed, punycode (xn--...) and Unicode.
  const domains = new Set<string>();
  for (const domain of ctx.domains) {
    const folded = foldNeedle(domain).replace(/^\*?\.+|\.+$/g, '');
    const forms = [folded];
    const ascii = domainToASCII(folded);
    if (ascii) forms.push(ascii, foldNeedle(domainToUnicode(ascii)));
    // A single label is not a domain name; matching it bare would redact an ordinary word.
    for (const form of forms) if (form.includes('.') && !/\s/.test(form)) domains.add(form);
  }

  const ranges: Compiled['ranges'] = [];
  for (const raw of ctx.addressRanges) {
    const text = raw.trim();
    // Fail closed: silently skipping a range the scrubber cannot read would publish the
    // organisation's addresses.
    const invalid = () => new Error(`address range "${raw}" is not an IP address or CIDR range`);
    let range: [ipaddr.IPv4 | ipaddr.IPv6, number];
    try {
      if (text.includes('/')) {
        range = ipaddr.parseCIDR(text);
      } else {
        const addr = ipaddr.parse(text);
        range = [addr, addr.kind() === 'ipv4' ? 32 : 128];
      }
    } catch {
      throw invalid();
    }
    // ipaddr.js reads 010.0.0.0 as octal (8.0.0.0); the text detector reads decimal.
    if (range[0].kind() === 'ipv4' && !ipaddr.IPv4.isValidFourPartDecimal(text.split('/')[0])) {
      throw invalid();
    }
    ranges.push(range);
  }
  // The same folded form as a name and a term is one needle, labelled as the name.
  const automaton = new TermAutomaton(needles, (a, b) =>
    NEEDLE_RANK.indexOf(a.kind) <= NEEDLE_RANK.indexOf(b.kind) ? a : b,
  );
  return { needles: automaton, domains: [...domains], ranges };
}

// ---------------------------------------------------------------------------------------------
// Detectors. Each reports spans [start, end) of the folded text.

/** `own`: the span is the organisation's own data, which the author may never keep. */
type Emit = (start: number, end: number, kind: RedactionKind, own?: boolean) => void;

// RFC 5322 atext plus dots, and Latin letters (jürgen@...): internationalised local parts
// (RFC 6531) exist, but the text around an address is often Japanese, so other scripts are read
// back separately below.
const EMAIL_LOCAL = /[a-z0-9!#$%&'*+/=?^_`{|}~.\p{scx=Latin}]/u;
// Internationalised local parts (RFC 6531) in kanji or katakana: 佐々木@example.jp. Hiragana is
// left out, since a particle before the address ("連絡は佐々木@...") is prose.
const EMAIL_LOCAL_CJK = /[\p{scx=Han}\p{scx=Katakana}\u3005\u30fc]/u;
// A Unicode local part is at most 64 octets; the scan stops there.
const MAX_LOCAL = 64;
const DOMAIN_CHAR = /[\p{L}\p{N}\p{M}.-]/u;

function findEmails(t: string, emit: Emit): void {
  for (let at = t.indexOf('@'); at !== -1; at = t.indexOf('@', at + 1)) {
    let start = at;
    while (start > 0 && at - start < MAX_LOCAL && EMAIL_LOCAL.test(t[start - 1])) start--;
    while (start > 0 && at - start < MAX_LOCAL && EMAIL_LOCAL_CJK.test(t[start - 1])) start--;
    // Quotes and dots belong to the surrounding prose ('soc@...', "...mail: .soc@"), not the name.
    while (start < at && ".'`".includes(t[start])) start++;
    if (start === at) continue;

    // The domain may be an IDN in Unicode, but then Japanese prose can follow without a space
    // ("soc@higashi-denryoku.exampleまで"): the last label, the TLD, ends where ASCII does.
    let end = at + 1;
    while (end < t.length && DOMAIN_CHAR.test(t[end])) end++;
    while (end > at + 1 && '.-'.includes(t[end - 1])) end--;
    // Searched by hand: lastIndexOf would run past the "@" to the start of the text for every
    // "@" in a text without dots, which is quadratic.
    let lastDot = end - 1;
    while (lastDot > at && t[lastDot] !== '.') lastDot--;
    if (lastDot <= at + 1) continue;
    let tld = lastDot + 1;
    if (isLower(t.charCodeAt(tld))) {
      while (tld < end && isLabelChar(t.charCodeAt(tld))) tld++;
      end = tld;
    }
    const labels = t.slice(at + 1, end).split('.');
    const last = labels[labels.length - 1];
    if (labels.some((l) => l === '') || last.length < 2 || /^\d+$/.test(last)) continue;
    emit(start, end, 'email');
  }
}

// DNS limits a name to 253 characters; stopping there also bounds the leftward scan per match.
const MAX_NAME = 253;

/**
 * Occurrences of `suffix` as the last labels of a name, and the ASCII labels before it. Returns
 * the start of the name (the start of `suffix` if nothing precedes it). `strictEnd` refuses a
 * match followed by more labels.
 */
function findUnder(
  t: string,
  suffix: string,
  strictEnd: boolean,
  onMatch: (nameStart: number, suffixStart: number, end: number) => void,
): void {
  for (let a = t.indexOf(suffix); a !== -1; a = t.indexOf(suffix, a + 1)) {
    const b = a + suffix.length;
    const after = t.charCodeAt(b);
    if (isLabelChar(after)) continue; // "higashi-denryoku.examples" is another name
    if (strictEnd && after === 0x2e && isLabelChar(t.charCodeAt(b + 1))) continue;
    const before = t.charCodeAt(a - 1);
    if (isLabelChar(before)) continue; // "myhigashi-denryoku.example" is another name
    let nameStart = a;
    if (before === 0x2e) {
      let dot = a - 1;
      for (;;) {
        let k = dot;
        while (k > 0 && isLabelChar(t.charCodeAt(k - 1)) && b - (k - 1) <= MAX_NAME) k--;
        // Stopped by the length limit inside a label: keep whole labels only.
        if (k === dot || (k > 0 && isLabelChar(t.charCodeAt(k - 1)))) break;
        nameStart = k;
        if (k > 0 && t.charCodeAt(k - 1) === 0x2e) dot = k - 1;
        else break;
      }
    }
    onMatch(nameStart, a, b);
  }
}

function findDomains(t: string, domains: string[], emit: Emit): void {
  for (const domain of domains) {
    // Not strict at the end: higashi-denryoku.example.login-check.top embeds the domain to
    // impersonate the organisation, and still says who was targeted.
    findUnder(t, domain, false, (nameStart, suffixStart, end) =>
      emit(nameStart, end, nameStart < suffixStart ? 'host' : 'domain', true),
    );
  }
}

// Suffixes reserved or conventionally used for private networks (RFC 6762 .local, ICANN's
// .internal) and the common de-facto ones.
const INTERNAL_SUFFIXES = ['local', 'internal', 'home.arpa', 'lan', 'corp', 'intra'];

// Single-label names as organisations name their machines: a role and a number ("dc01",
// "srv-02", "hmi3a"), or a word, a dash and a label ending in digits ("ws-yui01"). Forms that
// name public things instead (CVE-2024-1, MS17-010, SHA-256, x86-64) have no letters before
// their final digits, or start with a prefix listed here.
const HOST_ROLE = /^(?:ws|pc|srv|svr|dc|fs|db|nas|vm|hmi|plc|scada|eng|kiosk|laptop|desktop)$/;
const NOT_HOST_PREFIX = /^(?:cve|cwe|ghsa|ms|kb|apt|ta|unc|rfc|iso|jis|sha|md|utf|ipv|tls|ssl)$/;
const SINGLE_LABEL = /(?<![\w.@/\\-])[a-z][a-z0-9]{0,30}(?:-[a-z0-9]{1,30}){0,3}(?![\w-]|\.\w)/g;
// \\fileserver02\share: the server of a UNC path.
const UNC = /\\\\([a-z0-9][a-z0-9.-]{0,62})(?=\\)/g;

function findInternalHosts(t: string, emit: Emit): void {
  for (const suffix of INTERNAL_SUFFIXES) {
    findUnder(t, suffix, true, (nameStart, suffixStart, end) => {
      // A bare "local" or "lan" is an English word; only a name ending in it is a host.
      if (nameStart < suffixStart) emit(nameStart, end, 'host');
    });
  }
  for (const m of t.matchAll(SINGLE_LABEL)) {
    const parts = m[0].split('-');
    let host: boolean;
    if (parts.length === 1) {
      const glued = /^([a-z]+)(\d{2,4}[a-z]?)$/.exec(m[0]);
      host = glued !== null && HOST_ROLE.test(glued[1]);
    } else {
      const last = parts[parts.length - 1];
      host =
        !NOT_HOST_PREFIX.test(parts[0]) &&
        ((HOST_ROLE.test(parts[0]) && /^\d{1,4}[a-z]?$/.test(last)) || /[a-z]\d{1,4}$/.test(last));
    }
    if (host) emit(m.index, m.index + m[0].length, 'host');
  }
  for (const m of t.matchAll(UNC)) emit(m.index + 2, m.index + 2 + m[1].length, 'host');
}

// DOMAIN\user (not a path: nothing before it, no further segment after it) and LDAP names
// (CN=...,OU=...,DC=...), which spell out the directory of the organisation.
const DOMAIN_ACCOUNT = /(?<![\w.:/\\$-])([a-z][a-z0-9-]{0,14})\\([a-z0-9._$-]{1,20})(?![\w$\\-])/g;
// Registry hives and the kernel object namespaces of mutexes and events (Global\xyz) are
// indicators, not accounts.
const REGISTRY_HIVE = /^(?:hklm|hkcu|hkcr|hku|hkcc|hkey_[a-z_]+|global|local|session)$/;
const LDAP_NAME =
  /(?<![\w])(?:cn|ou|dc|uid|o)=[^,=;\s]{1,64}(?:,\s?(?:cn|ou|dc|uid|o)=[^,=;\s]{1,64}){1,16}/g;

function findAccounts(t: string, emit: Emit): void {
  for (const m of t.matchAll(DOMAIN_ACCOUNT)) {
    if (REGISTRY_HIVE.test(m[1])) continue;
    let end = m.index + m[0].length;
    while (t[end - 1] === '.') end--;
    emit(m.index, end, 'account');
  }
  for (const m of t.matchAll(LDAP_NAME)) emit(m.index, m.index + m[0].length, 'account');
}

// Bounded quantifiers only. The look-behind keeps it off the middle of dotted numbers and versions.
const IPV4 = /(?<![0-9.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![0-9]|\.\d)/g;
const IPV4_NUMBER = /(?<![\w.])(?:0x[0-9a-f]{1,8}|\d{8,10})(?![\w]|\.\d)/g;
// A maximal run of characters an IPv6 address can contain; validated in code, never backtracked.
const IPV6_RUN = /[0-9a-f:.]+/g;
// The longest textual IPv6 address: eight groups with an IPv4 tail.
const IPV6_MAX = 45;

function inRanges(addr: ipaddr.IPv4 | ipaddr.IPv6, ranges: Compiled['ranges']): boolean {
  const candidates: (ipaddr.IPv4 | ipaddr.IPv6)[] = [addr];
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    candidates.push((addr as ipaddr.IPv6).toIPv4Address());
  }
  return candidates.some((a) =>
    ranges.some(([network, bits]) => network.kind() === a.kind() && a.match(network, bits)),
  );
}

function findAddresses(t: string, ranges: Compiled['ranges'], emit: Emit): void {
  if (ranges.length === 0) return;
  for (const m of t.matchAll(IPV4)) {
    const octets = m.slice(1, 5).map((o) => parseInt(o, 10));
    if (octets.some((o) => o > 255)) continue;
    if (inRanges(new ipaddr.IPv4(octets), ranges))
      emit(m.index, m.index + m[0].length, 'ip_address', true);
  }
  // An address written as one number, as URL obfuscation does (http://3325256705/,
  // http://0xc6336401/): only inside the ranges, since any long number would be a candidate.
  for (const m of t.matchAll(IPV4_NUMBER)) {
    const value = m[0].startsWith('0x') ? parseInt(m[0].slice(2), 16) : Number(m[0]);
    if (value > 0xffffffff) continue;
    const octets = [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255];
    if (inRanges(new ipaddr.IPv4(octets), ranges))
      emit(m.index, m.index + m[0].length, 'ip_address', true);
  }
  for (const m of t.matchAll(IPV6_RUN)) {
    const colon = m[0].indexOf(':');
    if (colon === -1) continue; // words with only hex letters, numbers, IPv4
    let start = m.index;
    let end = start + m[0].length;
    if (isAsciiWord(t.charCodeAt(end))) continue; // "2001:db8::1st" is not an address
    if (colon === 0 && t[start + 1] !== ':') {
      start++; // "ip:2001:db8::1", "アドレス：2001:db8::1"
    } else if (isAsciiWord(t.charCodeAt(start - 1))) {
      // Glued to a word: "src:2001:db8::1" is a label and an address ("c:" is in the run), but
      // "std::map" is neither.
      if (m[0][colon + 1] === ':') continue;
      start += colon + 1;
    }
    // A full stop or colon of the prose around it: "... from 2001:db8::1." or "2001:db8::1: ...".
    while (end > start && t[end - 1] === '.') end--;
    if (t[end - 1] === ':' && t[end - 2] !== ':') end--;
    const candidate = t.slice(start, end);
    if (candidate.length > IPV6_MAX || candidate.split(':').length < 3) continue;
    if (!ipaddr.IPv6.isValid(candidate)) continue;
    if (inRanges(ipaddr.IPv6.parse(candidate), ranges)) emit(start, end, 'ip_address', true);
  }
}

// Japanese domestic numbers: area code starting with 0, local exchange, subscriber number, written
// 03-1234-5678, (03)1234-5678, 03(1234)5678 or, for mobile and IP phones, 09012345678. Not after
// a digit, letter, dot, slash, plus or dash (CVE-2024-0123, v1.03, ID-03-...), nor after "12:"
// (a time or IPv6 group); not followed by more digits or another dashed group.
const DOMESTIC_PHONE = new RegExp(
  `(?<![0-9a-z_.+/${DASHES}]|\\d:)` +
    `(?:\\((0\\d{1,4})\\) ?(\\d{1,4})[${DASHES} ](\\d{3,4})` +
    `|(0\\d{1,4})[${DASHES} ](\\d{1,4})[${DASHES} ](\\d{3,4})` +
    `|(0\\d{1,4})\\((\\d{1,4})\\)(\\d{3,4})` +
    `|(0[5-9]0\\d{8})` +
    `|(0[1-9]\\d{8}))` +
    `(?![0-9]|[${DASHES}]\\d|\\.\\d)`,
  'g',
);

function isDomesticNumber(groups: string[]): boolean {
  const digits = groups.join('').length;
  const area = groups[0];
  const subscriber = groups[groups.length - 1];
  if (groups.length === 1) return true; // the unseparated forms are fully spelt out above
  if (area.length > 5) return false;
  // 10 digits for fixed lines and 0120/0570 (whose subscriber part has 3 digits); 11 only for
  // mobile, IP and pager numbers (0X0) and 0800 toll-free.
  if (digits === 10) return true;
  return digits === 11 && subscriber.length === 4 && /^(?:0[2-9]0|0800)$/.test(area);
}

interface PhoneGroup {
  digits: string;
  paren: boolean;
}

// +1: the North American plan has exactly 10 national digits. +81: 9 or 10 national digits, the
// last group a 3-4 digit subscriber number. Elsewhere E.164 allows 8 to 15 digits in all.
function isInternationalNumber(groups: PhoneGroup[]): boolean {
  const total = groups.reduce((n, g) => n + g.digits.length, 0);
  if (groups.length === 1) return total >= 8 && total <= 15;
  const [cc, ...rest] = groups;
  if (cc.paren || cc.digits.length > 3) return false;
  // "+44 (0)20 ..." and "+81 (0)3-...": the trunk prefix in brackets is not dialled.
  const national = rest[0].paren && rest[0].digits === '0' ? rest.slice(1) : rest;
  if (national.length === 0) return false;
  const n = national.reduce((sum, g) => sum + g.digits.length, 0);
  const last = national[national.length - 1].digits.length;
  if (cc.digits === '1') return n === 10;
  if (cc.digits === '81') return (n === 9 || n === 10) && last >= 3;
  return cc.digits.length + n >= 8 && cc.digits.length + n <= 15 && last >= 2;
}

function findPhones(t: string, emit: Emit): void {
  for (const m of t.matchAll(DOMESTIC_PHONE)) {
    const groups = m.slice(1).filter((g): g is string => g !== undefined);
    if (isDomesticNumber(groups)) emit(m.index, m.index + m[0].length, 'phone');
  }

  // International numbers are scanned group by group rather than with a regex: groups of digits
  // with optional separators are ambiguous to a backtracking engine. At most eight groups of at
  // most 15 digits are read per start, so the scan is linear.
  for (let plus = t.indexOf('+'); plus !== -1; plus = t.indexOf('+', plus + 1)) {
    const before = t.charCodeAt(plus - 1);
    if (isAsciiWord(before) || before === 0x2b) continue; // a+81, C++11
    if (!isDigit(t.charCodeAt(plus + 1))) continue;
    const end = internationalEnd(t, plus + 1);
    if (end !== -1) emit(plus, end, 'phone');
  }
  // Japan's country code written without the plus ("81-3-1234-5678", "81 90 1234 5678"): only
  // with separators, since eleven bare digits starting 81 are as likely anything else.
  for (let cc = t.indexOf('81'); cc !== -1; cc = t.indexOf('81', cc + 1)) {
    const before = t.charCodeAt(cc - 1);
    if (
      isAsciiWord(before) ||
      before === 0x2b ||
      before === 0x2e ||
      (PHONE_SEPARATORS.has(t[cc - 1]) && isDigit(t.charCodeAt(cc - 2)))
    )
      continue;
    if (!PHONE_SEPARATORS.has(t[cc + 2]) || !isDigit(t.charCodeAt(cc + 3))) continue;
    const end = internationalEnd(t, cc);
    if (end !== -1) emit(cc, end, 'phone');
  }
}

/** Where the longest valid international number starting at `p` (after any "+") ends, or -1. */
function internationalEnd(t: string, start: number): number {
  const groups: PhoneGroup[] = [];
  let p = start;
  let best = -1;
  while (groups.length < 8) {
    let q = p;
    const paren = t[q] === '(';
    if (paren) q++;
    const digitsStart = q;
    while (isDigit(t.charCodeAt(q)) && q - digitsStart <= 15) q++;
    if (q === digitsStart || q - digitsStart > 15) break;
    // "+44 20 7946 0958 203.0.113.45": a group that goes on as a dotted, timed or dated number
    // belongs to that number, not to the phone number before it.
    if (!paren && q < t.length && '.:/,'.includes(t[q]) && isDigit(t.charCodeAt(q + 1))) break;
    const digits = t.slice(digitsStart, q);
    if (paren) {
      if (t[q] !== ')') break;
      q++;
    }
    groups.push({ digits, paren });
    // The longest prefix that is a valid number: "+1 202 555 0147 2026" stops before 2026. A
    // dash binds tighter than a space, so it never ends inside "... 0958 03-1234-5678", which
    // would leave the rest of the second number showing.
    const dashed = t[q] !== ' ' && PHONE_SEPARATORS.has(t[q]) && isDigit(t.charCodeAt(q + 1));
    if (!dashed && isInternationalNumber(groups)) best = q;
    if (PHONE_SEPARATORS.has(t[q]) && (isDigit(t.charCodeAt(q + 1)) || t[q + 1] === '(')) {
      p = q + 1;
    } else if (t[q] === '(' || (paren && isDigit(t.charCodeAt(q)))) {
      p = q; // +81(0)3..., +1 (202)555-0147
    } else {
      break;
    }
  }
  return best;
}

// Card numbers: 13 to 19 digits, bare or in the printed groups (4-4-4-4..., Amex 4-6-5), with
// a valid Luhn check digit. My Number (個人番号): 12 digits with its own check digit. Both are
// checked in code, so an order or ticket number of the same length is left alone (10 in 11).
const CARD =
  /(?<![\w.+-])(?:\d{12,19}|\d{4}([ -])\d{4}\1\d{4}(?:\1\d{1,7})?|\d{4}([ -])\d{6}\2\d{4,5})(?![\w]|[ -]\d)/g;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 0x30;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** The check digit rule of the Individual Number (番号法施行令 第八条). */
function isMyNumber(digits: string): boolean {
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = digits.charCodeAt(11 - n) - 0x30;
    sum += p * (n <= 6 ? n + 1 : n - 5);
  }
  const remainder = sum % 11;
  return digits.charCodeAt(11) - 0x30 === (remainder <= 1 ? 0 : 11 - remainder);
}

function findCardNumbers(t: string, emit: Emit): void {
  for (const m of t.matchAll(CARD)) {
    const digits = m[0].replace(/[ -]/g, '');
    if (digits.length === 12) {
      if (isMyNumber(digits)) emit(m.index, m.index + m[0].length, 'my_number');
    } else if (luhn(digits)) {
      emit(m.index, m.index + m[0].length, 'card_number');
    }
  }
}

// A Japanese name followed by an honorific (山田太郎様, 鈴木 一郎 氏, タナカさん). Names without
// one cannot be told from other words without a dictionary; the corpus counts what this misses.
const JA_NAME = new RegExp(
  '(?:[\\p{scx=Han}\\u3005]{2,4} ?[\\p{scx=Han}\\u3005\\p{scx=Hiragana}]{0,3}|[\\p{scx=Katakana}\\u30fc]{2,8}) ?' +
    '(?:さん|様|氏(?!名)|殿|くん|君)',
  'gu',
);
// Words that take an honorific but name nobody: お客様, 皆様, 担当者様, ユーザー様...
const NOT_A_NAME =
  /(?:客|皆|各位|担当者?|関係者|利用者|業者|会員|社員|職員|ユーザー?|ベンダー?|メーカー?|お宅|先方|同|貴社|御社|当社|弊社|上記|下記)$/u;

function findJapaneseNames(t: string, emit: Emit): void {
  for (const m of t.matchAll(JA_NAME)) {
    const honorific = /(?:さん|様|氏|殿|くん|君)$/u.exec(m[0])!;
    const name = m[0].slice(0, honorific.index).trimEnd();
    if (NOT_A_NAME.test(name)) continue;
    emit(m.index, m.index + m[0].length, 'person_name');
  }
}

// 〒100-0005; and a street address: place names with a unit (都道府県市区町村郡) followed by a block
// number (1-2-3, 3丁目1番1号, 12番地). A region alone (東京都, 大阪市内) is a public fact and stays.
const POSTCODE = /〒 ?\d{3}[-\u2010\u2212\u30fc]?\d{4}(?!\d)/gu;
const STREET = new RegExp(
  '([\\p{scx=Han}\\p{scx=Hiragana}\\p{scx=Katakana}\\u3005\\u30fc]{2,30})' +
    '(\\d{1,3}(?:丁目|[-\\u2010\\u2212\\u30fc])\\d{1,4}(?:(?:番地?|[-\\u2010\\u2212\\u30fc])\\d{1,4}号?|番地?)?|\\d{1,4}番地)',
  'gu',
);
const PLACE_UNIT = /[都道府県市区町村郡]/u;
// A particle ends prose, not a place name: "東京都内で2026-11-22に" is a date.
const PARTICLE_END = /[でにはがをとへもやの]$/u;

function findPostalAddresses(t: string, emit: Emit): void {
  for (const m of t.matchAll(POSTCODE)) emit(m.index, m.index + m[0].length, 'postal_address');
  for (const m of t.matchAll(STREET)) {
    const place = m[1];
    const unit = place.search(PLACE_UNIT);
    if (unit === -1 || PARTICLE_END.test(place)) continue;
    // The address starts a few characters before its first unit (東京都, 神奈川県, 横浜市); before
    // that, stop at the last hiragana, which is prose ("本社は東京都...").
    let start = Math.max(0, unit - 3);
    for (let i = unit - 1; i >= start; i--) {
      if (/\p{scx=Hiragana}/u.test(place[i])) {
        start = i + 1;
        break;
      }
    }
    emit(m.index + start, m.index + m[0].length, 'postal_address');
  }
}

// ---------------------------------------------------------------------------------------------

interface Candidate {
  start: number;
  end: number;
  kind: RedactionKind;
  /** For a name or term: its automaton node, and where the match ends in the skeleton. */
  node: number;
  at: number;
}

/**
 * Overlaps: the longest match wins (an e-mail over the domain in it, 東電力株式会社 over 東電力),
 * the earliest on equal lengths, then the more specific kind. Every occurrence of every needle is
 * a candidate, but the needles ending at one place are taken lazily, longest first, and only when
 * the longer one lost: their number does not grow with the number of terms.
 */
const before = (x: Candidate, y: Candidate) =>
  y.end - y.start - (x.end - x.start) ||
  x.start - y.start ||
  PRIORITY.indexOf(x.kind) - PRIORITY.indexOf(y.kind);

function scrubWith(text: string, compiled: Compiled): ScrubResult {
  const folded = fold(text);
  const t = folded.text;
  const queue = new CandidateQueue(before);
  // +1 where a span of the organisation's own data starts, -1 where it ends (original offsets).
  const ownEdges = new Int32Array(text.length + 1);
  const markOwn = (start: number, end: number) => {
    ownEdges[start]++;
    ownEdges[end]--;
  };
  const emit: Emit = (a, b, kind, own) => {
    if (b <= a) return;
    const start = folded.from[a];
    const end = folded.to[b - 1];
    if (own) markOwn(start, end);
    queue.push({ start, end, kind, node: -1, at: 0 });
  };
  findEmails(t, emit);
  findPhones(t, emit);
  findCardNumbers(t, emit);
  findAddresses(t, compiled.ranges, emit);
  findDomains(t, compiled.domains, emit);
  findInternalHosts(t, emit);
  findAccounts(t, emit);
  findJapaneseNames(t, emit);
  findPostalAddresses(t, emit);

  // One pass of the automaton over the text without separators; skeleton[j] is where its j-th
  // code unit is in the folded text.
  const needles = compiled.needles;
  const skeleton = new Int32Array(t.length);
  /** The first needle at or after `node` (in the chain ending at `at`) that starts after `min`. */
  const match = (first: number, at: number, min: number): Candidate | undefined => {
    const b = skeleton[at] + 1;
    // The needles in the chain end with the same character: one look at the end serves them all.
    const endInWord = isSpacedWordChar(codePointAt(t, b));
    const end = folded.to[b - 1];
    let best: Candidate | undefined;
    for (let node = first; node !== -1; node = needles.shorterMatch(node)) {
      const a = skeleton[at - needles.length(node) + 1];
      const start = folded.from[a];
      if (start <= min) continue;
      if (best && start !== best.start) break;
      const n = needles.value(node);
      if (n.boundedEnd && endInWord) continue;
      if (n.boundedStart && isSpacedWordChar(codePointBefore(t, a))) continue;
      // Shorter needles can cover the same original span (a folded cluster): the kind decides.
      const c = { start, end, kind: n.kind, node, at };
      if (!best || before(c, best) < 0) best = c;
    }
    return best;
  };
  if (!needles.empty) {
    let state = 0;
    let j = 0;
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (isSeparator(c)) continue;
      skeleton[j] = i;
      state = needles.next(state, c);
      const longest = needles.longestMatch(state);
      if (longest !== -1) {
        const m = match(longest, j, -1);
        if (m) {
          // Every needle is the organisation's own (names, terms, users): the longest covers
          // the shorter ones ending at the same place.
          markOwn(m.start, m.end);
          queue.push(m);
        }
      }
      j++;
    }
  }

  const taken = new TakenSpans(text.length);
  const kept: Candidate[] = [];
  for (let c = queue.pop(); c; c = queue.pop()) {
    const last = taken.lastBefore(c.end);
    if (last < c.start) {
      taken.take(c.start, c.end);
      kept.push(c);
    } else if (c.node !== -1 && last < c.end - 1) {
      // The shorter needles ending here that start after what is taken are still in the race.
      const next = match(needles.shorterMatch(c.node), c.at, last);
      if (next) queue.push(next);
    }
  }
  kept.sort((x, y) => x.start - y.start);

  // ownBefore[i]: how many positions below i lie in some own span; a redaction is keepable when
  // none of its positions do (an attacker's address that embeds the organisation's domain names
  // the target, and stays redacted).
  const ownBefore = new Int32Array(text.length + 1);
  for (let i = 0, depth = 0; i < text.length; i++) {
    depth += ownEdges[i];
    ownBefore[i + 1] = ownBefore[i] + (depth > 0 ? 1 : 0);
  }
  const redactions: Redaction[] = kept.map(({ start, end, kind }) => ({
    start,
    end,
    kind,
    original: text.slice(start, end),
    replacement: REPLACEMENT[kind],
    keepable: ownBefore[end] === ownBefore[start],
  }));
  return { text: rebuild(text, redactions), redactions };
}

function rebuild(text: string, redactions: Redaction[]): string {
  const out: string[] = [];
  let last = 0;
  for (const { start, end, replacement } of redactions) {
    out.push(text.slice(last, start), replacement);
    last = end;
  }
  out.push(text.slice(last));
  return out.join('');
}

/**
 * The author's decision in the preview: the redactions starting at `keep` stay in the text as
 * written. A start that names no redaction, or one that is not keepable, is refused (and stays
 * redacted), so the caller can tell the author which.
 */
export function applyKeeps(
  text: string,
  redactions: Redaction[],
  keep: Iterable<number>,
): ScrubResult & { kept: Redaction[]; refused: number[] } {
  const byStart = new Map(redactions.map((r) => [r.start, r]));
  const keptStarts = new Set<number>();
  const refused: number[] = [];
  for (const start of keep) {
    const r = byStart.get(start);
    if (r && r.keepable) keptStarts.add(start);
    else refused.push(start);
  }
  const remaining = redactions.filter((r) => !keptStarts.has(r.start));
  const kept = redactions.filter((r) => keptStarts.has(r.start));
  return { text: rebuild(text, remaining), redactions: remaining, kept, refused };
}
