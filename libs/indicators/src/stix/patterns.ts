import { IndicatorType, parseIndicator } from '../values/indicator-value';
import { PatternError, Token, stixStringLiteral, tokenize } from './pattern-lexer';

/**
 * STIX patterns for the hub's indicator types, and the strict subset of the patterning language
 * that can be imported back as indicator values.
 *
 * A hub indicator is one value that is blocked or matched on its own. A STIX pattern can say far
 * more (AND across properties, MATCHES, time windows, repetitions), and none of that survives
 * being turned into a list of values: importing "[a = 'x' AND b = 'y']" as two entries would block
 * x and y separately, which the producer never said. So only equality comparisons joined by OR,
 * inside one observation or across observations, are accepted; everything else is refused with a
 * reason that names the construct.
 */

export interface PatternEntry {
  type: IndicatorType;
  value: string;
}

export type ParsedPattern = { ok: true; entries: PatternEntry[] } | { ok: false; reason: string };

/** The object path each indicator type is written with (STIX 2.1 part 9, cyber-observables). */
const OBJECT_PATHS: Readonly<Record<IndicatorType, string>> = {
  ipv4: 'ipv4-addr:value',
  'ipv4-cidr': 'ipv4-addr:value',
  ipv6: 'ipv6-addr:value',
  'ipv6-cidr': 'ipv6-addr:value',
  domain: 'domain-name:value',
  url: 'url:value',
  email: 'email-addr:value',
  // Hash names from the STIX hash-algorithm vocabulary; those with a hyphen must be quoted.
  md5: 'file:hashes.MD5',
  sha1: "file:hashes.'SHA-1'",
  sha256: "file:hashes.'SHA-256'",
};

/**
 * The STIX pattern matching one indicator, e.g. `[ipv4-addr:value = '203.0.113.5']`. `value` is
 * expected in the canonical form parseIndicator returns; it is quoted, not checked.
 */
export function indicatorPattern(type: IndicatorType, value: string): string {
  if (!Object.hasOwn(OBJECT_PATHS, type)) {
    throw new RangeError(`unknown indicator type ${JSON.stringify(type)}`);
  }
  return `[${OBJECT_PATHS[type]} = ${stixStringLiteral(value)}]`;
}

const SUPPORTED_PATHS =
  'ipv4-addr:value, ipv6-addr:value, domain-name:value, url:value, email-addr:value, ' +
  "file:hashes with MD5, 'SHA-1' or 'SHA-256', and network-traffic:src_ref or dst_ref " +
  'with .type and .value';

const ONLY = 'only "=" comparisons joined by OR can be imported';

/** Parentheses deeper than this are refused, so that a hostile pattern cannot exhaust the stack. */
const MAX_NESTING = 32;

/**
 * The indicator values of a pattern made only of equality comparisons joined by OR, such as
 * `[ipv4-addr:value = '198.51.100.7' OR domain-name:value = 'example.com']` or
 * `[url:value = 'http://a.example/'] OR [file:hashes.MD5 = '…']`. Values are normalised with
 * parseIndicator and must suit their object path (an ipv4-addr value must be an IPv4 address or
 * range). Duplicates are returned once. Anything else gives a reason naming what is wrong and
 * where (1-based character position).
 */
export function parseSimplePattern(pattern: string): ParsedPattern {
  if (typeof pattern !== 'string') return { ok: false, reason: 'the pattern is not a string' };
  try {
    const entries = new SubsetParser(tokenize(pattern)).parse();
    return { ok: true, entries: uniqueEntries(entries) };
  } catch (error) {
    if (!(error instanceof PatternError)) throw error;
    return { ok: false, reason: `${error.message} (at character ${error.offset + 1})` };
  }
}

/**
 * A recursive-descent parser for the subset:
 *
 *   pattern     = observation { "OR" observation }
 *   observation = "[" comparisons "]" | "(" pattern ")"
 *   comparisons = comparison { "OR" comparison }
 *   comparison  = objectPath ("=" | "==") string | "(" comparisons ")"
 *
 * It reads the full grammar's tokens so that an unsupported construct is recognised and named.
 */
class SubsetParser {
  private position = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): PatternEntry[] {
    if (this.peek().kind === 'end') throw new PatternError('the pattern is empty', 0);
    const entries = this.observations();
    const next = this.peek();
    if (next.kind !== 'end') throw this.unexpected(next, 'OR or the end of the pattern');
    return entries;
  }

  private observations(): PatternEntry[] {
    const entries = this.observation();
    while (this.acceptKeyword('OR')) entries.push(...this.observation());
    return entries;
  }

  private observation(): PatternEntry[] {
    const open = this.next();
    let entries: PatternEntry[];
    if (open.text === '[' && open.kind === 'punct') {
      entries = this.comparisons();
      this.expectPunct(']', 'OR or "]"');
    } else if (open.text === '(' && open.kind === 'punct') {
      entries = this.nested(open, () => this.observations());
      this.expectPunct(')', 'OR or ")"');
    } else {
      throw this.unexpected(open, "an observation in square brackets, such as [url:value = '…']");
    }
    return entries;
  }

  private comparisons(): PatternEntry[] {
    const entries = this.conjunction();
    while (this.acceptKeyword('OR')) entries.push(...this.conjunction());
    return entries;
  }

  /**
   * One comparison, or the one AND the subset allows: a referenced address given by its type
   * and value, `network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value =
   * '…'` (how MISP writes ip-dst and ip-src), which says no more than `ipv4-addr:value = '…'`.
   */
  private conjunction(): PatternEntry[] {
    const first = this.comparison();
    const and = this.peek();
    if (and.kind !== 'keyword' || and.text !== 'AND') return resolve(first);
    this.next();
    const second = this.comparison();
    const pair = refPair(first, second);
    if (!pair) throw this.unexpected(and, 'OR');
    const more = this.peek();
    if (more.kind === 'keyword' && more.text === 'AND') {
      this.next();
      const third = this.comparison();
      const what = 'entries' in third ? 'a group' : describePath(third.path);
      throw new PatternError(
        `AND is supported only to give a referenced address's type and value; the further ` +
          `condition on ${what} would have to match together with it, which a list of single ` +
          `indicators cannot express; ${ONLY}`,
        more.offset,
      );
    }
    return [pair];
  }

  /** A comparison as written (its path is checked once it is known whether it is paired). */
  private comparison(): Comparison {
    const first = this.peek();
    if (first.kind === 'punct' && first.text === '(') {
      this.next();
      const entries = this.nested(first, () => this.comparisons());
      this.expectPunct(')', 'OR or ")"');
      return { entries, offset: first.offset };
    }
    if (first.kind === 'keyword' && first.value === 'EXISTS') {
      throw new PatternError(`EXISTS is not supported; ${ONLY}`, first.offset);
    }
    const path = this.objectPath();
    this.expectEquals();
    const literal = this.next();
    if (literal.kind !== 'string') {
      throw this.unexpected(literal, 'a string in single quotes after "="');
    }
    return { path, literal };
  }

  private nested<T>(open: Token, read: () => T): T {
    if (++this.depth > MAX_NESTING) {
      throw new PatternError('parentheses are nested too deeply', open.offset);
    }
    const result = read();
    this.depth--;
    return result;
  }

  /** `type:component(.component)*`, with string components unquoted; indexes are refused. */
  private objectPath(): ObjectPath {
    const type = this.next();
    if (type.kind !== 'identifier') {
      throw this.unexpected(type, 'an object path such as ipv4-addr:value');
    }
    this.expectPunct(':', `":" after the object type ${type.text}`);
    const components = [this.pathComponent()];
    for (;;) {
      const next = this.peek();
      if (next.kind === 'punct' && next.text === '.') {
        this.next();
        components.push(this.pathComponent());
      } else if (next.kind === 'punct' && next.text === '[') {
        throw new PatternError(
          `list indexes in object paths are not supported; supported are ${SUPPORTED_PATHS}`,
          next.offset,
        );
      } else {
        break;
      }
    }
    return { type: type.text, components, offset: type.offset };
  }

  private pathComponent(): string {
    const token = this.next();
    if (token.kind === 'string' || (token.kind === 'identifier' && !token.hyphen)) {
      return token.value;
    }
    if (token.kind === 'identifier') {
      throw new PatternError(
        `the property name ${token.text} has a hyphen and must be quoted: '${token.text}'`,
        token.offset,
      );
    }
    throw this.unexpected(token, 'a property name');
  }

  private expectEquals(): void {
    const token = this.next();
    if (token.kind === 'comparison' && (token.text === '=' || token.text === '==')) return;
    if (token.kind === 'comparison' || (token.kind === 'keyword' && OPERATORS.has(token.text))) {
      throw new PatternError(`the operator ${token.text} is not supported; ${ONLY}`, token.offset);
    }
    throw this.unexpected(token, '"="');
  }

  private acceptKeyword(keyword: string): boolean {
    const next = this.peek();
    if (next.kind !== 'keyword' || next.text !== keyword) return false;
    this.position++;
    return true;
  }

  private expectPunct(text: string, expected: string): void {
    const token = this.next();
    if (token.kind !== 'punct' || token.text !== text) throw this.unexpected(token, expected);
  }

  private peek(): Token {
    return this.tokens[this.position];
  }

  private next(): Token {
    const token = this.tokens[this.position];
    if (token.kind !== 'end') this.position++;
    return token;
  }

  /** The error for `token` where `expected` was due, naming unsupported keywords specially. */
  private unexpected(token: Token, expected: string): PatternError {
    if (token.kind === 'keyword' && (token.text === 'AND' || token.text === 'FOLLOWEDBY')) {
      return new PatternError(
        `${token.text} is not supported: the values would have to match together, which a ` +
          `list of single indicators cannot express; ${ONLY}`,
        token.offset,
      );
    }
    if (token.kind === 'keyword' && OPERATORS.has(token.text)) {
      return new PatternError(`the operator ${token.text} is not supported; ${ONLY}`, token.offset);
    }
    // WITHIN, START … STOP and REPEATS constrain when observations match: not a value list.
    if (token.kind === 'keyword' && QUALIFIERS.has(token.text)) {
      return new PatternError(
        `the qualifier ${token.text} is not supported (a list entry cannot carry a time window ` +
          `or a repetition count); ${ONLY}`,
        token.offset,
      );
    }
    if (token.kind === 'identifier' && KEYWORD_CASE.has(token.text.toUpperCase())) {
      return new PatternError(
        `expected ${expected}, found "${token.text}" (STIX keywords are upper case)`,
        token.offset,
      );
    }
    if (token.kind === 'end') return new PatternError(`expected ${expected}`, token.offset);
    if (token.kind === 'typed-literal') {
      return new PatternError(
        `expected ${expected}, found the ${TYPED_LITERALS[token.text[0]]} literal ${token.text}`,
        token.offset,
      );
    }
    return new PatternError(`expected ${expected}, found ${token.text}`, token.offset);
  }
}

function uniqueEntries(entries: PatternEntry[]): PatternEntry[] {
  const byKey = new Map(entries.map((e) => [`${e.type} ${e.value}`, e]));
  return [...byKey.values()];
}

type Comparison =
  { path: ObjectPath; literal: Token } | { entries: PatternEntry[]; offset: number };

/** The references of a network-traffic object that hold an address. */
const ADDRESS_REFS = new Set(['src_ref', 'dst_ref']);

/** `network-traffic:dst_ref.type` and the like: which reference, and which of its properties. */
function refPart(c: Comparison): { ref: string; property: string } | undefined {
  if ('entries' in c) return undefined;
  const [ref, property] = c.path.components;
  if (c.path.type !== 'network-traffic' || c.path.components.length !== 2) return undefined;
  if (!ADDRESS_REFS.has(ref) || (property !== 'type' && property !== 'value')) return undefined;
  return { ref, property };
}

/** The entry of `ref.type = T AND ref.value = V` (either order), or undefined for any other AND. */
function refPair(a: Comparison, b: Comparison): PatternEntry | undefined {
  const pa = refPart(a);
  const pb = refPart(b);
  if (!pa || !pb || pa.ref !== pb.ref || pa.property === pb.property) return undefined;
  const [type, value] = (pa.property === 'type' ? [a, b] : [b, a]) as {
    path: ObjectPath;
    literal: Token;
  }[];
  const rule = valuePathRule(type.literal.value);
  if (!rule) {
    throw new PatternError(
      `${describePath(type.path)} ${stixStringLiteral(type.literal.value)} is not supported; ` +
        'a referenced address can be imported as ipv4-addr, ipv6-addr or domain-name',
      type.literal.offset,
    );
  }
  const checked = checkIndicatorValue(value.literal.value, rule);
  if (typeof checked === 'string') {
    throw new PatternError(`${describePath(value.path)}: ${checked}`, value.literal.offset);
  }
  return checked;
}

/**
 * The entries of a comparison standing alone. A referenced address without its type is taken
 * when its value can only be an IP address or range; its type alone names no value.
 */
function resolve(c: Comparison): PatternEntry[] {
  if ('entries' in c) return c.entries;
  const part = refPart(c);
  if (part?.property === 'type') {
    throw new PatternError(
      `${describePath(c.path)} alone names no value; write it with ` +
        `network-traffic:${part.ref}.value = '…' joined by AND`,
      c.path.offset,
    );
  }
  if (part) {
    for (const kind of ['ipv4-addr', 'ipv6-addr']) {
      const checked = checkIndicatorValue(c.literal.value, valuePathRule(kind)!);
      if (typeof checked !== 'string') return [checked];
    }
    throw new PatternError(
      `${describePath(c.path)}: ${JSON.stringify(c.literal.value)} is not an IP address or ` +
        `range; give the reference's type too (network-traffic:${part.ref}.type = '…' AND …)`,
      c.literal.offset,
    );
  }
  return [checkValue(c.path, c.literal)];
}

interface ObjectPath {
  type: string;
  components: string[];
  /** Where the path starts in the pattern. */
  offset: number;
}

const OPERATORS = new Set(['LIKE', 'MATCHES', 'IN', 'ISSUBSET', 'ISSUPERSET', 'NOT']);
const QUALIFIERS = new Set(['WITHIN', 'START', 'STOP', 'REPEATS']);
const KEYWORD_CASE = new Set(['AND', 'OR', 'NOT', 'FOLLOWEDBY', ...OPERATORS, ...QUALIFIERS]);
const TYPED_LITERALS: Readonly<Record<string, string>> = {
  t: 'timestamp',
  h: 'hex',
  b: 'binary',
};

// ---------------------------------------------------------------------------------------------
// Object paths and their values

/** What a supported object path may hold: the type to parse as, and how to say so. */
export interface PathRule {
  /** Passed to parseIndicator; a CIDR type also accepts a single address. */
  parseAs: IndicatorType;
  accepts: readonly IndicatorType[];
  expected: string;
}

const VALUE_PATHS: Readonly<Record<string, PathRule>> = {
  'ipv4-addr': {
    parseAs: 'ipv4-cidr',
    accepts: ['ipv4', 'ipv4-cidr'],
    expected: 'an IPv4 address or CIDR range',
  },
  'ipv6-addr': {
    parseAs: 'ipv6-cidr',
    accepts: ['ipv6', 'ipv6-cidr'],
    expected: 'an IPv6 address or CIDR range',
  },
  'domain-name': { parseAs: 'domain', accepts: ['domain'], expected: 'a domain name' },
  url: { parseAs: 'url', accepts: ['url'], expected: 'a URL' },
  'email-addr': { parseAs: 'email', accepts: ['email'], expected: 'an e-mail address' },
};

const HASH_RULES: Readonly<Record<'md5' | 'sha1' | 'sha256', PathRule>> = {
  md5: { parseAs: 'md5', accepts: ['md5'], expected: 'an MD5 hash (32 hexadecimal digits)' },
  sha1: { parseAs: 'sha1', accepts: ['sha1'], expected: 'a SHA-1 hash (40 hexadecimal digits)' },
  sha256: {
    parseAs: 'sha256',
    accepts: ['sha256'],
    expected: 'a SHA-256 hash (64 hexadecimal digits)',
  },
};

const TYPE_NAMES: Readonly<Record<IndicatorType, string>> = {
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

/**
 * The hash algorithm a `hashes` key names, or undefined. STIX spells them "MD5", "SHA-1" and
 * "SHA-256"; producers also write "sha256", "SHA256" or "SHA_256", which are unambiguous.
 */
export function hashTypeForKey(key: string): 'md5' | 'sha1' | 'sha256' | undefined {
  const compact = key.toUpperCase().replace(/[-_]/g, '');
  if (compact === 'MD5') return 'md5';
  if (compact === 'SHA1') return 'sha1';
  if (compact === 'SHA256') return 'sha256';
  return undefined;
}

/** The entry a comparison stands for, or why its path or value cannot be imported. */
function checkValue(path: ObjectPath, literal: Token): PatternEntry {
  const rule = ruleForPath(path);
  const checked = checkIndicatorValue(literal.value, rule);
  if (typeof checked === 'string') {
    throw new PatternError(`${describePath(path)}: ${checked}`, literal.offset);
  }
  return checked;
}

/**
 * `value` normalised as the rule's type, or why it is not one. A value that is valid but of
 * another type (an IPv6 address in ipv4-addr:value) is told as such, which parseIndicator's own
 * message for the CIDR type would word less plainly.
 */
export function checkIndicatorValue(value: string, rule: PathRule): PatternEntry | string {
  const parsed = parseIndicator(value, { type: rule.parseAs });
  if (parsed.ok && rule.accepts.includes(parsed.type)) {
    return { type: parsed.type, value: parsed.value };
  }
  const detected = parseIndicator(value);
  if (detected.ok && !rule.accepts.includes(detected.type)) {
    return `${JSON.stringify(value)} is ${TYPE_NAMES[detected.type]}, not ${rule.expected}`;
  }
  return parsed.ok ? `${JSON.stringify(value)} is not ${rule.expected}` : parsed.message;
}

/** The rule for a `value` property of an observable type, or undefined. */
export function valuePathRule(objectType: string): PathRule | undefined {
  return Object.hasOwn(VALUE_PATHS, objectType) ? VALUE_PATHS[objectType] : undefined;
}

/** The rule for a `hashes` key, or undefined when the algorithm is not one the hub stores. */
export function hashRule(key: string): PathRule | undefined {
  const hash = hashTypeForKey(key);
  return hash ? HASH_RULES[hash] : undefined;
}

function ruleForPath(path: ObjectPath): PathRule {
  const [first, second] = path.components;
  const count = path.components.length;
  const valueRule = valuePathRule(path.type);
  if (count === 1 && first === 'value' && valueRule) return valueRule;
  if (path.type === 'file' && first === 'hashes' && count === 2) {
    const rule = hashRule(second);
    if (rule) return rule;
    throw new PatternError(
      `the hash ${JSON.stringify(second)} is not supported; expected MD5, SHA-1 or SHA-256`,
      path.offset,
    );
  }
  throw new PatternError(
    `the object path ${describePath(path)} is not supported; supported are ${SUPPORTED_PATHS}`,
    path.offset,
  );
}

function describePath(path: ObjectPath): string {
  return `${path.type}:${path.components.map(showComponent).join('.')}`;
}

function showComponent(component: string): string {
  return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(component) ? component : stixStringLiteral(component);
}
