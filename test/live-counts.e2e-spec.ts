import { Client } from 'pg';
import { createOrg, member, Member } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';

/*
 * A list's live-entry count as readers page through lists (the console's inbox) is remembered
 * per list version (ADR 0033, LiveCounts): it must still change with every import, feed stop
 * and expiry, and never count for a reader what it may not see. Each step reads the same list
 * through the same instance, so a count remembered wrongly shows as a stale number.
 */

jest.setTimeout(120_000);

let t: TestHub;
let admin: string;
let owner: Member;
let reader: Member;
let outsider: Member;
let list: string;
let db: Client;

async function must<T>(query: string, variables: Record<string, unknown>, token: string) {
  const r = await t.gql<T>(query, variables, token);
  if (!r.data || r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
}

/** The list's liveEntries as the paged list query (the inbox's) shows it to `who`. */
async function shown(who: Member): Promise<number | undefined> {
  const d = await must<{
    indicatorLists: { edges: { node: { id: string; liveEntries: number } }[] };
  }>('{ indicatorLists(first: 50) { edges { node { id liveEntries } } } }', {}, who.token);
  return d.indicatorLists.edges.find((e) => e.node.id === list)?.node.liveEntries;
}

async function add(text: string) {
  await must(
    'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { applied } }',
    { l: list, i: { text } },
    owner.token,
  );
}

beforeAll(async () => {
  t = await startTestHub();
  admin = (await t.bootstrapAdmin()).token;
  const ownerOrg = await createOrg(t, admin, { name: 'Kanto Rail', sectorCode: 'railways' });
  const readerOrg = await createOrg(t, admin, { name: 'Kinki Rail', sectorCode: 'railways' });
  const outsiderOrg = await createOrg(t, admin, { name: 'Tokai Gas', sectorCode: 'gas' });
  owner = await member(t, admin, ownerOrg, 'soc@kanto-rail.example');
  reader = await member(t, admin, readerOrg, 'soc@kinki-rail.example');
  outsider = await member(t, admin, outsiderOrg, 'soc@tokai-gas.example');
  list = (
    await must<{ createIndicatorList: { id: string } }>(
      'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
      { i: { name: 'Rail DoS sources', tlp: 'AMBER', audience: { sectorCodes: ['railways'] } } },
      owner.token,
    )
  ).createIndicatorList.id;
  db = new Client({ connectionString: t.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await t?.stop();
});

it('follows imports, feed stops and expiry, and shows nothing to readers outside the audience', async () => {
  await add('45.95.147.7\n193.142.146.35\n185.220.101.4');
  expect(await shown(reader)).toBe(3);
  expect(await shown(reader)).toBe(3);
  expect(await shown(outsider)).toBeUndefined();

  await add('91.240.118.172\n80.94.95.115');
  expect(await shown(reader)).toBe(5);
  expect(await shown(owner)).toBe(5);

  // A coordinator's emergency stop keeps one value out of every reader's view (feed guard).
  await must(
    'mutation($i: FeedStopInput!) { stopInFeeds(input: $i) { id } }',
    { i: { kind: 'VALUE', value: '45.95.147.7', reason: 'our own address' } },
    admin,
  );
  expect(await shown(reader)).toBe(4);

  // The batch of the last two ends its validity in two seconds, as an import with that
  // validity would have set it (the list's version goes up with it, as every change to its
  // entries does); the count taken now must not outlive the first expiry it counted.
  const { rows } = await db.query(
    `UPDATE entry_batch SET valid_until = now() + interval '2 seconds'
      WHERE id = (SELECT max(b.id) FROM entry_batch b JOIN indicator_list l ON l.seq = b.list_seq
                   WHERE l.id = $1)
      RETURNING valid_until`,
    [list],
  );
  await db.query('UPDATE indicator_list SET updated_at = now() WHERE id = $1', [list]);
  expect(await shown(reader)).toBe(4);
  // Waits on the database's clock, which decides expiry; no time is asserted.
  for (;;) {
    const { rows: past } = await db.query('SELECT now() > $1 AS past', [rows[0].valid_until]);
    if (past[0].past) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(await shown(reader)).toBe(2);

  // Expiring the list (the owner's mutation) ends every entry at once.
  await must('mutation($l: ID!) { expireIndicatorList(id: $l) { id } }', { l: list }, owner.token);
  expect(await shown(reader)).toBe(0);
});
