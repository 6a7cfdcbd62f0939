import type { Browser, BrowserContext, CDPSession, Locator, Page } from 'playwright-core';
import { en, type Catalogue } from '../apps/console/src/i18n/en';
import { ja } from '../apps/console/src/i18n/ja';
import { journeysEn } from '../apps/console/src/i18n/journeys.en';
import { journeysJa } from '../apps/console/src/i18n/journeys.ja';
import { launchChromium } from './support/chromium';
import { createOrg, Member, member, publishReport } from './support/community';
import {
  CONSOLE_LANGUAGES,
  consoleBase,
  consoleContext,
  reviewScreen,
  type ConsoleLanguage,
} from './support/console-browser';
import { nextTotp, STRONG_PASSWORD, startTestHub, TestHub } from './support/test-hub';
import { currentStep, totpAt } from './support/totp';

const CATALOGUES: Record<ConsoleLanguage, Catalogue> = { en, ja };
const JOURNEYS: Record<ConsoleLanguage, typeof journeysEn> = { en: journeysEn, ja: journeysJa };

type Security = {
  totpEnabled: boolean;
  passkeys: { name: string }[];
  recoveryCodesRemaining: number;
};
const SECURITY = '{ mySecurity { totpEnabled passkeys { name } recoveryCodesRemaining } }';

/**
 * "A user enrols, loses a factor and recovers" (issue 14), in the browser, in both languages: a
 * new user redeems the reset link their admin gave them, sets a password, enrols the
 * authenticator app and a passkey and keeps the recovery codes; loses the phone, logs in with a
 * recovery code and enrols the app again; loses everything, and their org admin issues, in the
 * console, a reset ticket that also removes the lost factors (ADR 0028), through which they
 * set a new password and enrol afresh.
 */
describe('console journeys: enrol, lose a factor, recover', () => {
  let t: TestHub;
  let browser: Browser;
  let base: string;
  let orgId: string;
  let orgAdmin: Member;
  const cspViolations: string[] = [];
  const axeFindings: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    t = await startTestHub();
    base = consoleBase(t.url);
    const admin = (await t.bootstrapAdmin()).token;
    // Its own domain: addresses in it count as proven, so invitations need no e-mail proof.
    orgId = await createOrg(t, admin, {
      name: 'Kita Power',
      sectorCode: 'electric-power',
      domains: ['kita-power.example'],
    });
    orgAdmin = await member(t, admin, orgId, 'it.admin@kita-power.example', 'ORG_ADMIN');
  }, 20 * 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  /** A user of Kita Power the org admin created, with a reset ticket as their invitation. */
  async function invite(email: string, name: string): Promise<{ userId: string; ticket: string }> {
    const created = await t.gql<{ createUser: { id: string } }>(
      'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
      {
        i: {
          organisationId: orgId,
          email,
          displayName: name,
          role: 'ANALYST',
          // Never told to anyone: the user sets their own through the ticket.
          initialPassword: `${STRONG_PASSWORD} never handed out ${email}`,
        },
      },
      orgAdmin.token,
    );
    const userId = created.data!.createUser.id;
    const issued = await t.gql<{ issuePasswordReset: { token: string } }>(
      'mutation($id: ID!) { issuePasswordReset(id: $id) { token } }',
      { id: userId },
      orgAdmin.token,
    );
    return { userId, ticket: issued.data!.issuePasswordReset.token };
  }

  async function security(token: string): Promise<Security> {
    return (await t.gql<{ mySecurity: Security }>(SECURITY, {}, token)).data!.mySecurity;
  }

  describe('a reset ticket that also removes the second factors (API)', () => {
    it('removes every factor and recovery code when redeemed; an ordinary ticket keeps them', async () => {
      const email = 'lost.everything@kita-power.example';
      const { userId, ticket } = await invite(email, 'Lost Everything');
      expect(
        (
          await t.gql(
            'mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }',
            { t: ticket, p: STRONG_PASSWORD },
          )
        ).errors,
      ).toBeUndefined();
      const session = await t.login(email, STRONG_PASSWORD); // enrols the app: codes issued
      expect(await security(session)).toMatchObject({
        totpEnabled: true,
        recoveryCodesRemaining: 10,
      });

      // An ordinary ticket: a new password, the factors stay (the password alone is not enough).
      const plain = await t.gql<{
        issuePasswordReset: { token: string; resetsSecondFactors: boolean };
      }>(
        'mutation($id: ID!) { issuePasswordReset(id: $id) { token resetsSecondFactors } }',
        { id: userId },
        orgAdmin.token,
      );
      expect(plain.data!.issuePasswordReset.resetsSecondFactors).toBe(false);
      await t.gql(
        'mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }',
        {
          t: plain.data!.issuePasswordReset.token,
          p: `${STRONG_PASSWORD} two`,
        },
      );
      const afterPlain = await t.passwordLogin(email, `${STRONG_PASSWORD} two`);
      expect(afterPlain.enrolmentRequired).toBe(false);

      // With resetSecondFactors: redeeming it leaves no factor, so the next login enrols one.
      const full = await t.gql<{
        issuePasswordReset: { token: string; resetsSecondFactors: boolean };
      }>(
        'mutation($id: ID!) { issuePasswordReset(id: $id, resetSecondFactors: true) { token resetsSecondFactors } }',
        { id: userId },
        orgAdmin.token,
      );
      expect(full.errors).toBeUndefined();
      expect(full.data!.issuePasswordReset.resetsSecondFactors).toBe(true);
      await t.gql(
        'mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }',
        {
          t: full.data!.issuePasswordReset.token,
          p: `${STRONG_PASSWORD} three`,
        },
      );
      const afterFull = await t.passwordLogin(email, `${STRONG_PASSWORD} three`);
      expect(afterFull.enrolmentRequired).toBe(true);
      expect(await security(afterFull.token)).toEqual({
        totpEnabled: false,
        passkeys: [],
        recoveryCodesRemaining: 0,
      });
      // The old session ended with the reset; the old recovery codes are gone with the factors.
      expect((await t.gql(SECURITY, {}, session)).errors?.[0].extensions?.code).toBe(
        'UNAUTHENTICATED',
      );
    });

    it('is audited as such, issuing and redeeming', async () => {
      const audit = await t.gql<{
        auditLog: { edges: { node: { action: string; details: string } }[] };
      }>(
        '{ auditLog(first: 20) { edges { node { action details: detailsJson } } } }',
        {},
        orgAdmin.token,
      );
      const actions = audit.data!.auditLog.edges.map((e) => e.node);
      expect(actions).toContainEqual(
        expect.objectContaining({
          action: 'password.reset_issued',
          details: expect.stringContaining('"resetsSecondFactors":true'),
        }),
      );
      expect(actions).toContainEqual(
        expect.objectContaining({
          action: 'password.reset_used',
          details: expect.stringContaining('"secondFactorsRemoved":true'),
        }),
      );
    });
  });

  /** A platform authenticator that verifies the user (like Touch ID) and keeps passkeys. */
  async function addAuthenticator(context: BrowserContext, page: Page): Promise<CDPSession> {
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
      },
    });
    return cdp;
  }

  /** Redeems a reset ticket on the console's page, as its link opens it. */
  async function redeem(page: Page, c: Catalogue, ticket: string, password: string) {
    await page.goto(`${base}/reset-password#token=${ticket}`);
    await page.getByLabel(c.reset.password).fill(password);
    await page.getByRole('button', { name: c.reset.submit }).click();
    await page.getByText(c.reset.done).waitFor();
  }

  async function passwordStep(page: Page, c: Catalogue, email: string, password: string) {
    await page.goto(`${base}/login`);
    await page.locator('#password-step input[type=email]').fill(email);
    await page.locator('#password-step input[type=password]').fill(password);
    await page.getByRole('button', { name: c.login.submit, exact: true }).click();
  }

  /** Starts the app's enrolment and confirms it with a code computed from the shown secret. */
  async function enrolApp(page: Page, c: Catalogue): Promise<void> {
    await page.getByRole('button', { name: c.account.totpStart }).click();
    const secret = (await page.locator('#totp-secret').innerText()).replace(/\s+/g, '');
    await page.getByLabel(c.account.totpCode).fill(totpAt(secret, currentStep()));
    await page.getByRole('button', { name: c.account.totpConfirm, exact: true }).click();
    await page.locator('#totp-status').getByText(c.account.totpOn).waitFor();
  }

  for (const lang of CONSOLE_LANGUAGES) {
    const c = CATALOGUES[lang];
    const j = JOURNEYS[lang];

    it(`${lang}: enrols, loses the phone and recovers with a code, loses everything and recovers through the admin`, async () => {
      const email = `new.analyst.${lang}@kita-power.example`;
      const name = `New Analyst ${lang}`;
      const { ticket } = await invite(email, name);
      const first = `${STRONG_PASSWORD} ${lang} first`;

      // 1. The invitation: the reset link sets the user's own password.
      const day1 = await consoleContext(browser, { lang, cspViolations });
      let page = day1.page;
      await page.goto(`${base}/reset-password#token=${ticket}`);
      axeFindings.push(...(await reviewScreen(page, 'journey-redeem', lang)));
      await redeem(page, c, ticket, first);
      axeFindings.push(...(await reviewScreen(page, 'journey-redeemed', lang)));

      // 2. First login: no factor yet, so the console asks to enrol one.
      await passwordStep(page, c, email, first);
      await page.waitForURL(`${base}/account`);
      await page.locator('#enrolment-notice').waitFor();
      axeFindings.push(...(await reviewScreen(page, 'journey-enrol', lang)));
      await page.getByRole('button', { name: c.account.totpStart }).click();
      await page.locator('#totp-secret').waitFor();
      axeFindings.push(...(await reviewScreen(page, 'journey-enrol-app', lang)));
      const secret = (await page.locator('#totp-secret').innerText()).replace(/\s+/g, '');
      await page.getByLabel(c.account.totpCode).fill(totpAt(secret, currentStep()));
      await page.getByRole('button', { name: c.account.totpConfirm, exact: true }).click();
      await page.locator('#recovery-codes-box').waitFor();
      const codes = await page.locator('#recovery-codes li').allInnerTexts();
      expect(codes).toHaveLength(10);
      axeFindings.push(...(await reviewScreen(page, 'journey-recovery-codes', lang)));
      await page.getByRole('button', { name: c.account.codesDone }).click();

      // 3. A passkey as well (Chromium's virtual authenticator signs the real ceremony).
      await addAuthenticator(day1.context, page);
      await page.getByLabel(c.account.passkeyName).fill('Laptop');
      await page.getByRole('button', { name: c.account.passkeyRegister }).click();
      await page.locator('#passkey-list').getByText('Laptop', { exact: true }).waitFor();
      axeFindings.push(...(await reviewScreen(page, 'journey-enrolled', lang)));
      await day1.context.close();

      // 4. The phone is lost: another browser, the password, then a recovery code.
      const day2 = await consoleContext(browser, { lang, cspViolations });
      page = day2.page;
      await passwordStep(page, c, email, first);
      await page.locator('#second-step').waitFor();
      axeFindings.push(...(await reviewScreen(page, 'journey-second-step', lang)));
      await page.getByLabel(c.login.recovery).fill(codes[0]);
      await page.getByRole('button', { name: c.login.useRecovery }).click();
      await page.waitForURL(`${base}/inbox`);
      await page.goto(`${base}/account`);
      await page.getByRole('button', { name: c.account.totpRemove }).click();
      await page.locator('#totp-status').getByText(c.account.totpOff).waitFor();
      await enrolApp(page, c);
      expect(await page.locator('#fact-recovery').innerText()).toBe('9');
      axeFindings.push(...(await reviewScreen(page, 'journey-app-replaced', lang)));
      await day2.context.close();

      // 5. Everything is lost. The org admin, having made sure who is asking, issues in the
      // console a ticket that also removes the factors (confirming their own second factor).
      const adminSide = await consoleContext(browser, {
        lang,
        sessionToken: await t.login(orgAdmin.email, STRONG_PASSWORD),
        cspViolations,
      });
      await adminSide.page.goto(`${base}/admin/users`);
      await adminSide.page
        .getByRole('button', { name: j.recovery.resetFactorsOf.replace('{{name}}', name) })
        .click();
      await adminSide.page.locator('#reset-ticket').getByText(j.recovery.ticketFactors).waitFor();
      const rescue = (await adminSide.page.locator('#reset-token').innerText()).trim();
      axeFindings.push(...(await reviewScreen(adminSide.page, 'journey-admin-ticket', lang)));
      await adminSide.context.close();

      // 6. With the ticket alone: a new password, then a fresh enrolment at the next login.
      const day3 = await consoleContext(browser, { lang, cspViolations });
      page = day3.page;
      const second = `${STRONG_PASSWORD} ${lang} second`;
      await redeem(page, c, rescue, second);
      await passwordStep(page, c, email, second);
      await page.waitForURL(`${base}/account`);
      await page.locator('#enrolment-notice').waitFor();
      expect(await page.locator('#fact-passkeys').innerText()).toBe('0');
      await enrolApp(page, c);
      await page.locator('#recovery-codes-box').waitFor();
      const fresh = await page.locator('#recovery-codes li').allInnerTexts();
      expect(fresh).toHaveLength(10);
      expect(fresh).not.toContain(codes[1]);
      axeFindings.push(...(await reviewScreen(page, 'journey-recovered', lang)));
      await page.getByRole('button', { name: c.account.codesDone }).click();
      await page.goto(`${base}/inbox`);
      await page.locator('#inbox-table').waitFor();
      await day3.context.close();
    });
  }

  describe('by keyboard alone', () => {
    /** Whether the element has the focus (looked at, never clicked). */
    async function focused(target: Locator): Promise<boolean> {
      if ((await target.count()) === 0) return false;
      return target
        .first()
        .evaluate(
          (el) =>
            el ===
            (globalThis as unknown as { document: { activeElement: unknown } }).document
              .activeElement,
        );
    }

    /** Presses Tab until the element has the focus, as a keyboard user moves there. */
    async function tabTo(page: Page, target: Locator, what: string): Promise<void> {
      for (let i = 0; i < 80; i++) {
        if (await focused(target)) return;
        await page.keyboard.press('Tab');
      }
      throw new Error(`Tab never reached ${what}`);
    }

    /** In an open Mantine combobox: arrows until the wanted option is the active one, Enter. */
    async function choose(page: Page, option: string): Promise<void> {
      const active = page.locator('[role=option][data-combobox-selected]');
      for (let i = 0; i < 20; i++) {
        await page.keyboard.press('ArrowDown');
        if ((await active.count()) && (await active.first().innerText()).trim() === option) {
          await page.keyboard.press('Enter');
          return;
        }
      }
      throw new Error(`the arrows never reached the option ${option}`);
    }

    it('en: logs in with a code, reads a report from the inbox, writes and publishes one through the redaction preview', async () => {
      const c = en;
      const admin = await t.login('admin@ci-csirt.example', STRONG_PASSWORD);
      const peerOrg = await createOrg(t, admin, { name: 'Minami Gas', sectorCode: 'gas' });
      const peer = await member(t, admin, peerOrg, 'analyst@minami-gas.example');
      const title = `Phishing wave against the billing desk ${Date.now().toString(36)}`;
      await publishReport(t, peer.token, {
        title,
        tlp: 'GREEN',
        summary: 'Blocked at the gateway.',
      });
      const email = 'keyboard.user@kita-power.example';
      await member(t, admin, orgId, email);
      const { context, page } = await consoleContext(browser, { lang: 'en', cspViolations });

      // Log in: e-mail, password, Enter; the code field has the focus on the second step.
      await page.goto(`${base}/login`);
      await page.locator('#password-step').waitFor();
      await tabTo(page, page.locator('#password-step input[type=email]'), 'the e-mail field');
      await page.keyboard.type(email);
      await tabTo(page, page.locator('#password-step input[type=password]'), 'the password');
      await page.keyboard.type(STRONG_PASSWORD);
      await page.keyboard.press('Enter');
      const code = page.getByLabel(c.login.totp);
      await code.waitFor();
      expect(await focused(code)).toBe(true);
      const totp = nextTotp(t.authenticators.get(email)!)!;
      await page.keyboard.type(totp.code);
      t.authenticators.get(email)!.usedSteps.add(totp.step);
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/inbox`);

      // Read: Tab to the report's link in the inbox, Enter.
      const link = page.locator('#inbox-table').getByRole('link', { name: title });
      await link.waitFor();
      await tabTo(page, link, 'the report in the inbox');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: title }).waitFor();

      // Write: the navigation's link, the form, an AMBER audience picked by typing, preview, publish.
      await tabTo(page, page.getByRole('link', { name: c.app.nav.write }), 'the write link');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/write`);
      const mine = `Keyboard report ${Date.now().toString(36)}`;
      await tabTo(page, page.getByRole('textbox', { name: c.editor.title }), 'the title');
      await page.keyboard.type(mine);
      await tabTo(page, page.getByRole('combobox', { name: c.editor.tlp, exact: true }), 'TLP');
      await choose(page, 'TLP:AMBER');
      await tabTo(
        page,
        page.getByRole('combobox', { name: c.editor.audienceOrganisations }),
        'the organisation picker',
      );
      await page.keyboard.type('Minami');
      await choose(page, 'Minami Gas');
      await page.keyboard.press('Escape');
      await tabTo(
        page,
        page.getByRole('textbox', { name: c.report.sections.background }),
        'the background section',
      );
      await page.keyboard.type('Reported to soc@kita-power.example by the night shift.');
      await tabTo(page, page.getByRole('button', { name: c.editor.preview }), 'Preview');
      await page.keyboard.press('Enter');
      await page.locator('#redaction-preview').waitFor();
      axeFindings.push(...(await reviewScreen(page, 'journey-keyboard-preview', 'en')));
      await tabTo(
        page,
        page.getByRole('button', { name: c.editor.publish, exact: true }),
        'Publish',
      );
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/reports\/[^/]+$/);
      await page.getByRole('heading', { name: mine }).waitFor();
      const id = new URL(page.url()).pathname.split('/').pop()!;
      const seen = await t.gql<{
        report: { tlp: string; audience: { organisationIds: string[] } };
      }>(
        'query($id: ID!) { report(id: $id) { tlp audience { organisationIds } } }',
        { id },
        peer.token,
      );
      expect(seen.data!.report).toEqual({ tlp: 'AMBER', audience: null });
      await context.close();
    });
  });

  it('axe-core found no serious or critical violation, and no CSP violation', () => {
    expect(axeFindings).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
