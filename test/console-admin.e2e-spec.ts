import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, settled } from './support/chromium';
import { STRONG_PASSWORD, setupTokenIn, startTestHub, TestHub } from './support/test-hub';

/** Screenshots for review (gitignored): every administration screen in both languages. */
const SCREENS = join(__dirname, '..', 'test-output', 'screens');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const LANGUAGES = ['en', 'ja'] as const;
type Language = (typeof LANGUAGES)[number];
/** What the page functions use of the browser (the tests compile without the DOM library). */
type BrowserGlobals = {
  document: { activeElement: { id: string } | null };
  localStorage: { setItem(key: string, value: string): void };
};

/** Addresses outside every documentation and special-purpose range, so the feed serves them. */
const LIST_ADDRESSES = ['45.95.147.7', '193.142.146.35', '185.220.101.4'];
const ADMIN_EMAIL = 'admin@ci-csirt.example';
const ORG_ADMIN_EMAIL = 'it.admin@kansai-power.example';

/**
 * The console's administration screens in headless Chromium, as the people who run a hub and
 * its member organisations use them: first-run setup, the hub admin's directory and feed
 * control, and an organisation admin's users, API tokens (with a firewall snippet whose URL the
 * test then pulls), webhooks and audit trail, in English and Japanese, checked by axe-core.
 */
describe('administration screens in the console, in a browser', () => {
  let t: TestHub;
  let browser: Browser | undefined;
  /** The session cookie is Secure: Chromium keeps it on http only for `localhost`. */
  let base: string;
  let orgId: string;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    t = await startTestHub();
    base = t.url.replace('127.0.0.1', 'localhost');
    mkdirSync(SCREENS, { recursive: true });
  }, 20 * 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function newPage(language: Language): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser!.newContext({
      locale: language === 'ja' ? 'ja-JP' : 'en-US',
      viewport: { width: 1280, height: 900 },
    });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    page.on('console', (m) => {
      if (/content security policy/i.test(m.text())) cspViolations.push(m.text());
    });
    return { context, page };
  }

  /** Serious and critical axe-core violations on the page as it stands. */
  async function axeViolations(page: Page): Promise<string[]> {
    // As the screen settles: a modal fading in has colours half way to their final ones.
    await settled(page);
    // Evaluated through DevTools, which the page's CSP does not govern (a script tag would be).
    await page.evaluate(AXE_SOURCE);
    const violations = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(): Promise<AxeResults> } }).axe;
      type AxeResults = {
        violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
      };
      const r = await axe.run();
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        targets: v.nodes.map((n) => n.target.join(' ')),
      }));
    });
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.targets.join(', ')}`);
  }

  /** Axe, then a full-page screenshot named for the screen and language. */
  async function review(page: Page, name: string, language: Language): Promise<void> {
    expect({ screen: `${name} (${language})`, violations: await axeViolations(page) }).toEqual({
      screen: `${name} (${language})`,
      violations: [],
    });
    await page.screenshot({ path: join(SCREENS, `admin-${name}-${language}.png`), fullPage: true });
  }

  async function heading(page: Page): Promise<string> {
    const h1 = page.locator('main h1');
    await h1.waitFor();
    return (await h1.innerText()).trim();
  }

  /** Password, then a recovery code the harness kept when it enrolled the user's factor. */
  async function logIn(page: Page, email: string): Promise<void> {
    const codes = t.authenticators.get(email)!.recoveryCodes;
    await page.goto(`${base}/login`);
    await page.locator('#password-step input[type=email]').fill(email);
    await page.locator('#password-step input[type=password]').fill(STRONG_PASSWORD);
    await page.locator('#password-step button[type=submit]').click();
    await page.locator('#second-step').waitFor();
    await page.locator('#second-step form').last().locator('input').fill(codes.pop()!);
    await page.locator('#second-step form').last().locator('button[type=submit]').click();
    await page.waitForURL(`${base}/inbox`);
  }

  /** Presses Tab until the element with this id has the focus: how a keyboard user gets there. */
  async function tabTo(page: Page, id: string): Promise<void> {
    for (let i = 0; i < 80; i++) {
      if (
        (await page.evaluate(
          () => (globalThis as unknown as BrowserGlobals).document.activeElement?.id,
        )) === id
      )
        return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached #${id}`);
  }

  it('completes first-run setup in the browser with the token the hub printed', async () => {
    const ja = await newPage('ja');
    await ja.page.goto(`${base}/setup`);
    expect(await heading(ja.page)).toBe('初期設定');
    await review(ja.page, 'setup', 'ja');
    await ja.context.close();

    const { context, page } = await newPage('en');
    await page.goto(`${base}/setup`);
    expect(await heading(page)).toBe('First-run setup');
    await review(page, 'setup', 'en');
    await page.getByLabel('Setup token').fill('rksetup_wrong');
    await page.getByLabel('Coordinating organisation').fill('CI-CSIRT');
    await page.getByLabel('Your name').fill('Admin');
    await page.getByLabel('Your e-mail').fill(ADMIN_EMAIL);
    await page.getByLabel(/^Password/).fill(STRONG_PASSWORD);
    await page.getByRole('button', { name: 'Complete setup' }).click();
    // The hub's own message and code for a wrong token, not a stack trace.
    const error = page.locator('[data-testid=error]');
    await error.waitFor();
    expect(await error.innerText()).toMatch(
      /^The setup token is wrong.*\s+Code: UNAUTHENTICATED · Request id: [0-9a-f-]{36}$/,
    );

    await page.getByLabel('Setup token').fill(setupTokenIn(t.output));
    await page.getByRole('button', { name: 'Complete setup' }).click();
    await page.locator('#setup-done').waitFor();
    expect(await page.locator('#setup-done').innerText()).toBe(
      `CI-CSIRT and the hub admin ${ADMIN_EMAIL} are set up. Log in and set up a second factor.`,
    );
    await page.screenshot({ path: join(SCREENS, 'admin-setup-done-en.png'), fullPage: true });

    await page.goto(`${base}/setup`);
    await page.locator('#setup-not-needed').waitFor();
    const status = await t.gql<{ hubStatus: { setupRequired: boolean } }>(
      '{ hubStatus { setupRequired } }',
    );
    expect(status.data!.hubStatus.setupRequired).toBe(false);
    await context.close();
  });

  it('lets the hub admin add an organisation and walk the hub screens in both languages', async () => {
    const admin = await t.login(ADMIN_EMAIL, STRONG_PASSWORD);
    // The coordinator's list, which every member's feed serves.
    const list = await t.gql<{ createIndicatorList: { id: string } }>(
      'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
      { i: { name: 'Scanning sources', tlp: 'GREEN' } },
      admin,
    );
    expect(list.errors).toBeUndefined();
    const added = await t.gql(
      'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { added } }',
      { l: list.data!.createIndicatorList.id, i: { text: LIST_ADDRESSES.join('\n') } },
      admin,
    );
    expect(added.errors).toBeUndefined();

    const { context, page } = await newPage('en');
    await logIn(page, ADMIN_EMAIL);
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.waitForURL(`${base}/admin/users`);

    await page.goto(`${base}/admin/organisations`);
    expect(await heading(page)).toBe('Organisations, groups and sectors');
    await page.getByLabel('Group name').fill('Kansai Group');
    await page.getByRole('button', { name: 'Add group' }).click();
    await page.locator('#group-table').getByText('Kansai Group').waitFor();
    const create = page.locator('#create-organisation');
    await create.getByLabel(/^Name/).fill('Kansai Power');
    await create.getByLabel('Sector').selectOption('electric-power');
    await create.getByLabel('Corporate group').selectOption({ label: 'Kansai Group' });
    await create.getByLabel('E-mail domains').fill('kansai-power.example');
    await create.getByRole('button', { name: 'Add organisation' }).click();
    const row = page.locator('#organisation-table tr', { hasText: 'Kansai Power' });
    await row.waitFor();
    expect(await row.innerText()).toMatch(
      /Kansai Power\s+Operator\s+Electric power\s+Kansai Group/,
    );

    const orgs = await t.gql<{ organisations: { edges: { node: { id: string } }[] } }>(
      '{ organisations(filter: { nameContains: "Kansai Power" }) { edges { node { id } } } }',
      {},
      admin,
    );
    orgId = orgs.data!.organisations.edges[0].node.id;

    // The hub-wide allow-list: what the admin adds is listed first, before the built-in ranges.
    await page.goto(`${base}/admin/feeds`);
    const allow = page.locator('#allow-list');
    await allow.getByLabel(/^Range/).fill('91.198.174.0/24');
    await allow.getByLabel('Note').fill('Wikimedia');
    await allow.getByRole('button', { name: 'Add to allow-list' }).click();
    await page.getByRole('button', { name: 'Remove 91.198.174.0/24' }).waitFor();
    expect(await page.locator('#allow-table tbody tr').first().innerText()).toMatch(
      /^91\.198\.174\.0\/24\s+hub-wide\s+Wikimedia/,
    );

    for (const language of LANGUAGES) {
      await page.evaluate(
        (l) => (globalThis as unknown as BrowserGlobals).localStorage.setItem('renkei.language', l),
        language,
      );
      for (const screen of ['users', 'tokens', 'webhooks', 'audit', 'organisations', 'feeds']) {
        await page.goto(`${base}/admin/${screen}`);
        await heading(page);
        await page.waitForLoadState('networkidle');
        await review(page, `hub-${screen}`, language);
      }
    }
    expect(await heading(page)).toBe('フィード管理');
    await context.close();
  });

  it('lets an organisation admin manage users and read the audit trail with names', async () => {
    const created = await t.gql(
      'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
      {
        i: {
          organisationId: orgId,
          email: ORG_ADMIN_EMAIL,
          displayName: 'Hanako Admin',
          role: 'ORG_ADMIN',
          initialPassword: STRONG_PASSWORD,
        },
      },
      await t.login(ADMIN_EMAIL, STRONG_PASSWORD),
    );
    expect(created.errors).toBeUndefined();
    await t.login(ORG_ADMIN_EMAIL, STRONG_PASSWORD); // enrols the factor the browser then uses

    const { context, page } = await newPage('en');
    await logIn(page, ORG_ADMIN_EMAIL);
    await page.goto(`${base}/admin/users`);
    expect(await heading(page)).toBe('Users and roles');
    // Hub screens are not offered to an organisation admin.
    expect(await page.getByRole('link', { name: 'Feed control' }).count()).toBe(0);

    const form = page.locator('#create-user');
    async function addUser(email: string, name: string) {
      await form.getByLabel('E-mail').fill(email);
      await form.getByLabel('Name').fill(name);
      await form.getByLabel('Initial password').fill(STRONG_PASSWORD);
      await form.getByRole('button', { name: 'Add user' }).click();
      await page.locator('#user-created', { hasText: email }).waitFor();
      return (await page.locator('#user-created').innerText()).trim();
    }
    // The e-mail rule of ADR 0016: the organisation's domain at once, any other after proof.
    expect(await addUser('taro@kansai-power.example', 'Taro Analyst')).toBe(
      'taro@kansai-power.example was added.',
    );
    expect(await addUser('taro.home@mail.example', 'Taro Home')).toMatch(
      /outside your domains: the hub sent a one-time link/,
    );
    const unproven = page.locator('#user-table tr', { hasText: 'taro.home@mail.example' });
    await unproven.getByText('address not proven').waitFor();

    await page.getByRole('button', { name: 'Suspend Taro Analyst' }).click();
    await page.getByRole('button', { name: 'Reactivate Taro Analyst' }).waitFor();
    await page.getByRole('button', { name: 'Password reset ticket for Taro Analyst' }).click();
    const ticket = page.locator('#reset-token');
    await ticket.waitFor();
    const reset = await t.gql(
      'mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }',
      {
        t: (await ticket.innerText()).trim(),
        p: `${STRONG_PASSWORD} renewed`,
      },
    );
    expect(reset.errors).toBeUndefined();

    await page.goto(`${base}/admin/audit`);
    const actorCell = page
      .locator('#audit-table tr', { hasText: 'user.suspended' })
      .filter({ hasText: 'Taro Analyst' })
      .first();
    await actorCell.waitFor();
    // Who acted and on whom, by name and address instead of ids.
    const text = await actorCell.innerText();
    expect(text).toContain('Hanako Admin');
    expect(text).toContain(ORG_ADMIN_EMAIL);
    expect(text).toContain('Taro Analyst');
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    await context.close();
  });

  it('creates a firewall token by keyboard alone whose snippet URL serves the list (en), and by pointer (ja)', async () => {
    for (const language of LANGUAGES) {
      const { context, page } = await newPage(language);
      await logIn(page, ORG_ADMIN_EMAIL);
      await page.goto(`${base}/admin/tokens`);
      const name = `edge firewall ${language}`;
      if (language === 'en') {
        expect(await heading(page)).toBe('API tokens');
        // Each scope with what it allows, in the person's language.
        await page.getByText('feeds:read — pull blocklist feeds (firewalls)').waitFor();
        const nameId = (await page.getByLabel(/^Name/).getAttribute('id'))!;
        await tabTo(page, nameId);
        await page.keyboard.type(name);
        await page.keyboard.press('Enter');
      } else {
        expect(await heading(page)).toBe('API トークン');
        await page.getByLabel(/^名前/).fill(name);
        await page.getByRole('button', { name: '作成する' }).click();
      }
      await page.locator('#token-secret').waitFor();
      const token = (await page.locator('#token-secret').innerText()).trim();
      expect(token).toMatch(/^rkt_/);
      const url = (await page.locator('#feed-url').innerText()).trim();
      expect(url).toBe(`${base}/feeds/ipv4.txt?aggregate=true`);
      const snippet = await page.locator('[data-testid=snippet-nftables]').innerText();
      expect(snippet).toContain(`"${url}"`);
      expect(snippet).toContain(token);
      await review(page, 'org-tokens-secret', language);

      // The snippet's pull, as curl -u "firewall:<token>" sends it.
      const res = await fetch(url, {
        headers: { authorization: `Basic ${Buffer.from(`firewall:${token}`).toString('base64')}` },
      });
      expect(res.status).toBe(200);
      expect((await res.text()).trim().split('\n').sort()).toEqual([...LIST_ADDRESSES].sort());
      // Without the token the same URL is refused: the snippet's secret is what opens it.
      expect((await fetch(url)).status).toBe(401);

      await page
        .getByRole('button', { name: language === 'en' ? 'I have stored it' : '保存しました' })
        .click();
      const row = page.locator('#token-table tr', { hasText: name });
      await row.waitFor();
      expect(await row.innerText()).toContain('feeds:read');
      expect(await page.locator('#token-secret').count()).toBe(0);

      for (const screen of ['users', 'tokens', 'webhooks', 'audit']) {
        await page.goto(`${base}/admin/${screen}`);
        await heading(page);
        await page.waitForLoadState('networkidle');
        await review(page, `org-${screen}`, language);
      }
      await context.close();
    }
    expect(cspViolations).toEqual([]);
  });
});
