import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOrg, member, Member } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';

/*
 * Bundles as the tools members already run export them, imported over the real server into a
 * real database: MISP (misp-stix, an event as report + indicators + observed-data) and OpenCTI
 * (indicators in STIX, YARA and Sigma, observables, relationships, x_opencti_* properties). The
 * fixtures are written from the tools' documented output (test/fixtures/stix/). Every address
 * must arrive, and every object the hub does not take must be accounted for with its reason.
 */

jest.setTimeout(180_000);

// Answers are checked field by field; their full types would add nothing here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let t: TestHub;
let analyst: Member;
let feeds: string;

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', 'stix', name), 'utf8');

async function must<T = Json>(query: string, variables: Record<string, unknown>, token: string) {
  const r = await t.gql<T>(query, variables, token);
  if (!r.data || r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
}

async function createList(name: string): Promise<string> {
  const r = await must<{ createIndicatorList: { id: string } }>(
    'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
    { i: { name, tlp: 'GREEN' } },
    analyst.token,
  );
  return r.createIndicatorList.id;
}

async function importStix(list: string, text: string): Promise<Json> {
  const r = await must<{ addListEntries: Json }>(
    `mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) {
      applied added rejectedCount rejected { line where input message }
      ignored { line where input message } } }`,
    { l: list, i: { format: 'STIX', text } },
    analyst.token,
  );
  return r.addListEntries;
}

async function values(list: string): Promise<string[]> {
  const r = await must<Json>(
    `query($id: ID!) { indicatorList(id: $id) { entries(first: 100) { edges { node { value } } } } }`,
    { id: list },
    analyst.token,
  );
  return r.indicatorList.entries.edges.map((e: Json) => e.node.value).sort();
}

async function feed(path: string): Promise<string[]> {
  const res = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${feeds}` } });
  expect(res.status).toBe(200);
  return (await res.text()).split('\n').filter(Boolean).sort();
}

beforeAll(async () => {
  t = await startTestHub();
  const admin = (await t.bootstrapAdmin()).token;
  const org = await createOrg(t, admin, { name: 'Kanto Electric', sectorCode: 'electric-power' });
  const orgAdmin = await member(t, admin, org, 'admin@kanto.example', 'ORG_ADMIN');
  analyst = await member(t, admin, org, 'soc@kanto.example');
  const token = await must<{ createApiToken: { token: string } }>(
    'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
    { i: { name: 'firewall', scopes: ['feeds:read'] } },
    orgAdmin.token,
  );
  feeds = token.createApiToken.token;
});

afterAll(async () => {
  await t?.stop();
});

describe('importing STIX from peer tools', () => {
  it("takes a MISP event's addresses, written as network-traffic references, every one", async () => {
    const list = await createList('From the sector MISP');
    const r = await importStix(list, fixture('misp-stix-event.json'));
    expect(r.rejected).toEqual([]);
    expect(r).toMatchObject({ applied: true, rejectedCount: 0 });
    const addresses = [
      '185.220.101.4', // ip-src
      '45.155.205.233', // ip-dst
      '45.95.147.0/24',
      '2a01:4f8:c17:2e46::1',
      '45.95.168.0/22',
      '2a0e:fd45:b1e::/48',
      '91.240.118.172', // from observed-data's ipv4-addr
    ];
    expect(await values(list)).toEqual(
      [
        ...addresses,
        'update-check.example.net',
        'http://update-check.example.net/fw/cam.bin',
        'b2a5abfeef9e36964281a31e17b57c97',
      ].sort(),
    );
    expect(await feed(`/feeds/ip.txt?list=${list}`)).toEqual([...addresses].sort());
    // What the hub does not take is named, each with its reason.
    const ignored = Object.fromEntries(r.ignored.map((i: Json) => [i.where, i]));
    expect(ignored['objects[0]'].input).toBe('identity');
    expect(ignored['objects[2]'].input).toBe('report');
    expect(ignored['objects[11]'].input).toBe('observed-data');
    expect(ignored['objects[12]']).toMatchObject({
      input: 'network-traffic',
      message: expect.stringContaining('not imported'),
    });
    expect(ignored['objects[14]'].input).toBe('x-misp-attribute');
    expect(ignored['objects[15]'].input).toBe('grouping');
  });

  it('takes the STIX indicators and observables of an OpenCTI export, and sets aside YARA and Sigma with the reason', async () => {
    const list = await createList('From the ISAC OpenCTI');
    const r = await importStix(list, fixture('opencti-export.json'));
    expect(r.rejected).toEqual([]);
    expect(r).toMatchObject({ applied: true, rejectedCount: 0 });
    const addresses = ['193.142.146.35', '194.26.29.113', '2a03:b0c0:3:d0::1'];
    expect(await values(list)).toEqual(
      [
        ...addresses,
        'cam-fw-update.example.org',
        'http://cam-fw-update.example.org/i.sh',
        '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0',
      ].sort(),
    );
    expect(await feed(`/feeds/ip.txt?list=${list}`)).toEqual([...addresses].sort());
    const rules = r.ignored.filter((i: Json) => i.input === 'indicator');
    expect(rules).toEqual([
      expect.objectContaining({
        where: 'objects[7]',
        input: 'indicator',
        message: expect.stringContaining('pattern_type "yara": only STIX patterns'),
      }),
      expect.objectContaining({
        where: 'objects[8]',
        input: 'indicator',
        message: expect.stringContaining('pattern_type "sigma": only STIX patterns'),
      }),
    ]);
    // The x_opencti_* properties are reported as not kept, never silently lost.
    const dropped = r.ignored.find(
      (i: Json) => i.where === 'objects[3]' && i.input.includes('x_opencti_score'),
    );
    expect(dropped?.message).toMatch(/not kept by the hub/);
  });

  it('shows what a refused object said: the pattern, the value, not an empty input', async () => {
    const list = await createList('Refusals');
    const port =
      "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = " +
      "'45.155.205.233' AND network-traffic:dst_port = '8080']";
    const bundle = JSON.parse(fixture('misp-stix-event.json'));
    bundle.objects[4].pattern = port;
    bundle.objects[16] = { type: 'ipv4-addr', spec_version: '2.1', value: '45.155.205.300' };
    const r = await importStix(list, JSON.stringify(bundle));
    expect(r).toMatchObject({ applied: false, rejectedCount: 2 });
    expect(r.rejected).toEqual([
      {
        line: 4,
        where: 'objects[4].pattern',
        input: port,
        message: expect.stringContaining('network-traffic:dst_port would have to match together'),
      },
      {
        line: 16,
        where: 'objects[16].value',
        input: '45.155.205.300',
        message: expect.any(String),
      },
    ]);
    expect(await values(list)).toEqual([]);
  });
});
