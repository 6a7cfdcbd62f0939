import { turnsDuring } from '../../../../test/support/turns';
import { LINES_PER_TURN, readText, readTextInTurns } from './entry-input';

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

  it('lets other work run between the parts of a long text', async () => {
    const { turns } = await turnsDuring(() => readTextInTurns(text));
    expect(turns).toBeGreaterThanOrEqual(3);
  });
});
