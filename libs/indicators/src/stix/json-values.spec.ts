import fc from 'fast-check';
import {
  describe as describeValue,
  findJsonSyntaxError,
  lineAndColumn,
  parseJson,
  valueAtPath,
} from './json-values';

describe('parseJson', () => {
  it('returns the value of valid JSON', () => {
    expect(parseJson('{"a": [1, "x", null]}')).toEqual({ ok: true, value: { a: [1, 'x', null] } });
  });

  it.each([
    // Node 20's JSON.parse gives no position for these.
    ['{"a":}', 'line 1, column 6', 'unexpected "}"; expected a value'],
    ['{\n  "a": 1,\n  "b": tru\n}', 'line 3, column 8', 'expected a value'],
    // And for these it gives an offset, not a line.
    ['{\n  "a": 1,\n}', 'line 3, column 1', 'expected a property name in double quotes'],
    ['[1, 2', 'line 1, column 6', 'ends before the JSON value is complete'],
    ['{"a": "x\ny"}', 'line 1, column 9', 'control character'],
    ['{"a": 01}', 'line 1, column 8', 'expected "," or "}"'],
    ['{"a" 1}', 'line 1, column 6', 'expected ":" after the property name'],
    ['{"a": "\\x"}', 'line 1, column 8', 'invalid escape'],
    ['{} {}', 'line 1, column 4', 'expected nothing after the end'],
    ['', 'line 1, column 1', 'ends before'],
    ['{"a": "never closed}', 'line 1, column 7', 'never closed'],
  ])('locates the error in %j', (text, where, what) => {
    const parsed = parseJson(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.reason).toContain(`invalid JSON at ${where}: `);
    expect(parsed.reason).toContain(what);
  });

  it('finds no error in any valid JSON', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(findJsonSyntaxError(text)).toBeNull();
      }),
    );
  });

  it('agrees with JSON.parse on whether damaged JSON is valid', () => {
    const damaged = fc
      .tuple(
        fc.json(),
        fc.nat(),
        fc.constantFrom('', ',', '}', ']', '"', ':', '\\', '\n', '0', ' '),
      )
      .map(([text, at, insert]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i + (insert === '' ? 1 : 0));
      });
    fc.assert(
      fc.property(fc.oneof(damaged, fc.string()), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(findJsonSyntaxError(text) === null).toBe(valid);
      }),
      { numRuns: 2000 },
    );
  });

  it('copes with deep nesting without overflowing the stack', () => {
    const deep = '['.repeat(200_000);
    expect(findJsonSyntaxError(deep)?.message).toContain('ends before');
  });
});

describe('lineAndColumn', () => {
  it('counts lines from 1 and columns from 1', () => {
    expect(lineAndColumn('ab\ncd\r\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd\r\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn('ab\ncd\r\nef', 8)).toEqual({ line: 3, column: 2 });
  });
});

describe('describe', () => {
  it('names the kind of a JSON value', () => {
    expect(describeValue(undefined)).toBe('nothing');
    expect(describeValue(null)).toBe('null');
    expect(describeValue([])).toBe('an array');
    expect(describeValue({})).toBe('an object');
    expect(describeValue(5)).toBe('the number 5');
    expect(describeValue('x'.repeat(100))).toBe(`the string "${'x'.repeat(60)}…"`);
  });
});

describe('valueAtPath', () => {
  const root = {
    objects: [{ type: 'file', hashes: { 'SHA-256': 'abc', MD5: 'def' }, refs: ['x', 'y'] }],
  };
  it.each<[string, unknown]>([
    ['objects[0].hashes["SHA-256"]', 'abc'],
    ['objects[0].hashes.MD5', 'def'],
    ['objects[0].refs[1]', 'y'],
    // A missing property: the object that should hold it.
    ['objects[0].valid_from', root.objects[0]],
    ['objects[3]', root.objects],
    ['objects[0]..', undefined],
  ])('%s', (path, expected) => {
    expect(valueAtPath(root, path)).toEqual(expected);
  });
});
