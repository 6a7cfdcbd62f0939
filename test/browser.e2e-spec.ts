import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { proveEmail } from './support/community';
import { STRONG_PASSWORD, startTestHub, TestHub } from './support/test-hub';
import { currentStep, totpAt } from './support/totp';

const CREATE_USER = `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`;
const SCREENSHOT = '/tmp/renkei-account.png';

/**
 * The console's login and account routes in headless Chromium, as a person uses them: the
 * console calls the API with the session cookie, and passkeys come from Chromium's virtual
 * authenticator (DevTools protocol), which signs real WebAuthn ceremonies the hub verifies.
 */
describe('login and account in the console, in a browser', () => {
  let t: TestHub;
  let browser: Browser | undefined;
  let admin: { token: string; organisationId: string };
  /** WebAuthn needs a host name (the relying party is `localhost`), not 127.0.0.1. */
  let base: string;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    // First, as it may install Chromium (minutes); the hub then starts on a warm machine.
    browser = await launchChromium();
    t = await startTestHub();
    base = t.url.replace('127.0.0.1', 'localhost');
    admin = await t.bootstrapAdmin();
  }, 20 * 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function createUser(email: string, displayName: string): Promise<void> {
    const r = await t.gql(
      CREATE_USER,
      {
        i: {
          organisationId: admin.organisationId,
          email,
          displayName,
          role: 'ANALYST',
          initialPassword: STRONG_PASSWORD,
        },
      },
      admin.token,
    );
    expect(r.errors).toBeUndefined();
    await proveEmail(t, email); // the coordinator registered no domains
  }

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser!.newContext();
    const page = await context.newPage();
    page.on('console', (m) => {
      if (/content security policy/i.test(m.text())) cspViolations.push(m.text());
    });
    return { context, page };
  }

  /** A platform authenticator that verifies the user (like Touch ID) and keeps passkeys. */
  async function addAuthenticator(context: BrowserContext, page: Page) {
    const cdp: CDPSession = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
      },
    });
    return { cdp, authenticatorId };
  }

  async function sessionToken(context: BrowserContext): Promise<string> {
    const cookie = (await context.cookies()).find((c) => c.name === 'renkei_session');
    if (!cookie) throw new Error('the browser holds no session cookie');
    return cookie.value;
  }

  async function text(page: Page, selector: string): Promise<string> {
    const locator = page.locator(selector);
    await locator.waitFor();
    return (await locator.innerText()).trim();
  }

  /**
   * The page updates itself after each GraphQL answer: wait until the element shows what we
   * expect (or 10 s pass), then assert, so a slow machine fails only on a wrong text.
   */
  async function settled(
    page: Page,
    selector: string,
    ok: (t: string) => boolean,
  ): Promise<string> {
    const deadline = Date.now() + 10_000;
    let current = await text(page, selector);
    while (!ok(current) && Date.now() < deadline) {
      await page.waitForTimeout(100);
      current = await text(page, selector);
    }
    return current;
  }

  async function passwordLogin(page: Page, email: string, password = STRONG_PASSWORD) {
    await page.goto(`${base}/login`);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
  }

  /** After a full login the console opens the inbox; the account is a link of its navigation. */
  async function toAccount(page: Page) {
    await page.waitForURL(`${base}/inbox`);
    await page.getByRole('link', { name: 'Account' }).click();
    await page.waitForURL(`${base}/account`);
  }

  async function logOut(page: Page) {
    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await page.waitForURL(`${base}/login`);
    await page.locator('#password-step').waitFor();
  }

  it('serves the console at the old paths with a strict Content-Security-Policy and no inline code', async () => {
    for (const path of ['/login', '/account']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toMatch(
        /^default-src 'self'; script-src 'self';/,
      );
      const html = await res.text();
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>|<style|style=|\son[a-z]+=/i);
    }
    // The old pages' scripts are gone with them.
    expect((await fetch(`${base}/pages/webauthn.js`)).status).toBe(404);
  });

  it('shows the hub’s error message for a wrong password', async () => {
    const { context, page } = await newPage();
    await passwordLogin(page, 'nobody@ci-csirt.example', 'wrong password');
    expect(
      await settled(
        page,
        '[data-testid=error] .error-message',
        (t) => t === 'Wrong e-mail address or password',
      ),
    ).toBe('Wrong e-mail address or password');
    expect(page.url()).toBe(`${base}/login`);
    await context.close();
  });

  it('enrols a passkey, logs in with it after the password, then with the passkey alone', async () => {
    const email = 'passkey.user@ci-csirt.example';
    await createUser(email, 'Passkey User');
    const { context, page } = await newPage();
    const { cdp, authenticatorId } = await addAuthenticator(context, page);

    // No second factor yet: the login page sends the user to enrol one.
    await passwordLogin(page, email);
    await page.waitForURL(`${base}/account`);
    expect(
      await settled(page, '#enrolment-notice', (t) =>
        t.includes('Set up a second factor to continue.'),
      ),
    ).toContain('Set up a second factor to continue.');
    expect(await settled(page, '#fact-session', (t) => t === 'password only')).toBe(
      'password only',
    );

    await page.getByLabel('Name for a new passkey').fill('Test key');
    await page.getByRole('button', { name: 'Register a passkey' }).click();
    await page.locator('#recovery-codes-box').waitFor();
    const codes = await page.locator('#recovery-codes li').allInnerTexts();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(await settled(page, '#passkey-list', (t) => t.includes('Test key'))).toContain(
      'Test key',
    );
    expect(await settled(page, '#fact-session', (t) => t === 'second factor verified')).toBe(
      'second factor verified',
    );
    expect(await page.locator('#enrolment-notice').isHidden()).toBe(true);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0].isResidentCredential).toBe(true);
    await page.getByRole('button', { name: 'I have stored them' }).click();
    expect(await page.locator('#recovery-codes li').count()).toBe(0);

    await logOut(page);
    expect((await context.cookies()).some((c) => c.name === 'renkei_session')).toBe(false);

    // Password, then the passkey as the second factor.
    await passwordLogin(page, email);
    await page.locator('#second-step').waitFor();
    expect(await page.locator('#totp-form').isHidden()).toBe(true);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await toAccount(page);
    expect(await settled(page, '#who', (t) => t === `Passkey User <${email}>`)).toBe(
      `Passkey User <${email}>`,
    );
    expect(
      await settled(page, '#passkey-list', (t) => /Test key\s+added .* · last used /.test(t)),
    ).toMatch(/Test key\s+added .* · last used /);
    expect(await settled(page, '#fact-recovery', (t) => t === '10')).toBe('10');

    const cookie = (await context.cookies()).find((c) => c.name === 'renkei_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });
    const viaApi = await t.gql<{
      mySecurity: { passkeys: { name: string; lastUsedAt: string | null }[] };
    }>('{ mySecurity { passkeys { name lastUsedAt } } }', {}, await sessionToken(context));
    expect(viaApi.errors).toBeUndefined();
    expect(viaApi.data!.mySecurity.passkeys).toEqual([
      { name: 'Test key', lastUsedAt: expect.any(String) },
    ]);

    // The passkey login just now is the recent second-factor check this needs.
    await page.getByRole('button', { name: 'Enable passwordless login' }).click();
    await page.getByRole('button', { name: 'Turn off passwordless login' }).waitFor();
    expect(await settled(page, '#fact-passwordless', (t) => t === 'on')).toBe('on');
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    await page.getByRole('button', { name: 'Generate new recovery codes' }).click();
    await page.locator('#recovery-codes-box').waitFor();
    const fresh = await page.locator('#recovery-codes li').allInnerTexts();
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((c) => codes.includes(c))).toEqual([]);

    await logOut(page);
    await page.getByRole('button', { name: 'Log in with a passkey' }).click();
    await toAccount(page);
    expect(await settled(page, '#who', (t) => t === `Passkey User <${email}>`)).toBe(
      `Passkey User <${email}>`,
    );
    expect(await settled(page, '#fact-session', (t) => t === 'second factor verified')).toBe(
      'second factor verified',
    );
    const me = await t.gql<{ me: { email: string; passwordlessEnabled: boolean } }>(
      '{ me { email passwordlessEnabled } }',
      {},
      await sessionToken(context),
    );
    expect(me.data!.me).toEqual({ email, passwordlessEnabled: true });
    await context.close();
  });

  it('enrols an authenticator app from its QR code page and shows the recovery codes', async () => {
    const email = 'totp.user@ci-csirt.example';
    await createUser(email, 'TOTP User');
    const { context, page } = await newPage();

    await passwordLogin(page, email);
    await page.waitForURL(`${base}/account`);
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await page.locator('img#totp-qr').waitFor();
    // The hub's SVG as an image (it cannot run script there), not inserted as markup.
    expect(await page.locator('img#totp-qr').getAttribute('src')).toMatch(
      /^data:image\/svg\+xml;charset=utf-8,%3Csvg.*%3Cpath/,
    );
    // Shown in groups of four for typing; the app wants the base32 key without the spaces.
    const secret = (await text(page, '#totp-secret')).replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);

    // A code from another time (outside the ±1 step window): the hub's message in the page.
    const step = currentStep();
    await page.getByLabel('Code from the app').fill(totpAt(secret, step - 10));
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    expect(
      await settled(page, '#totp-section .error-message', (t) =>
        t.includes('is not the current code of the app'),
      ),
    ).toContain('is not the current code of the app');

    const confirmedStep = currentStep();
    await page.getByLabel('Code from the app').fill(totpAt(secret, confirmedStep));
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.locator('#recovery-codes-box').waitFor();
    const recoveryCodes = await page.locator('#recovery-codes li').allInnerTexts();
    expect(recoveryCodes).toHaveLength(10);
    expect(
      await settled(page, '#totp-status', (t) => t === 'An authenticator app is set up.'),
    ).toBe('An authenticator app is set up.');
    expect(await settled(page, '#fact-totp', (t) => t === 'set up')).toBe('set up');
    expect(await page.locator('#totp-enrol').isHidden()).toBe(true);

    const viaApi = await t.gql<{ mySecurity: { totpEnabled: boolean; passkeys: unknown[] } }>(
      '{ mySecurity { totpEnabled passkeys { id } } }',
      {},
      await sessionToken(context),
    );
    expect(viaApi.data!.mySecurity).toEqual({ totpEnabled: true, passkeys: [] });

    // The login page's second step: the app's next code (the confirmation used this step's).
    await logOut(page);
    await passwordLogin(page, email);
    await page.locator('#second-step').waitFor();
    expect(await page.locator('#passkey-verify').isHidden()).toBe(true);
    await page
      .getByLabel('Code from your authenticator app')
      .fill(totpAt(secret, confirmedStep + 1));
    await page.getByRole('button', { name: 'Verify code' }).click();
    await toAccount(page);
    expect(await settled(page, '#fact-session', (t) => t === 'second factor verified')).toBe(
      'second factor verified',
    );

    // And a recovery code instead, once: it is then used up.
    await logOut(page);
    await passwordLogin(page, email);
    await page.getByLabel('Or a recovery code').fill(recoveryCodes[0]);
    await page.getByRole('button', { name: 'Use recovery code' }).click();
    await toAccount(page);
    expect(await settled(page, '#fact-recovery', (t) => t === '9')).toBe('9');
    await context.close();
  });

  it('loaded every script and style without a Content-Security-Policy violation', () => {
    expect(cspViolations).toEqual([]);
  });
});
