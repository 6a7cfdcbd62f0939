import { WsClient } from '../support/ws-client';
import { latestEventId, sealedCursor } from '../support/sealed-cursor';
import { asRead, community, Community, publish, SUB, upTo } from './session6-common';
import { gq } from './support';

/*
 * Session 6 attack pass (outside view; a member's users and tokens) on ADR 0041 (push reads an
 * event's report for every subscriber in one statement; role and principal in one statement).
 * FINDINGS: each test states the property that should hold; all three failed before views were
 * shared within one turn only (PushService.shared, ADR 0041) and pass since. Held properties:
 * session6.e2e-spec.ts.
 *
 * All three are one defect: a principal (user session or API token) that was pushed an event
 * and resumes with after: within about two seconds is replayed the view it was pushed, not the
 * report as it reads it now (probed: replayed when resuming 0 s and 1.5 s after the sentinel,
 * not after 3 s, 20 s or 45 s; never to another principal, even of the same organisation).
 * Also seen at 41df041, before ADR 0041: not introduced by it.
 */

jest.setTimeout(120_000);

let c: Community;
const open: WsClient[] = [];

beforeAll(async () => {
  c = await community();
});

afterAll(async () => {
  open.forEach((s) => s.close());
  await c?.t.stop();
});

const UPDATE =
  'mutation($id: ID!, $i: ReportInput!) { updateReport(id: $id, input: $i) { id tlp title } }';

it('a user resuming with after: is not replayed the GREEN version of a report since raised to RED for someone else', async () => {
  // An author publishes GREEN by mistake and raises it to RED for one Tokyo Gas user (the
  // remedy updateReport offers). A Kansai user was online and was pushed the GREEN version (as
  // was right then). It reconnects after the raise and resumes from a cursor before the
  // publish (a client resynchronising after losing its store). Its query refuses the report,
  // and a ReportEvent is "a change to a report you may see, as you would read it now".
  // Observed: the replay hands it report.published with the withdrawn GREEN version (title,
  // revision 1) again. The same organisation's token, resuming alike, gets nothing (right),
  // and so does a user of another organisation who was offline (held, session6.e2e-spec).
  const online = c.readers.find((r) => r.email === 'soc@kansai.example')!;
  const offline = c.readers.find((r) => r.name === 'kansai token reports:read')!;
  const tgas = c.readers.find((r) => r.email === 'soc@tgas.example')!;
  const from = await latestEventId(c.t);
  const stored = await sealedCursor(c.t, offline.token, from);
  const live = await WsClient.connect(c.t.url, online.token);
  open.push(live);
  live.subscribe('r', SUB, { after: await sealedCursor(c.t, online.token, from) });
  const id = await publish(c, {
    title: 'mistake 2: plant 4 SCADA password',
    summary: 'the withdrawn detail',
    tlp: 'GREEN',
  });
  expect((await upTo(live, 'mistake 2: plant 4 SCADA password')).at(-1)!.report.id).toBe(id);
  const up = await gq(
    c.t,
    UPDATE,
    { id, i: { title: 'raised 2', tlp: 'RED', audience: { redRecipientEmails: [tgas.email] } } },
    c.author.token,
  );
  expect(up.errors).toBe(undefined);
  await publish(c, { title: 'sentinel replay 2', tlp: 'CLEAR' });
  await upTo(live, 'sentinel replay 2');
  live.close();
  expect(await asRead(c.t, offline.token, id)).toBeNull();
  expect(await asRead(c.t, online.token, id)).toBeNull();

  const results: unknown[] = [];
  for (const r of [offline, online]) {
    const s = await WsClient.connect(c.t.url, r.token);
    open.push(s);
    s.subscribe('r', SUB, {
      after: r === offline ? stored : await sealedCursor(c.t, r.token, from),
    });
    const replay = await upTo(s, 'sentinel replay 2');
    results.push(
      ...replay
        .filter((e) => e.report.id === id)
        .map((e) => [r.name, e.kind, e.report.title, e.report.revision]),
    );
    s.close();
  }
  expect(results).toEqual([]);
});

it('a user resuming with after: is not replayed reports its organisation lost by leaving the sector, or raised to RED since', async () => {
  // Chubu's soc2 is online and pushed a GREEN report and an AMBER report for electric power.
  // The GREEN one is then raised to RED for a Tokyo Gas user, and Chubu moves from electric
  // power to water (its sockets are closed with 4403, held). soc2 resumes from a cursor before
  // both: its queries refuse both reports. Observed: the replay hands it both as they were
  // pushed (GREEN "mistake 3", AMBER "amber electric 3"), the second an AMBER item of a sector
  // the organisation has left. Its colleague soc3, offline throughout, resuming from the same
  // point, gets neither (right): what differs is only that soc2 was pushed them before, so the
  // views pushed then seem to be served again rather than read under the reader's scope now.
  const soc2 = c.readers.find((r) => r.email === 'soc2@chubu.example')!;
  const soc3 = c.readers.find((r) => r.email === 'soc3@chubu.example')!;
  const tgas = c.readers.find((r) => r.email === 'soc@tgas.example')!;
  const from = await latestEventId(c.t);
  const stored = await sealedCursor(c.t, soc3.token, from);
  const live = await WsClient.connect(c.t.url, soc2.token);
  open.push(live);
  live.subscribe('r', SUB, { after: await sealedCursor(c.t, soc2.token, from) });
  const raised = await publish(c, { title: 'mistake 3', tlp: 'GREEN' });
  const amber = await publish(c, {
    title: 'amber electric 3',
    tlp: 'AMBER',
    audience: { sectorCodes: ['electric-power'] },
  });
  await upTo(live, 'amber electric 3');
  const up = await gq(
    c.t,
    UPDATE,
    {
      id: raised,
      i: { title: 'raised 3', tlp: 'RED', audience: { redRecipientEmails: [tgas.email] } },
    },
    c.author.token,
  );
  expect(up.errors).toBe(undefined);
  const mv = await gq(
    c.t,
    'mutation($id: ID!, $i: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $i) { id } }',
    { id: c.orgs.chubu, i: { sectorCode: 'water' } },
    c.admin,
  );
  expect(mv.errors).toBe(undefined);
  await publish(c, { title: 'sentinel replay 3', tlp: 'CLEAR' });
  live.close();
  const results: unknown[] = [];
  for (const [r, after] of [
    [soc3, stored],
    [soc2, await sealedCursor(c.t, soc2.token, from)],
  ] as const) {
    const views = [await asRead(c.t, r.token, raised), await asRead(c.t, r.token, amber)];
    const s = await WsClient.connect(c.t.url, r.token);
    open.push(s);
    s.subscribe('r', SUB, { after });
    const replay = await upTo(s, 'sentinel replay 3');
    results.push(
      ...replay
        .filter((e) => [raised, amber].includes(e.report.id))
        .map((e) => [r.name, e.kind, e.report.title, e.report.tlp, views.map((v) => v && v.title)]),
    );
    s.close();
  }
  expect(results).toEqual([]);
});

it('an API token resuming with after: is not replayed a report raised to RED since (a SIEM connector resynchronising)', async () => {
  // Tokyo Gas's reports:read token (a SIEM connector) is pushed a GREEN report; it is raised
  // to RED for a Chubu user. The connector resumes from a cursor before the publish. Observed:
  // it is replayed the GREEN version its query now refuses. Its organisation's users and
  // other organisations' readers, resuming alike, get nothing: only the very principal that
  // was pushed the event is replayed it.
  const tokenR = c.readers.find((r) => r.name === 'tgas token reports:read')!;
  const colleague = c.readers.find((r) => r.email === 'soc@tgas.example')!;
  const recipient = c.readers.find((r) => r.email === 'soc2@chubu.example')!;
  const from = await latestEventId(c.t);
  const live = await WsClient.connect(c.t.url, tokenR.token);
  open.push(live);
  live.subscribe('r', SUB, { after: await sealedCursor(c.t, tokenR.token, from) });
  const id = await publish(c, { title: 'pushed to a connector', tlp: 'GREEN' });
  await upTo(live, 'pushed to a connector');
  live.close();
  const up = await gq(
    c.t,
    UPDATE,
    {
      id,
      i: {
        title: 'raised for chubu',
        tlp: 'RED',
        audience: { redRecipientEmails: [recipient.email] },
      },
    },
    c.author.token,
  );
  expect(up.errors).toBe(undefined);
  await publish(c, { title: 'sentinel connector', tlp: 'CLEAR' });
  const out: unknown[] = [];
  for (const r of [colleague, tokenR]) {
    expect(await asRead(c.t, r.token, id)).toBeNull();
    const s = await WsClient.connect(c.t.url, r.token);
    open.push(s);
    s.subscribe('r', SUB, { after: await sealedCursor(c.t, r.token, from) });
    const rep = await upTo(s, 'sentinel connector');
    out.push(...rep.filter((e) => e.report.id === id).map((e) => [r.name, e.kind, e.report.title]));
    s.close();
  }
  expect(out).toEqual([]);
});
