import { bodyText } from './body-text';

describe('bodyText', () => {
  it('reads UTF-8 as it is', () => {
    expect(bodyText(Buffer.from('198.51.100.7\n東京\n'), false)).toEqual({
      text: '198.51.100.7\n東京\n',
    });
  });

  it('names the first line that is not UTF-8', () => {
    const body = Buffer.concat([
      Buffer.from('198.51.100.7\n198.51.100.8\n'),
      Buffer.from([0x31, 0xed, 0xa0, 0x80]), // U+D800 as CESU-8
      Buffer.from('\n198.51.100.9 \xff'),
    ]);
    expect(bodyText(body, false)).toEqual({
      error: { path: 'body', message: 'line 3: is not valid UTF-8' },
    });
  });

  it.each([
    ['{"a": "\\ud800"}', 1],
    ['{\n"a": "x\\uDC00"}', 2],
    ['{\n\n"a": "\\ud83d\\ud83d\\ude00"}', 3],
    ['{"a": "\\\\\\ud800"}', 1],
  ])('refuses a lone surrogate escape in JSON: %s on line %d', (json, line) => {
    const r = bodyText(Buffer.from(json), true);
    expect(r).toEqual({
      error: {
        path: 'body',
        message: expect.stringMatching(new RegExp(`^line ${line}: .*lone surrogate`)),
      },
    });
  });

  it.each(['{"a": "\\ud83d\\ude00"}', '{"a": "\\\\ud800"}', '{"a": "\\u00e9"}'])(
    'takes pairs, escaped backslashes and other escapes: %s',
    (json) => {
      expect(bodyText(Buffer.from(json), true)).toEqual({ text: json });
    },
  );

  it('leaves text formats alone: a backslash-u there is not an escape', () => {
    expect(bodyText(Buffer.from('\\ud800'), false)).toEqual({ text: '\\ud800' });
  });
});
