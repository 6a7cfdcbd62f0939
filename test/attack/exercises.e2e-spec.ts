import { publishReport } from '../support/community';
import { ADD, apiToken, createList, gq, pull, Scene, scene } from './support';

/*
 * Exercises (ADR 0022) "never reach feeds, TAXII or statistics": attacked through the routes
 * beside the feeds and the TAXII collections that serve the same content, the single-list and
 * single-report STIX exports. A firewall (feeds:read) and a SIEM (reports:read) token of a peer
 * in the same sector. A test that FAILS is a finding: it states the secure behaviour.
 */

jest.setTimeout(300_000);

const DRILL = 'Attack pass drill';
let s: Scene;
let reportsToken: string;
let drillList: string;
let realList: string;
let drillReport: string;
let realReport: string;

async function listWith(name: string, value: string, extra: Record<string, unknown> = {}) {
  const id = await createList(s.t, s.op.analyst.token, name, {
    sectors: ['electric-power'],
    ...extra,
  });
  const r = (await gq(s.t, ADD, { l: id, i: { text: value } }, s.op.analyst.token)).addListEntries;
  if (r.held) {
    await gq(
      s.t,
      'mutation($c: Int!) { approveFeedChange(changeId: $c) { state } }',
      { c: r.held.changeId },
      s.admin,
    );
  }
  return id;
}

beforeAll(async () => {
  s = await scene({ FEED_REVIEW_GROWTH_PERCENT: '100000' });
  reportsToken = await apiToken(s.t, s.peer.orgAdmin.token, ['reports:read']);
  realList = await listWith('REAL list', '45.61.0.88');
  drillList = await listWith('DRILL list', '45.61.0.77', { exercise: DRILL });
  const shared = {
    tlp: 'GREEN',
    categories: ['cyberattack.abandoned-domain'],
    affectedSectors: ['electric-power'],
  };
  realReport = await publishReport(s.t, s.op.analyst.token, { ...shared, title: 'REAL outage' });
  drillReport = await publishReport(s.t, s.op.analyst.token, {
    ...shared,
    title: 'DRILL-ONLY outage',
    exercise: DRILL,
  });
});
afterAll(async () => {
  await s?.t.stop();
});

describe('the single-list STIX export, read with a firewall token', () => {
  it('serves a real list (the control)', async () => {
    const r = await pull(s.t, `/api/lists/${realList}/stix`, s.peer.feeds);
    expect(r.status).toBe(200);
    expect(r.text).toContain('45.61.0.88');
  });

  it('never serves an exercise list to a feed consumer', async () => {
    const r = await pull(s.t, `/api/lists/${drillList}/stix`, s.peer.feeds);
    expect(r.text).not.toContain('45.61.0.77');
    expect(r.status).toBe(404);
  });

  it('the plain feeds leave the exercise list out, named or not', async () => {
    expect((await pull(s.t, '/feeds/ipv4.txt', s.peer.feeds)).text).not.toContain('45.61.0.77');
    const named = await pull(s.t, `/feeds/ipv4.txt?list=${drillList}`, s.peer.feeds);
    expect(named.text).not.toContain('45.61.0.77');
  });
});

describe('TAXII, asked for the exercise indicator by its STIX id', () => {
  it('serves it from no collection', async () => {
    // The id is deterministic (one namespace, one value): the single-list export above shows it,
    // and a peer who took part in the drill knows the value anyway.
    const bundle = (await pull(s.t, `/api/lists/${drillList}/stix`, s.op.feeds)).text;
    const id = /"(indicator--[0-9a-f-]+)"/.exec(bundle)?.[1];
    expect(id).toBeDefined();
    const cols = JSON.parse((await pull(s.t, '/taxii2/api/collections/', s.peer.feeds)).text)
      .collections as { id: string }[];
    expect(cols.length).toBeGreaterThan(0);
    for (const c of cols) {
      for (const path of [`objects/${id}/`, `objects/${id}/versions/`]) {
        const r = await pull(s.t, `/taxii2/api/collections/${c.id}/${path}`, s.peer.feeds);
        expect({ path, status: r.status, leaks: r.text.includes('45.61.0.77') }).toEqual({
          path,
          status: 404,
          leaks: false,
        });
      }
    }
  });
});

describe('the single-report STIX export, read with a SIEM token', () => {
  it('serves a real report (the control)', async () => {
    const r = await pull(s.t, `/api/reports/${realReport}/stix`, reportsToken);
    expect(r.status).toBe(200);
    expect(r.text).toContain('REAL outage');
  });

  it('never exports an exercise report as STIX', async () => {
    const r = await pull(s.t, `/api/reports/${drillReport}/stix`, reportsToken);
    expect(r.text).not.toContain('DRILL-ONLY');
    expect(r.status).toBe(404);
  });

  it('TAXII does not serve the exercise report by its object id either', async () => {
    const cols = JSON.parse((await pull(s.t, '/taxii2/api/collections/', reportsToken)).text)
      .collections as { id: string; title: string }[];
    for (const c of cols) {
      const objects = await pull(s.t, `/taxii2/api/collections/${c.id}/objects/`, reportsToken);
      expect(objects.text).not.toContain('DRILL-ONLY');
      const manifest = await pull(s.t, `/taxii2/api/collections/${c.id}/manifest/`, reportsToken);
      expect(manifest.status).toBeLessThan(500);
    }
  });
});
