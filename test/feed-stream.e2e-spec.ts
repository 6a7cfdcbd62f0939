import { aggregate } from '../libs/indicators/src/feeds/cidr-aggregate';
import { createOrg, member } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';

/*
 * The text, CSV and JSON feeds come from PostgreSQL's sorted stream (ADR 0031, 0037). A second
 * hub on the same database renders every feed the shaped way (ADR 0020, FEED_RENDER=shaped):
 * its answers are the reference. On random lists that overlap, carry their own confidences,
 * times and tags (Japanese, quoted, a backslash), cross the hub's allowed ranges and an
 * organisation's own range, anonymous and named, for each reader (two members, who are shown
 * anonymous lists' times rounded, and the lists' own organisation, shown them exact), with
 * min_confidence, parts and max: the text feed is the value column of the shaped CSV, line for
 * line, and the streamed CSV and JSON are the shaped ones byte for byte. And the stream reads
 * under the reader's scope: a list a token cannot see gives it nothing, not even a changed ETag.
 */

jest.setTimeout(240_000);

const SEED = Number(process.env.FEED_STREAM_SEED ?? Date.now() % 100_000);

let t: TestHub;
let shaped: TestHub;
let admin: string;
const tokens: Record<'kanto' | 'tohoku' | 'own', string> = { kanto: '', tohoku: '', own: '' };
let amberId = '';
const amberOnly: string[] = [];
let amberValuesId = '';
const amberValues: string[] = [];

/** A small deterministic generator, so a failure can be run again with its seed. */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function v4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Canonical addresses and blocks near 11.0.0.0/20 (Kanto's own range) and 8.8.8.8. */
function values(rnd: () => number, count: number, base: number[]): string[] {
  const out = new Set<string>();
  while (out.size < count) {
    const b = base[Math.floor(rnd() * base.length)];
    const n = (b + Math.floor(rnd() * 0x40000)) >>> 0;
    const prefix = rnd() < 0.7 ? 32 : 14 + Math.floor(rnd() * 18);
    const masked = (n & ((0xffffffff << (32 - prefix)) >>> 0)) >>> 0;
    out.add(prefix === 32 ? v4(masked) : `${v4(masked)}/${prefix}`);
  }
  if (rnd() < 0.5) out.add('2a00:1450:4001::/48');
  out.add(`2a00:1450::${Math.floor(rnd() * 0xffff).toString(16)}`);
  return [...out];
}

/** Domains, URLs, e-mail addresses and hashes of every kind, canonical as the hub stores them. */
function otherValues(rnd: () => number, count: number, tag: string): string[] {
  const out = new Set<string>();
  const hex = (n: number) =>
    Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('');
  const word = () => Math.floor(rnd() * 36 ** 4).toString(36);
  while (out.size < count) {
    const host = `${word()}${rnd() < 0.3 ? '-' + word() : ''}.${tag}.example`;
    const pick = Math.floor(rnd() * 6);
    if (pick === 0) out.add(host);
    else if (pick === 1) out.add(`http://${host}/${word()}?id=${word()}`);
    else if (pick === 2) out.add(`${word()}.${word()}@${host}`);
    else out.add(hex([32, 40, 64][pick - 3]));
  }
  return [...out];
}

/** A first and last sighting in the past two months, to the millisecond (or none). */
function seen(rnd: () => number): string {
  if (rnd() < 0.2) return ',';
  const last = Date.now() - Math.floor(rnd() * 60 * 86_400_000);
  const first = last - Math.floor(rnd() * 30 * 86_400_000);
  return `${new Date(first).toISOString()},${new Date(last).toISOString()}`;
}

/** Tags as the CSV import reads them (split at ; or |), some that CSV and JSON must escape. */
const TAGS = [
  'botnet',
  'フィッシング',
  'c2,relay',
  'say "hi"',
  '=cmd()',
  '-dash',
  'back\\slash',
  'scan',
];

function tagsCell(rnd: () => number): string {
  if (rnd() < 0.3) return '';
  const tags = TAGS.filter(() => rnd() < 0.3);
  return `"${tags.join(';').replace(/"/g, '""')}"`;
}

async function must<T>(query: string, variables: Record<string, unknown>, token: string) {
  const r = await t.gql<T>(query, variables, token);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!;
}

async function list(
  name: string,
  tlp: string,
  lines: string[],
  rnd: () => number,
  audience?: Record<string, unknown>,
  anonymous = true,
) {
  const { createIndicatorList } = await must<{ createIndicatorList: { id: string } }>(
    'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
    { i: { name, tlp, anonymous, ...(audience ? { audience } : {}) } },
    admin,
  );
  const csv = [
    'value,confidence,first_seen,last_seen,tags',
    ...lines.map((v) => `${v},${Math.floor(rnd() * 101)},${seen(rnd)},${tagsCell(rnd)}`),
  ];
  await must(
    'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { added } }',
    { l: createIndicatorList.id, i: { format: 'CSV', text: csv.join('\n'), partial: true } },
    admin,
  );
  await approveHeld();
  return createIndicatorList.id;
}

/** Changes the feed guard holds for review (ADR 0012) are released, as a coordinator would. */
async function approveHeld() {
  const { feedReviews } = await must<{ feedReviews: { changeId: number }[] }>(
    '{ feedReviews(state: HELD) { changeId } }',
    {},
    admin,
  );
  for (const { changeId } of feedReviews) {
    await must(
      'mutation($c: Int!) { approveFeedChange(changeId: $c, note: "test") { state } }',
      { c: changeId },
      admin,
    );
  }
}

async function pull(
  who: keyof typeof tokens,
  path: string,
  headers: Record<string, string> = {},
  hub = t,
) {
  const res = await fetch(`${hub.url}/feeds/${path}`, {
    headers: { authorization: `Bearer ${tokens[who]}`, ...headers },
  });
  return { res, text: await res.text() };
}

beforeAll(async () => {
  t = await startTestHub();
  admin = (await t.bootstrapAdmin()).token;
  const rnd = random(SEED);
  const kanto = await createOrg(t, admin, {
    name: 'Kanto Electric',
    sectorCode: 'electric-power',
    addressRanges: ['11.0.0.0/20'],
  });
  const tohoku = await createOrg(t, admin, { name: 'Tohoku Gas', sectorCode: 'gas' });
  for (const [who, org] of [
    ['kanto', kanto],
    ['tohoku', tohoku],
  ] as const) {
    const m = await member(t, admin, org, `admin@${who}.example`, 'ORG_ADMIN');
    const r = await must<{ createApiToken: { token: string } }>(
      'mutation { createApiToken(input: { name: "firewall", scopes: ["feeds:read"] }) { token } }',
      {},
      m.token,
    );
    tokens[who] = r.createApiToken.token;
  }
  // The lists' own organisation: it is shown its anonymous lists' times exact.
  tokens.own = (
    await must<{ createApiToken: { token: string } }>(
      'mutation { createApiToken(input: { name: "firewall", scopes: ["feeds:read"] }) { token } }',
      {},
      admin,
    )
  ).createApiToken.token;
  const base = [0x0b000000, 0x0b040000, 0x08080000, 0x4d000000];
  const shared = values(rnd, 120, base);
  await list('Stream A', 'GREEN', [...shared, ...values(rnd, 60, base)], rnd);
  // Named: every reader is shown its times exact (the other lists are anonymous, the default).
  await list(
    'Stream B',
    'CLEAR',
    [...shared.filter(() => rnd() < 0.5), ...values(rnd, 60, base)],
    rnd,
    undefined,
    false,
  );
  // Only Kanto may read this one; its own values are in 12.0.0.0/8, which no other list uses.
  amberOnly.push(...values(rnd, 40, [0x0c000000]).filter((v) => !v.includes(':')));
  amberId = await list('Stream amber', 'AMBER', [...amberOnly, ...shared.slice(0, 20)], rnd, {
    organisationIds: [kanto],
  });
  const sharedValues = otherValues(rnd, 150, 'shared');
  await list('Values A', 'GREEN', [...sharedValues, ...otherValues(rnd, 80, 'a')], rnd);
  await list(
    'Values B',
    'CLEAR',
    [...sharedValues.filter(() => rnd() < 0.5), ...otherValues(rnd, 80, 'b')],
    rnd,
  );
  // Kanto's only: its URL keeps a backslash, which COPY's text format would escape, so Kanto's
  // url.txt is rendered the shaped way and Tohoku's from the stream.
  amberValues.push(
    ...otherValues(rnd, 40, 'amber'),
    'only.amber.example',
    'kanto@only.amber.example',
    'http://amber.example/p?q=a\\b',
  );
  amberValuesId = await list(
    'Values amber',
    'AMBER',
    [...amberValues, ...sharedValues.slice(0, 20)],
    rnd,
    { organisationIds: [kanto] },
  );
  shaped = await startTestHub({ FEED_RENDER: 'shaped' }, t.databaseUrl);
});

afterAll(async () => {
  await shaped?.stop();
  await t?.stop();
});

describe(`address feeds in text from the database's stream (seed ${SEED})`, () => {
  const requests = [
    'ip.txt',
    'ipv4.txt',
    'ipv6.txt',
    'ip.txt?min_confidence=40',
    'ipv4.txt?min_confidence=85',
    'ip.txt?parts=3&part=1',
    'ip.txt?parts=3&part=3',
    'ipv4.txt?max=25',
    'ip.txt?max=10&parts=2&part=2&min_confidence=20',
    'ip.txt?list=AMBER',
    'domain.txt',
    'url.txt',
    'email.txt',
    'hash.txt',
    'hash.txt?min_confidence=60',
    'domain.txt?parts=3&part=2',
    'hash.txt?parts=2&part=1&max=30',
    'url.txt?max=15',
    'email.txt?list=VALUES',
    'url.txt?list=VALUES&min_confidence=30',
    'all.txt',
    'all.txt?parts=3&part=1&min_confidence=30',
    'all.txt?max=ALLMAX',
    'all.txt?parts=2&part=2&min_confidence=50',
    'all.txt?list=AMBER&max=5',
    'all.txt?list=VALUES&max=30',
    'all.txt?max=5',
  ];

  it.each(['kanto', 'tohoku', 'own'] as const)(
    'give %s the value column of the shaped CSV feed of the same request, line for line',
    async (who) => {
      let lines = 0;
      // all.txt cut by max among its other kinds, after every address.
      const addresses = (await pull(who, 'ip.txt')).text.split('\n').length - 1;
      for (const template of requests) {
        const path = template
          .replace('AMBER', amberId)
          .replace('VALUES', amberValuesId)
          .replace('ALLMAX', String(addresses + 37));
        const txt = await pull(who, path);
        const csv = await pull(who, path.replace('.txt', '.csv'), {}, shaped);
        expect([path, txt.res.status]).toEqual([path, 200]);
        const column = csv.text
          .split('\n')
          .slice(1)
          .filter(Boolean)
          .map((l) => l.split(',')[0]);
        expect([path, txt.text]).toEqual([path, column.map((v) => `${v}\n`).join('')]);
        for (const header of ['x-feed-entries', 'x-feed-omitted']) {
          expect([path, header, txt.res.headers.get(header)]).toEqual([
            path,
            header,
            csv.res.headers.get(header),
          ]);
        }
        lines += column.length;
      }
      // Sanity: the requests above served something, and cut something.
      expect(lines).toBeGreaterThan(100);
    },
  );

  it.each(['kanto', 'tohoku', 'own'] as const)(
    'give %s the bytes of the shaped CSV, JSON and STIX feeds of the same request',
    async (who) => {
      let lines = 0;
      const fellBack = () => t.output.join('').split("the database's stream cannot").length - 1;
      const before = fellBack();
      const addresses = (await pull(who, 'ip.txt')).text.split('\n').length - 1;
      // JSON says when it was generated, and a STIX bundle's id hashes when: the one part of the
      // bytes that differs.
      const at = (text: string) =>
        text
          .replace(/^\{"generated_at":"[^"]*"/, '{"generated_at":""')
          .replace(/^\{"type":"bundle","id":"[^"]*"/, '{"type":"bundle","id":""');
      for (const template of requests) {
        for (const format of ['csv', 'json', 'stix']) {
          const path = template
            .replace('AMBER', amberId)
            .replace('VALUES', amberValuesId)
            .replace('ALLMAX', String(addresses + 37))
            .replace('.txt', `.${format}`);
          const streamed = await pull(who, path);
          const reference = await pull(who, path, {}, shaped);
          expect([path, streamed.res.status]).toEqual([path, 200]);
          expect([path, at(streamed.text)]).toEqual([path, at(reference.text)]);
          // The ETag carries the first expiry: the two paths must find the same one.
          for (const header of ['x-feed-entries', 'x-feed-omitted', 'etag']) {
            expect([path, header, streamed.res.headers.get(header)]).toEqual([
              path,
              header,
              reference.res.headers.get(header),
            ]);
          }
          lines += Number(streamed.res.headers.get('x-feed-entries'));
        }
      }
      expect(lines).toBeGreaterThan(100);
      // Rendered from the stream (a piece of a cut block that is also listed falls back: these
      // lists crowd blocks around allowed and own ranges, so some requests do).
      expect(fellBack() - before).toBeLessThan(requests.length * 3);
      // What the comparison is about was there: escaped tags, rounded and exact times.
      const all = (await pull(who, 'all.csv')).text;
      const json = (await pull(who, 'all.json')).text;
      expect(all).toContain('フィッシング');
      expect(all).toContain('say ""hi""');
      expect(all).toContain("'=cmd()");
      expect(all).toContain('back\\slash');
      expect(json).toContain('say \\"hi\\"');
      expect(json).toContain('back\\\\slash');
      const millis = [...all.matchAll(/T\d\d:\d\d:\d\d\.(\d{3})Z/g)].map((m) => m[1]);
      expect(millis.some((ms) => ms !== '000')).toBe(true);
      if (who !== 'own') expect(all).toMatch(/T\d\d:00:00\.000Z/);
    },
  );

  it.each(['kanto', 'tohoku'] as const)(
    'give %s with aggregate=true the fewest blocks of what the feed without it lists',
    async (who) => {
      for (const path of ['ip.txt', 'ipv4.txt?parts=3&part=2', 'ip.txt?min_confidence=40']) {
        const plain = (await pull(who, path)).text.split('\n').filter(Boolean);
        const sep = path.includes('?') ? '&' : '?';
        const joined = await pull(who, `${path}${sep}aggregate=true`);
        const { v4, v6 } = aggregate(plain);
        expect([path, joined.text]).toEqual([path, [...v4, ...v6].map((b) => `${b}\n`).join('')]);
      }
    },
  );

  it('gives a reader no domain, URL, address or hash of a list it cannot see', async () => {
    for (const kind of ['domain', 'url', 'email', 'hash']) {
      const kanto = (await pull('kanto', `${kind}.txt`)).text.split('\n');
      const tohoku = (await pull('tohoku', `${kind}.txt`)).text.split('\n');
      expect([kind, amberValues.some((v) => kanto.includes(v))]).toEqual([kind, true]);
      expect([kind, amberValues.filter((v) => tohoku.includes(v))]).toEqual([kind, []]);
      expect((await pull('tohoku', `${kind}.txt?list=${amberValuesId}`)).text).toBe('');
    }
  });

  it('gives a reader nothing of a list it cannot see, in text, CSV, JSON or the ETag', async () => {
    const kanto = (await pull('kanto', 'ip.txt')).text.split('\n');
    const tohoku = await pull('tohoku', 'ip.txt');
    expect(amberOnly.some((v) => kanto.includes(v))).toBe(true);
    expect(amberOnly.filter((v) => tohoku.text.split('\n').includes(v))).toEqual([]);
    expect((await pull('tohoku', `ip.txt?list=${amberId}`)).text).toBe('');
    const etags: Record<string, string> = {};
    for (const path of ['all.csv', 'all.json', 'ip.csv', 'ipv4.json']) {
      const kantoFeed = (await pull('kanto', path)).text;
      const tohokuFeed = await pull('tohoku', path);
      etags[path] = tohokuFeed.res.headers.get('etag')!;
      const seen = (text: string, v: string) =>
        path.endsWith('.csv') ? text.includes(`\n${v},`) : text.includes(`"value":"${v}"`);
      expect([path, amberOnly.some((v) => seen(kantoFeed, v))]).toEqual([path, true]);
      expect([path, amberOnly.filter((v) => seen(tohokuFeed.text, v))]).toEqual([path, []]);
      if (path.startsWith('all')) {
        expect([path, amberValues.filter((v) => seen(tohokuFeed.text, v))]).toEqual([path, []]);
      }
      // No address of the list (12.x.x.x) — matched as an address: a generated_at whose seconds
      // are 12 (`…:12.359Z`) once made a substring check fail.
      expect((await pull('tohoku', `${path}?list=${amberId}`)).text).not.toMatch(
        /(^|[^\d:.])12\.\d+\.\d+\.\d+/m,
      );
    }
    // A change to the invisible list changes nothing Tohoku is told.
    const etag = tohoku.res.headers.get('etag')!;
    await must(
      'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { added } }',
      { l: amberId, i: { text: '12.200.0.1' } },
      admin,
    );
    await approveHeld();
    const again = await pull('tohoku', 'ip.txt', { 'if-none-match': etag });
    expect(again.res.status).toBe(304);
    for (const [path, tag] of Object.entries(etags)) {
      const next = await pull('tohoku', path, { 'if-none-match': tag });
      expect([path, next.res.status]).toEqual([path, 304]);
    }
    expect((await pull('kanto', 'ip.txt')).text.split('\n')).toContain('12.200.0.1');
  });
});
