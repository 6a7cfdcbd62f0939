import { Client } from 'pg';
import { publishReport } from '../support/community';
import {
  addrs,
  gqlOutcome,
  inCycle,
  liveValues,
  lockWaiters,
  restOutcome,
} from './session8-common';
import { ADD, createList, gq, Json, Scene, scene } from './support';

jest.setTimeout(120_000);

/*
 * Session 8 attack pass: findings (each test fails until the product is fixed).
 */
let s: Scene;
let c: Client;
beforeAll(async () => {
  s = await scene();
  c = new Client({ connectionString: s.t.databaseUrl });
  await c.connect();
}, 180_000);
afterAll(async () => {
  await c?.end();
  await s?.t.stop();
});

/*
 * A GraphQL document may hold several mutation fields; they run one after another, each in its
 * own transaction. When a later field is rolled back for a concurrent write, the whole answer
 * becomes `data: null` with TRY_AGAIN ("nothing was changed; send the request again"), although
 * the earlier fields were committed. A client that does as told sends it all again: here a
 * list created by the first field is created twice, and the first list's id was never returned.
 */
describe('TRY_AGAIN answers a document whose first mutation was written', () => {
  it('a createIndicatorList committed before a rolled-back addListEntries is reported (its data kept), or nothing of the document is written', async () => {
    const b = await createList(s.t, s.op.analyst.token, 'second of two');
    const DOC = `mutation($b: ID!) {
        a: createIndicatorList(input: { name: "made once", tlp: GREEN }) { id }
        b: addListEntries(listId: $b, input: { text: "45.36.0.2" }) { added } }`;
    // The cycle is closed and let go: the hub runs the rolled-back field's transaction again.
    const r = await inCycle(c, b, () => s.t.gql<Json>(DOC, { b }, s.op.analyst.token), {
      hold: false,
    });
    const made = async () =>
      (
        await gq(
          s.t,
          '{ indicatorLists(first: 100) { edges { node { id name } } } }',
          {},
          s.op.analyst.token,
        )
      ).indicatorLists.edges.filter((e: Json) => e.node.name === 'made once');
    const written = await made();
    // The answer says what was written: the created list's id, or nothing written.
    expect(r.data?.a?.id ?? null).toBe(written[0]?.node.id ?? null);
    if (written.length) expect(JSON.stringify(r.errors ?? [])).not.toMatch(/nothing was changed/);
    expect(r.errors).toBeUndefined();
    expect(r.data?.b).toEqual({ added: 1 });
    expect(await liveValues(s.t, s.op.analyst.token, b)).toBe(1);
    expect(written).toHaveLength(1);
  });

  it('an addListEntries committed before a rolled-back one keeps its answer (added: 1), not data: null', async () => {
    const a = await createList(s.t, s.op.analyst.token, 'first of two');
    const b = await createList(s.t, s.op.analyst.token, 'second of two (b)');
    const r = await inCycle(
      c,
      b,
      () =>
        s.t.gql<Json>(
          `mutation($a: ID!, $b: ID!) {
        a: addListEntries(listId: $a, input: { text: "45.36.0.1" }) { added }
        b: addListEntries(listId: $b, input: { text: "45.36.0.2" }) { added } }`,
          { a, b },
          s.op.analyst.token,
        ),
      { hold: false },
    );
    expect(await liveValues(s.t, s.op.analyst.token, a)).toBe(1);
    // The first field was written, and the answer says so.
    expect(r.data?.a).toEqual({ added: 1 });
    expect(r.errors).toBeUndefined();
    expect(r.data?.b).toEqual({ added: 1 });
    expect(await liveValues(s.t, s.op.analyst.token, b)).toBe(1);
  });
});

describe('one member serialises every organisation behind its own imports', () => {
  it("another organisation's one-line write is not queued behind all of a member's parallel imports", async () => {
    const lists = await Promise.all(
      [0, 1, 2, 3, 4].map((i) => createList(s.t, s.op.analyst.token, `bulk ${i}`)),
    );
    const p = await createList(s.t, s.peer.analyst.token, 'peer one line');
    const order: string[] = [];
    const bulk = lists.map((l, i) =>
      restOutcome(
        s.t,
        `bulk${i}`,
        s.op.writer,
        l,
        addrs(100_000 + i * 400_000, 300_000).join('\n'),
        'text/plain',
      ).then((o) => {
        order.push('member import');
        return o;
      }),
    );
    // Once three of them wait for the lock (one writes), the peer writes one line.
    await lockWaiters(c, 3);
    const peer = gq(s.t, ADD, { l: p, i: { text: '45.40.0.1' } }, s.peer.analyst.token).then(
      (r) => {
        order.push('peer write');
        return r;
      },
    );
    const done = await Promise.all(bulk);
    expect(done.map((o) => o.status)).toEqual([200, 200, 200, 200, 200]);
    expect((await peer).addListEntries.applied).toBe(true);
    // Fair would be: at most the import writing when the peer arrived goes first. The peer
    // waited for every import queued before it (three or more).
    // Now: behind the import holding the counter when its request reached it, and at most the
    // next, which may take the counter while the peer's request is still on its way.
    expect(order.indexOf('peer write')).toBeLessThanOrEqual(2);
  });
});

/*
 * (Finding 4, TRY_AGAIN over GraphQL answered HTTP 200 without Retry-After where the README said
 * 503: the README was wrong. GraphQL errors are answered in the body, with
 * `extensions.retryAfterSeconds`; test/transaction-conflicts.e2e-spec.ts checks both forms.)
 */

/*
 * A member's own report writes, racing on one of its reports (no list involved): "we saw this
 * too" sightings by two of its users, lowering the marking and retracting. In about a quarter
 * of the rounds PostgreSQL broke a deadlock (answered TRY_AGAIN, each after deadlock_timeout);
 * separately, a retraction with two sightings (6 rounds in 30) and a lowering with two
 * sightings (5 in 30) each deadlock on their own. About once in 25-60 rounds a sighting
 * answered INTERNAL_SERVER_ERROR instead: a failure of the race not answered as TRY_AGAIN (the
 * first test is intermittent for that reason). The README says no such cycle is known; the
 * lock order of ADR 0043 covers lists and entries only.
 */
describe("a member's concurrent report writes", () => {
  const SIGHT = 'mutation($id: ID!) { addReportSighting(reportId: $id) { createdAt } }';
  async function race(stop: (o: { what: string; codes: string[] }) => boolean, rounds: number) {
    const op = s.op.analyst.token;
    const oa = s.op.orgAdmin.token;
    const seen: string[] = [];
    for (let round = 0; round < rounds; round++) {
      const rep = await publishReport(s.t, op, {
        title: `race ${Math.random()}`,
        tlp: 'AMBER',
        audience: { organisationIds: [s.op.org] },
        affectedSectors: ['electric-power'],
      });
      const outs = await Promise.all([
        gqlOutcome(
          s.t,
          'lowerReportMarking',
          'mutation($id: ID!) { lowerReportMarking(id: $id, tlp: GREEN, reason: "share wider") { id } }',
          { id: rep },
          op,
        ),
        gqlOutcome(
          s.t,
          'retractReport',
          'mutation($id: ID!) { retractReport(id: $id, reason: "mistaken") { id } }',
          { id: rep },
          oa,
        ),
        gqlOutcome(s.t, 'addReportSighting (org admin)', SIGHT, { id: rep }, oa),
        gqlOutcome(s.t, 'addReportSighting (analyst)', SIGHT, { id: rep }, op),
      ]);
      const hit = outs.filter(stop);
      seen.push(...hit.map((o) => `${o.what}: ${o.codes}`));
      if (hit.length) break;
    }
    return seen;
  }

  it('never answer INTERNAL_SERVER_ERROR', async () => {
    expect(await race((o) => o.codes.includes('INTERNAL_SERVER_ERROR'), 60)).toEqual([]);
  });

  it('do not deadlock each other (no TRY_AGAIN among a member’s own sightings, lowering and retraction)', async () => {
    expect(await race((o) => o.codes.includes('TRY_AGAIN'), 30)).toEqual([]);
  });
});
