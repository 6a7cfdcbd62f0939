import { createHash } from 'node:crypto';
import { get } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { startTestHub, TestHub } from './support/test-hub';

/*
 * Feeds are rendered, hashed, compressed and sent in pieces (ADR 0020): all.stix of more than a
 * million entries no longer fits one string. Here the pieces are made small (FEED_PIECE_BYTES)
 * so a list of a few thousand entries spans hundreds of them: the bodies must still be whole,
 * valid, byte for byte what their checksums and gzip forms say, and answered 304 when unchanged.
 */

jest.setTimeout(180_000);

const COUNT = 3000;
const PIECE = 512;

let t: TestHub;
let feeds: string;
// Clear of every range the hub never blocks (documentation and private networks).
const values = Array.from({ length: COUNT }, (_, i) => `77.${(i >> 8) & 255}.${i & 255}.7`);
const domains = ['evil.example', 'c2.bad.example', 'phish.example'];

beforeAll(async () => {
  t = await startTestHub({ FEED_PIECE_BYTES: String(PIECE) });
  const admin = (await t.bootstrapAdmin()).token;
  const must = async <T>(query: string, variables: Record<string, unknown>) => {
    const r = await t.gql<T>(query, variables, admin);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!;
  };
  const { createIndicatorList } = await must<{ createIndicatorList: { id: string } }>(
    'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
    { i: { name: 'Pieces', tlp: 'GREEN' } },
  );
  // Shuffled, so the feed's order is the sort's work, not the input's.
  const shuffled = [...values, ...domains].sort(
    (a, b) => createHash('md5').update(a).digest()[0] - createHash('md5').update(b).digest()[0],
  );
  await must(
    'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { added } }',
    { l: createIndicatorList.id, i: { text: shuffled.join('\n') } },
  );
  const { createApiToken } = await must<{ createApiToken: { token: string } }>(
    'mutation { createApiToken(input: { name: "firewall", scopes: ["feeds:read"] }) { token } }',
    {},
  );
  feeds = createApiToken.token;
});

afterAll(() => t?.stop());

async function pull(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${t.url}/feeds/${path}`, {
    headers: { authorization: `Bearer ${feeds}`, ...headers },
  });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** The bytes as sent (fetch would ask for gzip and decode it). */
function raw(
  path: string,
  encoding = 'identity',
): Promise<{ encoding?: string; length: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(
      `${t.url}/feeds/${path}`,
      { headers: { authorization: `Bearer ${feeds}`, 'accept-encoding': encoding } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            encoding: res.headers['content-encoding'],
            length: Number(res.headers['content-length']),
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    ).on('error', reject);
  });
}

/** The numeric order of the feeds (IPv4 by address), without the hub's code. */
function byAddress(a: string, b: string): number {
  const n = (v: string) => v.split('.').reduce((x, o) => x * 256 + Number(o), 0);
  return n(a) - n(b);
}

describe('a feed larger than one piece', () => {
  it('serves all.stix as one valid bundle holding every entry, whole', async () => {
    const { length, body: bytes } = await raw('all.stix');
    expect(length).toBe(bytes.length);
    expect(bytes.length).toBeGreaterThan(100 * PIECE);
    const bundle = JSON.parse(bytes.toString('utf8'));
    expect(bundle.type).toBe('bundle');
    const indicators = bundle.objects.filter((o: { type: string }) => o.type === 'indicator');
    expect(indicators).toHaveLength(COUNT + domains.length);
    const names = indicators.map((o: { name: string }) => o.name).sort();
    expect(names).toEqual([...values, ...domains].sort());
    expect(new Set(bundle.objects.map((o: { id: string }) => o.id)).size).toBe(
      bundle.objects.length,
    );
  });

  it('serves the text feed in order, and its checksum and gzip form are of the same bytes', async () => {
    const { res, bytes } = await pull('ipv4.txt');
    expect(res.status).toBe(200);
    expect(bytes.toString('utf8')).toBe([...values].sort(byAddress).join('\n') + '\n');
    const sum = await pull('ipv4.txt.sha256');
    expect(sum.bytes.toString('utf8')).toBe(
      `${createHash('sha256').update(bytes).digest('hex')}\n`,
    );
    const zipped = await raw('ipv4.txt', 'gzip');
    expect(zipped.encoding).toBe('gzip');
    expect(zipped.body.length).toBe(zipped.length);
    expect(gunzipSync(zipped.body)).toEqual(bytes);
    const again = await pull('ipv4.txt', { 'if-none-match': res.headers.get('etag')! });
    expect(again.res.status).toBe(304);
  });

  it('serves CSV and JSON whole', async () => {
    const csv = (await pull('ipv4.csv')).bytes.toString('utf8').split('\n');
    expect(csv[0]).toMatch(/^value,type,/);
    expect(csv.slice(1, -1).map((l) => l.split(',')[0])).toEqual([...values].sort(byAddress));
    const json = JSON.parse((await pull('all.json')).bytes.toString('utf8'));
    expect(json.count).toBe(COUNT + domains.length);
    expect(json.entries).toHaveLength(COUNT + domains.length);
  });
});
