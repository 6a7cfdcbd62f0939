import { createOrg, member, Member, publishReport } from '../support/community';
import { SmtpSink } from '../support/smtp-sink';
import { STRONG_PASSWORD } from '../support/test-hub';
import { WsClient } from '../support/ws-client';
import { ADD, apiToken, createList, gq, Json, Scene, scene } from './support';

/*
 * Session 5 attack pass (outside view, a hostile member's credentials) on the newest work:
 * mailed address proofs with their daily limit, the author's preview of pseudonym labels and
 * their deterministic tie-break, HTTP Basic under the cross-site check. Properties that HELD;
 * the ones that did not are in session5-findings.e2e-spec.ts.
 */

jest.setTimeout(300_000);

let s: Scene;
const sink = new SmtpSink();
type Org = { org: string; analyst: Member; orgAdmin: Member };
let water: Org; // Kyushu Water: the only water operator (a small sector)

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
  s = await scene({ SMTP_URL: sink.url });
  water = await org('Kyushu Water', 'water', 'kyushu.example');
  // electric-power: Kanto (op), Chubu (peer), Hokuriku: exactly ANONYMITY_K = 3.
  await createOrg(s.t, s.admin, { name: 'Hokuriku Electric', sectorCode: 'electric-power' });
  await createOrg(s.t, s.admin, { name: 'Tohoku Gas', sectorCode: 'gas' });
  await createOrg(s.t, s.admin, { name: 'Saibu Gas', sectorCode: 'gas' });
});

afterAll(async () => {
  await s?.t.stop();
  await sink.stop();
});

const CREATE_USER =
  'mutation($i: CreateUserInput!) { createUser(input: $i) { id email emailVerifiedAt } }';
const REISSUE = 'mutation($id: ID!) { issueEmailVerification(id: $id) }';
const VERIFY = 'mutation($t: String!) { verifyEmail(token: $t) }';
const raw = (q: string, v: Json = {}, tok?: string): Promise<Json> =>
  s.t.gql<Json>(q, v, tok) as Promise<Json>;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function claim(orgAdmin: string, orgId: string, email: string): Promise<Json> {
  return raw(
    CREATE_USER,
    {
      i: {
        organisationId: orgId,
        email,
        displayName: 'Claimed',
        role: 'ANALYST',
        initialPassword: STRONG_PASSWORD,
      },
    },
    orgAdmin,
  );
}

function tokenOf(text: string): string {
  return /\/verify-email#token=(rkv_[\w-]+)/.exec(text)![1];
}

/** Every proof mail whose recipient is the mailbox (case-insensitively). */
function proofsTo(mailbox: string) {
  return sink.mails.filter(
    (m) =>
      m.headers.get('x-renkei-email-proof') === 'true' &&
      m.to.some((a) => a.trim().toLowerCase() === mailbox.toLowerCase()),
  );
}

// ---------------------------------------------------------------------------------------------
// mailed address proofs

describe('the daily proof-mail limit', () => {
  it('refuses the fourth link with FORBIDDEN PROOF_MAIL_LIMIT and retryAfterSeconds, and mails three', async () => {
    const victim = 'limit-a@elsewhere.example';
    const r = await claim(s.op.orgAdmin.token, s.op.org, victim);
    const id = r.data.createUser.id;
    const answers: Json[] = [];
    for (let i = 0; i < 6; i++) answers.push(await raw(REISSUE, { id }, s.op.orgAdmin.token));
    await wait(1500);
    expect(proofsTo(victim).length).toBe(3);
    const refused = answers.filter((a) => a.errors);
    expect(refused.length).toBe(4);
    for (const a of refused) {
      expect(a.errors[0].extensions).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'PROOF_MAIL_LIMIT',
        retryAfterSeconds: expect.any(Number),
      });
      expect(a.errors[0].extensions.retryAfterSeconds).toBeGreaterThan(0);
      expect(a.errors[0].extensions.retryAfterSeconds).toBeLessThanOrEqual(86_400);
      expect(JSON.stringify(a)).not.toMatch(/rkv_/);
    }
  });

  it('address variants (case, whitespace, NFKC width) are the same address, not three more mails', async () => {
    const victim = 'limit-b@elsewhere.example';
    const r = await claim(s.op.orgAdmin.token, s.op.org, victim);
    const id = r.data.createUser.id;
    for (let i = 0; i < 3; i++) await raw(REISSUE, { id }, s.op.orgAdmin.token);
    const answers: Json[] = [];
    for (const v of [
      'LIMIT-B@elsewhere.example',
      'limit-b@ELSEWHERE.EXAMPLE',
      ' limit-b@elsewhere.example ',
      'limit-b@elsewhere.example\t',
      'ｌｉｍｉｔ-b@elsewhere.example',
      'limit-b＠elsewhere.example',
    ])
      answers.push(await claim(s.op.orgAdmin.token, s.op.org, v));
    await wait(1500);
    expect(proofsTo(victim).length).toBeLessThanOrEqual(3);
    for (const a of answers) expect(a.status ?? 200).toBeLessThan(500);
  });

  it('the limit of one organisation does not show in another organisation’s answers', async () => {
    // Kanto used up its links to an address of its own user; Chubu's answers for a different
    // fresh address and for its own users are unchanged, and carry no word of Kanto.
    const kanto = 'limit-c@elsewhere.example';
    const r = await claim(s.op.orgAdmin.token, s.op.org, kanto);
    for (let i = 0; i < 4; i++)
      await raw(REISSUE, { id: r.data.createUser.id }, s.op.orgAdmin.token);
    const chubu = await claim(s.peer.orgAdmin.token, s.peer.org, 'limit-c2@elsewhere.example');
    expect(chubu.errors).toBeUndefined();
    const again = await raw(REISSUE, { id: chubu.data.createUser.id }, s.peer.orgAdmin.token);
    expect(again.errors).toBeUndefined();
    // Chubu asking to reissue Kanto's user: the same answer as an id that does not exist.
    const foreign = await raw(REISSUE, { id: r.data.createUser.id }, s.peer.orgAdmin.token);
    const missing = await raw(
      REISSUE,
      { id: '00000000-0000-4000-8000-000000000000' },
      s.peer.orgAdmin.token,
    );
    expect(foreign.errors[0].extensions.code).toBe(missing.errors[0].extensions.code);
    expect(foreign.errors[0].extensions.reason).toBe(missing.errors[0].extensions.reason);
    expect(JSON.stringify(foreign)).not.toContain('PROOF_MAIL_LIMIT');
  });
});

describe('proof tokens', () => {
  it('a token works once, an older token stops when a new one is sent, and a wrong one says nothing more', async () => {
    const victim = 'token-a@elsewhere.example';
    const r = await claim(s.op.orgAdmin.token, s.op.org, victim);
    const id = r.data.createUser.id;
    await wait(800);
    const first = tokenOf(proofsTo(victim).at(-1)!.text);
    await raw(REISSUE, { id }, s.op.orgAdmin.token);
    await wait(800);
    const second = tokenOf(proofsTo(victim).at(-1)!.text);
    expect(second).not.toBe(first);
    const old = await raw(VERIFY, { t: first });
    expect(old.errors).toBeDefined();
    const ok = await raw(VERIFY, { t: second });
    expect(ok.errors).toBeUndefined();
    const twice = await raw(VERIFY, { t: second });
    expect(twice.errors).toBeDefined();
    const wrong = await raw(VERIFY, { t: 'rkv_' + 'A'.repeat(43) });
    expect(twice.errors[0].extensions.code).toBe(wrong.errors[0].extensions.code);
    expect(twice.errors[0].message).toBe(wrong.errors[0].message);
    // proven: no further link is sent and none counts
    const after = await raw(REISSUE, { id }, s.op.orgAdmin.token);
    expect(after.data?.issueEmailVerification).toBe(false);
  });

  it('the token is in no answer, no audit entry the org admin reads, and not on the console', async () => {
    const victim = 'token-b@elsewhere.example';
    const r = await claim(s.op.orgAdmin.token, s.op.org, victim);
    await raw(REISSUE, { id: r.data.createUser.id }, s.op.orgAdmin.token);
    await wait(1000);
    const token = tokenOf(proofsTo(victim).at(-1)!.text);
    const audit = await raw(
      '{ auditLog(first: 100) { edges { node { action detailsJson } } } }',
      {},
      s.op.orgAdmin.token,
    );
    expect(audit.errors).toBeUndefined();
    expect(JSON.stringify(audit)).not.toMatch(/rkv_/);
    const users = await raw(
      '{ users(first: 100) { edges { node { id email emailVerifiedAt } } } }',
      {},
      s.op.orgAdmin.token,
    );
    expect(JSON.stringify(users)).not.toMatch(/rkv_/);
    expect(s.t.output.join('\n')).not.toContain(token);
    expect(s.t.output.join('\n')).not.toContain(token.slice(4, 20));
    // the link carries the token in the fragment only (never sent to a server in Referer/logs)
    expect(proofsTo(victim).at(-1)!.text).not.toMatch(/[?&]token=rkv_/);
  });

  it('an unproven claimed account cannot log in and never reads a RED report to its address', async () => {
    const addr = 'red-claim@elsewhere.example';
    // Kanto sends RED to that address while nobody has it...
    const red = await publishReport(s.t, s.op.analyst.token, {
      title: 'red to an outside address',
      tlp: 'RED',
      audience: { redRecipientEmails: [addr, s.peer.analyst.email] },
    });
    // ...then Chubu's org admin claims it for a user of its own.
    const r = await claim(s.peer.orgAdmin.token, s.peer.org, addr);
    expect(r.errors).toBeUndefined();
    expect(r.data.createUser.emailVerifiedAt).toBeNull();
    await expect(s.t.login(addr, STRONG_PASSWORD)).rejects.toBeDefined();
    const res = await raw(
      'query($e: [String!]!) { redRecipientOrganisations(emails: $e) { email organisationName } }',
      { e: [addr] },
      s.op.analyst.token,
    );
    expect(res.data.redRecipientOrganisations[0].organisationName).toBeNull();
    // The org admin and the feeds token of the claiming organisation never read it.
    for (const tok of [s.peer.orgAdmin.token]) {
      const q = await raw('query($id: ID!) { report(id: $id) { id } }', { id: red }, tok);
      expect(q.errors?.[0].extensions.code).toBe('NOT_FOUND');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// the author's preview of labels

const PREVIEW =
  'mutation($id: ID!) { previewReportRedactions(id: $id) { author { labels tooFewToHideIn } } }';

async function previewFor(token: string, input: Json): Promise<Json> {
  const d = await gq(
    s.t,
    'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
    { i: { kind: 'INCIDENT', title: 'probe', anonymous: true, ...input } },
    token,
  );
  if (!d.createReport) throw new Error(JSON.stringify(d));
  const p = await gq(s.t, PREVIEW, { id: d.createReport.id }, token);
  return p.previewReportRedactions?.author ?? p;
}

describe("the author's preview", () => {
  it('RED to an unproven address of another organisation previews like an address nobody has', async () => {
    const unproven = 'unproven-peer@elsewhere.example';
    await claim(s.peer.orgAdmin.token, s.peer.org, unproven);
    const nobody = await previewFor(s.op.analyst.token, {
      tlp: 'RED',
      audience: { redRecipientEmails: ['nobody-at-all@elsewhere.example'] },
    });
    const hidden = await previewFor(s.op.analyst.token, {
      tlp: 'RED',
      audience: { redRecipientEmails: [unproven] },
    });
    expect(hidden).toEqual(nobody);
  });

  it('names no organisation and no user, whatever the audience', async () => {
    for (const audience of [
      { organisationIds: [s.peer.org] },
      { organisationIds: [water.org] },
      { sectorCodes: ['water'] },
      { sectorCodes: ['electric-power'] },
    ]) {
      const a = await previewFor(s.op.analyst.token, { tlp: 'AMBER', audience });
      const txt = JSON.stringify(a);
      for (const n of ['Kanto', 'Chubu', 'Kyushu', 'Hokuriku', 'Tohoku', 'Saibu'])
        expect(txt).not.toContain(n);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// one label per reader and item, on every surface

async function taxiiLabel(token: string, reportId: string, title: string): Promise<string[]> {
  const h = {
    authorization: `Bearer ${token}`,
    accept: 'application/taxii+json;version=2.1',
  };
  const cols: Json = await (
    await fetch(`${s.t.url}/taxii2/api/collections/`, { headers: h })
  ).json();
  const reports = (cols.collections ?? []).find((c: Json) => c.title === 'Reports');
  if (!reports) return [];
  const page: Json = await (
    await fetch(`${s.t.url}/taxii2/api/collections/${reports.id}/objects/`, { headers: h })
  ).json();
  const objs = (page.objects ?? []) as Json[];
  const rep = objs.find((o) => o.type === 'report' && o.name === title);
  if (!rep) return [`missing ${reportId}`];
  return objs.filter((o) => o.id === rep.created_by_ref).map((o) => o.name);
}

describe('labels are stable', () => {
  it('a reader sees one label for an anonymous item from a small sector, on every surface and request', async () => {
    const rule = await raw(
      'mutation($i: AlertRuleInput!) { createAlertRule(input: $i) { id } }',
      { i: { topic: 'REPORTS', delivery: 'IMMEDIATE' } },
      s.peer.analyst.token,
    );
    expect(rule.errors).toBeUndefined();
    const ws = await WsClient.connect(s.t.url, s.peer.analyst.token);
    ws.subscribe('p', 'subscription { reportEvents { report { id title author { label } } } }');
    await wait(500);
    const title = 'small sector label probe';
    const author = await previewFor(water.analyst.token, { tlp: 'GREEN' });
    const id = await publishReport(s.t, water.analyst.token, {
      title,
      tlp: 'GREEN',
      anonymous: true,
    });
    const labels = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const d = await raw(
        '{ reports(first: 20) { edges { node { id author { label } } } } }',
        {},
        s.peer.analyst.token,
      );
      labels.add(d.data.reports.edges.find((e: Json) => e.node.id === id).node.author.label);
      const one = await raw(
        'query($id: ID!) { report(id: $id) { author { label } } }',
        { id },
        s.peer.analyst.token,
      );
      labels.add(one.data.report.author.label);
    }
    for (;;) {
      const f = (await ws.next('p', 4000)) as Json;
      if (!f) break;
      const rep = f.payload?.data?.reportEvents?.report;
      if (rep?.id === id) labels.add(rep.author.label);
    }
    ws.close();
    expect(labels.size).toBe(1);
    // the alert mail names the author with the same label
    for (
      let i = 0;
      i < 50 && !sink.to(s.peer.analyst.email).some((m) => m.text.includes(title));
      i++
    )
      await wait(200);
    const mail = sink.to(s.peer.analyst.email).find((m) => m.text.includes(title));
    expect(mail).toBeDefined();
    expect(mail!.text).toContain([...labels][0]);
    expect(mail!.text).not.toContain('Kyushu');
    expect(author.labels).toEqual(expect.arrayContaining([...labels]));
    expect([...labels][0]).not.toContain('Kyushu');
    const reader = await apiToken(s.t, s.peer.orgAdmin.token, ['feeds:read', 'reports:read']);
    const names = new Set<string>();
    for (let i = 0; i < 5; i++) for (const n of await taxiiLabel(reader, id, title)) names.add(n);
    expect(names.size).toBeLessThanOrEqual(1);
    for (const n of names) expect(n).not.toContain('Kyushu');
  });
});

// ---------------------------------------------------------------------------------------------
// HTTP Basic and the cross-site check

const basic = (user: string, pass: string) =>
  `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

async function live(list: string, token: string): Promise<number> {
  const r = await gq(
    s.t,
    'query($id: ID!) { indicatorList(id: $id) { liveEntries } }',
    { id: list },
    token,
  );
  return r.indicatorList?.liveEntries ?? -1;
}

describe('HTTP Basic from a browser on another site', () => {
  let list: string;
  beforeAll(async () => {
    list = await createList(s.t, s.op.analyst.token, 'basic csrf 5');
  });

  it('a user e-mail and password as Basic credentials authenticate nobody (no second factor)', async () => {
    const res = await fetch(`${s.t.url}/graphql`, {
      method: 'POST',
      headers: {
        authorization: basic(s.op.analyst.email, STRONG_PASSWORD),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ query: '{ me { id email } }' }),
    });
    expect(JSON.stringify(await res.json())).not.toContain(s.op.analyst.email);
  });

  it('a cross-site GET navigation carrying a mutation in the query string writes nothing', async () => {
    const q = encodeURIComponent(ADD);
    const v = encodeURIComponent(JSON.stringify({ l: list, i: { text: '198.51.100.71' } }));
    for (const auth of [basic('fw', s.op.writer), basic('x', s.op.analyst.token)]) {
      await fetch(`${s.t.url}/graphql?query=${q}&variables=${v}`, {
        headers: {
          authorization: auth,
          'sec-fetch-site': 'cross-site',
          'sec-fetch-mode': 'navigate',
          'sec-fetch-dest': 'document',
        },
      });
      await fetch(`${s.t.url}/graphql?query=${q}&variables=${v}`, {
        headers: { cookie: `renkei_session=${s.op.analyst.token}`, 'sec-fetch-site': 'cross-site' },
      });
    }
    expect(await live(list, s.op.analyst.token)).toBe(0);
  });

  it('a cross-origin page on the same site (another port of the host) is refused with Basic', async () => {
    const port = Number(new URL(s.t.url).port) + 1;
    for (const [path, ct, body] of [
      [`/api/lists/${list}/entries`, 'text/plain', '198.51.100.72'],
      [
        '/graphql',
        'text/plain',
        JSON.stringify({ query: ADD, variables: { l: list, i: { text: '198.51.100.72' } } }),
      ],
    ]) {
      const res = await fetch(`${s.t.url}${path}`, {
        method: 'POST',
        headers: {
          authorization: basic('fw', s.op.writer),
          'content-type': ct,
          origin: `http://localhost:${port}`,
          'sec-fetch-site': 'same-site',
        },
        body,
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
    }
    expect(await live(list, s.op.analyst.token)).toBe(0);
  });

  it('a script without browser headers still imports with Basic (firewalls keep working)', async () => {
    const l2 = await createList(s.t, s.op.analyst.token, 'basic script 5');
    const res = await fetch(`${s.t.url}/api/lists/${l2}/entries`, {
      method: 'POST',
      headers: { authorization: basic('fw', s.op.writer), 'content-type': 'text/plain' },
      body: '198.51.100.73',
    });
    expect(res.status).toBeLessThan(300);
    expect(await live(l2, s.op.analyst.token)).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------
// deeper probes

describe('proof mails for claims that fail', () => {
  it('a refused createUser mails nothing (bad password, foreign organisation)', async () => {
    const victim = 'fail-a@elsewhere.example';
    const answers: Json[] = [];
    for (let i = 0; i < 4; i++) {
      answers.push(
        await raw(
          CREATE_USER,
          {
            i: {
              organisationId: s.op.org,
              email: victim,
              displayName: 'V',
              role: 'ANALYST',
              initialPassword: 'short',
            },
          },
          s.op.orgAdmin.token,
        ),
      );
      answers.push(await claim(s.op.orgAdmin.token, s.peer.org, victim));
      answers.push(
        await raw(
          CREATE_USER,
          {
            i: {
              organisationId: s.op.org,
              email: victim,
              displayName: 'V',
              role: 'HUB_ADMIN',
              initialPassword: STRONG_PASSWORD,
            },
          },
          s.op.orgAdmin.token,
        ),
      );
    }
    await wait(1500);
    for (const a of answers) expect(a.errors).toBeDefined();
    expect(proofsTo(victim).length).toBe(0);
  });
});

describe('racing the limit', () => {
  it('links asked for at once still stop at three', async () => {
    const victim = 'race-a@elsewhere.example';
    const r = await claim(s.op.orgAdmin.token, s.op.org, victim);
    const id = r.data.createUser.id;
    await Promise.all(Array.from({ length: 12 }, () => raw(REISSUE, { id }, s.op.orgAdmin.token)));
    await wait(2000);
    expect(proofsTo(victim).length).toBeLessThanOrEqual(3);
  });

  it('the same address claimed several times at once makes one account and at most three mails', async () => {
    const victim = 'race-b@elsewhere.example';
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => claim(s.op.orgAdmin.token, s.op.org, victim)),
    );
    await wait(2000);
    expect(answers.filter((a) => !a.errors).length).toBe(1);
    expect(proofsTo(victim).length).toBeLessThanOrEqual(3);
    for (const a of answers)
      expect(JSON.stringify(a)).not.toMatch(/rkv_|duplicate key|constraint/i);
  });
});

describe('an org admin and its own organisation’s domains', () => {
  it('cannot register a domain for its organisation and so skip the proof of an address in it', async () => {
    const r = await raw(
      'mutation($id: ID!, $i: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $i) { id domains } }',
      { id: s.op.org, i: { domains: ['elsewhere.example', 'chubu.example'] } },
      s.op.orgAdmin.token,
    );
    const claimed = await claim(s.op.orgAdmin.token, s.op.org, 'domain-skip@elsewhere.example');
    expect(r.errors).toBeDefined();
    expect(claimed.data?.createUser?.emailVerifiedAt ?? null).toBeNull();
  });
});

describe('Basic scheme spellings cross-site', () => {
  let list: string;
  beforeAll(async () => {
    list = await createList(s.t, s.op.analyst.token, 'basic spellings');
  });
  const b64 = () => Buffer.from(`fw:${s.op.writer}`).toString('base64');

  it.each([
    ['lower case', () => `basic ${b64()}`],
    ['upper case', () => `BASIC ${b64()}`],
    ['two spaces', () => `Basic  ${b64()}`],
    ['a tab', () => `Basic\t${b64()}`],
  ])('Basic spelt in %s from another site writes nothing', async (_n, auth) => {
    for (const headers of [
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' } as Record<string, string>,
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'https://evil.example' },
    ]) {
      await fetch(`${s.t.url}/api/lists/${list}/entries`, {
        method: 'POST',
        headers: { ...headers, authorization: auth(), 'content-type': 'text/plain' },
        body: '198.51.100.81',
      });
      await fetch(`${s.t.url}/graphql`, {
        method: 'POST',
        headers: { ...headers, authorization: auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ query: ADD, variables: { l: list, i: { text: '198.51.100.82' } } }),
      });
    }
    expect(await live(list, s.op.analyst.token)).toBe(0);
  });
});

describe('claiming an address another organisation uses', () => {
  it("answers alike for another organisation's unproven account and for an address nobody has", async () => {
    // Chubu has an unproven account (its admin claimed the address); Kanto's admin tries the
    // same address. The answer must not tell Kanto that another organisation holds it:
    // redRecipientOrganisations promises 'unknown and unproven addresses answer alike'.
    const held = 'held-by-chubu@elsewhere.example';
    await claim(s.peer.orgAdmin.token, s.peer.org, held);
    const a = await claim(s.op.orgAdmin.token, s.op.org, held);
    const b = await claim(s.op.orgAdmin.token, s.op.org, 'held-by-nobody@elsewhere.example');
    const shape = (x: Json) => ({
      ok: !x.errors,
      code: x.errors?.[0]?.extensions?.code,
      reason: x.errors?.[0]?.extensions?.reason,
    });
    expect(shape(a)).toEqual(shape(b));
  });
});

describe('claiming an address another organisation has proven', () => {
  it('answers and mails alike for an address proven elsewhere and for a fresh one', async () => {
    // Kanto's admin claims the address of Chubu's proven analyst: accepted like any address,
    // the reissue says true as for a fresh one, and the link (which only the owner receives)
    // does not redeem, so Kanto's twin never logs in or reads RED sent to the address.
    const addr = s.peer.analyst.email;
    const twin = await claim(s.op.orgAdmin.token, s.op.org, addr);
    const fresh = await claim(s.op.orgAdmin.token, s.op.org, 'fresh-twin@elsewhere.example');
    expect(twin.errors).toBeUndefined();
    expect(fresh.errors).toBeUndefined();
    expect(twin.data.createUser.emailVerifiedAt).toBeNull();
    const r1 = await raw(REISSUE, { id: twin.data.createUser.id }, s.op.orgAdmin.token);
    const r2 = await raw(REISSUE, { id: fresh.data.createUser.id }, s.op.orgAdmin.token);
    expect(r1).toEqual({ ...r2, headers: r1.headers });
    await wait(1500);
    const v = await raw(VERIFY, { t: tokenOf(proofsTo(addr).at(-1)!.text) });
    expect(v.errors).toBeDefined();
    const rro = await raw(
      'query($e: [String!]!) { redRecipientOrganisations(emails: $e) { organisationName } }',
      { e: [addr] },
      water.analyst.token,
    );
    expect(rro.data.redRecipientOrganisations[0].organisationName).toBe('Chubu Power');
    const red = await publishReport(s.t, water.analyst.token, {
      title: 'red for chubu soc',
      tlp: 'RED',
      audience: { redRecipientEmails: [addr] },
    });
    const theirs = await gq(
      s.t,
      'query($id: ID!) { report(id: $id) { title } }',
      { id: red },
      s.peer.analyst.token,
    );
    expect(theirs.report.title).toBe('red for chubu soc');
    const admin = await raw(
      'query($id: ID!) { report(id: $id) { id } }',
      { id: red },
      s.op.orgAdmin.token,
    );
    expect(admin.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });
});

describe('addresses vouched for by the organisation’s domains', () => {
  it('only the domain and its subdomains are vouched for, not look-alikes', async () => {
    // set the scene as the hub admin: Kanto's registered domain
    const up = await raw(
      'mutation($id: ID!, $i: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $i) { id } }',
      { id: s.op.org, i: { domains: ['kanto.example'] } },
      s.admin,
    );
    expect(up.errors).toBeUndefined();
    for (const v of ['v1@kanto.example', 'v2@KANTO.EXAMPLE', 'v3@sub.kanto.example']) {
      const r = await claim(s.op.orgAdmin.token, s.op.org, v);
      expect(r.data.createUser.emailVerifiedAt).not.toBeNull();
    }
    for (const v of [
      'v4@xkanto.example',
      'v5@kanto.example.evil.example',
      'v6@kanto.exampl',
      '"v7@kanto.example"@evil.example',
    ]) {
      const r = await claim(s.op.orgAdmin.token, s.op.org, v);
      expect(r.data?.createUser?.emailVerifiedAt ?? null).toBeNull();
    }
    // IDNA maps a zero-width space to nothing: the domain IS kanto.example, and the address is
    // stored in that one spelling (the hub compares mailboxes canonically since session 5).
    const zw = await claim(s.op.orgAdmin.token, s.op.org, 'v8@kanto.example\u200b');
    expect(zw.errors).toBeUndefined();
    expect(zw.data.createUser).toMatchObject({ email: 'v8@kanto.example' });
  });
});
