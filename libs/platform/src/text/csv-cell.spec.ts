import { csvCell } from './csv-cell';

describe('csvCell', () => {
  it('keeps plain text as it is', () => {
    expect(csvCell('phishing')).toBe('phishing');
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('neutralises what a spreadsheet would run, including a leading TAB or CR', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=HYPERLINK("x")')).toBe('"\'\t=HYPERLINK(""x"")"');
    expect(csvCell('\r=1')).toBe('"\'\r=1"');
  });

  it('quotes by RFC 4180', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });
});
