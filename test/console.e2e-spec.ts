import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { en, type Catalogue } from '../apps/console/src/i18n/en';
import { ja } from '../apps/console/src/i18n/ja';
import { launchChromium, settled } from './support/chromium';
import { createOrg, Member, member } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';

/** Every screen in both languages, for review; not compared, so never a reason to fail. */
const SCREENS = join(__dirname, '..', 'test-output', 'screens');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

type Lang = 'en' | 'ja';
const CATALOGUES: Record<Lang, Catalogue> = { en, ja };

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * The console's daily walk in headless Chromium, in English and in Japanese (the browser's
 * language decides): an author writes and publishes an AMBER report to one organisation with
 * the redaction preview beside the original; an analyst of that organisation, inbox open, sees
 * it arrive live, reads it and says "we saw this too"; an analyst outside the audience, inbox
 * open at the same time, never sees it, not even by its address; the author retracts it. axe-core checks every screen.
 */
describe('console in a browser', () => {
  let t: TestHub;
  let browser: Browser;
  let base: string;
  let author: Member;
  let reader: Member;
  let outsider: Member;
  let readerOrgName: string;
  const cspViolations: string[] = [];
  const axeFindings: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    t = await startTestHub();
    base = t.url.replace('127.0.0.1', 'localhost');
    const admin = (await t.bootstrapAdmin()).token;
    author = await member(
      t,
      admin,
      await createOrg(t, admin, { name: 'Higashi Denryoku', sectorCode: 'electric-power' }),
      'author@higashi-denryoku.example',
    );
    readerOrgName = 'Kita Power';
    reader = await member(
      t,
      admin,
      await createOrg(t, admin, { name: readerOrgName, sectorCode: 'electric-power' }),
      'analyst@kita-power.example',
    );
    outsider = await member(
      t,
      admin,
      await createOrg(t, admin, { name: 'Minato Water Works', sectorCode: 'water' }),
      'analyst@minato-water.example',
    );
    mkdirSync(SCREENS, { recursive: true });
  }, 20 * 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  /** A browser of the person's language holding their session cookie (HttpOnly, as the hub sets it). */
  async function as(
    who: Member | null,
    lang: Lang,
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      locale: lang === 'ja' ? 'ja-JP' : 'en-GB',
      viewport: { width: 1280, height: 900 },
    });
    if (who) {
      await context.addCookies([
        {
          name: 'renkei_session',
          value: who.token,
          domain: 'localhost',
          path: '/',
          httpOnly: true,
          secure: true,
          sameSite: 'Strict',
        },
      ]);
    }
    const page = await context.newPage();
    page.on('console', (m) => {
      if (/content security policy/i.test(m.text())) cspViolations.push(m.text());
    });
    return { context, page };
  }

  /** axe-core in the page (evaluated, not a script tag: the CSP rightly forbids inline script). */
  async function check(page: Page, lang: Lang, screen: string): Promise<void> {
    // A modal still fading in has a text colour half way to its final one: axe then measures a
    // contrast nobody sees (it failed so once). Check the screen as it settles.
    await settled(page);
    await page.evaluate(AXE);
    const violations = await page.evaluate<AxeViolation[]>(async () => {
      const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } })
        .axe;
      return (await axe.run()).violations as never;
    });
    for (const v of violations) {
      if (v.impact === 'serious' || v.impact === 'critical') {
        axeFindings.push(
          `${lang}/${screen}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        );
      }
    }
    await page.screenshot({ path: join(SCREENS, `${lang}-${screen}.png`), fullPage: true });
  }

  async function pick(page: Page, label: string, option: string): Promise<void> {
    await page.getByRole('combobox', { name: label, exact: true }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  it('answers the console at its routes only, with a strict CSP; the API keeps its own routes', async () => {
    for (const path of ['/', '/inbox', '/reports/42', '/write', '/write/42', '/reset-password']) {
      const res = await fetch(`${base}${path}`);
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toMatch(
        /^default-src 'self'; script-src 'self';.* connect-src 'self';.* frame-ancestors 'none'/,
      );
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<div id="root"></div>');
    }
    for (const path of ['/healthz', '/nope', '/inboxes', '/feeds/x', '/api/lists', '/taxii2/']) {
      const res = await fetch(`${base}${path}`);
      expect([path, res.headers.get('content-type')]).not.toEqual([
        path,
        'text/html; charset=utf-8',
      ]);
      expect(await res.text()).not.toContain('<div id="root">');
    }
    const unknown = await fetch(`${base}/nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      error: { code: 'NOT_FOUND' },
      requestId: expect.any(String),
    });
  });

  it('serves hashed assets gzipped and cached for a year, and nothing else from the build', async () => {
    const html = await (await fetch(`${base}/login`)).text();
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)">/.exec(html)![1];
    const res = await fetch(`${base}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await res.text()).length).toBeGreaterThan(1000);
    for (const path of ['/assets/index.html', '/assets/..%2Findex.html', `${script}.gz`]) {
      expect([path, (await fetch(`${base}${path}`)).status]).toEqual([path, 404]);
    }
  });

  for (const lang of ['en', 'ja'] as const) {
    const c = CATALOGUES[lang];

    it(`${lang}: the login screen speaks the browser's language`, async () => {
      const { context, page } = await as(null, lang);
      await page.goto(`${base}/inbox`);
      await page.waitForURL(/\/login\?next=%2Finbox$/);
      await page.getByRole('button', { name: c.login.submit, exact: true }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      await check(page, lang, 'login');
      await page.goto(`${base}/reset-password`);
      await page.getByRole('button', { name: c.reset.submit }).waitFor();
      await check(page, lang, 'reset-password');
      await context.close();
    });

    it(`${lang}: an author publishes, a reader in the audience sees it live and adds a sighting, an outsider never sees it`, async () => {
      const title = `${lang} DoS on the customer portal ${Date.now().toString(36)}`;
      const readerSide = await as(reader, lang);
      const outsiderSide = await as(outsider, lang);
      for (const side of [readerSide, outsiderSide]) {
        await side.page.goto(`${base}/inbox`);
        await side.page.locator('#inbox-table').waitFor();
        await side.page.getByText(c.inbox.live).waitFor();
      }
      await check(readerSide.page, lang, 'inbox');

      const { context, page } = await as(author, lang);
      await page.goto(`${base}/write`);
      await page.getByRole('textbox', { name: c.editor.title }).fill(title);
      await pick(page, c.editor.tlp, 'TLP:AMBER');
      await page
        .getByRole('combobox', { name: c.editor.audienceOrganisations, exact: true })
        .click();
      await page.getByRole('option', { name: readerOrgName }).click();
      await page.keyboard.press('Escape');
      await page
        .getByRole('textbox', { name: c.report.sections.background })
        .fill('Reported to soc@higashi-denryoku.example by the night shift.');
      await page
        .getByRole('textbox', { name: c.report.sections.response })
        .fill('Upstream filtering of the attack sources.');
      await check(page, lang, 'write');
      await page.getByRole('button', { name: c.editor.preview }).click();
      const preview = page.locator('#redaction-preview');
      await preview.waitFor();
      // Side by side: what the author wrote, and what others receive without the address.
      expect(await preview.locator('.original').allInnerTexts()).toContain(
        'Reported to soc@higashi-denryoku.example by the night shift.',
      );
      const redacted = (await preview.locator('.redacted').allInnerTexts()).join('\n');
      expect(redacted).toContain('by the night shift.');
      expect(redacted).not.toContain('soc@higashi-denryoku.example');
      // Who readers will be told wrote it: four organisations, so a pseudonym, no warning.
      expect(await preview.locator('#preview-author').innerText()).toContain(
        'a member organisation',
      );
      expect(await preview.locator('#preview-too-few').count()).toBe(0);
      await check(page, lang, 'redaction-preview');
      await page.getByRole('button', { name: c.editor.publish, exact: true }).click();
      await page.waitForURL(/\/reports\/[^/]+$/);
      const reportPath = new URL(page.url()).pathname;
      await page.getByRole('heading', { name: title }).waitFor();
      await context.close();

      // Live: the reader's open inbox shows it without a reload.
      const row = readerSide.page.locator('#inbox-table').getByRole('link', { name: title });
      await row.waitFor();
      const [before, after] = c.inbox.newItems.split('{{count}}');
      await readerSide.page.getByText(new RegExp(`^${before}[1-9]\\d*${after}$`)).waitFor();
      await check(readerSide.page, lang, 'inbox-live');
      await row.click();
      await readerSide.page.waitForURL(`${base}${reportPath}`);
      const banner = readerSide.page.getByRole('note', { name: 'TLP:AMBER' });
      expect(await banner.innerText()).toContain(c.tlp.AMBER);
      expect(
        await readerSide.page.getByRole('heading', { name: c.report.sections.background }).count(),
      ).toBe(1);
      expect(await readerSide.page.getByText('soc@higashi-denryoku.example').count()).toBe(0);
      await readerSide.page.getByRole('button', { name: c.report.addSighting }).click();
      await readerSide.page.locator('#sightings .sighting').first().waitFor();
      expect(await readerSide.page.locator('#sightings .sighting').count()).toBe(1);
      await check(readerSide.page, lang, 'report');

      // The outsider's inbox got no event for it, and a reload or its address shows nothing.
      expect(await outsiderSide.page.getByText(title).count()).toBe(0);
      await outsiderSide.page.reload();
      await outsiderSide.page.locator('#inbox-table').waitFor();
      await outsiderSide.page.getByText(c.inbox.live).waitFor();
      expect(await outsiderSide.page.getByText(title).count()).toBe(0);
      await outsiderSide.page.goto(`${base}${reportPath}`);
      await outsiderSide.page.getByTestId('error').waitFor();
      expect(await outsiderSide.page.getByText(title).count()).toBe(0);
      expect(await outsiderSide.page.getByTestId('error').innerText()).toMatch(/NOT_FOUND/);

      // The owner retracts it, after confirming with a reason; readers see it marked so.
      const reason = `${lang}: duplicate of an earlier report`;
      const retracted = c.report.retracted.replace('{{reason}}', reason);
      const owner = await as(author, lang);
      await owner.page.goto(`${base}${reportPath}`);
      await owner.page.getByRole('button', { name: c.report.retract, exact: true }).click();
      await owner.page.getByRole('textbox', { name: c.report.retractReason }).fill(reason);
      await check(owner.page, lang, 'retract');
      await owner.page.getByRole('button', { name: c.report.retractConfirm }).click();
      await owner.page.getByText(retracted).waitFor();
      await owner.context.close();
      await readerSide.page.reload();
      await readerSide.page.getByText(retracted).waitFor();
      expect(await readerSide.page.getByRole('button', { name: c.report.retract }).count()).toBe(0);
      await readerSide.context.close();
      await outsiderSide.context.close();
    });

    it(`${lang}: the account screen`, async () => {
      const { context, page } = await as(reader, lang);
      await page.goto(`${base}/account`);
      await page.locator('#sessions-section').waitFor();
      expect(await page.locator('#fact-session').innerText()).toBe(c.account.verified);
      await check(page, lang, 'account');
      await context.close();
    });
  }

  it('axe-core found no serious or critical violation on any screen', () => {
    expect(axeFindings).toEqual([]);
  });

  it('loaded every script and style without a Content-Security-Policy violation', () => {
    expect(cspViolations).toEqual([]);
  });
});
