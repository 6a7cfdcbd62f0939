import { createOrg, member, Member, publishReport } from '../support/community';
import { SmtpSink } from '../support/smtp-sink';
import { STRONG_PASSWORD } from '../support/test-hub';
import { createList, gq, Json, Scene, scene } from './support';

/*
 * FINDINGS (fail now, pass once fixed) of the session 5 attack pass on the newest work (mailed
 * address proofs and their daily limit, the author's preview of pseudonym labels, HTTP Basic
 * under the cross-site check). Each test states the SAFE behaviour. Properties that held are in
 * session5.e2e-spec.ts.
 */

jest.setTimeout(300_000);

let s: Scene;
const sink = new SmtpSink();
let water: { org: string; analyst: Member };

beforeAll(async () => {
  await sink.start();
  s = await scene({ SMTP_URL: sink.url });
  const w = await createOrg(s.t, s.admin, { name: 'Kyushu Water', sectorCode: 'water' });
  water = { org: w, analyst: await member(s.t, s.admin, w, 'soc@kyushu.example') };
});

afterAll(async () => {
  await s?.t.stop();
  await sink.stop();
});

const CREATE_USER =
  'mutation($i: CreateUserInput!) { createUser(input: $i) { id emailVerifiedAt } }';
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const raw = (q: string, v: Json = {}, tok?: string): Promise<Json> =>
  s.t.gql<Json>(q, v, tok) as Promise<Json>;

async function claim(orgAdmin: string, orgId: string, email: string, password: string) {
  return raw(
    CREATE_USER,
    {
      i: {
        organisationId: orgId,
        email,
        displayName: 'New hire',
        role: 'ANALYST',
        initialPassword: password,
      },
    },
    orgAdmin,
  );
}

const proofsTo = (mailbox: string) => sink.proofs(mailbox);
const tokenOf = (text: string) => /\/verify-email#token=(rkv_[\w-]+)/.exec(text)![1];

describe('mailed address proofs', () => {
  it('a proof mail names the organisation claiming the address, so the person can tell two claims apart', async () => {
    // Kanto Electric (the real employer) creates an account for its new hire's outside address.
    // Chubu Power's org admin (hostile, it learnt the address) claims the same address for an
    // account of its own, with a password it chose. Both claims are accepted (they must be:
    // a refusal would tell Chubu that another organisation has the address), and the person
    // receives two proof mails that are word for word the same apart from the token: neither
    // says which organisation the account is in. Confirming the wrong one (the newest, say)
    // proves Chubu's account: it logs in with Chubu's password, and a TLP:RED report sent to
    // that address reaches Chubu. The mail (and the /verify-email page) should name the
    // organisation, so the person confirms only the account they expect.
    const hire = 'new-hire@freemail.example';
    const legit = await claim(s.op.orgAdmin.token, s.op.org, hire, STRONG_PASSWORD);
    expect(legit.errors).toBeUndefined();
    await wait(800);
    const hostile = await claim(
      s.peer.orgAdmin.token,
      s.peer.org,
      hire,
      'hostile chosen passphrase 1',
    );
    expect(hostile.errors).toBeUndefined();
    await wait(1500);
    const [kantoMail, chubuMail] = proofsTo(hire);
    expect(chubuMail).toBeDefined();

    // What a confirmation of the newest mail does today (the consequence, not the property).
    expect(
      (
        await raw('mutation($t: String!) { verifyEmail(token: $t) }', {
          t: tokenOf(chubuMail.text),
        })
      ).errors,
    ).toBeUndefined();
    const chubuSession = await s.t.login(hire, 'hostile chosen passphrase 1');
    const red = await publishReport(s.t, water.analyst.token, {
      title: 'for the new hire only',
      tlp: 'RED',
      audience: { redRecipientEmails: [hire] },
    });
    const seen = await gq(
      s.t,
      'query($id: ID!) { report(id: $id) { title } }',
      { id: red },
      chubuSession,
    );
    expect(seen.report?.title).toBe('for the new hire only');

    // The property: each mail says whose account it proves.
    expect(kantoMail.text).toContain('Kanto Electric');
    expect(chubuMail.text).toContain('Chubu Power');
  });
});

describe('the daily proof-mail limit', () => {
  const REISSUE = 'mutation($id: ID!) { issueEmailVerification(id: $id) }';
  /** Claims the address and asks for every link the limit allows. */
  async function exhaust(email: string): Promise<Json> {
    const r = await claim(s.op.orgAdmin.token, s.op.org, email, STRONG_PASSWORD);
    const id = r.data?.createUser?.id;
    if (id) for (let i = 0; i < 3; i++) await raw(REISSUE, { id }, s.op.orgAdmin.token);
    return r;
  }
  const envelopeCount = (...rcpts: string[]) =>
    sink.mails.filter((m) => m.to.some((a) => rcpts.includes(a))).length;

  it('a quoted local part is the same mailbox: it gets no further three links', async () => {
    // "bomb"@elsewhere.example is, by RFC 5321, the mailbox bomb@elsewhere.example, and the
    // hub's mail does arrive there (the SMTP envelope says bomb@elsewhere.example), but the hub
    // takes it as another address: a second account and three more links. With quoted pairs
    // ("\b\omb", …) an org admin spells one mailbox many ways, each with its own three a day.
    await exhaust('bomb@elsewhere.example');
    await exhaust('"bomb"@elsewhere.example');
    await wait(2000);
    expect(envelopeCount('bomb@elsewhere.example')).toBeLessThanOrEqual(3);
  });

  it('a domain in Unicode and in punycode is the same mailbox: it gets no further three links', async () => {
    // idn@例え.example and idn@xn--r8jz45g.example are one mailbox; the hub makes two accounts
    // and mails the mailbox six links (both sent to the Unicode form).
    await exhaust('idn@例え.example');
    await exhaust('idn@xn--r8jz45g.example');
    await wait(2000);
    expect(envelopeCount('idn@例え.example', 'idn@xn--r8jz45g.example')).toBeLessThanOrEqual(3);
  });
});

describe('an address proven in another organisation', () => {
  it('cannot be proven again for a second account by quoting its local part', async () => {
    // The plain form held: Kanto's admin claims soc@chubu.example (Chubu's proven analyst),
    // and that link does not redeem. Spelt "soc"@chubu.example, the claim is a new address to
    // the hub; the link goes to the same mailbox, where Chubu's analyst, who does have a renkei
    // account and is told only "this address was registered for an account on renkei",
    // confirms it. Kanto then holds a proven account for that mailbox, with a password Kanto
    // chose, and redRecipientOrganisations answers Kanto Electric for the quoted spelling.
    const twin = await claim(
      s.op.orgAdmin.token,
      s.op.org,
      '"soc"@chubu.example',
      'kanto chosen passphrase 1',
    );
    await wait(1500);
    const mail = sink.proofs(s.peer.analyst.email).at(-1);
    expect(mail).toBeDefined();
    const redeemed = await raw('mutation($t: String!) { verifyEmail(token: $t) }', {
      t: tokenOf(mail!.text),
    });
    const rro = await raw(
      'query($e: [String!]!) { redRecipientOrganisations(emails: $e) { organisationName } }',
      { e: ['"soc"@chubu.example'] },
      water.analyst.token,
    );
    expect(twin.errors ?? redeemed.errors).toBeDefined();
    expect(rro.data.redRecipientOrganisations[0].organisationName).not.toBe('Kanto Electric');
  });
});

const basic = (user: string, pass: string) =>
  `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('HTTP Basic from a browser on another site', () => {
  it('a cross-site form POST whose browser sends only a Referer (no Origin, no Sec-Fetch-Site) writes nothing', async () => {
    // Browsers that predate Fetch Metadata and sent no Origin on a form POST (Firefox before
    // 70, old embedded WebViews) still send a Referer naming the other site; the hub
    // looks only at Origin and Sec-Fetch-Site, so the remembered Basic credentials import.
    const list = await createList(s.t, s.op.analyst.token, 'referer only');
    const res = await fetch(`${s.t.url}/api/lists/${list}/entries`, {
      method: 'POST',
      headers: {
        authorization: basic('fw', s.op.writer),
        'content-type': 'application/x-www-form-urlencoded',
        referer: 'https://evil.example/form.html',
      },
      body: '198.51.100.83',
    });
    const live = await gq(
      s.t,
      'query($id: ID!) { indicatorList(id: $id) { liveEntries } }',
      { id: list },
      s.op.analyst.token,
    );
    expect(res.status).toBe(403);
    expect(live.indicatorList.liveEntries).toBe(0);
  });
});
