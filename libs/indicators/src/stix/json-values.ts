/**
 * Small helpers for JSON received from outside: parsing with a line and column in the error, and
 * narrowing `unknown` values.
 */

export type JsonParsed = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Parses JSON, and on a syntax error says where it is as line and column. JSON.parse's own
 * message gives a position for some errors only (Node 20 omits it for "Unexpected token"), so the
 * text is scanned again to find the offending character; this costs nothing on valid input.
 */
export function parseJson(text: string): JsonParsed {
  // Parsing would succeed, but every later walk of the value recurses: refused here, with the
  // place, instead of a stack overflow (a 500) further on.
  const deep = tooDeep(text, MAX_JSON_DEPTH);
  if (deep !== undefined) {
    const { line, column } = lineAndColumn(text, deep);
    return {
      ok: false,
      reason: `JSON nested more than ${MAX_JSON_DEPTH} levels deep at line ${line}, column ${column}`,
    };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const found = findJsonSyntaxError(text);
    if (!found) return { ok: false, reason: `invalid JSON: ${(error as Error).message}` };
    const { line, column } = lineAndColumn(text, found.offset);
    return {
      ok: false,
      reason: `invalid JSON at line ${line}, column ${column}: ${found.message}`,
    };
  }
}

/** Far deeper than any STIX bundle nests (an object in a list in an object in a bundle). */
export const MAX_JSON_DEPTH = 64;

/** The offset where nesting first exceeds `max` levels, outside strings; undefined if never. */
export function tooDeep(text: string, max: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) return i;
    } else if (c === 93 || c === 125) depth--;
  }
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short description of a JSON value's kind, for messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
    return `the string ${JSON.stringify(shown)}`;
  }
  return `the ${typeof value} ${String(value)}`;
}

/** 1-based line and column (in UTF-16 code units, as editors count them) of `offset`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

type ScanState = 'value' | 'first-value' | 'key' | 'first-key' | 'colon' | 'after';
type JsonSyntaxError = { offset: number; message: string };

/**
 * The offset and nature of the first syntax error in `text` under RFC 8259, or null when there is
 * none. Iterative, with an explicit stack, so that deeply nested input cannot overflow the call
 * stack.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const closers: ('}' | ']')[] = [];
  let state: ScanState = 'value';
  let i = 0;
  for (;;) {
    i = skipWhitespace(text, i);
    if (i >= text.length) {
      if (state === 'after' && closers.length === 0) return null;
      return { offset: i, message: 'the text ends before the JSON value is complete' };
    }
    const c = text[i];
    const closer = closers[closers.length - 1];
    if ((state === 'first-value' && c === ']') || (state === 'first-key' && c === '}')) {
      closers.pop();
      i++;
      state = 'after';
    } else if (state === 'value' || state === 'first-value') {
      if (c === '{' || c === '[') {
        closers.push(c === '{' ? '}' : ']');
        state = c === '{' ? 'first-key' : 'first-value';
        i++;
        continue;
      }
      const end = scanScalar(text, i);
      if (typeof end !== 'number') return end;
      i = end;
      state = 'after';
    } else if (state === 'key' || state === 'first-key') {
      if (c !== '"') return unexpected(text, i, 'expected a property name in double quotes');
      const end = scanString(text, i);
      if (typeof end !== 'number') return end;
      i = end;
      state = 'colon';
    } else if (state === 'colon') {
      if (c !== ':') return unexpected(text, i, 'expected ":" after the property name');
      i++;
      state = 'value';
    } else if (closer === undefined) {
      return unexpected(text, i, 'expected nothing after the end of the JSON value');
    } else if (c === ',') {
      i++;
      state = closer === '}' ? 'key' : 'value';
    } else if (c === closer) {
      closers.pop();
      i++;
    } else {
      return unexpected(text, i, `expected "," or "${closer}"`);
    }
  }
}

function skipWhitespace(text: string, i: number): number {
  while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  return i;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The end of the string, number or literal starting at `i`, or the error in it. */
function scanScalar(text: string, i: number): number | JsonSyntaxError {
  if (text[i] === '"') return scanString(text, i);
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, i)) return i + literal.length;
  }
  NUMBER.lastIndex = i;
  if (NUMBER.test(text)) return NUMBER.lastIndex;
  return unexpected(text, i, 'expected a value');
}

function scanString(text: string, start: number): number | JsonSyntaxError {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '"') return i + 1;
    if (c < ' ') {
      return { offset: i, message: 'a control character (such as a line break) in a string' };
    }
    if (c === '\\') {
      if (/^u[0-9a-fA-F]{4}/.test(text.slice(i + 1, i + 6))) i += 5;
      else if ('"\\/bfnrt'.includes(text[i + 1] ?? 'x')) i++;
      else return { offset: i, message: 'an invalid escape sequence in a string' };
    }
  }
  return { offset: start, message: 'a string that is never closed' };
}

function unexpected(text: string, i: number, expected: string): JsonSyntaxError {
  const found = String.fromCodePoint(text.codePointAt(i) ?? 0);
  return { offset: i, message: `unexpected ${JSON.stringify(found)}; ${expected}` };
}

/**
 * The value a JSON path of the import's problem reports points to (`objects[3].hashes['SHA-256']`,
 * `objects[0].pattern`), or, where that property is missing, the nearest value that holds it: the
 * input a reader is shown beside the reason. undefined for an unreadable path.
 */
export function valueAtPath(root: unknown, path: string): unknown {
  const step = /^(?:\.?([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\])/;
  let value = root;
  let rest = path;
  while (rest) {
    const m = step.exec(rest);
    if (!m) return undefined;
    const key = m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3]) as string));
    const next =
      typeof key === 'number'
        ? Array.isArray(value)
          ? (value[key] as unknown)
          : undefined
        : isRecord(value) && Object.hasOwn(value, key)
          ? value[key]
          : undefined;
    if (next === undefined) return value;
    value = next;
    rest = rest.slice(m[0].length);
  }
  return value;
}
