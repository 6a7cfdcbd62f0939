import { CORPUS_CONTEXT, CorpusCase, REDACTION_CORPUS } from './redaction-corpus.fixture';
import { applyKeeps, scrubberFor } from './scrubber';

// Thresholds, from the measured rates of this corpus (printed below) with room for one or two
// cases, so that a regression fails and an honest miss added to the corpus does not:
// - recall of must-go data at least 92%: the author reviews every redaction in the preview, and
//   what is missed is the kind no rule can tell from prose (a bare family or given name);
// - retention of must-stay indicators, counting those the author can keep in the preview, at
//   least 97%: losing an indicator loses what the report is for, and the preview can only give
//   back what is flagged as keepable.
const MIN_RECALL = 0.92;
const MIN_RETENTION = 0.97;

const scrub = scrubberFor(CORPUS_CONTEXT);

/** Did every must-go value leave the text? */
function removed(c: CorpusCase): boolean {
  const out = scrub(c.text).text;
  return c.go!.every((value) => !out.includes(value));
}

/** Is every must-stay value still there as written, or once the author kept what was flagged? */
function retained(c: CorpusCase, withKeeps: boolean): boolean {
  const result = scrub(c.text);
  if (!withKeeps) return c.stay!.every((value) => result.text.includes(value));
  // The author keeps the keepable redactions that touch a must-stay value, nothing else.
  const spans = c.stay!.map((value) => {
    const start = c.text.indexOf(value);
    return [start, start + value.length];
  });
  const keep = result.redactions
    .filter((r) => spans.some(([s, e]) => r.start < e && s < r.end))
    .map((r) => r.start);
  const kept = applyKeeps(c.text, result.redactions, keep);
  return c.stay!.every((value) => kept.text.includes(value));
}

const rate = (hits: number, of: number) => `${hits}/${of} (${((100 * hits) / of).toFixed(1)}%)`;

describe('the redaction corpus', () => {
  const go = REDACTION_CORPUS.filter((c) => c.go);
  const stay = REDACTION_CORPUS.filter((c) => c.stay);

  it('holds at least 150 cases in Japanese and English, about half of each side', () => {
    expect(REDACTION_CORPUS.length).toBeGreaterThanOrEqual(150);
    for (const c of REDACTION_CORPUS) expect(Boolean(c.go) !== Boolean(c.stay)).toBe(true);
    for (const side of [go, stay]) {
      expect(side.length).toBeGreaterThanOrEqual(REDACTION_CORPUS.length * 0.45);
      for (const lang of ['ja', 'en']) {
        expect(side.filter((c) => c.lang === lang).length).toBeGreaterThanOrEqual(35);
      }
    }
    for (const c of stay) for (const v of c.stay!) expect(c.text).toContain(v);
    for (const c of go) for (const v of c.go!) expect(c.text).toContain(v);
  });

  it('removes the personal and internal data and keeps the indicators, at the thresholds', () => {
    const missed = go.filter((c) => !removed(c));
    const lostRaw = stay.filter((c) => !retained(c, false));
    const lost = stay.filter((c) => !retained(c, true));
    const lines = ['Redaction corpus (libs/sharing/src/scrubbing/redaction-corpus.fixture.ts)'];
    for (const lang of ['ja', 'en'] as const) {
      const g = go.filter((c) => c.lang === lang);
      const s = stay.filter((c) => c.lang === lang);
      lines.push(
        `  ${lang}: recall ${rate(g.filter((c) => !missed.includes(c)).length, g.length)}, ` +
          `retention ${rate(s.filter((c) => !lost.includes(c)).length, s.length)} ` +
          `(as written ${rate(s.filter((c) => !lostRaw.includes(c)).length, s.length)})`,
      );
    }
    const recall = (go.length - missed.length) / go.length;
    const retention = (stay.length - lost.length) / stay.length;
    lines.push(
      `  all: recall ${rate(go.length - missed.length, go.length)} (min ${MIN_RECALL * 100}%), ` +
        `retention ${rate(stay.length - lost.length, stay.length)} (min ${MIN_RETENTION * 100}%), ` +
        `as written ${rate(stay.length - lostRaw.length, stay.length)}`,
    );
    for (const c of missed) lines.push(`  missed: ${c.text}  ->  ${scrub(c.text).text}`);
    for (const c of lost) lines.push(`  lost:   ${c.text}  ->  ${scrub(c.text).text}`);
    console.log(lines.join('\n'));

    expect(recall).toBeGreaterThanOrEqual(MIN_RECALL);
    expect(retention).toBeGreaterThanOrEqual(MIN_RETENTION);
  });
});
