import { isUtf8 } from 'node:buffer';
import { FieldError } from '@renkei/platform';

/**
 * Half of a surrogate pair written as a JSON escape, not preceded by an escaped backslash:
 * JSON.parse makes it a lone surrogate, which the database driver would store as U+FFFD.
 */
const LONE_SURROGATE_ESCAPE =
  /(?<=(?:^|[^\\])(?:\\\\)*)(?:\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2})/;

/**
 * An import body as text, or the first line that is not UTF-8: its bytes would become U+FFFD,
 * silently. Pure, for unit tests.
 */
export function bodyText(body: Buffer): { text: string } | { error: FieldError } {
  if (!isUtf8(body)) {
    return { error: { path: 'body', message: `line ${badUtf8Line(body)}: is not valid UTF-8` } };
  }
  return { text: body.toString('utf8') };
}

/** The first line of a JSON text with a lone surrogate escape, and the escape, if any. */
export function loneSurrogateEscape(json: string): { line: number; escape: string } | undefined {
  const found = LONE_SURROGATE_ESCAPE.exec(json);
  if (!found) return undefined;
  return { line: json.slice(0, found.index).split('\n').length, escape: found[0] };
}

function badUtf8Line(body: Buffer): number {
  let line = 1;
  for (let start = 0; start < body.length; line++) {
    const end = body.indexOf(0x0a, start);
    const stop = end < 0 ? body.length : end;
    if (!isUtf8(body.subarray(start, stop))) return line;
    start = stop + 1;
  }
  return line;
}
