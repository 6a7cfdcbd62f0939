import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { settled } from './chromium';

/**
 * What every console browser test needs: a browser of the person's language holding their
 * session, axe-core on the screen as it stands, and a screenshot for review. New console specs
 * use these rather than their own copies.
 */

/** Screenshots for review (gitignored): every screen in both languages; never compared. */
export const SCREENS = join(__dirname, '..', '..', 'test-output', 'screens');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export type ConsoleLanguage = 'en' | 'ja';
export const CONSOLE_LANGUAGES: readonly ConsoleLanguage[] = ['en', 'ja'];

/** The session cookie is Secure: Chromium keeps it on plain http only for `localhost`. */
export function consoleBase(hubUrl: string): string {
  return hubUrl.replace('127.0.0.1', 'localhost');
}

/**
 * A browser context in the person's language, holding their session cookie (HttpOnly, as the
 * hub sets it) when a session token is given; every CSP violation the page reports is pushed
 * to `cspViolations`.
 */
export async function consoleContext(
  browser: Browser,
  opts: { lang: ConsoleLanguage; sessionToken?: string; cspViolations: string[] },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    locale: opts.lang === 'ja' ? 'ja-JP' : 'en-GB',
    viewport: { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(10_000);
  if (opts.sessionToken) {
    await context.addCookies([
      {
        name: 'renkei_session',
        value: opts.sessionToken,
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
    if (/content security policy/i.test(m.text())) opts.cspViolations.push(m.text());
  });
  return { context, page };
}

/** Serious and critical axe-core violations on the page as it settles. */
export async function axeViolations(page: Page): Promise<string[]> {
  // A modal still fading in has colours half way to their final ones: check the settled screen.
  await settled(page);
  // Evaluated through DevTools, which the page's CSP does not govern (a script tag would be).
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    type AxeResults = {
      violations: {
        id: string;
        impact: string | null;
        help: string;
        nodes: { target: string[] }[];
      }[];
    };
    const axe = (globalThis as unknown as { axe: { run(): Promise<AxeResults> } }).axe;
    const r = await axe.run();
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}) ${v.help}: ${v.targets.join(', ')}`);
}

/**
 * Axe on the screen, then a full-page screenshot named `<name>-<lang>.png`. Returns the
 * findings, each prefixed with the screen, for the spec to collect and assert empty.
 */
export async function reviewScreen(
  page: Page,
  name: string,
  lang: ConsoleLanguage,
): Promise<string[]> {
  const findings = (await axeViolations(page)).map((f) => `${name} (${lang}): ${f}`);
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: join(SCREENS, `${name}-${lang}.png`), fullPage: true });
  return findings;
}
