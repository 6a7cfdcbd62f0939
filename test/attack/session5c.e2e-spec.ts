import { ADD, createList, gq, Json, parseCsv, postEntries, Scene, scene } from './support';
import { hubSideEstablished, raw, stixBundle, wait } from './session5c-common';

/*
 * Session 5c attack pass: properties of d497de3 that HELD against a hostile member
 * (findings: session5c-findings.e2e-spec.ts).
 */

jest.setTimeout(300_000);

let s: Scene;
const IDLE_MS = 2000;

beforeAll(async () => {
  s = await scene({ HTTP_IDLE_TIMEOUT_MS: String(IDLE_MS) });
});

afterAll(async () => {
  await s?.t.stop();
});

describe('tags refused at every edge', () => {
  const BAD: Record<string, string> = {
    semicolon: 'a;b',
    pipe: 'a|b',
    TAB: 'a\tb',
    CR: 'a\rb',
    LF: 'a\nb',
    NUL: 'a\u0000b',
    DEL: 'a\u007fb',
    'over 64 characters': 'x'.repeat(65),
  };
  let i = 0;
  for (const [name, tag] of Object.entries(BAD)) {
    it(`a tag with ${name} is refused by GraphQL, REST ?tags=, STIX labels and never reaches a feed`, async () => {
      i++;
      const l = await createList(s.t, s.op.analyst.token, `bad ${name}`, { anonymous: false });
      const g = await gq(
        s.t,
        ADD,
        { l, i: { text: `g${i}.held5c.example`, tags: [tag] } },
        s.op.analyst.token,
      );
      expect(g.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const r = await postEntries(
        s.t,
        s.op.writer,
        l,
        `r${i}.held5c.example`,
        'text/plain',
        `?tags=${encodeURIComponent(tag)}`,
      );
      expect(r.status).toBe(400);
      const x = await postEntries(
        s.t,
        s.op.writer,
        l,
        stixBundle(100 + i, `x${i}.held5c.example`, tag),
        'application/stix+json',
      );
      expect(x.status).toBe(422);
      // CSV: ';' and '|' separate tags there (by design), the rest is refused.
      if (!/[;|]/.test(tag) && tag !== BAD.NUL) {
        const c = await postEntries(
          s.t,
          s.op.writer,
          l,
          `value,tags\nc${i}.held5c.example,"${tag}"\n`,
          'text/csv',
        );
        expect(c.status).toBe(422);
      }
      for (const f of ['all.csv', 'all.json', 'all.stix']) {
        const res = await fetch(`${s.t.url}/feeds/${f}?list=${l}`, {
          headers: { authorization: `Bearer ${s.peer.feeds}` },
        });
        expect(await res.text()).not.toContain(`held5c`);
      }
    });
  }

  it('re-posting an existing entry with a forbidden tag (GraphQL, REST, STIX) leaves its stored tags as they were', async () => {
    const l = await createList(s.t, s.op.analyst.token, 'repost', { anonymous: false });
    await gq(
      s.t,
      ADD,
      { l, i: { text: 'again.held5c.example', tags: ['ok'] } },
      s.op.analyst.token,
    );
    const g = await gq(
      s.t,
      ADD,
      { l, i: { text: 'again.held5c.example', tags: ['x;y'] } },
      s.op.analyst.token,
    );
    expect(g.errors).toBeDefined();
    const r = await postEntries(
      s.t,
      s.op.writer,
      l,
      'again.held5c.example',
      'text/plain',
      `?tags=${encodeURIComponent('x\ny')}`,
    );
    expect(r.status).toBe(400);
    const x = await postEntries(
      s.t,
      s.op.writer,
      l,
      stixBundle(999, 'again.held5c.example', 'x|y'),
      'application/stix+json',
    );
    expect(x.status).toBe(422);
    const res = await fetch(`${s.t.url}/feeds/all.json?list=${l}`, {
      headers: { authorization: `Bearer ${s.peer.feeds}` },
    });
    expect(((await res.json()) as Json).entries.map((e: { tags: string[] }) => e.tags)).toEqual([
      ['ok'],
    ]);
  });

  it('a formula tag ("=1+1", or TAB/CR before it via REST or CSV) comes out of the CSV feed neutralised', async () => {
    const l = await createList(s.t, s.op.analyst.token, 'formula', { anonymous: false });
    await gq(s.t, ADD, { l, i: { text: 'f1.held5c.example', tags: ['=1+1'] } }, s.op.analyst.token);
    await postEntries(
      s.t,
      s.op.writer,
      l,
      'f2.held5c.example',
      'text/plain',
      `?tags=${encodeURIComponent('\t=1+1')}`,
    );
    await postEntries(
      s.t,
      s.op.writer,
      l,
      'value,tags\nf3.held5c.example,"\t@SUM(1)"\n',
      'text/csv',
    );
    await postEntries(s.t, s.op.writer, l, 'value,tags\nf4.held5c.example,"-2+3"\n', 'text/csv');
    const res = await fetch(`${s.t.url}/feeds/all.csv?list=${l}`, {
      headers: { authorization: `Bearer ${s.peer.feeds}` },
    });
    const rows = parseCsv(await res.text()).filter((x) => x[0].startsWith('f'));
    expect(rows.length).toBe(4);
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('idle timeout and the edge', () => {
  it('refused requests (malformed, 431, bad version) get their error body and are closed at once', async () => {
    const cases = [
      'GET / HTTP/1.1\r\nHost x\r\n\r\n',
      `GET / HTTP/1.1\r\nHost: x\r\nX-a: ${'a'.repeat(70_000)}\r\n\r\n`,
      'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
    ].map((p) => raw(s, p));
    await wait(1000);
    for (const c of cases) {
      expect(c.st.closed).toBe(true);
      expect(c.st.data).toMatch(/^HTTP\/1\.1 4\d\d [\s\S]*\r\n\r\n\{"error":/);
    }
  });

  it('Expect: 100-continue with no body, a partial body, and an empty connection are closed near the idle timeout', async () => {
    const cases = [
      `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\nExpect: 100-continue\r\nAuthorization: Bearer ${s.op.analyst.token}\r\n\r\n`,
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"q',
      '',
    ].map((p) => raw(s, p));
    await wait(IDLE_MS * 3);
    for (const c of cases) expect(c.st.closed).toBe(true);
  });

  it('a socket whose small answers the client never reads (GraphQL one byte a second; two pipelined feeds twice-pulled) is closed by the hub', async () => {
    const q = JSON.stringify({ query: '{ __schema { types { name } } }' });
    const port = Number(new URL(s.t.url).port);
    const a = raw(
      s,
      `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(q)}\r\nAuthorization: Bearer ${s.op.analyst.token}\r\n\r\n${q}`,
      false,
    );
    const b = raw(
      s,
      `GET /feeds/all.json HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${s.peer.feeds}\r\n\r\n`.repeat(
        2,
      ),
      false,
    );
    const iv = setInterval(() => a.sk.read(1), 1000);
    await wait(IDLE_MS * 6);
    clearInterval(iv);
    const ports = new Set([a.sk.localPort, b.sk.localPort]);
    const held = (await hubSideEstablished(port)).filter((p) => ports.has(p));
    a.sk.destroy();
    b.sk.destroy();
    expect(held).toEqual([]);
  });
});
