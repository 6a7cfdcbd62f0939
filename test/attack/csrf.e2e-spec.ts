import { ADD, createList, gq, Scene, scene } from './support';

/*
 * Cookie-authenticated writes from another site (ADR 0023): the requests a hostile page makes
 * a member's browser send, headers as Chromium sets them, the session cookie riding along. Both
 * write surfaces: GraphQL and the REST bulk import of a blocklist. A test that FAILS is a
 * finding.
 */

jest.setTimeout(300_000);

let s: Scene;
let list: string;

beforeAll(async () => {
  s = await scene({ FEED_REVIEW_GROWTH_PERCENT: '100000' });
  list = await createList(s.t, s.op.analyst.token, 'csrf target');
});
afterAll(async () => {
  await s?.t.stop();
});

const browsers: [string, Record<string, string>][] = [
  ['a cross-site form', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }],
  ['a sibling subdomain', { 'sec-fetch-site': 'same-site', origin: 'https://evil.hub.example' }],
  ['a sandboxed frame (Origin: null, no Sec-Fetch-Site)', { origin: 'null' }],
  ['an old browser (Origin only)', { origin: 'https://evil.example' }],
];

async function entries(): Promise<number> {
  const r = await gq(
    s.t,
    'query($id: ID!) { indicatorList(id: $id) { entries(first: 100) { totalCount } } }',
    { id: list },
    s.op.analyst.token,
  );
  return r.indicatorList?.entries?.totalCount ?? -1;
}

describe('a hostile page writing with the session cookie', () => {
  it.each(browsers)('GraphQL as text/plain from %s is refused', async (_name, headers) => {
    const before = await entries();
    const res = await fetch(`${s.t.url}/graphql`, {
      method: 'POST',
      headers: {
        ...headers,
        cookie: `renkei_session=${s.op.analyst.token}`,
        'content-type': 'text/plain;charset=UTF-8',
      },
      body: JSON.stringify({ query: ADD, variables: { l: list, i: { text: '198.51.100.7' } } }),
    });
    const text = await res.text();
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(text).toMatch(/"code":"[A-Z_]+"/);
    expect(await entries()).toBe(before);
  });

  it.each(browsers)('GraphQL as JSON from %s is refused', async (_name, headers) => {
    const before = await entries();
    const res = await fetch(`${s.t.url}/graphql`, {
      method: 'POST',
      headers: {
        ...headers,
        cookie: `renkei_session=${s.op.analyst.token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ query: ADD, variables: { l: list, i: { text: '198.51.100.8' } } }),
    });
    const text = await res.text();
    expect(text).toContain('CROSS_SITE_REQUEST');
    expect(await entries()).toBe(before);
  });

  it.each(browsers)('the REST bulk import from %s is refused', async (_name, headers) => {
    const before = await entries();
    const res = await fetch(`${s.t.url}/api/lists/${list}/entries`, {
      method: 'POST',
      headers: {
        ...headers,
        cookie: `renkei_session=${s.op.analyst.token}`,
        'content-type': 'text/plain',
      },
      body: '198.51.100.9\n',
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('CROSS_SITE_REQUEST');
    expect(await entries()).toBe(before);
  });

  it('a write from the hub’s own page goes through (the control)', async () => {
    const before = await entries();
    const res = await fetch(`${s.t.url}/api/lists/${list}/entries`, {
      method: 'POST',
      headers: {
        'sec-fetch-site': 'same-origin',
        cookie: `renkei_session=${s.op.analyst.token}`,
        'content-type': 'text/plain',
      },
      body: '198.51.100.10\n',
    });
    expect(res.status).toBeLessThan(300);
    expect(await entries()).toBe(before + 1);
  });
});
