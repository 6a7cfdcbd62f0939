import { turnsDuring } from '../../../../test/support/turns';
import { LINES_PER_TURN, readCsv, readCsvInTurns, readText, readTextInTurns } from './entry-input';

describe('readTextInTurns', () => {
  // Three and a half parts, a bad line and a blank one at the seams, CRLF and a BOM.
  const lines = Array.from({ length: 3.5 * LINES_PER_TURN }, (_, i) =>
    i === LINES_PER_TURN - 1
      ? 'not an indicator'
      : i === 2 * LINES_PER_TURN
        ? ''
        : `${11 + (i >>> 16)}.${(i >>> 8) & 255}.${i & 255}.1`,
  );
  const text = `\ufeff${lines.join('\r\n')}\n`;

  it('reads a long text in parts, with the line numbers of the whole text', async () => {
    const whole = readText(text);
    const read = await readTextInTurns(text);
    expect(read.rows).toEqual(whole.rows);
    expect(read.errors).toEqual(whole.errors);
    expect(read.errors).toEqual([
      expect.objectContaining({ line: LINES_PER_TURN, where: `line ${LINES_PER_TURN}` }),
    ]);
    expect(read.rows).toHaveLength(lines.length - 2);
    expect(read.rows[read.rows.length - 1].line).toBe(lines.length);
  });

  it('cuts its parts at line breaks wherever they fall: long lines, a line longer than a part', async () => {
    const mixed = Array.from({ length: 60_000 }, (_, i) =>
      i === 25_000
        ? `https://evil.example/${'a'.repeat(300_000)}`
        : i % 7 === 0
          ? `https://evil.example/${'p'.repeat(i % 900)}?n=${i}`
          : i % 11 === 0
            ? ''
            : `${11 + (i >>> 16)}.${(i >>> 8) & 255}.${i & 255}.1 # seen`,
    ).join('\r\n');
    const read = await readTextInTurns(`\ufeff${mixed}`);
    expect(read).toEqual(readText(`\ufeff${mixed}`));
    expect(read.errors.map((e) => e.line)).toEqual([25_001]);
  });

  it('lets other work run between the parts of a long text', async () => {
    const { turns } = await turnsDuring(() => readTextInTurns(text));
    expect(turns).toBeGreaterThanOrEqual(3);
  });
});

describe('readCsvInTurns', () => {
  // Two and a half parts (and more than one 64 KiB feed), with a header, quoted cells with
  // commas and line breaks across the feeds, and bad lines at the seams.
  const records = Array.from({ length: 2.5 * LINES_PER_TURN }, (_, i) =>
    i === LINES_PER_TURN
      ? 'nope,50,'
      : `${11 + (i >>> 16)}.${(i >>> 8) & 255}.${i & 255}.1,${i % 101},"tag a,tag ${i % 7}"`,
  );
  const csv = `\ufeffvalue,confidence,tags\n${records.join('\n')}\n# a comment\n"multi\nline",5,\n`;

  it('reads like readCsv: the same entries, errors and line numbers', async () => {
    const whole = readCsv(csv);
    const read = await readCsvInTurns(csv);
    expect(read).toEqual(whole);
    expect(read.rows).toHaveLength(records.length - 1);
    expect(read.errors.map((e) => e.line)).toEqual([LINES_PER_TURN + 2, records.length + 4]);
  });

  it('reads the same without a header, and refuses an unknown column or broken CSV alike', async () => {
    for (const text of [
      '192.0.2.1\n192.0.2.2,ignored\n',
      'value,confidance\n192.0.2.1,5\n',
      'value\n"192.0.2.1\n',
      '',
    ]) {
      expect(await readCsvInTurns(text)).toEqual(readCsv(text));
    }
  });

  it('lets other work run while it parses and reads a long CSV', async () => {
    const { turns } = await turnsDuring(() => readCsvInTurns(csv));
    expect(turns).toBeGreaterThanOrEqual(4);
  });
});
