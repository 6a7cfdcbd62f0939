import { aggregate } from '../libs/indicators/src/feeds/cidr-aggregate';
import { createOrg, member } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';

/*
 * The address feeds in text come from PostgreSQL's sorted stream (ADR 0031); every other feed
 * is still read and shaped in the hub (ADR 0020). The CSV feed of the same request is the
 * shaped path's answer: its value column must be the text feed, line for line, on random lists
 * that overlap, carry their own confidences, cross the hub's allowed ranges and an
 * organisation's own range, for each reader, with min_confidence, parts and max. And the
 * stream reads under the reader's scope: a list a token cannot see gives it nothing, not even
 * a changed ETag.
 */

jest.setTimeout(240_000);

const SEED = Number(process.env.FEED_STREAM_SEED ?? Date.now() % 100_000);

let t: TestHub;
let admin: string;
const tokens: Record<'kanto' | 'tohoku', string> = { kanto: '', tohoku: '' };
let amberId = '';
const amberOnly: string[] = [];

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
) {
  const { createIndicatorList } = await must<{ createIndicatorList: { id: string } }>(
    'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
    { i: { name, tlp, ...(audience ? { audience } : {}) } },
    admin,
  );
  const csv = ['value,confidence', ...lines.map((v) => `${v},${Math.floor(rnd() * 101)}`)];
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

async function pull(who: keyof typeof tokens, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${t.url}/feeds/${path}`, {
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
  const base = [0x0b000000, 0x0b040000, 0x08080000, 0x4d000000];
  const shared = values(rnd, 120, base);
  await list('Stream A', 'GREEN', [...shared, ...values(rnd, 60, base)], rnd);
  await list(
    'Stream B',
    'CLEAR',
    [...shared.filter(() => rnd() < 0.5), ...values(rnd, 60, base)],
    rnd,
  );
  // Only Kanto may read this one; its own values are in 12.0.0.0/8, which no other list uses.
  amberOnly.push(...values(rnd, 40, [0x0c000000]).filter((v) => !v.includes(':')));
  amberId = await list('Stream amber', 'AMBER', [...amberOnly, ...shared.slice(0, 20)], rnd, {
    organisationIds: [kanto],
  });
});

afterAll(() => t?.stop());

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
  ];

  it.each(['kanto', 'tohoku'] as const)(
    'give %s the value column of the CSV feed of the same request, line for line',
    async (who) => {
      let lines = 0;
      for (const template of requests) {
        const path = template.replace('AMBER', amberId);
        const txt = await pull(who, path);
        const csv = await pull(who, path.replace('.txt', '.csv'));
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

  it('gives a reader nothing of a list it cannot see, in the body or the ETag', async () => {
    const kanto = (await pull('kanto', 'ip.txt')).text.split('\n');
    const tohoku = await pull('tohoku', 'ip.txt');
    expect(amberOnly.some((v) => kanto.includes(v))).toBe(true);
    expect(amberOnly.filter((v) => tohoku.text.split('\n').includes(v))).toEqual([]);
    expect((await pull('tohoku', `ip.txt?list=${amberId}`)).text).toBe('');
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
    expect((await pull('kanto', 'ip.txt')).text.split('\n')).toContain('12.200.0.1');
  });
});
