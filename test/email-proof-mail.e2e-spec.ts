import type { Browser } from 'playwright-core';
import { en } from '../apps/console/src/i18n/en';
import { ja } from '../apps/console/src/i18n/ja';
import { launchChromium } from './support/chromium';
import { createOrg } from './support/community';
import {
  CONSOLE_LANGUAGES,
  consoleBase,
  consoleContext,
  reviewScreen,
} from './support/console-browser';
import { SmtpSink } from './support/smtp-sink';
import { startTestHub, STRONG_PASSWORD, TestHub } from './support/test-hub';

/*
 * With SMTP configured the hub mails an address's one-time proof link to the address itself
 * (ADR 0016): neither the creating admin nor the server's log gets the token. The link opens the
 * console's confirmation page in a real browser; until it is confirmed the account cannot log
 * in. Without a reachable SMTP server the operator's console gets the link, as without SMTP.
 */

jest.setTimeout(240_000);

const CATALOGUES = { en, ja };
const smtp = new SmtpSink();
let t: TestHub;
let admin: string;
let orgId: string;
let browser: Browser;
const findings: string[] = [];

beforeAll(async () => {
  await smtp.start();
  t = await startTestHub({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://hub.example.org' });
  admin = (await t.bootstrapAdmin()).token;
  orgId = await createOrg(t, admin, {
    name: 'Kita Gas',
    sectorCode: 'gas',
    domains: ['kita-gas.example'],
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await smtp.stop();
});

async function createUser(email: string): Promise<{ raw: string; verified: boolean }> {
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
    body: JSON.stringify({
      query: 'mutation($i: CreateUserInput!) { createUser(input: $i) { id emailVerifiedAt } }',
      variables: {
        i: {
          organisationId: orgId,
          email,
          displayName: email.split('@')[0],
          role: 'ANALYST',
          initialPassword: STRONG_PASSWORD,
        },
      },
    }),
  });
  const raw = await res.text();
  const body = JSON.parse(raw) as { data: { createUser: { emailVerifiedAt: string | null } } };
  return { raw, verified: body.data.createUser.emailVerifiedAt !== null };
}

async function proofMailTo(email: string) {
  for (let waited = 0; waited < 10_000; waited += 50) {
    const mail = smtp.proofs(email).at(-1);
    if (mail) return mail;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no proof mail to ${email}`);
}

const canLogIn = async (email: string) =>
  (
    await t.gql('mutation($i: LoginInput!) { login(input: $i) { token } }', {
      i: { email, password: STRONG_PASSWORD },
    })
  ).errors === undefined;

/** The hub's console arrives through a pipe: wait for the line. */
async function outputLine(text: string): Promise<string> {
  for (let waited = 0; waited < 10_000; waited += 50) {
    const line = t.output.find((l) => l.includes(text));
    if (line) return line;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the hub printed no line with "${text}"`);
}

for (const lang of CONSOLE_LANGUAGES) {
  const c = CATALOGUES[lang];

  it(`${lang}: mails the link to an address outside the domains, and the person confirms it in the browser`, async () => {
    const email = `analyst-${lang}@freemail.example`;
    const created = await createUser(email);
    expect(created.verified).toBe(false);
    const mail = await proofMailTo(email);
    const token = /\/verify-email#token=(rkv_[\w-]+)/.exec(mail.text)![1];
    // The link points at the hub's public address; only the address itself got the token.
    expect(mail.text).toContain(`https://hub.example.org/verify-email#token=${token}`);
    expect(mail.to).toEqual([email]);
    expect(mail.subject).toContain('confirm your e-mail address');
    // The claimant names itself, so two claims of one address can be told apart (ADR 0016).
    expect(mail.text).toContain('"Kita Gas" registered this address');
    expect(created.raw).not.toContain(token);
    expect(t.output.join('\n')).not.toContain(token);
    expect(smtp.to(email)).toHaveLength(0); // not counted among alerts
    expect(await canLogIn(email)).toBe(false);

    const { context, page } = await consoleContext(browser, { lang, cspViolations: findings });
    await page.goto(`${consoleBase(t.url)}/verify-email#token=${token}`);
    await page.getByRole('heading', { name: c.verify.title }).waitFor();
    expect(await page.getByLabel(c.verify.token).inputValue()).toBe(token);
    findings.push(...(await reviewScreen(page, 'verify-email', lang)));
    // Opening the link proves nothing (mail scanners open links): the person confirms.
    expect(await canLogIn(email)).toBe(false);
    await page.getByRole('button', { name: c.verify.submit }).click();
    await page.getByRole('status').filter({ hasText: c.verify.done }).waitFor();
    findings.push(...(await reviewScreen(page, 'verify-email-done', lang)));
    await context.close();
    expect(await canLogIn(email)).toBe(true);
  });

  it(`${lang}: a used or wrong link says so with the hub's error`, async () => {
    const { context, page } = await consoleContext(browser, { lang, cspViolations: findings });
    await page.goto(`${consoleBase(t.url)}/verify-email#token=rkv_not-a-real-token`);
    await page.getByRole('button', { name: c.verify.submit }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toMatch(/UNAUTHENTICATED/);
    await context.close();
  });
}

it('mails one address at most three links a day from one organisation, and says when the next may go', async () => {
  const email = 'busy@freemail.example';
  await createUser(email);
  const users = await t.gql<{ users: { edges: { node: { id: string; email: string } }[] } }>(
    'query($o: ID!) { users(first: 100, filter: { organisationId: $o }) { edges { node { id email } } } }',
    { o: orgId },
    admin,
  );
  const id = users.data!.users.edges.find((e) => e.node.email === email)!.node.id;
  const REISSUE = 'mutation($id: ID!) { issueEmailVerification(id: $id) }';
  for (let i = 0; i < 2; i++) expect((await t.gql(REISSUE, { id }, admin)).errors).toBeUndefined();
  const refused = await t.gql(REISSUE, { id }, admin);
  expect(refused.errors?.[0].extensions).toMatchObject({
    code: 'FORBIDDEN',
    reason: 'PROOF_MAIL_LIMIT',
    retryAfterSeconds: expect.any(Number),
  });
  await new Promise((r) => setTimeout(r, 500));
  expect(smtp.proofs(email)).toHaveLength(3);
  // The newest link sent still works.
  const token = /\/verify-email#token=(rkv_[\w-]+)/.exec(smtp.proofs(email).at(-1)!.text)![1];
  expect(
    (await t.gql('mutation($t: String!) { verifyEmail(token: $t) }', { t: token })).errors,
  ).toBeUndefined();
});

it('sends no mail for an address in the organisation’s domains (vouched for)', async () => {
  const email = 'soc@kita-gas.example';
  expect((await createUser(email)).verified).toBe(true);
  await new Promise((r) => setTimeout(r, 500));
  expect(smtp.proofs(email)).toHaveLength(0);
});

it('prints the link on the operator’s console when the SMTP server does not answer, and logs only the reason', async () => {
  await smtp.stop();
  try {
    const email = 'night-shift@freemail.example';
    await createUser(email);
    const pattern = `e-mail proof for ${email}: redeem `;
    const line = await outputLine(pattern);
    const token = line.slice(line.indexOf(pattern) + pattern.length).match(/^rkv_[\w-]+/)![0];
    const warning = await outputLine(`e-mail proof for ${email} could not be sent`);
    expect(warning).not.toContain(token);
    const r = await t.gql('mutation($t: String!) { verifyEmail(token: $t) }', { t: token });
    expect(r.errors).toBeUndefined();
  } finally {
    await smtp.start();
  }
});

it('loaded every script and style without a Content-Security-Policy violation or an axe finding', () => {
  expect(findings).toEqual([]);
});
