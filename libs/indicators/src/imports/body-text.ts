import { isUtf8 } from 'node:buffer';
import { FieldError } from '@renkei/platform';

/**
 * Half of a surrogate pair written as a JSON escape, not preceded by an escaped backslash:
 * JSON.parse makes it a lone surrogate, which the database driver would store as U+FFFD.
 */
const LONE_SURROGATE_ESCAPE =
  /(?<=(?:^|[^\\])(?:\\\\)*)(?:\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2})/;

/**
 * An import body as text, or the first line that cannot be: bytes that are not UTF-8 (they
 * would become U+FFFD, silently), or in JSON a lone surrogate escape. Pure, for unit tests.
 */
export function bodyText(body: Buffer, json: boolean): { text: string } | { error: FieldError } {
  if (!isUtf8(body)) {
    return { error: { path: 'body', message: `line ${badUtf8Line(body)}: is not valid UTF-8` } };
  }
  const text = body.toString('utf8');
  const lone = json ? LONE_SURROGATE_ESCAPE.exec(text) : null;
  if (lone) {
    const line = text.slice(0, lone.index).split('\n').length;
    return {
      error: {
        path: 'body',
        message: `line ${line}: ${lone[0]} is a lone surrogate, half of a character; send the character itself`,
      },
    };
  }
  return { text };
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
