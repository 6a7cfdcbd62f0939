import type { ReportKind } from '../reports/report.models';
import { csvField, markdownOf, quarterBounds } from './statistics-format';

const lesson = (lessonsLearned: string, title = 'Outage') => ({
  reportId: 'r1',
  kind: 'incident' as ReportKind,
  title,
  categories: ['internal.expired-licence'],
  affectedSectors: ['gas'],
  author: 'an operator in gas',
  lessonsLearned,
});

describe('quarterly summary Markdown', () => {
  it("keeps members' text from becoming links, headings or HTML", () => {
    const md = markdownOf(
      '2026-Q4',
      [],
      [
        lesson(
          'See [our page](https://evil.example)\n# Not a heading\n<img src=x>',
          '**Loud** | x',
        ),
      ],
      3,
    );
    expect(md).not.toContain('[our page](');
    expect(md).not.toMatch(/^# Not a heading/m);
    // A backslash before < makes it text in CommonMark, not a tag.
    expect(md).not.toMatch(/(^|[^\\])<img/m);
    expect(md).toContain('### \\*\\*Loud\\*\\* \\| x');
    // Every line of a lesson stays inside its quote.
    expect(md).toContain('> \\# Not a heading');
  });

  it('defangs bare addresses, which GFM renderers would autolink', () => {
    const md = markdownOf(
      '2026-Q4',
      [],
      [
        lesson(
          'Reset at https://evil.example/reset, HTTP://a.example, _www.evil.example_, ftp://f.example or ops@evil.example',
          'Notice http://evil.example',
        ),
      ],
      3,
    );
    expect(md).not.toMatch(/https?:\/\/|www\.|ftp:\/\/|@evil/i);
    expect(md).toContain('hxxps://evil.example/reset');
    expect(md).toContain('### Notice hxxp://evil.example');
    expect(md).toContain('HxxP://a.example');
    expect(md).toContain('www\\[.\\]evil.example');
    expect(md).toContain('ftp\\[:\\]//f.example');
    expect(md).toContain('ops\\[@\\]evil.example');
  });

  it('shows a suppressed cell as "<k", never its count', () => {
    const md = markdownOf(
      '2026-Q4',
      [{ quarter: '2026-Q4', category: 'a', sector: 'gas', count: null, suppressed: true }],
      [],
      3,
    );
    expect(md).toContain('| a | gas | <3 |');
  });
});

describe('csvField', () => {
  it('quotes separators and defuses spreadsheet formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('2026-Q4')).toBe('2026-Q4');
  });
});

describe('quarters', () => {
  it('are Japan time', () => {
    const q1 = quarterBounds('2026-Q1')!;
    expect([q1.start.toISOString(), q1.end.toISOString()]).toEqual([
      '2025-12-31T15:00:00.000Z',
      '2026-03-31T15:00:00.000Z',
    ]);
    expect(quarterBounds('2026-Q4')!.end.toISOString()).toBe('2026-12-31T15:00:00.000Z');
  });

  it('are only quarters', () => {
    for (const q of ['2026-5', '2026-Q0', '2026-Q5', '26-Q1', ' 2026-Q1']) {
      expect(quarterBounds(q)).toBeUndefined();
    }
  });
});
