import { createOrg, member, Member } from './support/community';
import { STRONG_PASSWORD, startTestHub, TestHub } from './support/test-hub';

/*
 * Issue #12 item 2: an anonymous indicator list published personal and internal data (its name,
 * description, entry notes, tags, retraction reason, imported STIX descriptions), its author's
 * one-member sector, and entries inside the author's own ranges. Every output to another
 * organisation is read here: GraphQL, the STIX feed and TAXII (collection titles and objects).
 */

jest.setTimeout(180_000);

let t: TestHub;
let author: Member;
let reader: Member;
let readerToken: string;

/** Everything personal the author writes; none of it may reach the reader. */
const SECRETS = [
  'ws-yui01',
  'Yui Sato',
  '03-1234-5678',
  'soc@higashi-denryoku.example',
  'higashi-denryoku',
  '090-8765-4321',
  'dc01.plant.internal',
];

async function must<T>(query: string, variables: Record<string, unknown>, token: string) {
  const r = await t.gql<T>(query, variables, token);
  if (!r.data || r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
}

async function createList(input: Record<string, unknown>): Promise<string> {
  const r = await must<{ createIndicatorList: { id: string } }>(
    'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
    { i: { tlp: 'GREEN', ...input } },
    author.token,
  );
  return r.createIndicatorList.id;
}

const ADD = `mutation($l: ID!, $i: ListEntriesInput!) {
  addListEntries(listId: $l, input: $i) { applied added rejected { line where message } }
}`;

interface AddResult {
  applied: boolean;
  added: number;
  rejected: { line: number; where: string; message: string }[];
}

async function add(listId: string, input: Record<string, unknown>): Promise<AddResult> {
  const r = await must<{ addListEntries: AddResult }>(ADD, { l: listId, i: input }, author.token);
  if (!r.addListEntries.applied) console.log(JSON.stringify(r.addListEntries.rejected));
  return r.addListEntries;
}

const READ = `query($id: ID!) { indicatorList(id: $id) {
  name description sectors retractionReason
  entries(first: 50) { edges { node { value note tags } } }
} }`;

async function fetchText(path: string, token: string, accept: string, basic = false) {
  const res = await fetch(`${t.url}${path}`, {
    headers: {
      accept,
      authorization: basic
        ? `Basic ${Buffer.from(`any-user:${token}`).toString('base64')}`
        : `Bearer ${token}`,
    },
  });
  const text = await res.text();
  expect(res.status).toBe(200);
  return text;
}

function expectNoSecret(where: string, text: string) {
  for (const secret of SECRETS) {
    if (text.includes(secret)) throw new Error(`${where} shows "${secret}":\n${text}`);
  }
}

beforeAll(async () => {
  t = await startTestHub();
  const admin = (await t.bootstrapAdmin()).token;
  // The author is the only member of its sector: naming the sector names the author.
  const org = await createOrg(t, admin, {
    name: 'Higashi Denryoku',
    sectorCode: 'water',
    domains: ['higashi-denryoku.example'],
    addressRanges: ['198.51.100.0/24'],
  });
  const other = await createOrg(t, admin, { name: 'Chubu Power', sectorCode: 'electric-power' });
  author = await member(t, admin, org, 'soc@higashi-denryoku.example');
  const named = await t.gql(
    'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
    {
      i: {
        organisationId: org,
        email: 'admin@higashi-denryoku.example',
        displayName: 'Yui Sato',
        role: 'ORG_ADMIN',
        initialPassword: STRONG_PASSWORD,
      },
    },
    admin,
  );
  if (named.errors) throw new Error(JSON.stringify(named.errors));
  reader = await member(t, admin, other, 'admin@chubu.example', 'ORG_ADMIN');
  readerToken = (
    await must<{ createApiToken: { token: string } }>(
      'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
      { i: { name: 'tip', scopes: ['feeds:read', 'reports:read'] } },
      reader.token,
    )
  ).createApiToken.token;
});

afterAll(async () => {
  await t?.stop();
});

describe('an anonymous list', () => {
  let id: string;

  beforeAll(async () => {
    id = await createList({
      name: 'Scanners seen by ws-yui01',
      description: 'Ask Yui Sato (03-1234-5678) before blocking.',
    });
    expect(
      await add(id, {
        text: '45.33.32.9',
        note: 'reported by soc@higashi-denryoku.example',
        tags: ['ws-yui01', 'scanner'],
      }),
    ).toMatchObject({ applied: true, added: 1 });
    expect(
      await add(id, {
        format: 'CSV',
        text: 'value,note,tags\n45.33.32.10,from dc01.plant.internal,"dc01.plant.internal;c2"\n',
      }),
    ).toMatchObject({ applied: true, added: 1 });
    const bundle = {
      type: 'bundle',
      id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
      objects: [
        {
          type: 'indicator',
          spec_version: '2.1',
          id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
          created: '2026-11-01T00:00:00.000Z',
          modified: '2026-11-01T00:00:00.000Z',
          pattern: "[ipv4-addr:value = '45.33.32.11']",
          pattern_type: 'stix',
          valid_from: '2026-11-01T00:00:00Z',
          description: 'Seen on the SOC line 090-8765-4321',
          labels: ['ws-yui01'],
        },
      ],
    };
    expect(await add(id, { format: 'STIX', text: JSON.stringify(bundle) })).toMatchObject({
      applied: true,
      added: 1,
    });
  });

  it('reaches other organisations scrubbed, in GraphQL, the STIX feed and TAXII', async () => {
    const own = await must<{ indicatorList: Record<string, unknown> }>(READ, { id }, author.token);
    expect(own.indicatorList.name).toBe('Scanners seen by [host]');

    const read = await must<{ indicatorList: Record<string, unknown> }>(READ, { id }, reader.token);
    expect(read.indicatorList).toMatchObject({
      name: 'Scanners seen by [host]',
      description: 'Ask [person-name] ([phone]) before blocking.',
    });
    expectNoSecret('GraphQL', JSON.stringify(read));
    const stix = await fetchText(
      `/feeds/all.stix?list=${id}`,
      readerToken,
      'application/stix+json',
    );
    expectNoSecret('the STIX feed', stix);
    expect(stix).toContain('45.33.32.11');
    const taxii = 'application/taxii+json;version=2.1';
    const collections = await fetchText('/taxii2/api/collections/', readerToken, taxii, true);
    expectNoSecret('TAXII collections', collections);
    expect(collections).toContain('Scanners seen by [host]');
    let objects = '';
    for (const c of JSON.parse(collections).collections as { id: string }[]) {
      objects += await fetchText(
        `/taxii2/api/collections/${c.id}/objects/`,
        readerToken,
        taxii,
        true,
      );
    }
    expectNoSecret('TAXII objects', objects);
    expect(objects).toContain('45.33.32.11');
  });

  it('is retracted with a scrubbed reason', async () => {
    const other = await createList({ name: 'To retract' });
    await must(
      'mutation($id: ID!) { retractIndicatorList(id: $id, reason: "wrong, call 03-1234-5678") { id } }',
      { id: other },
      author.token,
    );
    const read = await must<{ indicatorList: { retractionReason: string } }>(
      READ,
      { id: other },
      reader.token,
    );
    expect(read.indicatorList.retractionReason).toBe('wrong, call [phone]');
  });

  it('scrubs a named list’s text when it is made anonymous', async () => {
    const list = await createList({ name: 'Named by ws-yui01', anonymous: false });
    await must(
      'mutation($id: ID!) { updateIndicatorList(id: $id, input: { anonymous: true }) { id } }',
      { id: list },
      author.token,
    );
    const read = await must<{ indicatorList: { name: string; sectors: string[] } }>(
      READ,
      { id: list },
      reader.token,
    );
    expect(read.indicatorList).toMatchObject({ name: 'Named by [host]', sectors: [] });
  });

  it('refuses entries inside the author’s own ranges and domains, with their lines', async () => {
    const list = await createList({ name: 'Mixed' });
    const r = await add(list, {
      text: '45.33.32.20\n198.51.100.7\nvpn.higashi-denryoku.example\n198.51.0.0/16\n',
      partial: true,
    });
    expect(r).toMatchObject({ applied: true, added: 1 });
    expect(r.rejected.map((x) => [x.line, x.message])).toEqual([
      [
        2,
        "within 198.51.100.0/24, your organisation's own address range: an anonymous list would name you (post it in a named list)",
      ],
      [
        3,
        "within higashi-denryoku.example, your organisation's own domain: an anonymous list would name you (post it in a named list)",
      ],
      [
        4,
        "within 198.51.100.0/24, your organisation's own address range: an anonymous list would name you (post it in a named list)",
      ],
    ]);
    // A named list says who posted it anyway.
    const named = await createList({ name: 'Named', anonymous: false });
    expect(await add(named, { text: '198.51.100.7' })).toMatchObject({ applied: true, added: 1 });
  });
});

describe('sectors', () => {
  it('leaves out the author’s sector when it would name the author', async () => {
    const anonymous = await createList({ name: 'No sectors given' });
    const named = await createList({ name: 'Named, no sectors given', anonymous: false });
    const read = async (id: string) =>
      (
        await must<{ indicatorList: { sectors: string[] } }>(
          'query($id: ID!) { indicatorList(id: $id) { sectors } }',
          { id },
          reader.token,
        )
      ).indicatorList.sectors;
    expect(await read(anonymous)).toEqual([]);
    expect(await read(named)).toEqual(['water']);
    expect(
      await fetchText(`/feeds/all.stix?list=${anonymous}`, readerToken, 'application/stix+json'),
    ).not.toContain('water');
  });
});
