import { connect as netConnect, Socket } from 'node:net';
import WebSocket from 'ws';
import { createOrg, member, Member, publishReport } from '../support/community';
import { SmtpSink } from '../support/smtp-sink';
import { STRONG_PASSWORD } from '../support/test-hub';
import { WsClient } from '../support/ws-client';
import { ADD, apiToken, createList, gq, Json, postEntries, Scene, scene } from './support';

/*
 * Session 4 attack pass on the newest work (shared push execution and view reads, live counts
 * per list version, the import's second connection, the preview's author labels, mailed address
 * proofs, Basic credentials cross-site). Properties that HELD; the ones that did not are in
 * session4-findings.e2e-spec.ts.
 */

jest.setTimeout(300_000);

let s: Scene;
const sink = new SmtpSink();
type Org = { org: string; analyst: Member; orgAdmin: Member };
let x: Org; // Tohoku Gas (gas)
let y: Org; // Kyushu Water (water)

async function org(name: string, sector: string, mail: string): Promise<Org> {
  const id = await createOrg(s.t, s.admin, { name, sectorCode: sector });
  return {
    org: id,
    orgAdmin: await member(s.t, s.admin, id, `admin@${mail}`, 'ORG_ADMIN'),
    analyst: await member(s.t, s.admin, id, `soc@${mail}`),
  };
}

beforeAll(async () => {
  await sink.start();
  s = await scene({ SMTP_URL: sink.url, FEED_REVIEW_IPV4_ADDRESSES: '1000' });
  x = await org('Tohoku Gas', 'gas', 'tohoku.example');
  y = await org('Kyushu Water', 'water', 'kyushu.example');
  // Enough members per sector for pseudonyms.
  for (const [n, sec] of [
    ['Hokuriku Electric', 'electric-power'],
    ['Shikoku Electric', 'electric-power'],
    ['Okinawa Electric', 'electric-power'],
    ['Saibu Gas', 'gas'],
    ['Toho Gas', 'gas'],
    ['Osaka Water', 'water'],
  ])
    await createOrg(s.t, s.admin, { name: n, sectorCode: sec });
});

afterAll(async () => {
  await s?.t.stop();
  await sink.stop();
});

// ---------------------------------------------------------------------------------------------
// push: shared execution and shared view reads

const Q_PLAIN = `subscription { reportEvents { cursor kind report { id title tlp unread author { label organisationId own } } } }`;
const Q_FRAG = `subscription S { e: reportEvents { ...F __typename } }
  fragment F on ReportEvent { k: kind c: cursor report { i: id t: title u: unread author { __typename own l: label organisationId } } }`;
const Q_FILTER = `subscription($f: ReportEventFilter) { reportEvents(filter: $f) { cursor kind report { id title author { label own organisationId } } } }`;

type Sub = { name: string; token: string; ws: WsClient; q: 'plain' | 'frag' | 'filter' };

function norm(d: Json): {
  id: string;
  title: string;
  label: string;
  orgId: string | null;
  own: boolean;
  unread?: boolean | null;
  cursor: string;
  kind: string;
} {
  if (d.e)
    return {
      id: d.e.report.i,
      title: d.e.report.t,
      label: d.e.report.author.l,
      orgId: d.e.report.author.organisationId,
      own: d.e.report.author.own,
      unread: d.e.report.u,
      cursor: d.e.c,
      kind: d.e.k,
    };
  const r = d.reportEvents;
  return {
    id: r.report.id,
    title: r.report.title,
    label: r.report.author.label,
    orgId: r.report.author.organisationId,
    own: r.report.author.own,
    unread: r.report.unread,
    cursor: r.cursor,
    kind: r.kind,
  };
}

async function drain(ws: WsClient, id: string, quietMs = 4000): Promise<Json[]> {
  const out: Json[] = [];
  for (;;) {
    const d = await ws.next(id, quietMs);
    if (!d) return out;
    out.push(d);
  }
}

describe('push: one execution per view, views read five per transaction', () => {
  it('a mixed burst gives every subscriber exactly its own view of exactly what it may read', async () => {
    const opToken = await apiToken(s.t, s.op.orgAdmin.token, ['reports:read']);
    const opToken2 = await apiToken(s.t, s.op.orgAdmin.token, ['reports:read', 'indicators:write']);
    const peerToken = await apiToken(s.t, s.peer.orgAdmin.token, ['reports:read']);
    const creds: [string, string][] = [
      ['op analyst', s.op.analyst.token],
      ['op admin', s.op.orgAdmin.token],
      ['op token', opToken],
      ['op token2', opToken2],
      ['peer analyst', s.peer.analyst.token],
      ['peer admin', s.peer.orgAdmin.token],
      ['peer token', peerToken],
      ['gas analyst', x.analyst.token],
      ['gas admin', x.orgAdmin.token],
      ['water analyst', y.analyst.token],
    ];
    // A report the op analyst has read and the op admin has not: a comment on it is a
    // report.comment_added event whose unread differs between the two users of one organisation.
    const old = await publishReport(s.t, s.peer.analyst.token, { title: 'old peer', tlp: 'GREEN' });
    await gq(
      s.t,
      'mutation($id: ID!) { markReportRead(id: $id) }',
      { id: old },
      s.op.analyst.token,
    );
    const subs: Sub[] = [];
    for (const [name, token] of creds)
      for (const q of ['plain', 'frag', 'filter'] as const) {
        const ws = await WsClient.connect(s.t.url, token);
        if (q === 'plain') ws.subscribe('s', Q_PLAIN);
        else if (q === 'frag') ws.subscribe('s', Q_FRAG);
        else ws.subscribe('s', Q_FILTER, { f: { markings: ['AMBER', 'AMBER_STRICT', 'GREEN'] } });
        subs.push({ name, token, ws, q });
      }
    await new Promise((r) => setTimeout(r, 500));
    // The burst: different authors, audiences and markings at once.
    await Promise.all([
      publishReport(s.t, s.op.analyst.token, { title: 'B anon green', tlp: 'GREEN' }),
      publishReport(s.t, s.op.analyst.token, {
        title: 'B amber gas',
        tlp: 'AMBER',
        audience: { sectorCodes: ['gas'] },
      }),
      publishReport(s.t, s.op.analyst.token, {
        title: 'B strict peer',
        tlp: 'AMBER_STRICT',
        audience: { organisationIds: [s.peer.org] },
      }),
      publishReport(s.t, s.op.analyst.token, {
        title: 'B named clear',
        tlp: 'CLEAR',
        anonymous: false,
      }),
      publishReport(s.t, x.analyst.token, {
        title: 'B gas amber water',
        tlp: 'AMBER',
        audience: { sectorCodes: ['water'] },
      }),
      publishReport(s.t, s.peer.analyst.token, { title: 'B peer anon green', tlp: 'GREEN' }),
      gq(
        s.t,
        'mutation($r: ID!, $b: String!) { addReportComment(reportId: $r, body: $b) { id } }',
        { r: old, b: 'comment in the burst' },
        s.peer.analyst.token,
      ),
    ]);
    const problems: string[] = [];
    const seen = new Map<string, Set<string>>();
    await Promise.all(
      subs.map(async (sub) => {
        const frames = (await drain(sub.ws, 's')).map(norm);
        sub.ws.close();
        for (const f of frames) {
          const key = `${sub.name}`;
          if (!seen.has(key)) seen.set(key, new Set());
          seen.get(key)!.add(f.title);
          const r = await s.t.gql<Json>(
            'query($id: ID!) { report(id: $id) { title unread author { label organisationId own } } }',
            { id: f.id },
            sub.token,
          );
          if (!r.data?.report) {
            problems.push(`${sub.name}/${sub.q} got "${f.title}" it cannot read`);
            continue;
          }
          const q = r.data.report;
          const want = {
            title: q.title,
            label: q.author.label,
            orgId: q.author.organisationId,
            own: q.author.own,
          };
          const got = { title: f.title, label: f.label, orgId: f.orgId, own: f.own };
          if (JSON.stringify(want) !== JSON.stringify(got))
            problems.push(
              `${sub.name}/${sub.q} "${f.title}": got ${JSON.stringify(got)} want ${JSON.stringify(want)}`,
            );
          if (sub.q !== 'filter' && f.kind === 'report.comment_added' && f.unread !== q.unread)
            problems.push(`${sub.name}/${sub.q} unread ${f.unread} want ${q.unread}`);
        }
      }),
    );
    expect(problems).toEqual([]);
    // Exactly the expected audiences.
    const has = (who: string, title: string) => seen.get(who)?.has(title) ?? false;
    expect(has('peer analyst', 'B amber gas')).toBe(false);
    expect(has('gas analyst', 'B amber gas')).toBe(true);
    expect(has('gas analyst', 'B strict peer')).toBe(false);
    expect(has('peer analyst', 'B strict peer')).toBe(true);
    expect(has('water analyst', 'B strict peer')).toBe(false);
    expect(has('water analyst', 'B gas amber water')).toBe(true);
    expect(has('op analyst', 'B gas amber water')).toBe(false);
  });

  it("a cursor from another organisation's frame does not resume for this one", async () => {
    const ws = await WsClient.connect(s.t.url, s.peer.analyst.token);
    ws.subscribe('p', Q_PLAIN);
    await new Promise((r) => setTimeout(r, 300));
    await publishReport(s.t, s.op.analyst.token, { title: 'cursor probe', tlp: 'GREEN' });
    const f = norm(await ws.next('p'));
    ws.close();
    const other = await WsClient.connect(s.t.url, y.analyst.token);
    other.subscribe('o', Q_PLAIN, {});
    other.send({
      id: 'r',
      type: 'subscribe',
      payload: {
        query: 'subscription($a: ID) { reportEvents(after: $a) { cursor } }',
        variables: { a: f.cursor },
      },
    });
    const frame = await other.take((fr) => fr.id === 'r', 5000);
    other.close();
    expect(frame?.type === 'next' && !frame.payload?.errors).toBe(false);
  });
});

describe('push: per-user views inside one organisation', () => {
  it('a RED report reaches only its named recipient, not the other sockets of its organisation', async () => {
    const subs: [string, WsClient][] = [];
    const peerTok = await apiToken(s.t, s.peer.orgAdmin.token, ['reports:read']);
    for (const [n, tok] of [
      ['peer analyst', s.peer.analyst.token],
      ['peer admin', s.peer.orgAdmin.token],
      ['peer token', peerTok],
      ['op admin', s.op.orgAdmin.token],
    ] as const)
      for (const q of [Q_PLAIN, Q_FRAG]) {
        const ws = await WsClient.connect(s.t.url, tok);
        ws.subscribe('s', q);
        subs.push([n, ws]);
      }
    await new Promise((r) => setTimeout(r, 300));
    await Promise.all([
      publishReport(s.t, s.op.analyst.token, {
        title: 'RED to peer analyst',
        tlp: 'RED',
        audience: { redRecipientEmails: [s.peer.analyst.email] },
      }),
      publishReport(s.t, s.op.analyst.token, { title: 'GREEN alongside RED', tlp: 'GREEN' }),
    ]);
    const got: Record<string, string[]> = {};
    await Promise.all(
      subs.map(async ([n, ws]) => {
        const frames = (await drain(ws, 's', 3000)).map(norm);
        ws.close();
        got[n] = [...new Set([...(got[n] ?? []), ...frames.map((f) => f.title)])].sort();
      }),
    );
    expect(got['peer analyst']).toContain('RED to peer analyst');
    expect(got['peer admin']).not.toContain('RED to peer analyst');
    expect(got['peer token']).not.toContain('RED to peer analyst');
    expect(got['op admin']).toContain('GREEN alongside RED');
  });

  it('an update that narrows the audience is not pushed to the reader it was taken from', async () => {
    const id = await publishReport(s.t, s.op.analyst.token, {
      title: 'narrow me',
      tlp: 'AMBER',
      audience: { organisationIds: [s.peer.org, x.org] },
    });
    const peer = await WsClient.connect(s.t.url, s.peer.analyst.token);
    const gas = await WsClient.connect(s.t.url, x.analyst.token);
    peer.subscribe('s', Q_PLAIN);
    gas.subscribe('s', Q_PLAIN);
    await new Promise((r) => setTimeout(r, 300));
    const u = await gq(
      s.t,
      'mutation($id: ID!, $i: ReportInput!) { updateReport(id: $id, input: $i) { id } }',
      { id, i: { title: 'narrowed secret title', audience: { organisationIds: [x.org] } } },
      s.op.analyst.token,
    );
    expect(u.errors).toBeUndefined();
    const pf = (await drain(peer, 's', 3000)).map(norm);
    const gf = (await drain(gas, 's', 1000)).map(norm);
    peer.close();
    gas.close();
    expect(gf.map((f) => f.title)).toContain('narrowed secret title');
    expect(pf.map((f) => f.title)).not.toContain('narrowed secret title');
  });
});

// ---------------------------------------------------------------------------------------------
// live counts per list version

const LIVE =
  'query($id: ID!) { indicatorList(id: $id) { liveEntries entries(first: 100) { totalCount edges { node { value expired } } } } }';

async function live(id: string, token: string): Promise<{ live: number; counted: number } | null> {
  const r = await gq(s.t, LIVE, { id }, token);
  if (!r.indicatorList) return null;
  const l = r.indicatorList;
  return {
    live: l.liveEntries,
    counted: l.entries.edges.filter((e: Json) => !e.node.expired).length,
  };
}

describe('live entry counts', () => {
  it("a list's count is not given to a reader outside its audience, even once cached", async () => {
    const list = await createList(s.t, s.op.analyst.token, 'amber peer only', {
      tlp: 'AMBER',
      audience: { organisationIds: [s.peer.org] },
    });
    const add = await gq(
      s.t,
      ADD,
      { l: list, i: { text: '203.0.113.1\n203.0.113.2\n203.0.113.3' } },
      s.op.analyst.token,
    );
    expect(add.addListEntries?.applied).toBe(true);
    expect((await live(list, s.peer.analyst.token))?.live).toBe(3);
    expect(await live(list, y.analyst.token)).toBeNull();
    const all = await gq(
      s.t,
      '{ indicatorLists(first: 100) { edges { node { id liveEntries } } } }',
      {},
      y.analyst.token,
    );
    expect(JSON.stringify(all)).not.toContain(list);
  });

  it('counts follow expiry, retraction and new entries for every reader', async () => {
    const list = await createList(s.t, s.op.analyst.token, 'follow me');
    await gq(s.t, ADD, { l: list, i: { text: '192.0.2.10\n192.0.2.11' } }, s.op.analyst.token);
    for (const tok of [s.peer.analyst.token, x.analyst.token, s.op.analyst.token]) {
      const c = await live(list, tok);
      expect(c).toEqual({ live: 2, counted: 2 });
    }
    await gq(s.t, ADD, { l: list, i: { text: '192.0.2.12' } }, s.op.analyst.token);
    for (const tok of [s.peer.analyst.token, x.analyst.token])
      expect(await live(list, tok)).toEqual({ live: 3, counted: 3 });
    const exp = await gq(
      s.t,
      'mutation($id: ID!) { expireIndicatorList(id: $id) { liveEntries } }',
      { id: list },
      s.op.analyst.token,
    );
    expect(exp.expireIndicatorList?.liveEntries).toBe(0);
    for (const tok of [s.peer.analyst.token, x.analyst.token])
      expect((await live(list, tok))?.live).toBe(0);
  });

  it('a held change is not counted for readers, whoever read the count first', async () => {
    const list = await createList(s.t, s.op.analyst.token, 'will be held');
    await gq(s.t, ADD, { l: list, i: { text: '192.0.2.20' } }, s.op.analyst.token);
    expect((await live(list, s.peer.analyst.token))?.live).toBe(1);
    const add = await gq(s.t, ADD, { l: list, i: { text: '100.64.0.0/16' } }, s.op.analyst.token);
    // Either refused (shared space) or held for review.
    const held = add.addListEntries?.held?.length > 0;
    // The owner reads first (through a write: updateIndicatorList returns the list), then others.
    const upd = await gq(
      s.t,
      'mutation($id: ID!, $i: IndicatorListInput!) { updateIndicatorList(id: $id, input: $i) { liveEntries } }',
      { id: list, i: { description: 'touched' } },
      s.op.analyst.token,
    );
    const ownerCount = (await live(list, s.op.analyst.token))!;
    const peerCount = (await live(list, s.peer.analyst.token))!;
    const gasCount = (await live(list, x.analyst.token))!;
    expect(peerCount.live).toBe(peerCount.counted);
    expect(gasCount.live).toBe(gasCount.counted);
    // (the owner's listing shows its held entries while liveEntries leaves them out, cached or not)
    expect(ownerCount.live).toBe(peerCount.live);
    if (held) expect(peerCount.live).toBe(1);
    expect({ held, upd: upd.updateIndicatorList?.liveEntries ?? upd }).toBeDefined();
  });
});

describe('live entry counts of narrow lists', () => {
  it('a RED list count stays with its recipient, even after the recipient read it', async () => {
    const r = await gq(
      s.t,
      'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
      {
        i: {
          name: 'red list',
          tlp: 'RED',
          audience: { redRecipientEmails: [s.peer.analyst.email] },
        },
      },
      s.op.analyst.token,
    );
    if (!r.createIndicatorList) {
      expect(r.errors).toBeDefined(); // RED lists refused: nothing to leak
      return;
    }
    const list = r.createIndicatorList.id;
    await gq(s.t, ADD, { l: list, i: { text: '192.0.2.77\n192.0.2.78' } }, s.op.analyst.token);
    await live(list, s.peer.analyst.token);
    expect(await live(list, s.peer.orgAdmin.token)).toBeNull();
    const all = await gq(
      s.t,
      '{ indicatorLists(first: 100) { edges { node { id liveEntries } } } }',
      {},
      s.peer.orgAdmin.token,
    );
    expect(JSON.stringify(all)).not.toContain(list);
  });

  it('a retracted list counts the same for every reader', async () => {
    const list = await createList(s.t, s.op.analyst.token, 'to retract');
    await gq(s.t, ADD, { l: list, i: { text: '192.0.2.90\n192.0.2.91' } }, s.op.analyst.token);
    expect((await live(list, s.peer.analyst.token))?.live).toBe(2);
    await gq(
      s.t,
      'mutation($id: ID!) { retractIndicatorList(id: $id, reason: "wrong") { id } }',
      { id: list },
      s.op.analyst.token,
    );
    const a = await live(list, s.peer.analyst.token);
    const b = await live(list, x.analyst.token);
    expect(a?.live).toBe(a?.counted);
    expect(b?.live).toBe(b?.counted);
  });
});

// ---------------------------------------------------------------------------------------------
// imports: concurrency, other organisations' lists, the pool

function lines(n: number, base: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = base + i;
    out.push(`45.${(v >> 16) & 255}.${(v >> 8) & 255}.${v & 255}`);
  }
  return out.join('\n');
}

describe('imports', () => {
  it('concurrent imports into one empty list give no 500 and leave exactly the union of the accepted ones', async () => {
    const list = await createList(s.t, s.op.analyst.token, 'raced');
    const bodies = [0, 1, 2, 3, 4].map((k) => lines(600, 100_000 + k * 300));
    const res = await Promise.all(
      bodies.map((b) => postEntries(s.t, s.op.writer, list, b, 'text/plain')),
    );
    for (const r of res) expect(r.status).toBeLessThan(500);
    const accepted = new Set<string>();
    res.forEach((r, i) => {
      if (r.status < 300) for (const v of bodies[i].split('\n')) accepted.add(v);
    });
    const c = await gq(
      s.t,
      'query($id: ID!) { indicatorList(id: $id) { entries { totalCount } } }',
      { id: list },
      s.op.analyst.token,
    );
    expect({
      statuses: res.map((r) => r.status),
      total: c.indicatorList.entries.totalCount,
    }).toEqual({
      statuses: res.map((r) => r.status),
      total: accepted.size,
    });
  });

  it("a member cannot import into another organisation's list through REST or GraphQL", async () => {
    const peerList = await createList(s.t, s.peer.analyst.token, 'peer own');
    const r = await postEntries(s.t, s.op.writer, peerList, '198.51.100.99', 'text/plain');
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    const g = await gq(s.t, ADD, { l: peerList, i: { text: '198.51.100.99' } }, s.op.analyst.token);
    expect(g.errors).toBeDefined();
    expect((await live(peerList, s.peer.analyst.token))?.live).toBe(0);
  });

  it('many large imports at once do not stop the hub answering others', async () => {
    const lists = await Promise.all(
      Array.from({ length: 14 }, (_, i) => createList(s.t, s.op.analyst.token, `flood ${i}`)),
    );
    const started = Date.now();
    const imports = Promise.all(
      lists.map((l, i) =>
        postEntries(s.t, s.op.writer, l, lines(20_000, 300_000 + i * 20_000), 'text/plain'),
      ),
    );
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    const me = await s.t.gql<Json>('{ whoami { organisationId } }', {}, y.analyst.token);
    const took = Date.now() - t0;
    const res = await imports;
    for (const r of res) expect(r.status).toBeLessThan(500);
    expect(me.data?.whoami?.organisationId).toBe(y.org);
    expect(took).toBeLessThan(20_000);
    expect(Date.now() - started).toBeLessThan(180_000);
  });
});

// ---------------------------------------------------------------------------------------------
// previewReportRedactions

const PREVIEW =
  'mutation($id: ID!) { previewReportRedactions(id: $id) { previewHash author { labels tooFewToHideIn } } }';

describe('previewReportRedactions', () => {
  it('another organisation (or a token) cannot preview a draft or a published report', async () => {
    const draft = await gq(
      s.t,
      'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
      { i: { kind: 'INCIDENT', title: 'draft X', tlp: 'GREEN' } },
      s.op.analyst.token,
    );
    const id = draft.createReport.id;
    const pub = await publishReport(s.t, s.op.analyst.token, { title: 'pub X', tlp: 'GREEN' });
    for (const rid of [id, pub])
      for (const tok of [s.peer.analyst.token, s.peer.orgAdmin.token, x.analyst.token]) {
        const r = await gq(s.t, PREVIEW, { id: rid }, tok);
        expect(r.errors).toBeDefined();
      }
  });

  it("the author's labels never name the organisation of an anonymous report", async () => {
    const draft = await gq(
      s.t,
      'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
      { i: { kind: 'INCIDENT', title: 'anon', tlp: 'GREEN', anonymous: true } },
      y.analyst.token,
    );
    const r = await gq(s.t, PREVIEW, { id: draft.createReport.id }, y.analyst.token);
    expect(JSON.stringify(r.previewReportRedactions.author.labels)).not.toContain('Kyushu');
  });
});

// ---------------------------------------------------------------------------------------------
// mailed address proofs

const CREATE_USER =
  'mutation($i: CreateUserInput!) { createUser(input: $i) { id emailVerifiedAt } }';

describe('mailed address proofs', () => {
  it('the org admin creating a user for an outside address never sees the token', async () => {
    const victim = 'victim1@elsewhere.example';
    const r = await s.t.gql<Json>(
      CREATE_USER,
      {
        i: {
          organisationId: s.op.org,
          email: victim,
          displayName: 'V',
          role: 'ANALYST',
          initialPassword: STRONG_PASSWORD,
        },
      },
      s.op.orgAdmin.token,
    );
    expect(JSON.stringify(r)).not.toMatch(/rkv_/);
    const id = r.data.createUser.id;
    const again = await s.t.gql<Json>(
      'mutation($id: ID!) { issueEmailVerification(id: $id) }',
      { id },
      s.op.orgAdmin.token,
    );
    expect(JSON.stringify(again)).not.toMatch(/rkv_/);
    await new Promise((res) => setTimeout(res, 1500));
    expect(s.t.output.join('\n')).not.toMatch(/rkv_/);
    expect(sink.proofs(victim).length).toBeGreaterThan(0);
    // another organisation's admin cannot reissue
    const other = await s.t.gql<Json>(
      'mutation($id: ID!) { issueEmailVerification(id: $id) }',
      { id },
      s.peer.orgAdmin.token,
    );
    expect(other.errors).toBeDefined();
  });

  it('header injection through the address is refused and mails nobody else', async () => {
    const before = sink.mails.length;
    for (const email of [
      'a@b.example\r\nBcc: evil@evil.example',
      'a@b.example\nBcc: evil@evil.example',
      'a@b.example, evil@evil.example',
      '"evil@evil.example" <a@b.example>',
      'evil@evil.example\u0000@b.example',
      'a@b.example>\r\nRCPT TO:<evil@evil.example',
    ]) {
      const r = await s.t.gql<Json>(
        CREATE_USER,
        {
          i: {
            organisationId: s.op.org,
            email,
            displayName: 'V',
            role: 'ANALYST',
            initialPassword: STRONG_PASSWORD,
          },
        },
        s.op.orgAdmin.token,
      );
      expect(r.errors).toBeDefined();
      expect(r.status).toBeLessThan(500);
    }
    await new Promise((res) => setTimeout(res, 1500));
    expect(sink.mails.slice(before).flatMap((m) => m.to)).toEqual([]);
  });

  it('header injection through the display name adds no header or recipient', async () => {
    const victim = 'victim2@elsewhere.example';
    const before = sink.mails.length;
    const r = await s.t.gql<Json>(
      CREATE_USER,
      {
        i: {
          organisationId: s.op.org,
          email: victim,
          displayName: 'V\r\nBcc: evil@evil.example\r\nSubject: x',
          role: 'ANALYST',
          initialPassword: STRONG_PASSWORD,
        },
      },
      s.op.orgAdmin.token,
    );
    await new Promise((res) => setTimeout(res, 2000));
    const mails = sink.mails.slice(before);
    expect(mails.flatMap((m) => m.to).filter((a) => a !== victim)).toEqual([]);
    for (const m of mails) {
      expect(m.headers.has('bcc')).toBe(false);
      expect(m.subject).not.toBe('x');
    }
    expect(r.status).toBeLessThan(500);
  });
});

// ---------------------------------------------------------------------------------------------
// Basic credentials cross-site

const basic = (token: string) => `Basic ${Buffer.from(`fw:${token}`).toString('base64')}`;
const browsers: [string, Record<string, string>][] = [
  ['a cross-site form', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }],
  ['a sibling subdomain', { 'sec-fetch-site': 'same-site', origin: 'https://evil.hub.example' }],
  ['a sandboxed frame', { origin: 'null' }],
  ['an old browser (Origin only)', { origin: 'https://evil.example' }],
];

describe('Basic credentials from another site', () => {
  let list: string;
  beforeAll(async () => {
    list = await createList(s.t, s.op.analyst.token, 'basic csrf');
  });

  it.each(browsers)('REST import with Basic from %s is refused', async (_n, headers) => {
    for (const ct of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const res = await fetch(`${s.t.url}/api/lists/${list}/entries`, {
        method: 'POST',
        headers: { ...headers, authorization: basic(s.op.writer), 'content-type': ct },
        body: '198.51.100.55',
      });
      expect(res.status).toBe(403);
    }
    expect((await live(list, s.op.analyst.token))?.live).toBe(0);
  });

  it.each(browsers)('GraphQL with Basic from %s is refused', async (_n, headers) => {
    const res = await fetch(`${s.t.url}/graphql`, {
      method: 'POST',
      headers: { ...headers, authorization: basic(s.op.writer), 'content-type': 'text/plain' },
      body: JSON.stringify({ query: ADD, variables: { l: list, i: { text: '198.51.100.56' } } }),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect((await live(list, s.op.analyst.token))?.live).toBe(0);
  });

  it('a cross-site WebSocket with Basic or cookie credentials gets neither reads nor writes', async () => {
    for (const headers of [
      { authorization: basic(s.op.writer) },
      { cookie: `renkei_session=${s.op.analyst.token}` },
      { authorization: `Bearer ${s.op.analyst.token}` },
    ]) {
      const ws = new WebSocket(
        `${s.t.url.replace(/^http/, 'ws')}/graphql`,
        'graphql-transport-ws',
        {
          headers: { ...headers, origin: 'https://evil.example' },
        },
      );
      const frames: Json[] = [];
      ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
      const opened = await new Promise<boolean>((res) => {
        ws.once('open', () => res(true));
        ws.once('error', () => res(false));
        ws.once('unexpected-response', () => res(false));
      });
      if (opened) {
        ws.send(JSON.stringify({ type: 'connection_init', payload: {} }));
        await new Promise((r) => setTimeout(r, 500));
        ws.send(
          JSON.stringify({
            id: 'm',
            type: 'subscribe',
            payload: { query: ADD, variables: { l: list, i: { text: '198.51.100.57' } } },
          }),
        );
        ws.send(
          JSON.stringify({
            id: 'q',
            type: 'subscribe',
            payload: { query: '{ whoami { organisationId } }' },
          }),
        );
        await new Promise((r) => setTimeout(r, 1000));
        ws.close();
      }
      expect(JSON.stringify(frames)).not.toContain(s.op.org);
      expect((await live(list, s.op.analyst.token))?.live).toBe(0);
    }
  });
});

describe('the proof link', () => {
  it('points at the hub, whatever Host or X-Forwarded-Host the org admin sends', async () => {
    const victim = 'victim4@elsewhere.example';
    const res = await fetch(`${s.t.url}/graphql`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${s.op.orgAdmin.token}`,
        'content-type': 'application/json',
        host: 'evil.example',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'https',
        forwarded: 'host=evil.example;proto=https',
      },
      body: JSON.stringify({
        query: CREATE_USER,
        variables: {
          i: {
            organisationId: s.op.org,
            email: victim,
            displayName: 'V',
            role: 'ANALYST',
            initialPassword: STRONG_PASSWORD,
          },
        },
      }),
    });
    expect(res.status).toBeLessThan(500);
    await new Promise((r) => setTimeout(r, 2000));
    const mails = sink.proofs(victim);
    for (const m of mails) expect(m.text).not.toContain('evil.example');
    expect(mails.length).toBeGreaterThan(0);
    for (const m of mails)
      expect(m.text).toContain(`http://localhost:${new URL(s.t.url).port}/verify-email#token=`);
  });
});

describe('slow uploads', () => {
  it('a dozen imports whose bodies trickle in do not hold the pool from other members', async () => {
    const lists = await Promise.all(
      Array.from({ length: 12 }, (_, i) => createList(s.t, s.op.analyst.token, `slow ${i}`)),
    );
    const port = Number(new URL(s.t.url).port);
    const sockets: Socket[] = [];
    for (const l of lists) {
      const sock = netConnect(port, '127.0.0.1');
      await new Promise((r) => sock.once('connect', r));
      sock.on('error', () => undefined);
      sock.write(
        `POST /api/lists/${l}/entries HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer ${s.op.writer}\r\n` +
          `Content-Type: text/plain\r\nContent-Length: 100000\r\n\r\n198.51.100.1\n`,
      );
      sockets.push(sock);
    }
    const drip = setInterval(() => sockets.forEach((k) => k.write('1')), 500);
    try {
      await new Promise((r) => setTimeout(r, 1000));
      const peerList = await createList(s.t, s.peer.analyst.token, 'while others trickle');
      const t0 = Date.now();
      const [a, b] = await Promise.all([
        postEntries(
          s.t,
          s.peer.feeds === ''
            ? ''
            : await apiToken(s.t, s.peer.orgAdmin.token, ['indicators:write']),
          peerList,
          '192.0.2.150',
          'text/plain',
        ),
        s.t.gql<Json>('{ whoami { organisationId } }', {}, y.analyst.token),
      ]);
      expect(a.status).toBeLessThan(300);
      expect(b.data?.whoami?.organisationId).toBe(y.org);
      expect(Date.now() - t0).toBeLessThan(10_000);
    } finally {
      clearInterval(drip);
      sockets.forEach((k) => k.destroy());
    }
  });
});
