import { ADD, createList, gq, Json, postEntries, prefixOf, pull, Scene, scene } from './support';

/*
 * Attacks on the fixes made after the first attack pass (ADR 0012, "After the outside attack
 * pass"): the 24-hour window, stops that withhold what overlaps them, URLs on protected
 * addresses, and feeds that must keep answering. A hostile member with an analyst session and an
 * indicators:write token; only one organisation is the attacker's. A test that FAILS is a
 * finding: it states the secure behaviour.
 */

jest.setTimeout(300_000);

let s: Scene;

beforeAll(async () => {
  // Growth is judged separately (FEED_REVIEW_GROWTH_PERCENT); turned off so that only the
  // address-count limit and its 24-hour window decide.
  s = await scene({ FEED_REVIEW_GROWTH_PERCENT: '100000' });
  // Growth "from nothing" is always held: the peer's /12, approved, makes the feeds non-empty.
  const seed = await createList(s.t, s.peer.analyst.token, 'peer seed');
  const r = (await gq(s.t, ADD, { l: seed, i: { text: '60.0.0.0/12' } }, s.peer.analyst.token))
    .addListEntries;
  if (r.held) {
    await gq(
      s.t,
      'mutation($c: Int!) { approveFeedChange(changeId: $c) { state } }',
      { c: r.held.changeId },
      s.admin,
    );
  }
});
afterAll(async () => {
  await s?.t.stop();
});

const add = async (listId: string, input: Json) =>
  (await gq(s.t, ADD, { l: listId, i: input }, s.op.analyst.token)).addListEntries;

const stop = async (value: string) => {
  const r = await gq(
    s.t,
    'mutation($i: FeedStopInput!) { stopInFeeds(input: $i) { id } }',
    { i: { kind: 'VALUE', value, reason: 'false positive' } },
    s.admin,
  );
  return r;
};

/** Sum of IPv4 addresses in a plain address feed. */
const v4Addresses = (text: string, prefix: string) =>
  text
    .split('\n')
    .filter((x) => x.startsWith(prefix))
    .reduce((n, x) => n + 2 ** (32 - prefixOf(x)), 0);

describe('the 24-hour window', () => {
  it('holds: two /12s in two lists of one organisation: the second is held', async () => {
    const a = await createList(s.t, s.op.analyst.token, 'w a');
    const b = await createList(s.t, s.op.analyst.token, 'w b');
    const r1 = await add(a, { text: '70.0.0.0/12' });
    const r2 = await add(b, { text: '70.16.0.0/12' });
    expect(r1.held).toBeFalsy();
    expect(r2.held).toBeTruthy();
    const feed = (await pull(s.t, '/feeds/ipv4.txt', s.peer.feeds)).text;
    expect(v4Addresses(feed, '70.')).toBeLessThanOrEqual(2 ** 20);
  });

  it('holds: a private list filled first, then widened to the sector, does not bring a /9 to peers unreviewed', async () => {
    // The organisation's window is already full (previous test); a list only the organisation
    // sees reaches no peer's feed, so its changes may not be judged at all.
    const l = await createList(s.t, s.op.analyst.token, 'private first', {
      tlp: 'AMBER',
      audience: { organisationIds: [s.op.org] },
    });
    let held = 0;
    for (let i = 0; i < 8; i++) {
      const r = await add(l, { text: `71.${i * 16}.0.0/12` });
      if (r.held) held++;
    }
    const u = await gq(
      s.t,
      'mutation($id: ID!, $i: IndicatorListInput!) { updateIndicatorList(id: $id, input: $i) { tlp } }',
      { id: l, i: { tlp: 'GREEN', audience: { sectorCodes: ['electric-power'] } } },
      s.op.analyst.token,
    );
    const feed = (await pull(s.t, '/feeds/ipv4.txt?aggregate=true', s.peer.feeds)).text;
    const served = v4Addresses(feed, '71.');
    // Secure: more than 2^20 addresses never reach a peer unreviewed, whatever the order of
    // filling and widening.
    expect({ held: held > 0 || !u.updateIndicatorList, served: served <= 2 ** 20 }).toEqual({
      held: true,
      served: true,
    });
  });

  it('holds: ranges first posted in a TLP:RED list are not free when re-posted to a GREEN list', async () => {
    const red = await createList(s.t, s.op.analyst.token, 'red first', {
      tlp: 'RED',
      audience: { redRecipientEmails: ['soc@kanto.example'] },
    });
    for (let i = 0; i < 4; i++) await add(red, { text: `72.${i * 16}.0.0/12` });
    const g = await createList(s.t, s.op.analyst.token, 'green repost');
    let held = 0;
    for (let i = 0; i < 4; i++) {
      const r = await add(g, { text: `72.${i * 16}.0.0/12` });
      if (r.held) held++;
    }
    const feed = (await pull(s.t, '/feeds/ipv4.txt?aggregate=true', s.peer.feeds)).text;
    expect(v4Addresses(feed, '72.')).toBeLessThanOrEqual(2 ** 20);
    expect(held).toBeGreaterThan(0);
  });

  it('holds: removing and re-adding a range counts it again (not free as "not its first batch")', async () => {
    const l = await createList(s.t, s.op.analyst.token, 'remove readd');
    const l2 = await createList(s.t, s.op.analyst.token, 'remove readd 2');
    const r1 = await add(l, { text: '73.0.0.0/12' });
    await gq(
      s.t,
      'mutation($l: ID!, $v: [String!]!) { removeListEntries(listId: $l, values: $v) { __typename } }',
      { l, v: ['73.0.0.0/12'] },
      s.op.analyst.token,
    );
    const r2 = await add(l2, { text: '73.0.0.0/12' });
    const r3 = await add(l2, { text: '73.16.0.0/12' });
    const feed = (await pull(s.t, '/feeds/ipv4.txt?aggregate=true', s.peer.feeds)).text;
    expect({ any: [r1.held, r2.held, r3.held].some(Boolean) }).toEqual({ any: true });
    expect(v4Addresses(feed, '73.')).toBeLessThanOrEqual(2 ** 20);
  });

  it('holds: a range whose first change a coordinator refused is not free when re-posted in another list', async () => {
    const l = await createList(s.t, s.op.analyst.token, 'refused first');
    const r1 = await add(l, { text: '75.0.0.0/12' });
    expect(r1.held).toBeTruthy();
    const ref = await gq(
      s.t,
      'mutation($c: Int!) { refuseFeedChange(changeId: $c, note: "no") { state } }',
      { c: r1.held.changeId },
      s.admin,
    );
    expect(ref.refuseFeedChange.state).toBe('REFUSED');
    const l2 = await createList(s.t, s.op.analyst.token, 'refused repost');
    const r2 = await add(l2, { text: '75.0.0.0/12' });
    const r3 = await add(l, { text: '75.0.0.0/12', partial: true });
    const feed = (await pull(s.t, '/feeds/ipv4.txt', s.peer.feeds)).text;
    // Secure: what the coordinator refused reaches no firewall without a new review.
    expect(r1.held && r3.applied).toBeTruthy();
    expect({ r2: !!r2.held, served: v4Addresses(feed, '75.') }).toEqual({ r2: true, served: 0 });
  });

  it('holds: four IPv6 /30s in four lists (a /28) are not all released inside the window', async () => {
    let held = 0;
    for (let i = 0; i < 4; i++) {
      const l = await createList(s.t, s.op.analyst.token, `v6 w ${i}`);
      const r = await add(l, { text: `2a11:${(i * 4).toString(16)}::/30` });
      if (r.held) held++;
    }
    expect(held).toBeGreaterThanOrEqual(2);
  });

  it('single addresses across several imports do not add up to more than 2^20 addresses unreviewed', async () => {
    // Each import below is far under the per-change limit; the window used to count ranges only.
    // 17 imports of 65,536 single addresses (one /16 each) = 1,114,112 addresses > 2^20.
    let held = 0;
    for (let b = 0; b < 17; b++) {
      const l = await createList(s.t, s.op.analyst.token, `singles ${b}`);
      const lines: string[] = [];
      for (let c = 0; c < 256; c++) for (let d = 0; d < 256; d++) lines.push(`77.${b}.${c}.${d}`);
      const r = await postEntries(s.t, s.op.writer, l, lines.join('\n'), 'text/plain');
      expect(r.status).toBe(200);
      if (JSON.parse(r.text).held) held++;
    }
    const feed = (await pull(s.t, '/feeds/ipv4.txt?aggregate=true', s.peer.feeds)).text;
    // Before: no import held; the aggregate feed serves 77.0.0.0/12 and 77.16.0.0/16 to every
    // member's firewall. Secure: the window counts single addresses too (or a review is asked).
    expect({ held: held > 0, served: v4Addresses(feed, '77.') <= 2 ** 20 }).toEqual({
      held: true,
      served: true,
    });
  });

  it('holds: overlapping ranges (a /12 inside an already-served /12 and a neighbour) do not slip a second /12 through', async () => {
    const l = await createList(s.t, s.op.analyst.token, 'overlap');
    await add(l, { text: '74.0.0.0/13\n74.8.0.0/13' });
    await add(l, { text: '74.0.0.0/12\n74.4.0.0/14\n74.16.0.0/13\n74.24.0.0/13', partial: true });
    const feed = (await pull(s.t, '/feeds/ipv4.txt?aggregate=true', s.peer.feeds)).text;
    expect(v4Addresses(feed, '74.')).toBeLessThanOrEqual(2 ** 20);
  });
});

describe('stops withhold what overlaps them', () => {
  beforeAll(async () => {
    const l = await createList(s.t, s.op.analyst.token, 'to stop');
    await add(l, { text: '80.1.2.3\nstopped.example\n80.2.0.0/24\n2a12::1' });
    for (const v of ['80.1.2.3', 'stopped.example', '80.2.0.0/24', '2A12:0::1']) {
      expect((await stop(v)).stopInFeeds).toBeTruthy();
    }
  });

  it.each([
    'http://80.1.2.3:8080/x',
    'http://user:pw@80.1.2.3/',
    'http://[::ffff:80.1.2.3]/',
    'http://[::ffff:5001:203]/',
    'http://[0:0:0:0:0:ffff:5001:203]/',
    'http://0x50010203/',
    'http://1342243331/',
    'http://0120.1.2.3/',
    'http://80.1.515/',
    'http://80.2.0.77/',
    'http://STOPPED.EXAMPLE:8443/',
    'http://u@stopped.example./',
    'http://www.stopped.example/',
    'http://stopped%2eexample/',
    'http://%73topped.example/',
    'http://ｓｔｏｐｐｅｄ.example/',
    'https://a.b.Stopped.Example./login',
    'http://[2a12:0:0:0:0:0:0:1]:81/',
    'http://[2A12::1]/',
    'http://u@[2a12::0:1]/',
  ])('holds: URL %s on a stopped value is never served', async (v) => {
    const l = await createList(s.t, s.op.analyst.token, `su ${v}`);
    await add(l, { text: v, partial: true });
    for (const p of [`/feeds/url.txt?list=${l}`, `/feeds/all.csv?list=${l}`]) {
      const f = await pull(s.t, p, s.peer.feeds);
      expect(f.status).toBe(200);
      expect(f.text).not.toMatch(/http/i);
    }
  });

  it.each(['www.stopped.example', 'a.b.stopped.example'])(
    'a domain entry %s below a stopped domain is never served (as URLs on it are not)',
    async (v) => {
      const l = await createList(s.t, s.op.analyst.token, `sd ${v}`);
      await add(l, { text: v, partial: true });
      const f = await pull(s.t, `/feeds/all.csv?list=${l}`, s.peer.feeds);
      const d = await pull(s.t, `/feeds/domain.txt?list=${l}`, s.peer.feeds);
      // Today served in all.csv and domain.txt: DNS firewalls (RPZ) block the stopped portal's
      // www host again although http://www.stopped.example/ is withheld.
      expect({ csv: /stopped/.test(f.text), txt: /stopped/.test(d.text) }).toEqual({
        csv: false,
        txt: false,
      });
    },
  );

  it.each(['80.1.2.2/31', '80.2.0.0/25', '80.0.0.0/14'])(
    'holds: a range or form %s overlapping a stop is never served',
    async (v) => {
      const l = await createList(s.t, s.op.analyst.token, `so ${v}`);
      await add(l, { text: v, partial: true });
      const f = await pull(s.t, `/feeds/all.csv?list=${l}`, s.peer.feeds);
      expect(f.status).toBe(200);
      expect(f.text.split('\n').filter((x) => /stopped|^80\.|^2a12/i.test(x))).toEqual([]);
    },
  );

  it.each(["[url:value = 'http://80.1.2.3:81/']", "[url:value = 'http://www.stopped.example/a']"])(
    'holds: STIX %s on a stopped value is never served (all.stix, TAXII)',
    async (pattern) => {
      const l = await createList(s.t, s.op.analyst.token, `sx ${pattern}`);
      const body = JSON.stringify({
        type: 'bundle',
        id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
        objects: [
          {
            type: 'indicator',
            spec_version: '2.1',
            id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd02',
            created: '2026-11-01T00:00:00.000Z',
            modified: '2026-11-01T00:00:00.000Z',
            pattern,
            pattern_type: 'stix',
            valid_from: '2026-11-01T00:00:00Z',
          },
        ],
      });
      await postEntries(s.t, s.op.writer, l, body, 'application/json');
      for (const p of [`/feeds/all.stix?list=${l}`, `/taxii2/api/collections/${l}/objects/`]) {
        const f = await pull(s.t, p, s.peer.feeds);
        expect(f.text).not.toMatch(/80\.1\.2\.3|stopped\.example/i);
      }
    },
  );
});

describe('URLs on protected addresses', () => {
  beforeAll(async () => {
    const r = await gq(
      s.t,
      'mutation { addProtectedRange(range: "90.10.0.0/16", note: "sector DNS") }',
      {},
      s.admin,
    );
    expect(r.addProtectedRange).toBe(true);
  });

  it.each([
    'http://90.10.1.1./',
    'http://user@90.10.1.1/',
    'http://u:p@90.10.1.1:8443/',
    'http://0132.012.1.1/',
    'http://0x5a.0xa.1.1/',
    'http://90.10.257/',
    'http://90.655617/',
    'http://1510605057/',
    'http://0x5a0a0101/',
    'http://[::ffff:5a0a:101]/',
    'http://[0:0:0:0:0:ffff:5a0a:0101]/',
    'http://[::FFFF:90.10.1.1]/',
    'http://%39%30.10.1.1/',
    'http://９０.１０.１.１/',
    'HTTP://90.10.1.1/',
  ])('holds: URL %s is refused or never served', async (v) => {
    const l = await createList(s.t, s.op.analyst.token, `pu ${v}`);
    await add(l, { text: v, partial: true });
    const f = await pull(s.t, `/feeds/url.txt?list=${l}`, s.peer.feeds);
    expect(f.status).toBe(200);
    expect(f.text).toBe('');
  });

  it('holds: a STIX url pattern on a protected address is not served', async () => {
    const l = await createList(s.t, s.op.analyst.token, 'pu stix');
    const body = JSON.stringify({
      type: 'bundle',
      id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56e',
      objects: [
        {
          type: 'indicator',
          spec_version: '2.1',
          id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd03',
          created: '2026-11-01T00:00:00.000Z',
          modified: '2026-11-01T00:00:00.000Z',
          pattern: "[url:value = 'http://0x5a0a0101/'] OR [url:value = 'http://90.10.1.1:80/']",
          pattern_type: 'stix',
          valid_from: '2026-11-01T00:00:00Z',
        },
      ],
    });
    await postEntries(s.t, s.op.writer, l, body, 'application/json');
    const f = await pull(s.t, `/feeds/url.txt?list=${l}`, s.peer.feeds);
    expect(f.text).toBe('');
  });

  it('holds: URLs stored before their host was protected are withheld afterwards, in every form', async () => {
    const l = await createList(s.t, s.op.analyst.token, 'pu older');
    await add(l, {
      text: 'http://91.10.1.1/\nhttp://u@91.10.1.2:81/\nhttp://[::ffff:5b0a:103]/\nhttp://0x5b0a0104/',
      partial: true,
    });
    await gq(s.t, 'mutation { addProtectedRange(range: "91.10.0.0/16", note: "x") }', {}, s.admin);
    const f = await pull(s.t, `/feeds/url.txt?list=${l}`, s.peer.feeds);
    expect(f.status).toBe(200);
    expect(f.text).toBe('');
  });
});

describe('feeds keep answering', () => {
  // (How fast: bench/, not here; tests assert no times.)
  it('holds: with many single addresses stored, feeds with thirty range stops answer', async () => {
    for (let i = 0; i < 30; i++) await stop(`81.${i}.0.0/16`);
    for (const p of ['/feeds/ipv4.txt', '/feeds/ipv4.txt?aggregate=true', '/feeds/url.txt']) {
      const f = await pull(s.t, p, s.peer.feeds);
      expect(f.status).toBe(200);
    }
  });

  it.each([
    '1.2.3.4/33',
    '::ffff:1.2.3.4/200',
    'http://[::1%25eth0]/',
    'http://[v1.x]/',
    '999.1.1.1',
    '1.2.3.4.5',
    'a..b',
    '.',
    "x'; --",
    'http://[fe80::1%251]:80/',
    '0x7f.1',
    '*.example',
  ])('holds: a stop on %s does not break any feed', async (v) => {
    await stop(v);
    for (const p of ['/feeds/ipv4.txt', '/feeds/url.txt', '/feeds/all.csv', '/feeds/domain.txt']) {
      const f = await pull(s.t, p, s.peer.feeds);
      expect(f.status).toBe(200);
    }
  });

  it.each([
    'http://[fe80::1%25eth0]/',
    'http://[::1]:99999/',
    'http://999.999.999.999/',
    'http://1.2.3.4.5/',
    'http://-a-.example/',
    'http://a..example/',
    'http://xn--/',
    'http://' + 'a'.repeat(300) + '.example/',
    'http://%00.example/',
    "http://x'.example/",
  ])(
    'holds: odd URL host %s in the database does not break url.txt, all.csv, all.stix',
    async (v) => {
      const l = await createList(s.t, s.op.analyst.token, `odd ${v.slice(0, 40)}`);
      const r = await add(l, { text: v, partial: true });
      const got: Record<string, number> = {};
      for (const p of ['/feeds/url.txt', '/feeds/all.csv', '/feeds/all.stix']) {
        got[p] = (await pull(s.t, `${p}?list=${l}`, s.peer.feeds)).status;
      }
      expect({ added: r.added, got }).toEqual({
        added: r.added,
        got: { '/feeds/url.txt': 200, '/feeds/all.csv': 200, '/feeds/all.stix': 200 },
      });
    },
  );
});
