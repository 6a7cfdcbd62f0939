import { copyLine, arrayLiteral, field } from './copy-rows';
import { readCsv, readText } from './entry-input';

describe('readText', () => {
  it('reads one value per line, with comments, blank lines, CRLF and a BOM', () => {
    const r = readText(
      '\uFEFF# header\r\n198.51.100.7\r\n\r\n  evil[.]example  # defanged\nhttp://x.example/#frag\n',
    );
    expect(r.errors).toEqual([]);
    expect(r.rows.map((x) => [x.line, x.value, x.type])).toEqual([
      [2, '198.51.100.7', 'ipv4'],
      [4, 'evil.example', 'domain'],
      [5, 'http://x.example/', 'url'],
    ]);
  });

  it('reports every bad line with its number and the input', () => {
    const r = readText('192.0.2.1\nnope\n192.0.2.300\n');
    expect(r.rows).toHaveLength(1);
    expect(r.errors.map((e) => [e.line, e.where, e.input])).toEqual([
      [2, 'line 2', 'nope'],
      [3, 'line 3', '192.0.2.300'],
    ]);
    expect(r.errors[1].message).toMatch(/192\.0\.2\.300/);
  });

  it('refuses host bits with both readings unless normalisation is asked for', () => {
    const refused = readText('198.51.101.9/23');
    expect(refused.rows).toEqual([]);
    expect(refused.errors[0].message).toMatch(
      /the network is 198\.51\.100\.0\/23, the single address 198\.51\.101\.9\/32/,
    );
    const csv = readCsv('value\n198.51.101.9/23\n');
    expect(csv.errors[0].message).toMatch(/host bits set/);
    expect(readCsv('value\n198.51.101.9/23\n', { normalise: true }).rows[0].value).toBe(
      '198.51.100.0/23',
    );
  });

  it('masks host bits of a range with a warning when normalisation is asked for', () => {
    const r = readText('198.51.101.9/23', { normalise: true });
    expect(r.rows[0]).toMatchObject({ value: '198.51.100.0/23', type: 'ipv4-cidr' });
    expect(r.rows[0].warning).toMatch(/host bits/);
  });
});

describe('readCsv', () => {
  it('reads a header in any order with optional columns', () => {
    const r = readCsv(
      'note,value,confidence,tags,valid_until\n"a, b",192.0.2.1,90,x;y,2027-01-01\n,evil.example,,,\n',
    );
    expect(r.errors).toEqual([]);
    expect(r.rows[0]).toMatchObject({
      line: 2,
      value: '192.0.2.1',
      confidence: 90,
      tags: ['x', 'y'],
      note: 'a, b',
      validUntil: new Date('2027-01-01T00:00:00Z'),
    });
    expect(r.rows[1]).toMatchObject({ line: 3, value: 'evil.example' });
    expect(r.rows[1].confidence).toBeUndefined();
  });

  it('takes the first column as the value without a header', () => {
    expect(readCsv('192.0.2.1\n192.0.2.2,ignored\n').rows.map((x) => x.value)).toEqual([
      '192.0.2.1',
      '192.0.2.2',
    ]);
  });

  it('names the bad line and the bad column', () => {
    const r = readCsv(
      'value,confidence,first_seen,last_seen\n192.0.2.1,101,,\n192.0.2.2,5,2026-02-01,2026-01-01\n192.0.2.3,5,yesterday,\n',
    );
    expect(r.errors.map((e) => [e.line, e.message])).toEqual([
      [2, expect.stringMatching(/confidence "101"/)],
      [3, 'first_seen is after last_seen'],
      [4, expect.stringMatching(/first_seen: "yesterday" is not a date-time/)],
    ]);
  });

  it('refuses unknown columns and checks a declared type', () => {
    expect(readCsv('value,confidance\n192.0.2.1,5\n').errors[0].message).toMatch(
      /unknown column "confidance"/,
    );
    expect(readCsv('value,type\nevil.example,ipv4\n').errors[0].message).toMatch(/domain name/);
  });
});

describe('CSV times (the one reader of client instants)', () => {
  const firstSeen = (text: string) => readCsv(`value,first_seen\n192.0.2.1,${text}\n`);

  it.each([
    ['2026-11-22', '2026-11-22T00:00:00.000Z'],
    ['2026-11-22T09:00:00Z', '2026-11-22T09:00:00.000Z'],
    ['2026-11-22T09:00:00+09:00', '2026-11-22T00:00:00.000Z'],
  ])('reads %s', (text, iso) => expect(firstSeen(text).rows[0].firstSeen?.toISOString()).toBe(iso));

  it.each([
    ['2026-02-30', 'February 2026 has no day 30'],
    ['2026-13-01', 'no month 13'],
    ['2026-01-01T24:00:00Z', 'no hour 24'],
    ['0000-01-01', 'no year 0000'],
    ['22/11/2026', 'is not a date-time'],
  ])('refuses %j on its line, never rolled over (%s)', (text, why) => {
    const r = firstSeen(text);
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([
      expect.objectContaining({ line: 2, message: expect.stringContaining(`first_seen: `) }),
    ]);
    expect(r.errors[0].message).toContain(why);
  });
});

describe('COPY text format', () => {
  it('escapes what COPY would misread', () => {
    expect(field('a\tb\\c\nd\re')).toBe('a\\tb\\\\c\\nd\\re');
    expect(field('plain')).toBe('plain');
    expect(arrayLiteral(['a', 'b"c', 'd\\e'])).toBe('{"a","b\\"c","d\\\\e"}');
  });

  it('writes nine columns per line, NULL for what the batch decides', () => {
    expect(copyLine({ line: 7, where: 'line 7', value: '192.0.2.1', type: 'ipv4' })).toBe(
      '192.0.2.1\tipv4\t7\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n',
    );
    const full = copyLine({
      line: 2,
      where: 'line 2',
      value: 'evil.example',
      type: 'domain',
      confidence: 0,
      tags: ['x'],
      note: 'tab\there',
      validUntil: new Date('2027-01-01T00:00:00Z'),
    });
    expect(full.split('\t')).toEqual([
      'evil.example',
      'domain',
      '2',
      '0',
      '\\N',
      '\\N',
      '2027-01-01T00:00:00.000Z',
      '{"x"}',
      'tab\\there\n',
    ]);
  });
});
