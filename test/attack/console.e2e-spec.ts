import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { publishReport } from '../support/community';
import { Member } from '../support/community';
import { Scene, scene } from './support';

/*
 * The console (ADR 0023) from a hostile member's side: markup in report text and labels that
 * another member's browser renders, the login's `?next=` return path, and what the browser
 * keeps where a script could read it. Headless Chromium against the real hub. A test that FAILS
 * is a finding.
 */

jest.setTimeout(600_000);

const XSS_TITLE = `<img src=x onerror="window.__pwned='title'"> Fake outage`;
const XSS_SUMMARY = `<script>window.__pwned='summary'</script><svg onload="window.__pwned='svg'"></svg> [x](javascript:window.__pwned='md')`;

let s: Scene;
let browser: Browser;
let base: string;
let reportId: string;
const cspViolations: string[] = [];

async function pageAs(who: Member): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB' });
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
  const page = await context.newPage();
  page.on('console', (m) => {
    if (/content security policy/i.test(m.text())) cspViolations.push(m.text());
  });
  return page;
}

beforeAll(async () => {
  browser = await launchChromium();
  s = await scene();
  base = s.t.url.replace('127.0.0.1', 'localhost');
  reportId = await publishReport(s.t, s.op.analyst.token, {
    tlp: 'GREEN',
    title: XSS_TITLE,
    summary: XSS_SUMMARY,
    lessonsLearned: XSS_SUMMARY,
  });
}, 20 * 60_000);
afterAll(async () => {
  await browser?.close();
  await s?.t.stop();
});

describe('markup in what another member wrote', () => {
  it('runs nowhere: the report page and the inbox show it as text', async () => {
    const page = await pageAs(s.peer.analyst);
    await page.goto(`${base}/reports/${reportId}`);
    await page.getByText('Fake outage').first().waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('img[src="x"], svg[onload], a[href^="javascript:"]').count()).toBe(0);
    await page.goto(`${base}/inbox`);
    await page.getByText('Fake outage').first().waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await page.context().close();
  });
});

describe('what the browser keeps', () => {
  it('no credential in localStorage, sessionStorage or a script-readable cookie', async () => {
    const page = await pageAs(s.peer.analyst);
    await page.goto(`${base}/inbox`);
    await page.getByText('Fake outage').first().waitFor();
    // Evaluated as text: the test compiles without the DOM's types.
    const kept: Record<string, string> = JSON.parse(
      await page.evaluate(
        'JSON.stringify({ cookie: document.cookie, local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }) })',
      ),
    );
    for (const where of Object.values(kept)) {
      expect(where).not.toContain(s.peer.analyst.token);
      expect(where).not.toMatch(/rk[a-z]_[\w-]{16,}/);
    }
    await page.context().close();
  });
});

describe('the login return path', () => {
  const attempts = [
    '//evil.example/',
    '/\\evil.example/',
    '/%09/evil.example/',
    '/%5C%5Cevil.example/',
    'https://evil.example/',
    '%2F%2Fevil.example%2F',
    '/%0A/evil.example/',
    'javascript:alert(1)',
  ];
  it.each(attempts)('never leaves the hub: next=%s', async (next) => {
    const page = await pageAs(s.peer.analyst);
    const seen: string[] = [];
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) seen.push(f.url());
    });
    await page.goto(`${base}/login?next=${next}`);
    await page.waitForLoadState('networkidle');
    for (const url of [...seen, page.url()]) expect(new URL(url).origin).toBe(new URL(base).origin);
    await page.context().close();
  });

  it('a path of the console is followed (the control)', async () => {
    const page = await pageAs(s.peer.analyst);
    await page.goto(`${base}/login?next=${encodeURIComponent(`/reports/${reportId}`)}`);
    await page.waitForURL(`${base}/reports/${reportId}`);
    await page.context().close();
  });
});

describe('the CSP', () => {
  it('saw no violation while rendering hostile text (nothing tried to run)', () => {
    expect(cspViolations).toEqual([]);
  });
});
