import { bodyText, loneSurrogateEscape } from './body-text';

describe('bodyText', () => {
  it('reads UTF-8 as it is', () => {
    expect(bodyText(Buffer.from('198.51.100.7\n東京\n'))).toEqual({
      text: '198.51.100.7\n東京\n',
    });
  });

  it('names the first line that is not UTF-8', () => {
    const body = Buffer.concat([
      Buffer.from('198.51.100.7\n198.51.100.8\n'),
      Buffer.from([0x31, 0xed, 0xa0, 0x80]), // U+D800 as CESU-8
      Buffer.from('\n198.51.100.9 \xff'),
    ]);
    expect(bodyText(body)).toEqual({
      error: { path: 'body', message: 'line 3: is not valid UTF-8' },
    });
  });

  it.each([
    ['{"a": "\\ud800"}', 1],
    ['{\n"a": "x\\uDC00"}', 2],
    ['{\n\n"a": "\\ud83d\\ud83d\\ude00"}', 3],
    ['{"a": "\\\\\\ud800"}', 1],
  ])('finds a lone surrogate escape in JSON: %s on line %d', (json, line) => {
    expect(loneSurrogateEscape(json)).toEqual({ line, escape: expect.stringMatching(/^\\u/) });
  });

  it.each(['{"a": "\\ud83d\\ude00"}', '{"a": "\\\\ud800"}', '{"a": "\\u00e9"}'])(
    'takes pairs, escaped backslashes and other escapes: %s',
    (json) => {
      expect(loneSurrogateEscape(json)).toBeUndefined();
    },
  );
});
