import { WsClient } from '../support/ws-client';
import {
  asRead,
  community,
  Community,
  Ev,
  publish,
  SUB,
  subscribeAll,
  upTo,
} from './session6-common';
import { createOrg, member, publishReport } from '../support/community';
import { startTestHub, TestHub } from '../support/test-hub';
import { latestEventId, sealedCursor } from '../support/sealed-cursor';
import { apiToken, gq, Json } from './support';

/*
 * Session 6 attack pass (outside view; a member's users and tokens) on ADR 0041: one statement
 * reads an event's report for every subscriber, each under its own scope, and every scoped
 * transaction sets role and principal in one statement. HELD properties (these pass).
 * Findings: session6-findings.e2e-spec.ts.
 */

jest.setTimeout(180_000);

let c: Community;
const open: WsClient[] = [];

beforeAll(async () => {
  c = await community();
});

let scaleHub: TestHub | undefined;

afterAll(async () => {
  open.forEach((s) => s.close());
  await c?.t.stop();
  await scaleHub?.stop();
});

const hour = (iso: string) => iso.replace(/:\d\d:\d\d(\.\d+)?Z$/, ':00:00.000Z');

it('every subscriber of a mixed community gets exactly what its own query shows, report by report', async () => {
  const subs = await subscribeAll(c);
  open.push(...subs);
  const ids: Record<string, string> = {};
  ids.redHidden = await publish(c, {
    title: 'red soc1 only',
    tlp: 'RED',
    audience: { redRecipientEmails: ['soc1@chubu.example'] },
  });
  ids.strict = await publish(c, {
    title: 'strict tgas',
    tlp: 'AMBER_STRICT',
    audience: { organisationIds: [c.orgs.tgas] },
  });
  ids.greenAnon = await publish(c, {
    title: 'green anon',
    tlp: 'GREEN',
    timeline: { occurredAt: '2026-12-01T03:17:41Z', detectedAt: '2026-12-01T04:59:59Z' },
  });
  ids.greenNamed = await publish(c, { title: 'green named', tlp: 'GREEN', anonymous: false });
  ids.amberSector = await publish(c, {
    title: 'amber electric',
    tlp: 'AMBER',
    audience: { sectorCodes: ['electric-power'] },
  });
  ids.amberGroup = await publish(c, {
    title: 'amber group',
    tlp: 'AMBER',
    audience: { groupIds: [c.group] },
  });
  ids.linking = await publish(c, {
    title: 'green linking hidden ones',
    tlp: 'GREEN',
    linkedReportIds: [ids.redHidden, ids.strict, ids.amberSector],
  });
  ids.exercise = await publish(c, { title: 'drill green', tlp: 'GREEN', exercise: 'drill 6' });
  ids.retracted = await publish(c, { title: 'to retract', tlp: 'GREEN' });
  await gq(
    c.t,
    'mutation($id: ID!) { retractReport(id: $id, reason: "wrong") { id } }',
    { id: ids.retracted },
    c.author.token,
  );
  // A draft: never an event.
  await gq(
    c.t,
    'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
    { i: { kind: 'INCIDENT', title: 'draft only', tlp: 'GREEN' } },
    c.author.token,
  );
  // Comments and sightings on the hidden ones.
  const comment =
    'mutation($id: ID!, $b: String!) { addReportComment(reportId: $id, body: $b) { id } }';
  for (const id of [ids.redHidden, ids.strict, ids.greenAnon])
    expect((await gq(c.t, comment, { id, b: `note on ${id}` }, c.author.token)).errors).toBe(
      undefined,
    );
  const soc1 = c.readers.find((r) => r.email === 'soc1@chubu.example')!;
  const sight = await gq(
    c.t,
    'mutation($id: ID!) { addReportSighting(reportId: $id, note: "seen at chubu") { id } }',
    { id: ids.redHidden },
    soc1.token,
  );
  expect(sight.errors).toBe(undefined);
  await publish(c, { title: 'sentinel 1', tlp: 'CLEAR' });

  const got = await Promise.all(subs.map((s) => upTo(s, 'sentinel 1')));
  const all = Object.values(ids);
  const exact: string[][] = [];
  for (const [i, r] of c.readers.entries()) {
    const evs = got[i];
    const lastOf = new Map<string, Ev>();
    for (const e of evs) lastOf.set(e.report.id, e);
    const views = new Map<string, Json>();
    for (const id of all) views.set(id, await asRead(c.t, r.token, id));
    // No frame of a report this reader may not read.
    for (const e of evs) {
      if (e.report.title === 'sentinel 1') continue;
      expect([r.name, e.report.title, views.get(e.report.id) !== null]).toEqual([
        r.name,
        e.report.title,
        true,
      ]);
    }
    for (const e of evs) {
      const v = views.get(e.report.id);
      // (A reader's own sighting keeps its exact time: it is the reader's.)
      if (e.kind === 'report.sighting_added' && r.orgId === soc1.orgId) continue;
      if (v && v.anonymous && !v.author.own && e.at !== hour(e.at))
        exact.push([r.name, e.kind, v.title, e.at]);
    }
    // Every report it may read came, and its last frame equals the query now.
    for (const id of all) {
      const v = views.get(id);
      if (v === null) continue;
      const ev = lastOf.get(id);
      expect([r.name, v.title, ev?.report ?? 'missing']).toEqual([r.name, v.title, v]);
      // An anonymous report of another organisation: no organisation, times rounded.
      if (v.anonymous && !v.author.own) {
        expect(ev!.report.author.organisationId).toBeNull();
        expect(ev!.report.author.label).not.toMatch(/Kanto/);
      }
    }
  }
  expect(exact).toEqual([]);
  subs.forEach((s) => s.close());
});

it('a publish raced by a raise to RED never shows the raised version to anyone but the recipient', async () => {
  const subs = await subscribeAll(c);
  open.push(...subs);
  const update =
    'mutation($id: ID!, $i: ReportInput!) { updateReport(id: $id, input: $i) { id tlp } }';
  const errs: Json[] = [];
  for (let n = 0; n < 6; n++) {
    const created = await gq(
      c.t,
      'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
      { i: { kind: 'INCIDENT', title: `race ${n}`, tlp: 'GREEN', anonymous: n % 2 === 0 } },
      c.author.token,
    );
    const id = created.createReport.id;
    const pv = await gq(
      c.t,
      'mutation($id: ID!) { previewReportRedactions(id: $id) { previewHash } }',
      { id },
      c.author.token,
    );
    const [p, u] = await Promise.all([
      gq(
        c.t,
        'mutation($id: ID!, $h: String!) { publishReport(id: $id, previewHash: $h) { id } }',
        { id, h: pv.previewReportRedactions.previewHash },
        c.author.token,
      ),
      new Promise((r) => setTimeout(r, n * 3)).then(() =>
        gq(
          c.t,
          update,
          {
            id,
            i: {
              title: `raised ${n}`,
              tlp: 'RED',
              audience: { redRecipientEmails: ['soc1@chubu.example'] },
            },
          },
          c.author.token,
        ),
      ),
    ]);
    if (p.errors) errs.push(p.errors);
    if (u.errors) errs.push(u.errors);
  }
  await publish(c, { title: 'sentinel 2', tlp: 'CLEAR' });
  const got = await Promise.all(subs.map((s) => upTo(s, 'sentinel 2')));
  for (const [i, r] of c.readers.entries()) {
    const leaked = got[i]
      .filter((e) => /^raised/.test(e.report.title) || e.report.tlp === 'RED')
      .map((e) => e.report.title);
    const may = r.email === 'soc1@chubu.example' || r.orgId === c.orgs.kanto;
    if (!may) expect([r.name, leaked]).toEqual([r.name, []]);
  }
  subs.forEach((s) => s.close());
});

it('many concurrent requests of different organisations each see only their own (pooled connections)', async () => {
  // Each organisation has a RED report to one of its own users only and a draft.
  const own = new Map<string, string>();
  const who = c.readers.filter((r) => r.email);
  for (const r of who.slice(0, 8)) {
    const id = await publish(
      c,
      { title: `own red ${r.name}`, tlp: 'RED', audience: { redRecipientEmails: [r.email] } },
      r.token,
    );
    own.set(r.name, id);
  }
  const list = '{ reports(first: 100) { edges { node { id title tlp } } } }';
  const baseline = new Map<string, string>();
  for (const r of c.readers) {
    const x = await gq(c.t, list, {}, r.token);
    baseline.set(r.name, JSON.stringify(x));
  }
  const jobs: Promise<[string, string, string]>[] = [];
  for (let k = 0; k < 12; k++)
    for (const r of c.readers)
      jobs.push(
        gq(c.t, list, {}, r.token).then((x) => [r.name, JSON.stringify(x), baseline.get(r.name)!]),
      );
  const out = await Promise.all(jobs);
  for (const [name, x, b] of out) expect([name, x]).toEqual([name, b]);
  // Direct reads of another's RED: refused under any interleaving.
  const reads: Promise<[string, string, boolean]>[] = [];
  for (let k = 0; k < 6; k++)
    for (const r of who)
      for (const [owner, id] of own)
        reads.push(
          asRead(c.t, r.token, id).then((v) => [r.name, owner, v !== null && v.id === id]),
        );
  for (const [reader, owner, seen] of await Promise.all(reads)) {
    const ownerReader = who.find((x) => x.name === owner)!;
    const may = reader === owner || ownerReader.orgId === who.find((x) => x.name === reader)!.orgId;
    if (!may) expect([reader, owner, seen]).toEqual([reader, owner, false]);
  }
});

it('requests aborted mid-flight and requests without credentials leave no principal behind', async () => {
  const list = '{ reports(first: 100) { edges { node { id title tlp } } } }';
  const readers = c.readers.filter((r) => r.orgId !== c.orgs.chubu || r.email);
  const baseline = new Map<string, string>();
  for (const r of readers) baseline.set(r.name, JSON.stringify(await gq(c.t, list, {}, r.token)));
  const post = (token: string | undefined, signal?: AbortSignal) =>
    fetch(`${c.t.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query: list }),
      signal,
    });
  const jobs: Promise<unknown>[] = [];
  const wrong: unknown[] = [];
  for (let k = 0; k < 10; k++)
    for (const [i, r] of readers.entries()) {
      // Another organisation's request, aborted after a few milliseconds.
      const a = new AbortController();
      jobs.push(post(readers[(i + 3) % readers.length].token, a.signal).catch(() => undefined));
      setTimeout(() => a.abort(), (i + k) % 7);
      // A request without credentials: refused, never another's view.
      jobs.push(
        post(undefined).then(async (res) => {
          const body = await res.text();
          if (/own red|"title"/.test(body)) wrong.push(['anonymous', body.slice(0, 200)]);
        }),
      );
      jobs.push(
        gq(c.t, list, {}, r.token).then((x) => {
          const got = JSON.stringify(x);
          if (got !== baseline.get(r.name)) wrong.push([r.name, got.slice(0, 300)]);
        }),
      );
    }
  await Promise.all(jobs);
  expect(wrong).toEqual([]);
});

it('failing requests interleaved with others leave no principal behind, and feeds stay per organisation', async () => {
  // An AMBER+STRICT list for each of four organisations, one secret domain in each.
  const feedOrgs = ['chubu', 'tgas', 'kansai', 'water'] as const;
  const secrets = new Map<string, string>();
  const tokens = new Map<string, string>();
  const admins: Record<string, string> = {};
  for (const r of c.readers) if (/^admin@/.test(r.email ?? '')) admins[r.orgId] = r.token;
  for (const o of feedOrgs) {
    const list = await gq(
      c.t,
      'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
      {
        i: {
          name: `strict for ${o}`,
          tlp: 'AMBER_STRICT',
          audience: { organisationIds: [c.orgs[o]] },
          anonymous: false,
        },
      },
      c.author.token,
    );
    const l = list.createIndicatorList.id;
    const host = `secret-${o}.s6.example`;
    const add = await gq(
      c.t,
      'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { added held { changeId } } }',
      { l, i: { text: host } },
      c.author.token,
    );
    const held = add.addListEntries?.held;
    if (held)
      await gq(
        c.t,
        'mutation($c: Int!) { approveFeedChange(changeId: $c, note: "ok") { changeId } }',
        { c: held.changeId },
        c.admin,
      );
    secrets.set(o, host);
  }
  const orgAdmin = async (o: string) => {
    const r = c.readers.find((x) => x.orgId === c.orgs[o] && /^admin@/.test(x.email ?? ''));
    return r?.token;
  };
  for (const o of feedOrgs) {
    let a = await orgAdmin(o);
    if (!a) {
      a = (await member(c.t, c.admin, c.orgs[o], `admin2@${o}.example`, 'ORG_ADMIN')).token;
    }
    tokens.set(o, await apiToken(c.t, a, ['feeds:read', 'reports:read']));
  }
  const feed = async (o: string, path: string) => {
    const res = await fetch(`${c.t.url}${path}`, {
      headers: {
        authorization: `Bearer ${tokens.get(o)}`,
        accept: path.startsWith('/taxii2/') ? 'application/taxii+json;version=2.1' : '*/*',
      },
    });
    return [o, path, res.status, await res.text()] as const;
  };
  const bad = [
    'query { report(id: "not-an-id") { id } }',
    'query { report(id: "00000000-0000-0000-0000-000000000000") { id } }',
    'query { reports(first: 1000) { edges { node { id } } } }',
    'query { reports(filter: { publishedAfter: "x" }) { edges { node { id } } } }',
  ];
  const jobs: Promise<readonly [string, string, number, string]>[] = [];
  for (let k = 0; k < 8; k++)
    for (const o of feedOrgs) {
      jobs.push(
        feed(o, '/feeds/domain.txt'),
        feed(o, '/feeds/all.json'),
        feed(o, '/taxii2/api/collections/'),
      );
      jobs.push(gq(c.t, bad[k % bad.length], {}, tokens.get(o)!).then(() => ['', '', 0, '']));
      jobs.push(
        gq(c.t, bad[(k + 1) % bad.length], {}, c.readers[k % c.readers.length].token).then(() => [
          '',
          '',
          0,
          '',
        ]),
      );
    }
  const seen: string[][] = [];
  for (const [o, path, status, text] of await Promise.all(jobs)) {
    if (!o) continue;
    expect([o, path, status]).toEqual([o, path, 200]);
    for (const [p, host] of secrets) {
      const has = text.includes(host) || text.includes(`strict for ${p}`);
      if (has !== (p === o)) seen.push([o, path, host, String(has)]);
    }
  }
  expect(seen).toEqual([]);
});

it('an organisation moved to another sector or out of its group while subscribed gets what its query shows', async () => {
  const subs = await subscribeAll(c);
  open.push(...subs);
  const upd =
    'mutation($id: ID!, $i: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $i) { id } }';
  const closedButValid: Json[] = [];
  // Chubu leaves electric power for water; Osaka Gas joins electric power; Tokyo Gas leaves the group.
  for (const [id, i] of [
    [c.orgs.chubu, { sectorCode: 'water' }],
    [c.orgs.ogas, { sectorCode: 'electric-power' }],
    [c.orgs.tgas, { clearGroup: true }],
  ] as const) {
    const r = await gq(c.t, upd, { id, i }, c.admin);
    expect(r.errors).toBe(undefined);
  }
  const sector = await publish(c, {
    title: 'amber electric after moves',
    tlp: 'AMBER',
    audience: { sectorCodes: ['electric-power'] },
  });
  const group = await publish(c, {
    title: 'amber group after moves',
    tlp: 'AMBER',
    audience: { groupIds: [c.group] },
  });
  const linking = await publish(c, {
    title: 'green linking after moves',
    tlp: 'GREEN',
    linkedReportIds: [sector, group],
  });
  await publish(c, { title: 'sentinel moves', tlp: 'CLEAR' });
  // A moved organisation's sockets may be closed (4403): then its credentials must be refused
  // too; the others get every event.
  const got = await Promise.all(
    subs.map((s, i) =>
      upTo(s, 'sentinel moves').catch(async (e) => {
        const closed = await Promise.race([s.closed, new Promise((r) => setTimeout(r, 100))]);
        if (!closed) throw e;
        const who = await gq(c.t, '{ whoami { organisationId } }', {}, c.readers[i].token);
        closedButValid.push([c.readers[i].orgId, (closed as Json).code, !who.errors]);
        return null;
      }),
    ),
  );
  const diffs: Json[] = [];
  for (const [i, r] of c.readers.entries()) {
    if (got[i] === null) continue;
    for (const id of [sector, group, linking]) {
      const v = await asRead(c.t, r.token, id);
      const e = got[i]!.filter((x) => x.report.id === id).at(-1);
      if (JSON.stringify(v) !== JSON.stringify(e?.report ?? null))
        diffs.push({ reader: r.name, query: v && v.title, frame: e?.report ?? null, v });
    }
  }
  expect(diffs).toEqual([]);
  // Only the moved organisations' sockets were closed (to subscribe again under the new scope).
  const moved = [c.orgs.chubu, c.orgs.ogas, c.orgs.tgas];
  expect(closedButValid.filter((x) => !moved.includes(x[0]) || x[1] !== 4403)).toEqual([]);
  expect(closedButValid.length).toBe(c.readers.filter((r) => moved.includes(r.orgId)).length);
  subs.forEach((s) => s.close());
});

it('another organisation’s cursor is refused', async () => {
  const chubu = c.readers.find((r) => r.email === 'soc2@chubu.example')!;
  const tgas = c.readers.find((r) => r.email === 'soc@tgas.example')!;
  const s1 = await WsClient.connect(c.t.url, chubu.token);
  open.push(s1);
  s1.subscribe('r', SUB);
  const id = await publish(c, { title: 'cursor source', tlp: 'GREEN' });
  let first = (await s1.next('r')) as Json;
  while (first.reportEvents.report.id !== id) first = (await s1.next('r')) as Json;
  const cursor = first.reportEvents.cursor;
  // Tokyo Gas replays with Chubu's cursor: refused.
  const s2 = await WsClient.connect(c.t.url, tgas.token);
  open.push(s2);
  s2.subscribe('x', SUB, { after: cursor });
  const f = await s2.take((x) => x.id === 'x', 10_000);
  expect(f?.type === 'error' || (f?.payload?.errors?.length ?? 0) > 0).toBe(true);
});

it('a subscription resumed with after: does not replay a report raised to RED since, to a reader who was offline and may no longer read it', async () => {
  // An author publishes GREEN by mistake and raises it to RED for one Tokyo Gas user (the
  // remedy updateReport offers). Hokuriku's SOC client was offline; it resumes from the cursor
  // it stored before the publish. Its query says the report is gone (report(id:) refused), and
  // the replay leaves it out too. (A user who was pushed it before is replayed it: finding.)
  const hokuriku = c.readers.find((r) => r.email === 'soc@hokuriku.example')!;
  const tgas = c.readers.find((r) => r.email === 'soc@tgas.example')!;
  const stored = await sealedCursor(c.t, hokuriku.token, await latestEventId(c.t));
  const id = await publish(c, {
    title: 'mistake: plant 3 SCADA password',
    summary: 'the withdrawn detail',
    tlp: 'GREEN',
  });
  const up = await gq(
    c.t,
    'mutation($id: ID!, $i: ReportInput!) { updateReport(id: $id, input: $i) { id tlp title } }',
    { id, i: { title: 'raised', tlp: 'RED', audience: { redRecipientEmails: [tgas.email] } } },
    c.author.token,
  );
  expect(up.errors).toBe(undefined);
  expect(up.updateReport.tlp).toBe('RED');
  await publish(c, { title: 'sentinel replay', tlp: 'CLEAR' });
  expect(await asRead(c.t, hokuriku.token, id)).toBeNull();

  const s = await WsClient.connect(c.t.url, hokuriku.token);
  open.push(s);
  s.subscribe('r', SUB, { after: stored });
  const replay = await upTo(s, 'sentinel replay');
  expect(replay.filter((e) => e.report.id === id).map((e) => [e.kind, e.report.title])).toEqual([]);
  s.close();
});

it('an anonymous report at the edge of ANONYMITY_K: each subscriber’s pseudonym is its own query’s, never the name', async () => {
  // Ports has exactly three organisations, the author one of them: for a ports reader only
  // two others fit "an operator in ports" (fewer than K = 3), for everyone else three do. The
  // batched author contexts must leave each reader out of its own counts only.
  const pA = await createOrg(c.t, c.admin, { name: 'Port of Kobe', sectorCode: 'ports' });
  const pB = await createOrg(c.t, c.admin, { name: 'Port of Hakata', sectorCode: 'ports' });
  await createOrg(c.t, c.admin, { name: 'Port of Niigata', sectorCode: 'ports' });
  const wAuthor = await member(c.t, c.admin, pA, 'soc@kobe-port.example');
  const pBAdmin = await member(c.t, c.admin, pB, 'admin@hakata-port.example', 'ORG_ADMIN');
  const pBUser = await member(c.t, c.admin, pB, 'soc@hakata-port.example');
  const readers = [
    ...c.readers,
    { name: 'hakata soc', token: pBUser.token, orgId: pB, email: pBUser.email },
    {
      name: 'hakata token',
      token: await apiToken(c.t, pBAdmin.token, ['reports:read']),
      orgId: pB,
    },
  ];
  const subs = await subscribeAll(c, readers);
  open.push(...subs);
  const ids = [
    await publish(c, { title: 'anon ports', tlp: 'GREEN' }, wAuthor.token),
    await publish(
      c,
      { title: 'anon ports amber', tlp: 'AMBER', audience: { sectorCodes: ['ports', 'gas'] } },
      wAuthor.token,
    ),
  ];
  await gq(
    c.t,
    'mutation($id: ID!, $b: String!) { addReportComment(reportId: $id, body: $b) { id } }',
    { id: ids[0], b: 'author comment' },
    wAuthor.token,
  );
  await publish(c, { title: 'sentinel k', tlp: 'CLEAR' });
  const got = await Promise.all(subs.map((s) => upTo(s, 'sentinel k')));
  const diffs: Json[] = [];
  const labels = new Set<string>();
  for (const [i, r] of readers.entries())
    for (const id of ids) {
      const v = await asRead(c.t, r.token, id);
      const e = got[i].filter((x) => x.report.id === id).at(-1);
      if (JSON.stringify(v) !== JSON.stringify(e?.report ?? null))
        diffs.push({ reader: r.name, v, frame: e?.report });
      if (e) labels.add(e.report.author.label);
      for (const x of got[i].filter((y) => y.report.id === id))
        expect(JSON.stringify(x)).not.toMatch(/Kobe|kobe-port/);
    }
  expect(diffs).toEqual([]);
  expect(labels.size).toBeGreaterThan(1); // the edge was reached: two different pseudonyms
  subs.forEach((s) => s.close());
});

it('a token revoked and a user suspended while subscribed get nothing more', async () => {
  const kansaiAdmin = c.readers.find((r) => r.email === 'admin@kansai.example');
  const adminTok =
    kansaiAdmin?.token ??
    (await member(c.t, c.admin, c.orgs.kansai, 'admin3@kansai.example', 'ORG_ADMIN')).token;
  const created = await gq(
    c.t,
    'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token apiToken { id } } }',
    { i: { name: 'to revoke', scopes: ['reports:read'] } },
    adminTok,
  );
  const tok = created.createApiToken;
  const user = await member(c.t, c.admin, c.orgs.kansai, 'suspend@kansai.example');
  const us = await gq(
    c.t,
    'query($o: ID!) { users(first: 100, filter: { organisationId: $o }) { edges { node { id email } } } }',
    { o: c.orgs.kansai },
    c.admin,
  );
  const userId = us.users.edges.find((e: Json) => e.node.email === user.email).node.id;
  const readers = [
    { name: 'revoked', token: tok.token, orgId: c.orgs.kansai },
    { name: 'suspended', token: user.token, orgId: c.orgs.kansai, email: user.email },
  ];
  const subs = await subscribeAll(c, readers);
  open.push(...subs);
  const r1 = await gq(
    c.t,
    'mutation($id: ID!) { revokeApiToken(id: $id) { id } }',
    { id: tok.apiToken?.id },
    adminTok,
  );
  const r2 = await gq(
    c.t,
    'mutation($id: ID!) { suspendUser(id: $id) { id } }',
    { id: userId },
    c.admin,
  );
  expect([r1.errors, r2.errors]).toEqual([undefined, undefined]);
  await publish(c, { title: 'after revoke', tlp: 'CLEAR' });
  for (const s of subs) {
    expect(await s.next('r', 3000).catch(() => undefined)).toBeUndefined();
    expect((await s.closed).code).toBe(4403);
  }
});

it('tokens subscribed before and after a RED recipient of their organisation, two filtered subscriptions a socket', async () => {
  const chubuAdmin = c.readers.find((r) => r.email === 'admin@chubu.example')!;
  const soc1 = c.readers.find((r) => r.email === 'soc1@chubu.example')!;
  const soc2 = c.readers.find((r) => r.email === 'soc2@chubu.example')!;
  const tok = async (n: string) => ({
    name: n,
    token: await apiToken(c.t, chubuAdmin.token, ['reports:read']),
    orgId: soc1.orgId,
  });
  const readers = [
    await tok('token before 1'),
    await tok('token before 2'),
    soc1,
    await tok('token after 1'),
    soc2,
    await tok('token after 2'),
  ];
  const FILTERED = `subscription($after: ID) {
    reportEvents(after: $after, filter: { markings: [RED, AMBER_STRICT], events: [PUBLISHED, COMMENT_ADDED] }) {
      cursor kind report { id title tlp author { label organisationId } } comment { body } } }`;
  const from = await latestEventId(c.t);
  const subs: WsClient[] = [];
  for (const r of readers) {
    const s = await WsClient.connect(c.t.url, r.token);
    const after = await sealedCursor(c.t, r.token, from);
    s.subscribe('r', SUB, { after });
    s.subscribe('f', FILTERED, { after });
    subs.push(s);
  }
  open.push(...subs);
  const red = await publish(c, {
    title: 'red soc1 again',
    tlp: 'RED',
    audience: { redRecipientEmails: [soc1.email] },
  });
  await gq(
    c.t,
    'mutation($id: ID!, $b: String!) { addReportComment(reportId: $id, body: $b) { id } }',
    { id: red, b: 'red comment' },
    c.author.token,
  );
  const strict = await publish(c, {
    title: 'strict chubu',
    tlp: 'AMBER_STRICT',
    audience: { organisationIds: [soc1.orgId] },
  });
  await publish(c, { title: 'sentinel tokens', tlp: 'CLEAR' });
  const got = await Promise.all(subs.map((s) => upTo(s, 'sentinel tokens')));
  const filtered = await Promise.all(
    subs.map(async (s) => {
      const out: string[] = [];
      for (;;) {
        const g = (await s.next('f', 3000)) as Json;
        if (!g) return out;
        out.push(`${g.reportEvents.kind} ${g.reportEvents.report.title}`);
      }
    }),
  );
  for (const [i, r] of readers.entries()) {
    const titles = got[i].map((e) => `${e.kind} ${e.report.title}`);
    const mayRed = r === soc1;
    expect([r.name, titles]).toEqual([
      r.name,
      [
        ...(mayRed
          ? ['report.published red soc1 again', 'report.comment_added red soc1 again']
          : []),
        'report.published strict chubu',
        'report.published sentinel tokens',
      ],
    ]);
    expect([r.name, filtered[i]]).toEqual([
      r.name,
      [
        ...(mayRed
          ? ['report.published red soc1 again', 'report.comment_added red soc1 again']
          : []),
        'report.published strict chubu',
      ],
    ]);
    const last = new Map(got[i].map((e) => [e.report.id, e.report]));
    for (const [id, rep] of last) expect(rep).toEqual(await asRead(c.t, r.token, id));
  }
  expect(strict).toBeTruthy();
});

it('over 250 users subscribed: RED to three of them, and a link to it, reach those three only', async () => {
  // A hub of its own: more subscribers than one statement of renkei_report_rows_each takes
  // (ADR 0041: 250 readers a statement), whichever statement each falls in.
  const t = await startTestHub({ SUBSCRIPTION_RECHECK_SECONDS: '3600' });
  scaleHub = t;
  const admin = (await t.bootstrapAdmin()).token;
  const orgs: string[] = [];
  for (let i = 0; i < 6; i++)
    orgs.push(
      await createOrg(t, admin, {
        name: `Scale Org ${i}`,
        sectorCode: i < 4 ? 'electric-power' : 'gas',
      }),
    );
  const author = await member(t, admin, orgs[0], 'author@scale0.example');
  const N = 264;
  const users: { email: string; token: string }[] = [];
  for (let i = 0; i < N; i += 12) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(12, N - i) }, (_, k) =>
        member(t, admin, orgs[1 + ((i + k) % 5)], `u${i + k}@scale.example`),
      ),
    );
    users.push(...batch);
  }
  const from = await latestEventId(t);
  const subs: WsClient[] = [];
  for (let i = 0; i < users.length; i += 24) {
    const part = await Promise.all(
      users.slice(i, i + 24).map(async (u) => {
        const s = await WsClient.connect(t.url, u.token);
        s.subscribe('r', SUB, { after: await sealedCursor(t, u.token, from) });
        return s;
      }),
    );
    subs.push(...part);
  }
  open.push(...subs);
  const recipients = [users[0].email, users[131].email, users[N - 1].email];
  const ids: string[] = [];
  for (let round = 0; round < 3; round++) {
    const red = await publishReport(t, author.token, {
      title: `red ${round}`,
      tlp: 'RED',
      anonymous: round % 2 === 0,
      audience: { redRecipientEmails: recipients },
    });
    ids.push(red);
    ids.push(
      await publishReport(t, author.token, {
        title: `green linking ${round}`,
        tlp: 'GREEN',
        linkedReportIds: [red],
      }),
    );
    ids.push(
      await publishReport(t, author.token, {
        title: `strict ${round}`,
        tlp: 'AMBER_STRICT',
        audience: { organisationIds: [orgs[1 + round]] },
      }),
    );
    await gq(
      t,
      'mutation($id: ID!, $b: String!) { addReportComment(reportId: $id, body: $b) { id } }',
      { id: red, b: `comment ${round}` },
      author.token,
    );
  }
  await publishReport(t, author.token, { title: 'sentinel scale', tlp: 'CLEAR' });
  const got = await Promise.all(subs.map((s) => upTo(s, 'sentinel scale', 60_000)));
  const diffs: unknown[] = [];
  for (let i = 0; i < users.length; i += 8) {
    const chunk = await Promise.all(
      users.slice(i, i + 8).map(async (u, k) => {
        const out: unknown[] = [];
        for (const id of ids) {
          const v = await asRead(t, u.token, id);
          const evs = got[i + k].filter((e) => e.report.id === id);
          if (v === null && evs.length) out.push([u.email, 'got hidden', evs[0].report.title]);
          if (v !== null && JSON.stringify(evs.at(-1)?.report) !== JSON.stringify(v))
            out.push([u.email, 'differs', v.title, evs.at(-1)?.report ?? 'missing']);
        }
        return out;
      }),
    );
    diffs.push(...chunk.flat());
  }
  expect(diffs).toEqual([]);

  // Races while 264 subscribers are fanned out to: a GREEN publish raised to RED for one user
  // (whose organisation has 52 other subscribed users), an AMBER publish for two sectors
  // narrowed to one. No one else ever sees the new title.
  const update = 'mutation($id: ID!, $i: ReportInput!) { updateReport(id: $id, input: $i) { id } }';
  const raceErrors: unknown[] = [];
  for (let n = 0; n < 6; n++) {
    const amber = n % 2 === 1;
    const created = await gq(
      t,
      'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
      {
        i: {
          kind: 'INCIDENT',
          title: `scale race ${n}`,
          tlp: amber ? 'AMBER' : 'GREEN',
          ...(amber ? { audience: { sectorCodes: ['electric-power', 'gas'] } } : {}),
        },
      },
      author.token,
    );
    const id = created.createReport.id;
    const pv = await gq(
      t,
      'mutation($id: ID!) { previewReportRedactions(id: $id) { previewHash } }',
      { id },
      author.token,
    );
    const res = await Promise.all([
      gq(
        t,
        'mutation($id: ID!, $h: String!) { publishReport(id: $id, previewHash: $h) { id } }',
        { id, h: pv.previewReportRedactions.previewHash },
        author.token,
      ),
      new Promise((r) => setTimeout(r, n * 4)).then(() =>
        gq(
          t,
          update,
          {
            id,
            i: amber
              ? {
                  title: `scale narrowed ${n}`,
                  tlp: 'AMBER',
                  audience: { sectorCodes: ['electric-power'] },
                }
              : {
                  title: `scale raised ${n}`,
                  tlp: 'RED',
                  audience: { redRecipientEmails: [users[0].email] },
                },
          },
          author.token,
        ),
      ),
    ]);
    // An update that lands before the publish makes the publish refuse (CONFLICT: preview
    // again): the race lost the other way, which is fine.
    raceErrors.push(
      ...res
        .filter((x) => x.errors && x.errors[0]?.extensions?.code !== 'CONFLICT')
        .map((x) => x.errors),
    );
  }
  await publishReport(t, author.token, { title: 'sentinel scale race', tlp: 'CLEAR' });
  const raced = await Promise.all(subs.map((s) => upTo(s, 'sentinel scale race', 60_000)));
  const leaks: unknown[] = [];
  const orgOf = (i: number) => orgs[1 + (i % 5)];
  for (const [i, evs] of raced.entries())
    for (const e of evs) {
      if (/scale raised/.test(e.report.title) && i !== 0)
        leaks.push([users[i].email, e.report.title]);
      if (/scale narrowed/.test(e.report.title) && [orgs[4], orgs[5]].includes(orgOf(i)))
        leaks.push([users[i].email, e.report.title]);
    }
  expect(leaks).toEqual([]);
  expect(raceErrors).toEqual([]);
});

it('comments and sightings on a report raised to RED reach its recipient only, live', async () => {
  const soc1 = c.readers.find((r) => r.email === 'soc1@chubu.example')!;
  const readers = c.readers.filter((r) =>
    [soc1.name, 'soc2@chubu.example', 'soc@kansai.example', 'kansai token reports:read'].includes(
      r.name,
    ),
  );
  const subs = await subscribeAll(c, readers);
  open.push(...subs);
  const id = await publish(c, { title: 'green then red', tlp: 'GREEN' });
  const up = await gq(
    c.t,
    'mutation($id: ID!, $i: ReportInput!) { updateReport(id: $id, input: $i) { id } }',
    { id, i: { title: 'now red', tlp: 'RED', audience: { redRecipientEmails: [soc1.email] } } },
    c.author.token,
  );
  expect(up.errors).toBe(undefined);
  await gq(
    c.t,
    'mutation($id: ID!, $b: String!) { addReportComment(reportId: $id, body: $b) { id } }',
    { id, b: 'after the raise' },
    c.author.token,
  );
  const sg = await gq(
    c.t,
    'mutation($id: ID!) { addReportSighting(reportId: $id, note: "here too") { id } }',
    { id },
    soc1.token,
  );
  expect(sg.errors).toBe(undefined);
  await publish(c, { title: 'sentinel red comments', tlp: 'CLEAR' });
  const got = await Promise.all(subs.map((s) => upTo(s, 'sentinel red comments')));
  for (const [i, r] of readers.entries()) {
    const mine = got[i].filter((e) => e.report.id === id);
    if (r === soc1) {
      expect(mine.map((e) => e.kind)).toEqual(
        expect.arrayContaining(['report.comment_added', 'report.sighting_added']),
      );
      expect(mine.at(-1)!.report).toEqual(await asRead(c.t, r.token, id));
    } else {
      expect([r.name, mine.map((e) => `${e.kind} ${e.report.title}`)]).toEqual([
        r.name,
        mine.length ? ['report.published green then red'] : [],
      ]);
    }
  }
  subs.forEach((s) => s.close());
});

it('concurrent publishes by several organisations: every live subscriber gets every event, as the replay has them', async () => {
  const authors = [
    c.author.token,
    c.authorMate.token,
    c.readers.find((r) => r.email === 'soc@kansai.example')!.token,
    c.readers.find((r) => r.email === 'soc@hokuriku.example')!.token,
    c.readers.find((r) => r.email === 'soc@tgas.example')!.token,
  ];
  const watchers = c.readers.filter((r) =>
    ['soc@ogas.example', 'water token reports:read', 'soc@water.example'].includes(r.name),
  );
  const from = await latestEventId(c.t);
  const subs = await subscribeAll(c, watchers);
  open.push(...subs);
  const titles: string[] = [];
  const jobs: Promise<string>[] = [];
  for (let k = 0; k < 8; k++)
    for (const [i, a] of authors.entries()) {
      const title = `burst ${k}.${i}`;
      titles.push(title);
      jobs.push(publish(c, { title, tlp: 'CLEAR' }, a));
    }
  await Promise.all(jobs);
  await publish(c, { title: 'sentinel burst', tlp: 'CLEAR' });
  const want = [...titles].sort();
  for (const [i, s] of subs.entries()) {
    // Live: everything up to the sentinel (which is published after all others committed).
    const live = new Set<string>();
    for (;;) {
      const g = (await s.next('r', 5000)) as Json;
      if (!g) break;
      live.add(g.reportEvents.report.title);
      if (live.size === titles.length + 1) break;
    }
    expect([watchers[i].name, [...live].filter((x) => x !== 'sentinel burst').sort()]).toEqual([
      watchers[i].name,
      want,
    ]);
    const r = await WsClient.connect(c.t.url, watchers[i].token);
    open.push(r);
    r.subscribe('r', SUB, { after: await sealedCursor(c.t, watchers[i].token, from) });
    const replay = (await upTo(r, 'sentinel burst')).map((e) => e.report.title);
    expect(replay.filter((x) => x !== 'sentinel burst').sort()).toEqual(want);
    r.close();
  }
  subs.forEach((s) => s.close());
});
