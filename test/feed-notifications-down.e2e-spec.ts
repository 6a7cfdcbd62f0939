import { Client } from 'pg';
import { createOrg, member } from './support/community';
import { createTestDatabase, startTestHub, TestHub } from './support/test-hub';

/*
 * A firewall's repeated pulls are answered from memory while the hub's notification connection
 * tells it of every change (FeedFastPath, FeedService.trustedSeq; ADR 0008/0040). With that
 * connection down, a change made through another instance reaches this one by no notification:
 * every pull must then take the change counter from the database, or a list raised out of the
 * caller's reach would still be served from memory. Here every listening connection of the
 * database is cut over and over (as a flapping network would) while instance B raises a list
 * that instance A had served to the firewall.
 */

jest.setTimeout(180_000);

let a: TestHub;
let b: TestHub;
let db: Client;

beforeAll(async () => {
  const url = await createTestDatabase();
  a = await startTestHub({}, url);
  b = await startTestHub({}, url);
  db = new Client({ connectionString: url });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await Promise.all([a?.stop(), b?.stop()]);
});

it('serves a list raised through another instance out of the feed while notifications are down', async () => {
  // The setup token is the one the last instance to start printed.
  const admin = (await b.bootstrapAdmin()).token;
  const ownerOrg = await createOrg(a, admin, {
    name: 'Higashi Denryoku',
    sectorCode: 'electric-power',
  });
  const readerOrg = await createOrg(a, admin, { name: 'Minato Water Works', sectorCode: 'water' });
  const owner = await member(a, admin, ownerOrg, 'analyst@higashi.example');
  const readerAdmin = await member(a, admin, readerOrg, 'admin@minato.example', 'ORG_ADMIN');
  const gql = async <T>(
    t: TestHub,
    query: string,
    variables: Record<string, unknown>,
    token: string,
  ) => {
    const r = await t.gql<T>(query, variables, token);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!;
  };
  const { createIndicatorList: list } = await gql<{ createIndicatorList: { id: string } }>(
    a,
    'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
    { i: { name: 'Scanners', tlp: 'GREEN' } },
    owner.token,
  );
  await gql(
    a,
    'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { added } }',
    { l: list.id, i: { text: '45.90.7.77' } },
    owner.token,
  );
  const { createApiToken: firewall } = await gql<{ createApiToken: { token: string } }>(
    a,
    'mutation { createApiToken(input: { name: "firewall", scopes: ["feeds:read"] }) { token } }',
    {},
    readerAdmin.token,
  );
  const pull = (headers: Record<string, string> = {}) =>
    fetch(`${a.url}/feeds/ip.txt`, {
      headers: { authorization: `Bearer ${firewall.token}`, ...headers },
    });
  // Served twice (the second from memory, the fast path), with its validator.
  expect(await (await pull()).text()).toContain('45.90.7.77');
  const served = await pull();
  expect(await served.text()).toContain('45.90.7.77');
  const etag = served.headers.get('etag')!;

  // Every listening connection cut, again and again, until the end of the test.
  let cutting = true;
  let cuts = 0;
  const cutter = (async () => {
    while (cutting) {
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE application_name = 'renkei-listen' AND datname = current_database()) x`,
      );
      cuts += rows[0].n;
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  try {
    while (cuts < 2) await new Promise((r) => setTimeout(r, 20));
    // A pull while nothing listens reads the counter from the database.
    expect(await (await pull()).text()).toContain('45.90.7.77');
    // Raised to the owner's sector through B: the water company reads it no more.
    await gql(
      b,
      'mutation($id: ID!, $i: IndicatorListInput!) { updateIndicatorList(id: $id, input: $i) { tlp } }',
      { id: list.id, i: { tlp: 'AMBER', audience: { sectorCodes: ['electric-power'] } } },
      owner.token,
    );
    const again = await pull({ 'if-none-match': etag });
    expect(again.status).toBe(200);
    expect(await again.text()).not.toContain('45.90.7.77');
    const plain = await pull();
    expect(await plain.text()).not.toContain('45.90.7.77');
  } finally {
    cutting = false;
    await cutter;
  }
});
