/**
 * Tokens of the STIX 2.1 patterning language, as its ANTLR grammar defines them
 * (oasis-open/cti-stix2-json-schemas, pattern_grammar/STIXPattern.g4). The whole lexical grammar
 * is recognised, not only the subset the hub imports, so that the parser can name an unsupported
 * construct ("the operator LIKE") instead of reporting a stray character.
 */

export type TokenKind =
  /** `[` `]` `(` `)` `:` `.` `,` `*` and the other single-character punctuation */
  | 'punct'
  /** `=` `==` `!=` `<>` `<` `<=` `>` `>=` */
  | 'comparison'
  /** AND, OR, NOT, LIKE, … (upper case only, as in the grammar), and true/false */
  | 'keyword'
  /** letters, digits, `_`; `hyphen` is true when it also contains `-` (object types only) */
  | 'identifier'
  /** a quoted string; `value` holds it unescaped */
  | 'string'
  /** t'…', h'…' and b'…' literals */
  | 'typed-literal'
  | 'number'
  | 'end';

export interface Token {
  kind: TokenKind;
  /** The token as written in the pattern. */
  text: string;
  /** For strings, the unescaped content; otherwise the same as `text`. */
  value: string;
  /** Offset of the first character in the pattern. */
  offset: number;
  /** Only for identifiers: whether it contains a hyphen. */
  hyphen?: boolean;
}

/** A pattern that cannot be read or imported; `offset` is where, from 0. */
export class PatternError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const KEYWORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'FOLLOWEDBY',
  'LIKE',
  'MATCHES',
  'ISSUPERSET',
  'ISSUBSET',
  'EXISTS',
  'LAST',
  'IN',
  'START',
  'STOP',
  'SECONDS',
  'WITHIN',
  'REPEATS',
  'TIMES',
  'true',
  'false',
]);

// The grammar's WS rule: ASCII and Unicode spaces and line separators.
const WHITESPACE = /[ \t\r\n\v\f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/y;
const COMMENT = /\/\*[\s\S]*?\*\/|\/\/[^\r\n]*/y;
const IDENTIFIER = /[a-zA-Z_][a-zA-Z0-9_-]*/y;
const NUMBER = /[+-]?(?:\d*\.\d+|0|[1-9]\d*)/y;
const COMPARISON = /==|!=|<>|<=|>=|=|<|>/y;
const PUNCTUATION = '[]():.,*+-^/';

/** Splits a pattern into tokens, ending with an `end` token; throws PatternError. */
export function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const skipped = match(WHITESPACE, pattern, i) ?? match(COMMENT, pattern, i);
    if (skipped !== null) {
      i += skipped.length;
      continue;
    }
    const token = readToken(pattern, i);
    tokens.push(token);
    i += token.text.length;
  }
  tokens.push({ kind: 'end', text: '', value: '', offset: pattern.length });
  return tokens;
}

function readToken(pattern: string, i: number): Token {
  const c = pattern[i];
  if (c === "'") return readString(pattern, i, 'string');
  if (pattern.startsWith('/*', i)) throw new PatternError('a comment is never closed', i);

  const identifier = match(IDENTIFIER, pattern, i);
  if (identifier !== null) {
    // t'…', h'…' and b'…' are single literals, as the grammar's longest match makes them.
    if (/^[thb]$/.test(identifier) && pattern[i + 1] === "'") {
      return readString(pattern, i, 'typed-literal');
    }
    // A keyword wins only when it is the whole word: "ORx" is an identifier.
    const without = /^[a-zA-Z0-9_]+/.exec(identifier)?.[0] ?? '';
    if (KEYWORDS.has(without) && identifier === without) {
      return { kind: 'keyword', text: without, value: without, offset: i };
    }
    const kind = 'identifier';
    return { kind, text: identifier, value: identifier, offset: i, hyphen: identifier !== without };
  }

  const number = match(NUMBER, pattern, i);
  if (number !== null) return { kind: 'number', text: number, value: number, offset: i };
  const comparison = match(COMPARISON, pattern, i);
  if (comparison !== null) {
    return { kind: 'comparison', text: comparison, value: comparison, offset: i };
  }
  if (PUNCTUATION.includes(c)) return { kind: 'punct', text: c, value: c, offset: i };
  if (c === '"') {
    throw new PatternError("strings are quoted with single quotes ('…') in STIX", i);
  }
  const shown = String.fromCodePoint(pattern.codePointAt(i) ?? 0);
  throw new PatternError(`unexpected character ${JSON.stringify(shown)}`, i);
}

/**
 * A single-quoted string starting at `start` (or at the quote after a t/h/b prefix). The grammar
 * allows exactly two escapes, \' and \\; any other backslash is an error rather than a literal
 * backslash, so that a producer's mistaken "\n" is not imported as two characters.
 */
function readString(pattern: string, start: number, kind: 'string' | 'typed-literal'): Token {
  let value = '';
  const open = kind === 'string' ? start : start + 1;
  for (let i = open + 1; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "'") {
      const text = pattern.slice(start, i + 1);
      return { kind, text, value: kind === 'string' ? value : text, offset: start };
    }
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next !== "'" && next !== '\\') {
        throw new PatternError(
          "a backslash in a string must be followed by ' or \\ (the only escapes STIX allows)",
          i,
        );
      }
      value += next;
      i++;
    } else {
      value += c;
    }
  }
  throw new PatternError("a string is never closed (missing ')", start);
}

/** A quoted STIX string literal holding `value` exactly. */
export function stixStringLiteral(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

function match(regex: RegExp, text: string, at: number): string | null {
  regex.lastIndex = at;
  const m = regex.exec(text);
  return m ? m[0] : null;
}
