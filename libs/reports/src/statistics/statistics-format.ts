import { csvCell } from '@renkei/platform/csv';
import type { LessonLearned, StatisticsCell } from './statistics.models';

/** RFC 4180, and a cell that could start a formula neutralised: the hub's one rule (platform). */
export const csvField = csvCell;

/**
 * A quarter ("2026-Q4") as the instants it spans in Japan time (UTC+9, no daylight saving), or
 * undefined when the text is not a quarter.
 */
export function quarterBounds(q: string): { start: Date; end: Date } | undefined {
  const m = /^(\d{4})-Q([1-4])$/.exec(q);
  if (!m) return undefined;
  const [year, quarter] = [Number(m[1]), Number(m[2])];
  const jst = (month: number) => new Date(Date.UTC(year, month, 1) - 9 * 3_600_000);
  return { start: jst((quarter - 1) * 3), end: jst(quarter * 3) };
}

/**
 * Text written by members, set so Markdown cannot turn it into structure or links. Escaping
 * stops `[x](y)` and `<https://…>`, but GFM renderers also link bare addresses (the autolink
 * extension: `www.`, `http(s)://`, e-mail addresses), so those are defanged the CSIRT way
 * (hxxps://, www[.], [@]): still readable, never one click from a phishing page.
 */
function inline(text: string): string {
  return defang(text)
    .replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`)
    .replace(/\s*\n\s*/g, ' ');
}

function defang(text: string): string {
  return text
    .replace(/(h)tt(ps?):\/\//gi, '$1xx$2://')
    .replace(/\b((?!hxxps?:)[a-z][a-z0-9+.-]*):\/\//gi, '$1[:]//')
    .replace(/(www)\./gi, '$1[.]')
    .replace(/@(?=[\w-]+\.)/g, '[@]');
}

export function markdownOf(
  quarter: string,
  counts: StatisticsCell[],
  lessons: LessonLearned[],
  k: number,
): string {
  const out = [
    `# Quarterly summary ${quarter}`,
    '',
    'TLP:GREEN',
    '',
    '## Reports by category and affected sector',
    '',
  ];
  if (!counts.length) out.push('No reports this quarter.');
  else {
    out.push('| category | sector | reports |', '| --- | --- | ---: |');
    for (const c of counts) {
      out.push(
        `| ${inline(c.category)} | ${inline(c.sector)} | ${c.suppressed ? `<${k}` : c.count} |`,
      );
    }
  }
  out.push('', '## Lessons learned', '');
  if (!lessons.length) out.push('None this quarter.');
  for (const l of lessons) {
    out.push(
      `### ${inline(l.title)}`,
      '',
      `${inline(l.author)} · ${l.kind} · ${l.categories.map(inline).join(', ') || 'none'}`,
      '',
    );
    for (const line of l.lessonsLearned.split(/\r?\n/)) out.push(`> ${inline(line)}`);
    out.push('');
  }
  return out.join('\n').trimEnd() + '\n';
}
