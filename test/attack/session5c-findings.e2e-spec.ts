import { ADD, createList, gq, Json, postEntries, Scene, scene } from './support';
import { stixBundle } from './session5c-common';

/*
 * Session 5c attack pass (outside view; an analyst, an indicators:write token and a peer's
 * feeds:read token) on d497de3: tag rules at every edge, the idle timeout, edge refusals.
 * FINDINGS: each test states the property that should hold and fails now.
 * Properties that held: session5c.e2e-spec.ts.
 */

jest.setTimeout(300_000);

let s: Scene;

beforeAll(async () => {
  s = await scene();
});

afterAll(async () => {
  await s?.t.stop();
});

async function feedTags(l: string): Promise<Json[]> {
  const res = await fetch(`${s.t.url}/feeds/all.json?list=${l}`, {
    headers: { authorization: `Bearer ${s.peer.feeds}` },
  });
  return (((await res.json()) as Json).entries as Json[]).map((e) => e.tags);
}

describe('line-breaking characters in tags', () => {
  // tagProblem refuses C0 controls and DEL, but U+0085 (NEL, a C1 control character) and the
  // Unicode line/paragraph separators U+2028/U+2029 pass every edge (GraphQL tags, REST ?tags=,
  // CSV tags cell, STIX labels) and come out raw in /feeds/all.csv|json|stix. Many line readers
  // (Python str.splitlines, Java/JS regex \R, some SIEM parsers) break a CSV line there, so a
  // member splits a peer's feed line in two, the same harm as the CR/LF the fix refused.
  for (const [name, ch] of [
    ['U+0085 (NEL)', '\u0085'],
    ['U+2028 (LINE SEPARATOR)', '\u2028'],
    ['U+2029 (PARAGRAPH SEPARATOR)', '\u2029'],
  ] as const) {
    it(`a tag holding ${name} is refused at every edge and never reaches a feed`, async () => {
      const tag = `benign${ch}evil`;
      const l = await createList(s.t, s.op.analyst.token, `sep ${name}`, { anonymous: false });
      const g = await gq(
        s.t,
        ADD,
        { l, i: { text: 'g.sep5c.example', tags: [tag] } },
        s.op.analyst.token,
      );
      const r = await postEntries(
        s.t,
        s.op.writer,
        l,
        'r.sep5c.example',
        'text/plain',
        `?tags=${encodeURIComponent(tag)}`,
      );
      const c = await postEntries(
        s.t,
        s.op.writer,
        l,
        `value,tags\nc.sep5c.example,${tag}\n`,
        'text/csv',
      );
      const x = await postEntries(
        s.t,
        s.op.writer,
        l,
        stixBundle(ch.charCodeAt(0), 'x.sep5c.example', tag),
        'application/stix+json',
      );
      const outcome = {
        graphql: g.errors ? 'refused' : 'stored',
        rest: r.status >= 400 ? 'refused' : 'stored',
        csv: c.status >= 400 ? 'refused' : 'stored',
        stix: x.status >= 400 ? 'refused' : 'stored',
      };
      expect(outcome).toEqual({
        graphql: 'refused',
        rest: 'refused',
        csv: 'refused',
        stix: 'refused',
      });
      expect((await feedTags(l)).flat().filter((t: string) => t.includes(ch))).toEqual([]);
    });
  }
});
