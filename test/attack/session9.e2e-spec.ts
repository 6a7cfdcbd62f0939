import { Client } from 'pg';
import { publishReport } from '../support/community';
import { WsClient } from '../support/ws-client';
import {
  addrs,
  auditCount,
  faulty,
  gqlOutcome,
  inCycle,
  liveValues,
  Outcome,
  receiver,
  Receiver,
  restOutcome,
  settledWithin,
} from './session8-common';
import { ADD, createList, gq, Json, Scene, scene } from './support';

jest.setTimeout(120_000);

/*
 * Session 9 attack pass on transactions run again (DATABASE_TRANSACTION_ATTEMPTS) and one
 * organisation's list writes at a time (ADR 0043 addendum). Properties that HELD; findings are
 * in session9-findings.e2e-spec.ts. The second pg client stands in for another hub instance:
 * it takes locks and reads PostgreSQL's own deadlock counter, never a member's data.
 */
let s: Scene;
let c: Client;
let hook: Receiver;
let ws: WsClient;
const SIGHT = 'mutation($id: ID!) { addReportSighting(reportId: $id) { createdAt } }';
const COMMENT =
  'mutation($id: ID!, $b: String!) { addReportComment(reportId: $id, body: $b) { id } }';

const METRICS_PORT = 20_000 + Math.floor(Math.random() * 20_000);
beforeAll(async () => {
  s = await scene({ FEED_REVIEW_GROWTH_PERCENT: '100000', METRICS_PORT: String(METRICS_PORT) });
  c = new Client({ connectionString: s.t.databaseUrl });
  await c.connect();
  hook = await receiver();
  const w = await gq(
    s.t,
    'mutation($u: String!) { createWebhook(input: { url: $u, topic: LISTS }) { secret } }',
    { u: hook.url },
    s.peer.orgAdmin.token,
  );
  expect(w.createWebhook).toBeTruthy();
  ws = await WsClient.connect(s.t.url, s.peer.analyst.token);
  ws.subscribe('l', 'subscription { listEvents { kind added list { id } } }');
}, 180_000);
afterAll(async () => {
  ws?.close?.();
  await c?.end();
  await new Promise((r) => hook?.server.close(r));
  await s?.t.stop();
});

/**
 * inCycle with hold: false; should PostgreSQL pick the stand-in instance as the deadlock's victim
 * instead of the request, the request's answer is still returned (nothing was run again then).
 */
async function cycle<T>(listId: string, request: () => Promise<T>): Promise<T> {
  let answer: Promise<T> | undefined;
  try {
    return await inCycle(c, listId, () => (answer = request()), { hold: false });
  } catch (e) {
    if (!answer || !/deadlock/.test(String(e))) throw e;
    return await answer;
  }
}

async function drain(ms: number): Promise<Json[]> {
  const got: Json[] = [];
  for (;;) {
    const f = await ws.take((x) => x.type === 'next', ms);
    if (!f) return got;
    got.push(f.payload);
  }
}

async function deliveriesOf(marker: string, settle = 3000): Promise<number> {
  for (let i = 0; i < 40 && !hook.deliveries.join().includes(marker); i++)
    await new Promise((r) => setTimeout(r, 250));
  await new Promise((r) => setTimeout(r, settle));
  return hook.deliveries.filter((d) => d.includes(marker)).length;
}

describe('the organisation lock and other writers (first: nothing deadlocked before)', () => {
  it('no deadlock between list writes, report retraction, drill removal and feed-review decisions (PostgreSQL deadlock counter unchanged)', async () => {
    // A backend's counters reach pg_stat_database within PostgreSQL's idle flush interval (10 s).
    const deadlocks = async (settle: number) => {
      await new Promise((r) => setTimeout(r, settle));
      await c.query('SELECT pg_stat_clear_snapshot()');
      const r = await c.query(
        'SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()',
      );
      return Number(r.rows[0].deadlocks);
    };
    const before = await deadlocks(1000);
    const op = s.op.analyst.token;
    const outs: Outcome[] = [];
    for (let round = 0; round < 3; round++) {
      const v = addrs(500_000 + round * 1000, 300);
      const rev = [...v].reverse();
      const rep = await publishReport(s.t, op, {
        title: `dl ${round}`,
        tlp: 'GREEN',
        affectedSectors: ['electric-power'],
      });
      const drill = `dl-drill-${round}`;
      await publishReport(s.t, op, { title: `dl drill ${round}`, tlp: 'GREEN', exercise: drill });
      const A = await createList(s.t, op, `dl A ${round}`, { reportId: rep });
      const B = await createList(s.t, op, `dl B ${round}`);
      const D = await createList(s.t, op, `dl D ${round}`, { exercise: drill });
      const H = await createList(s.t, op, `dl H ${round}`);
      const held = await gq(s.t, ADD, { l: H, i: { text: `${60 + round}.0.0.0/11` } }, op);
      const changeId = held.addListEntries?.held?.changeId;
      expect(changeId).toBeTruthy();
      const P = await createList(s.t, s.peer.analyst.token, `dl P ${round}`);
      outs.push(
        ...(await Promise.all([
          gqlOutcome(s.t, 'add A', ADD, { l: A, i: { text: v.join('\n'), reportId: rep } }, op),
          restOutcome(s.t, 'rest B', s.op.writer, B, rev.join('\n'), 'text/plain'),
          gqlOutcome(s.t, 'add D', ADD, { l: D, i: { text: v.join('\n') } }, op),
          gqlOutcome(s.t, 'add H', ADD, { l: H, i: { text: rev.join('\n') } }, op),
          gqlOutcome(
            s.t,
            'approve',
            'mutation($c: Int!) { approveFeedChange(changeId: $c) { state } }',
            { c: changeId },
            s.admin,
          ),
          gqlOutcome(
            s.t,
            'retract report',
            'mutation($id: ID!) { retractReport(id: $id, reason: "mistaken") { id } }',
            { id: rep },
            op,
          ),
          gqlOutcome(
            s.t,
            'drill out',
            'mutation($n: String!) { removeExercise(name: $n) }',
            { n: drill },
            s.op.orgAdmin.token,
          ),
          gqlOutcome(
            s.t,
            'peer add',
            ADD,
            { l: P, i: { text: v.join('\n') } },
            s.peer.analyst.token,
          ),
        ])),
      );
    }
    expect(outs.filter(faulty).map((o) => `${o.what} ${o.codes} ${o.body.slice(0, 200)}`)).toEqual(
      [],
    );
    expect(await deadlocks(11_000)).toBe(before);
  });
});

describe('a request run again repeats nothing visible', () => {
  it('a REST import whose transaction is run again answers its count once, writes once, pushes one event, delivers one webhook and writes the audit rows of one run', async () => {
    const l = await createList(s.t, s.op.analyst.token, 'retried rest', { anonymous: false });
    // The control: the audit rows one import writes.
    const ctl = await createList(s.t, s.op.analyst.token, 'control rest', { anonymous: false });
    await drain(1000);
    const a0 = await auditCount(s.t, s.op.orgAdmin.token);
    const c0 = await restOutcome(
      s.t,
      'ctl',
      s.op.writer,
      ctl,
      '45.40.9.1\n45.40.9.2',
      'text/plain',
    );
    expect(c0.status).toBe(200);
    const perImport = (await auditCount(s.t, s.op.orgAdmin.token)) - a0;
    await drain(1500);
    const a1 = await auditCount(s.t, s.op.orgAdmin.token);
    const values = addrs(400_000, 20);
    const res = await cycle(l, () =>
      restOutcome(s.t, 'rest', s.op.writer, l, values.join('\n'), 'text/plain'),
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).added ?? JSON.parse(res.body).result?.added ?? 20).toBe(20);
    expect(res.body).not.toMatch(/"added":\s*40/);
    expect(await liveValues(s.t, s.op.analyst.token, l)).toBe(20);
    expect((await auditCount(s.t, s.op.orgAdmin.token)) - a1).toBe(perImport);
    const pushed = (await drain(2500)).filter((p) => JSON.stringify(p).includes(l));
    expect(pushed.length).toBe(1);
    expect(await deliveriesOf(values[0])).toBe(1);
  });

  it('a GraphQL addListEntries run again answers added once and pushes one event', async () => {
    const l = await createList(s.t, s.op.analyst.token, 'retried gql', { anonymous: false });
    await drain(1000);
    const values = addrs(410_000, 15);
    const r = await cycle(l, () =>
      s.t.gql<Json>(ADD, { l, i: { text: values.join('\n') } }, s.op.analyst.token),
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.addListEntries).toMatchObject({ applied: true, added: 15 });
    expect(await liveValues(s.t, s.op.analyst.token, l)).toBe(15);
    const pushed = (await drain(2500)).filter((p) => JSON.stringify(p).includes(l));
    expect(pushed.length).toBe(1);
    expect(await deliveriesOf(values[0])).toBe(1);
  });
});

describe('real refusals stay refusals on every attempt', () => {
  it('a sighting or comment on a report the member cannot see is NOT_FOUND (not a fault) and not written', async () => {
    const hidden = await publishReport(s.t, s.peer.analyst.token, {
      title: 'peer only',
      tlp: 'AMBER',
      audience: { organisationIds: [s.peer.org] },
      affectedSectors: ['electric-power'],
    });
    const drill = await publishReport(s.t, s.peer.analyst.token, {
      title: 'peer drill',
      tlp: 'AMBER',
      audience: { organisationIds: [s.peer.org] },
      exercise: 'peer-drill-9',
    });
    const out: Outcome[] = [];
    for (const id of [hidden, drill]) {
      out.push(await gqlOutcome(s.t, 'sight', SIGHT, { id }, s.op.analyst.token));
      out.push(await gqlOutcome(s.t, 'comment', COMMENT, { id, b: 'x' }, s.op.analyst.token));
    }
    expect(out.filter(faulty).map((o) => o.body)).toEqual([]);
    for (const o of out) expect(o.codes).toEqual(['NOT_FOUND']);
    const seen = await gq(
      s.t,
      'query($id: ID!) { report(id: $id) { sightings { createdAt } comments { id } } }',
      { id: hidden },
      s.peer.analyst.token,
    );
    expect(seen.report.sightings).toEqual([]);
    expect(seen.report.comments).toEqual([]);
  });

  it("a write into another organisation's list is refused cleanly and waits on none of its locks", async () => {
    const p = await createList(s.t, s.peer.analyst.token, 'peer list 9');
    await c.query('BEGIN');
    let got: Outcome[] | 'pending';
    try {
      await c.query('SELECT 1 FROM indicator_list WHERE id = $1 FOR UPDATE', [p]);
      got = await settledWithin(
        Promise.all([
          gqlOutcome(s.t, 'foreign', ADD, { l: p, i: { text: '45.41.0.1' } }, s.op.analyst.token),
          restOutcome(s.t, 'foreign rest', s.op.writer, p, '45.41.0.2', 'text/plain'),
        ]),
        10_000,
      );
    } finally {
      await c.query('ROLLBACK');
    }
    expect(got).not.toBe('pending');
    const [g, r] = got as Outcome[];
    expect([g, r].filter(faulty).map((o) => o.body)).toEqual([]);
    expect(g.codes).toEqual([expect.stringMatching(/^(NOT_FOUND|FORBIDDEN)$/)]);
    expect([403, 404]).toContain(r.status);
    expect(await liveValues(s.t, s.peer.analyst.token, p)).toBe(0);
  });

  it('sightings and comments racing a retraction are answered (written before it, or refused) and never a fault', async () => {
    const outs: Outcome[] = [];
    for (let round = 0; round < 5; round++) {
      const rep = await publishReport(s.t, s.op.analyst.token, {
        title: `race 9 ${round}`,
        tlp: 'GREEN',
        affectedSectors: ['electric-power'],
      });
      outs.push(
        ...(await Promise.all([
          gqlOutcome(s.t, 'sight', SIGHT, { id: rep }, s.peer.analyst.token),
          gqlOutcome(s.t, 'comment', COMMENT, { id: rep, b: 'c' }, s.peer.analyst.token),
          gqlOutcome(
            s.t,
            'retract',
            'mutation($id: ID!) { retractReport(id: $id, reason: "mistaken") { id } }',
            { id: rep },
            s.op.analyst.token,
          ),
          gqlOutcome(s.t, 'sight2', SIGHT, { id: rep }, s.peer.orgAdmin.token),
        ])),
      );
    }
    expect(outs.filter(faulty).map((o) => `${o.what} ${o.codes} ${o.body.slice(0, 200)}`)).toEqual(
      [],
    );
  });
});

describe('the organisation lock', () => {
  it("a member's slow upload does not hold its own organisation's other list writes, nor a peer's feed pull", async () => {
    const l = await createList(s.t, s.op.analyst.token, 'own slow upload');
    const other = await createList(s.t, s.op.analyst.token, 'own other');
    let sendRest!: () => void;
    const rest = new Promise<void>((r) => (sendRest = r));
    const enc = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(ctl) {
        ctl.enqueue(enc.encode(addrs(600_000, 500).join('\n') + '\n'));
        await rest;
        ctl.enqueue(enc.encode(addrs(601_000, 500).join('\n') + '\n'));
        ctl.close();
      },
    });
    const slow = fetch(`${s.t.url}/api/lists/${l}/entries`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.op.writer}`, 'content-type': 'text/plain' },
      body,
      duplex: 'half',
    } as RequestInit).then(async (r) => ({ status: r.status, text: await r.text() }));
    await new Promise((r) => setTimeout(r, 500));
    const own = gq(s.t, ADD, { l: other, i: { text: '45.42.0.1' } }, s.op.analyst.token);
    const ownRest = restOutcome(s.t, 'own rest', s.op.writer, other, '45.42.0.2', 'text/plain');
    const feed = fetch(`${s.t.url}/feeds/ipv4.txt`, {
      headers: { authorization: `Bearer ${s.peer.feeds}` },
    }).then((r) => r.status);
    const got = await settledWithin(Promise.all([own, ownRest, feed]), 15_000);
    sendRest();
    const up = await slow;
    expect(got).not.toBe('pending');
    expect(up.status).toBe(200);
    const [g, r, f] = got as [Json, Outcome, number];
    expect(g.addListEntries.applied).toBe(true);
    expect(r.status).toBe(200);
    expect(f).toBe(200);
  });
});

const TEXT = [
  '45.43.0.1',
  '45.43.0.1',
  '10.0.0.1',
  '8.8.8.8',
  '45.43.1.0/24',
  'hxxp://evil[.]example/x',
  '127.0.0.1',
  '45.43.0.2',
].join('\n');

function strip(a: Json): Json {
  return JSON.parse(JSON.stringify(a).replace(/"changeId":\d+/g, '"changeId":0'));
}

describe('the answer of a run-again import', () => {
  it('is the answer one run gives (no warning, suppressed or rejected line twice)', async () => {
    const ctl = await createList(s.t, s.op.analyst.token, 'ctl answer');
    const l = await createList(s.t, s.op.analyst.token, 'retried answer');
    const want = await gq(s.t, ADD, { l: ctl, i: { text: TEXT } }, s.op.analyst.token);
    const got = await cycle(l, () => gq(s.t, ADD, { l, i: { text: TEXT } }, s.op.analyst.token));
    expect(strip(got)).toEqual(strip(want));
  });

  it('a held change run again is held once (one feed review, one feedReviewEvents push)', async () => {
    const ws = await WsClient.connect(s.t.url, s.op.analyst.token);
    try {
      ws.subscribe('r', 'subscription { feedReviewEvents { kind review { changeId } } }');
      await new Promise((r) => setTimeout(r, 500));
      const held0 = (await gq(s.t, '{ feedReviews { changeId } }', {}, s.op.analyst.token))
        .feedReviews.length;
      const l = await createList(s.t, s.op.analyst.token, 'retried held');
      const got = await cycle(l, () =>
        gq(s.t, ADD, { l, i: { text: '70.0.0.0/11' } }, s.op.analyst.token),
      );
      expect(got.addListEntries?.held?.changeId).toBeTruthy();
      const reviews = await gq(s.t, '{ feedReviews { changeId } }', {}, s.op.analyst.token);
      expect(reviews.feedReviews.length).toBe(held0 + 1);
      const frames: Json[] = [];
      for (;;) {
        const f = await ws.take((x) => x.type === 'next' || x.type === 'error', 3000);
        if (!f) break;
        frames.push(f);
      }
      expect(frames.filter((f) => f.type === 'next').length).toBe(1);
    } finally {
      ws.close();
    }
  });

  it('a report-linked import run again pushes one reportEvents event', async () => {
    const rep = await publishReport(s.t, s.op.analyst.token, {
      title: 'linked 9',
      tlp: 'GREEN',
      affectedSectors: ['electric-power'],
    });
    const ws = await WsClient.connect(s.t.url, s.peer.analyst.token);
    try {
      ws.subscribe('r', 'subscription { reportEvents { kind } }');
      await new Promise((r) => setTimeout(r, 500));
      const l = await createList(s.t, s.op.analyst.token, 'linked retried', { reportId: rep });
      // Control: what one import pushes.
      const ctl = await createList(s.t, s.op.analyst.token, 'linked ctl', { reportId: rep });
      const take = async () => {
        const out: Json[] = [];
        for (;;) {
          const f = await ws.take((x) => x.type === 'next', 2500);
          if (!f) return out;
          out.push(f.payload);
        }
      };
      await take();
      await gq(s.t, ADD, { l: ctl, i: { text: '45.44.0.1', reportId: rep } }, s.op.analyst.token);
      const one = (await take()).length;
      await cycle(l, () =>
        gq(s.t, ADD, { l, i: { text: '45.44.0.2', reportId: rep } }, s.op.analyst.token),
      );
      expect((await take()).length).toBe(one);
    } finally {
      ws.close();
    }
  });

  it('the import-lines metric counts a run-again import once', async () => {
    const metric = async () => {
      const r = await fetch(`http://127.0.0.1:${METRICS_PORT}/metrics`);
      const text = await r.text();
      return text
        .split('\n')
        .filter((x) => x.startsWith('renkei_import_lines_total'))
        .reduce((a, x) => a + Number(x.split(' ').pop()), 0);
    };
    const l = await createList(s.t, s.op.analyst.token, 'metric retried');
    const ctl = await createList(s.t, s.op.analyst.token, 'metric ctl');
    const m0 = await metric();
    await gq(s.t, ADD, { l: ctl, i: { text: '45.45.0.1\n45.45.0.2' } }, s.op.analyst.token);
    const m1 = await metric();
    await cycle(l, () =>
      gq(s.t, ADD, { l, i: { text: '45.45.0.3\n45.45.0.4' } }, s.op.analyst.token),
    );
    const m2 = await metric();
    expect(m1 - m0).toBeGreaterThan(0);
    expect(m2 - m1).toBe(m1 - m0);
  });
});

describe('more that a run again or the organisation lock must not change', () => {
  it('a run-again REST import into a list holding some of the values answers as one run does (added, resighted)', async () => {
    const v = addrs(800_000, 20);
    const ctl = await createList(s.t, s.op.analyst.token, 'ctl seeded');
    const l = await createList(s.t, s.op.analyst.token, 'retried seeded');
    for (const x of [ctl, l])
      await restOutcome(s.t, 'seed', s.op.writer, x, v.slice(0, 10).join('\n'), 'text/plain');
    const want = await restOutcome(s.t, 'ctl', s.op.writer, ctl, v.join('\n'), 'text/plain');
    let answer: Promise<Outcome> | undefined;
    const got = await inCycle(
      c,
      l,
      () => (answer = restOutcome(s.t, 'r', s.op.writer, l, v.join('\n'), 'text/plain')),
      { hold: false },
    ).catch(() => answer as Promise<Outcome>);
    expect(JSON.parse(got.body)).toEqual(JSON.parse(want.body));
  });

  it('sightings and comments racing a narrowing of the audience are answered, never a fault', async () => {
    const outs: Outcome[] = [];
    for (let round = 0; round < 5; round++) {
      const rep = await publishReport(s.t, s.op.analyst.token, {
        title: `narrow ${round}`,
        tlp: 'AMBER',
        audience: { organisationIds: [s.op.org, s.peer.org] },
        affectedSectors: ['electric-power'],
      });
      outs.push(
        ...(await Promise.all([
          gqlOutcome(s.t, 'sight', SIGHT, { id: rep }, s.peer.analyst.token),
          gqlOutcome(s.t, 'comment', COMMENT, { id: rep, b: 'c' }, s.peer.analyst.token),
          gqlOutcome(
            s.t,
            'narrow',
            'mutation($id: ID!, $i: ReportInput!) { updateReport(id: $id, input: $i) { id } }',
            { id: rep, i: { audience: { organisationIds: [s.op.org] } } },
            s.op.analyst.token,
          ),
          gqlOutcome(s.t, 'sight2', SIGHT, { id: rep }, s.peer.orgAdmin.token),
          gqlOutcome(s.t, 'comment2', COMMENT, { id: rep, b: 'd' }, s.peer.orgAdmin.token),
        ])),
      );
    }
    expect(outs.filter(faulty).map((o) => `${o.what} ${o.codes} ${o.body.slice(0, 200)}`)).toEqual(
      [],
    );
  });

  it('no organisation lock outlives a refused, rolled-back or abandoned list write', async () => {
    const op = s.op.analyst.token;
    const retracted = await createList(s.t, op, 'to retract');
    await gq(
      s.t,
      'mutation($id: ID!) { retractIndicatorList(id: $id, reason: "x") { id } }',
      { id: retracted },
      op,
    );
    const drill = await createList(s.t, op, 'drill gone', { exercise: 'gone9' });
    await gq(s.t, 'mutation { removeExercise(name: "gone9") }', {}, s.op.orgAdmin.token);
    const big = await createList(s.t, op, 'abandoned');
    const outs: Outcome[] = [];
    outs.push(
      await restOutcome(s.t, 'retracted', s.op.writer, retracted, '45.47.0.1', 'text/plain'),
    );
    outs.push(
      await gqlOutcome(s.t, 'retracted g', ADD, { l: retracted, i: { text: '45.47.0.1' } }, op),
    );
    outs.push(await restOutcome(s.t, 'drill gone', s.op.writer, drill, '45.47.0.2', 'text/plain'));
    outs.push(await gqlOutcome(s.t, 'held too big', ADD, { l: big, i: { text: '0.0.0.0/1' } }, op));
    const ac = new AbortController();
    const abandoned = fetch(`${s.t.url}/api/lists/${big}/entries`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.op.writer}`, 'content-type': 'text/plain' },
      body: addrs(900_000, 60_000).join('\n'),
      signal: ac.signal,
    }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 400));
    ac.abort();
    await abandoned;
    await new Promise((r) => setTimeout(r, 3000));
    const idleHolders = await c.query(
      `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a USING (pid)
        WHERE l.locktype = 'advisory' AND a.state LIKE 'idle%' AND a.pid <> pg_backend_pid()`,
    );
    const after = await createList(s.t, op, 'after refusals');
    const next = await settledWithin(
      Promise.all([
        gq(s.t, ADD, { l: after, i: { text: '45.47.1.1' } }, op),
        restOutcome(s.t, 'after rest', s.op.writer, after, '45.47.1.2', 'text/plain'),
      ]),
      15_000,
    );
    expect(outs.filter(faulty).map((o) => o.body)).toEqual([]);
    expect(idleHolders.rows[0].n).toBe(0);
    expect(next).not.toBe('pending');
  });
});
