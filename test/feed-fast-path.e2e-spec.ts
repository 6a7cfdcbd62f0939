import { createHash } from 'node:crypto';
import { get, IncomingHttpHeaders } from 'node:http';
import { startTestHub, TestHub } from './support/test-hub';

/*
 * Repeated pulls of a firewall's token are answered from memory (FeedFastPath, ADR 0008/0040).
 * A feed's checksum file (`<feed>.sha256`, `.md5`) is pulled as often as the feed itself (a
 * firewall fetches the sum, then the body only when the sum changed). It changes exactly when its
 * body does, so it answers conditional requests like the body (304 to its own ETag or to
 * If-Modified-Since) and repeated pulls from memory, whatever encodings the client takes. A
 * change anywhere in the hub (at national scale, several a second) is checked against the
 * caller's lists there too, not by sending every firewall through the whole application.
 */

jest.setTimeout(180_000);

let t: TestHub;
let admin: string;
let listId: string;
let feeds: string;

async function must<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const r = await t.gql<T>(query, variables, admin);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!;
}

async function add(text: string, list = listId): Promise<void> {
  await must(
    'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { added } }',
    { l: list, i: { text } },
  );
}

beforeAll(async () => {
  t = await startTestHub();
  admin = (await t.bootstrapAdmin()).token;
  listId = (
    await must<{ createIndicatorList: { id: string } }>(
      'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
      { i: { name: 'Checksums', tlp: 'GREEN' } },
    )
  ).createIndicatorList.id;
  // 300 addresses: a body over 1 kB, which a client taking gzip is sent compressed.
  await add(
    Array.from({ length: 300 }, (_, i) => `77.1.${(i % 250) + 1}.${Math.floor(i / 250) + 1}`).join(
      '\n',
    ),
  );
  feeds = (
    await must<{ createApiToken: { token: string } }>(
      'mutation { createApiToken(input: { name: "firewall", scopes: ["feeds:read"] }) { token } }',
      {},
    )
  ).createApiToken.token;
});

afterAll(() => t?.stop());

function pull(path: string, headers: Record<string, string> = {}) {
  return fetch(`${t.url}/feeds/${path}`, {
    headers: { authorization: `Bearer ${feeds}`, ...headers },
  });
}

/** A pull with exactly these headers (fetch sets Accept-Encoding itself). */
function raw(
  path: string,
  headers: Record<string, string>,
): Promise<{ status?: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    get(
      `${t.url}/feeds/${path}`,
      { headers: { authorization: `Bearer ${feeds}`, ...headers } },
      (res) => {
        let body = '';
        res.setEncoding('latin1');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
        res.on('error', reject);
      },
    ).on('error', reject);
  });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('a feed checksum file', () => {
  it('answers 304 to its own ETag or If-Modified-Since, and the new sum after a change', async () => {
    const body = await (await pull('ipv4.txt')).text();
    expect(body.split('\n').filter(Boolean)).toHaveLength(300);
    const first = await pull('ipv4.txt.sha256');
    expect(first.status).toBe(200);
    expect(await first.text()).toBe(`${sha256(body)}\n`);
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^W\/".+-sha256"$/);
    expect(lastModified).toBeTruthy();

    const same = await pull('ipv4.txt.sha256', { 'if-none-match': etag });
    expect(same.status).toBe(304);
    expect(same.headers.get('etag')).toBe(etag);
    expect(await same.text()).toBe('');
    expect((await pull('ipv4.txt.sha256', { 'if-modified-since': lastModified })).status).toBe(304);
    // The body's ETag names the body, not its sum; the MD5 file has an ETag of its own.
    const bodyEtag = (await pull('ipv4.txt', { 'if-none-match': etag })).headers.get('etag')!;
    expect((await pull('ipv4.txt.sha256', { 'if-none-match': bodyEtag })).status).toBe(200);
    const md5 = await pull('ipv4.txt.md5');
    expect(md5.headers.get('etag')).not.toBe(etag);
    expect((await pull('ipv4.txt.md5', { 'if-none-match': md5.headers.get('etag')! })).status).toBe(
      304,
    );

    await add('77.2.0.1');
    const changed = await pull('ipv4.txt.sha256', { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    const newBody = await (await pull('ipv4.txt')).text();
    expect(newBody).toContain('77.2.0.1');
    expect(await changed.text()).toBe(`${sha256(newBody)}\n`);
  });

  it('is answered from memory when pulled again, also by a client that takes gzip', async () => {
    for (const encoding of ['gzip, deflate', 'identity']) {
      const first = await raw('ipv4.txt.sha256', { 'accept-encoding': encoding });
      expect(first.status).toBe(200);
      // The full path goes through the request logger, which names every request; the fast
      // path answers from memory without one. A notification of the change before can make
      // the next pull take the full path once more: at most 20 tries.
      let again = await raw('ipv4.txt.sha256', { 'accept-encoding': encoding });
      for (let i = 0; i < 20 && again.headers['x-request-id']; i++) {
        await new Promise((r) => setTimeout(r, 50));
        again = await raw('ipv4.txt.sha256', { 'accept-encoding': encoding });
      }
      expect(again.headers['x-request-id']).toBeUndefined();
      expect(again.headers['content-encoding']).toBeUndefined();
      expect(again.body).toBe(first.body);
      const conditional = await raw('ipv4.txt.sha256', {
        'accept-encoding': encoding,
        'if-none-match': String(first.headers.etag),
      });
      expect(conditional.status).toBe(304);
      expect(conditional.headers['x-request-id']).toBeUndefined();
    }
  });
});

describe('a pull after a change elsewhere in the hub', () => {
  it('is answered from memory: 304 when its feed stands, the new body when it changed', async () => {
    const other = (
      await must<{ createIndicatorList: { id: string } }>(
        'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
        { i: { name: 'Elsewhere', tlp: 'GREEN' } },
      )
    ).createIndicatorList.id;
    const path = `ipv4.txt?list=${listId}`;
    const first = await raw(path, {});
    expect(first.status).toBe(200);
    const etag = String(first.headers.etag);
    let again = await raw(path, { 'if-none-match': etag });
    for (let i = 0; i < 20 && again.headers['x-request-id']; i++) {
      await new Promise((r) => setTimeout(r, 50));
      again = await raw(path, { 'if-none-match': etag });
    }
    expect(again.status).toBe(304);
    expect(again.headers['x-request-id']).toBeUndefined();

    // Another list changes (this feed names one list): the same ETag, checked without the
    // application (which names every request it answers).
    for (let i = 1; i <= 3; i++) {
      await add(`77.3.0.${i}`, other);
      const after = await raw(path, { 'if-none-match': etag });
      expect(after.status).toBe(304);
      expect(after.headers.etag).toBe(etag);
      expect(after.headers['x-request-id']).toBeUndefined();
    }
    // Its own list changes: the new body, rendered and served the same way.
    await add('77.2.0.9');
    const changed = await raw(path, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.body).toContain('77.2.0.9');
    expect(changed.body).not.toContain('77.3.0.1');
    expect(changed.headers['x-request-id']).toBeUndefined();
  });
});
