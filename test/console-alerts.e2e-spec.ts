import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { alertsEn } from '../apps/console/src/i18n/alerts.en';
import { alertsJa } from '../apps/console/src/i18n/alerts.ja';
import { en, type Catalogue } from '../apps/console/src/i18n/en';
import { ja } from '../apps/console/src/i18n/ja';
import { launchChromium } from './support/chromium';
import { createOrg, Member, member, publishReport } from './support/community';
import {
  CONSOLE_LANGUAGES,
  consoleBase,
  consoleContext,
  type ConsoleLanguage,
  reviewScreen,
} from './support/console-browser';
import { startTestHub, TestHub } from './support/test-hub';

const CATALOGUES: Record<ConsoleLanguage, { c: Catalogue; a: typeof alertsEn }> = {
  en: { c: en, a: alertsEn },
  ja: { c: ja, a: alertsJa },
};

/** A capped count line (ADR 0036) as a pattern: any shown and cap figures, the words as written. */
function cappedForm(template: string): RegExp {
  const words = template
    .split(/\{\{(?:shown|cap)\}\}/)
    .map((w) => w.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${words.join('[\\d,]+')}$`);
}

/** What the page's Notification wrapper recorded (the tests compile without the DOM library). */
type Shown = { title: string; body: string }[];

/**
 * Records each browser notification the console shows, around the browser's own Notification
 * (which still runs): headless Chromium draws none, so the text is checked where it is built.
 */
const RECORD_NOTIFICATIONS = `(() => {
  const Real = window.Notification;
  const shown = [];
  class Recorded extends Real {
    constructor(title, options) {
      super(title, options);
      shown.push({ title, body: (options && options.body) || '' });
    }
  }
  Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
  Recorded.requestPermission = (...args) => Real.requestPermission(...args);
  window.Notification = Recorded;
  window.__shownNotifications = shown;
})();`;

/** An author's organisation and a reader organisation of the same sector, with one analyst per language. */
async function community(
  t: TestHub,
): Promise<{ author: Member; readers: Record<ConsoleLanguage, Member> }> {
  const admin = (await t.bootstrapAdmin()).token;
  const author = await member(
    t,
    admin,
    await createOrg(t, admin, { name: 'Higashi Denryoku', sectorCode: 'electric-power' }),
    'author@higashi-denryoku.example',
  );
  const readerOrg = await createOrg(t, admin, { name: 'Kita Power', sectorCode: 'electric-power' });
  const readers = {} as Record<ConsoleLanguage, Member>;
  for (const lang of CONSOLE_LANGUAGES) {
    readers[lang] = await member(t, admin, readerOrg, `analyst-${lang}@kita-power.example`);
  }
  return { author, readers };
}

/**
 * The alert centre in headless Chromium, in English and Japanese: an analyst creates, edits and
 * later deletes an e-mail alert rule in the console; another organisation publishes a matching
 * AMBER report and a GREEN one through the API; the analyst's notification centre shows both
 * live (browser notifications name the GREEN one and only the label of the AMBER one), the
 * inbox marks them unread, the local mailbox holds the AMBER alert with its TLP label (and not
 * the GREEN one, which the rule does not ask for); opening the report from the mail marks it
 * read. axe-core checks each screen; screenshots of each go to test-output/screens.
 */
describe('alert centre in the console, in a browser', () => {
  let t: TestHub;
  let browser: Browser;
  let base: string;
  let author: Member;
  const readers: Partial<Record<ConsoleLanguage, Member>> = {};
  let sectorName: Record<ConsoleLanguage, string>;
  const cspViolations: string[] = [];
  const axeFindings: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    // Report counts stop at 1 (ADR 0036), so the inbox shows its capped form in each language.
    t = await startTestHub({ REPORT_COUNT_CAP: '1' });
    base = consoleBase(t.url);
    const people = await community(t);
    author = people.author;
    Object.assign(readers, people.readers);
    const sectors = await t.gql<{ sectors: { code: string; nameEn: string; nameJa: string }[] }>(
      'query { sectors { code nameEn nameJa } }',
      {},
      author.token,
    );
    const power = sectors.data!.sectors.find((s) => s.code === 'electric-power')!;
    sectorName = { en: power.nameEn, ja: power.nameJa };
  }, 20 * 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function pickMany(page: Page, label: string, option: string): Promise<void> {
    await page.getByRole('dialog').getByLabel(label, { exact: true }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
    // Close the dropdown by clicking the dialog's title, not Escape (which closes the dialog).
    await page.getByRole('dialog').getByRole('heading').click();
  }

  async function pickOne(page: Page, label: string, option: string): Promise<void> {
    await page.getByRole('dialog').getByRole('combobox', { name: label, exact: true }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  for (const lang of CONSOLE_LANGUAGES) {
    it(
      `${lang}: a rule made in the console brings a matching report to the mailbox, the notification centre and the inbox's unread marks`,
      async () => {
        const { c, a } = CATALOGUES[lang];
        const reader = readers[lang]!;
        const { context, page } = await consoleContext(browser, {
          lang,
          sessionToken: reader.token,
          cspViolations,
        });
        await context.grantPermissions(['notifications'], { origin: base });
        await context.addInitScript(RECORD_NOTIFICATIONS);
        const sentFrames: string[] = [];
        page.on('websocket', (ws) => ws.on('framesent', (f) => sentFrames.push(String(f.payload))));
        try {
          // The rules screen, empty, then a new rule: AMBER reports about electric power, at once.
          await page.goto(`${base}/alerts`);
          await page.getByText(a.rules.empty).waitFor();
          axeFindings.push(...(await reviewScreen(page, 'alert-rules-empty', lang)));
          // The hub writes to each person in their language (Japanese unless they choose).
          const language = lang === 'en' ? 'EN' : 'JA';
          if (lang === 'en') {
            await page.getByRole('combobox', { name: a.rules.language }).click();
            await page.getByRole('option', { name: a.language[language] }).click();
            await page.getByText(a.rules.languageSaved).waitFor();
          }
          await page.getByRole('button', { name: a.rules.add }).click();
          await page.getByRole('dialog').waitFor();
          await pickMany(page, a.form.markings, 'TLP:AMBER');
          await pickMany(page, a.form.sectors, sectorName[lang]);
          axeFindings.push(...(await reviewScreen(page, 'alert-rule-form', lang)));
          await page.getByRole('button', { name: a.form.create }).click();
          const row = page.locator('#alert-rules tbody tr');
          await row.getByText(`TLP:AMBER · ${sectorName[lang]}`).waitFor();
          await row.getByText(a.delivery.IMMEDIATE).waitFor();

          // Edit: a daily digest, then back to immediate alerts.
          for (const delivery of [a.delivery.DAILY, a.delivery.IMMEDIATE]) {
            await row.getByRole('button', { name: a.rules.edit }).click();
            await pickOne(page, a.form.delivery, delivery);
            await page.getByRole('button', { name: a.form.save }).click();
            await row.getByText(delivery, { exact: true }).waitFor();
          }
          await page.getByRole('dialog').waitFor({ state: 'detached' });

          // Pause and resume.
          await row.getByRole('button', { name: a.rules.pause, exact: true }).click();
          await row.getByText(a.rules.paused).waitFor();
          axeFindings.push(...(await reviewScreen(page, 'alert-rules-paused', lang)));
          await row.getByRole('button', { name: a.rules.resume, exact: true }).click();
          await row.getByRole('button', { name: a.rules.pause, exact: true }).waitFor();
          expect(await row.getByText(a.rules.paused).count()).toBe(0);
          axeFindings.push(...(await reviewScreen(page, 'alert-rules', lang)));

          // Browser notifications are asked for only on a click.
          await page.getByRole('button', { name: a.centre.button, exact: true }).click();
          await page.getByRole('button', { name: a.centre.enable }).click();
          await page.getByText(a.centre.enabled).waitFor();
          await page.getByRole('button', { name: a.centre.button, exact: true }).click();

          // The inbox (the header's live centre stays subscribed across screens).
          await page.getByRole('link', { name: c.app.nav.inbox }).click();
          await page.locator('#inbox-table').waitFor();
          await page.getByText(c.inbox.live).waitFor();
          while (!sentFrames.some((f) => f.includes('CentreReportEvents'))) {
            await page.waitForTimeout(100);
          }
          // Earlier walks' reports are visible to this reader too: start from nothing unread.
          await page.locator('#unread-count').waitFor();
          if (await page.getByRole('button', { name: a.unread.markAll }).isVisible()) {
            await page.getByRole('button', { name: a.unread.markAll }).click();
          }
          await page.getByText(a.unread.none).waitFor();

          const amberTitle = `Substation VPN appliance exploited (${lang})`;
          const greenTitle = `Scanning of camera default credentials (${lang})`;
          const amberId = await publishReport(t, author.token, {
            title: amberTitle,
            tlp: 'AMBER',
            audience: { sectorCodes: ['electric-power'] },
            affectedSectors: ['electric-power'],
            summary: 'An exploited appliance at a substation gateway.',
          });
          await publishReport(t, author.token, {
            title: greenTitle,
            tlp: 'GREEN',
            affectedSectors: ['electric-power'],
            summary: 'Default credentials on network cameras.',
          });

          // Live: the centre counts both, lists both with their labels and links.
          const centre = page.getByRole('button', {
            name: a.centre.buttonCount_other.replace('{{count}}', '2'),
          });
          await centre.waitFor();
          await centre.click();
          const region = page.getByRole('region', { name: a.centre.title });
          await region.getByRole('link', { name: amberTitle }).waitFor();
          await region.getByRole('link', { name: greenTitle }).waitFor();
          axeFindings.push(...(await reviewScreen(page, 'notification-centre', lang)));
          const shown = await page.evaluate(
            () => (globalThis as unknown as { __shownNotifications: Shown }).__shownNotifications,
          );
          const bodies = shown.map((n) => n.body).sort();
          expect(bodies).toEqual(
            [a.centre.withheld.replace('{{label}}', 'TLP:AMBER'), `TLP:GREEN ${greenTitle}`].sort(),
          );
          expect(JSON.stringify(shown)).not.toContain(amberTitle);
          await page.keyboard.press('Escape');
          // Axe must not measure the list half faded out.
          await region.waitFor({ state: 'hidden' });

          // The inbox marks both unread.
          const amberRow = page.locator('#inbox-table tr', { hasText: amberTitle });
          await amberRow.getByText(a.unread.badge).waitFor();
          await page
            .locator('#inbox-table tr', { hasText: greenTitle })
            .getByText(a.unread.badge)
            .waitFor();
          // Two unread past a cap of 1: "1+ unread reports", and the count line's capped form.
          await page.getByText(a.unread.countCapped.replace('{{cap}}', '1')).waitFor();
          await page.getByText(cappedForm(c.inbox.countCapped)).waitFor();
          axeFindings.push(...(await reviewScreen(page, 'inbox-unread', lang)));

          // The mailbox: the AMBER alert only, its label in the subject, newest first.
          await page.getByRole('link', { name: a.nav.alerts, exact: true }).click();
          await page.getByRole('link', { name: a.nav.mailbox }).click();
          const mail = page.locator('article[data-mail]');
          while ((await mail.count()) === 0) {
            await page.waitForTimeout(500);
            await page.reload();
            await page.getByRole('heading', { name: a.mailbox.title }).waitFor();
          }
          expect(await mail.count()).toBe(1);
          const subject = await mail.getByRole('heading').innerText();
          expect(subject).toMatch(/^\[TLP:AMBER\] /);
          expect(subject).toContain(amberTitle);
          await mail.locator('[data-tlp="AMBER"]').waitFor();
          expect(await mail.innerText()).not.toContain(greenTitle);
          const writtenIn = /[ぁ-ん]/.test(subject) ? 'JA' : 'EN';
          expect(writtenIn).toBe(language);
          axeFindings.push(...(await reviewScreen(page, 'mailbox', lang)));

          // Opening the report from the mail marks it read; the GREEN one stays unread.
          const marked = page.waitForResponse(
            (r) =>
              r.url().endsWith('/graphql') && !!r.request().postData()?.includes('markReportRead'),
          );
          await mail.getByRole('link', { name: new RegExp(`^${a.mailbox.open}`) }).click();
          await page.waitForURL(`${base}/reports/${amberId}`);
          await page.getByRole('heading', { name: amberTitle, exact: true }).waitFor();
          expect(await (await marked).json()).toEqual({ data: { markReportRead: true } });
          await page.getByRole('link', { name: c.app.nav.inbox }).click();
          await page.getByText(a.unread.count_one.replace('{{count}}', '1')).waitFor();
          await amberRow.waitFor();
          // The count and the page are separate answers: the row's badge goes once the page's
          // own answer arrives (a badge that stayed would time out here).
          await amberRow.getByText(a.unread.badge).waitFor({ state: 'detached' });

          // Mark all read.
          await page.getByRole('button', { name: a.unread.markAll }).click();
          await page.getByText(a.unread.none).waitFor();
          expect(await page.locator('#inbox-table [data-unread]').count()).toBe(0);

          // The inbox's filters saved as an alert rule ("watch GREEN reports").
          await page.getByRole('combobox', { name: c.inbox.tlp, exact: true }).click();
          await page.getByRole('option', { name: 'TLP:GREEN', exact: true }).click();
          await page.getByRole('button', { name: a.unread.saveAsAlert }).click();
          await page.getByRole('link', { name: a.unread.savedAsAlert }).click();
          await row.filter({ hasText: 'TLP:GREEN' }).getByText(a.delivery.IMMEDIATE).waitFor();
          expect(await row.count()).toBe(2);

          // The sends: the AMBER alert, sent.
          const sends = page.locator('#alert-sends tbody tr');
          await sends.first().waitFor();
          expect(await sends.count()).toBe(1);
          await sends.getByText(a.sends.status.sent).waitFor();
          await sends.getByText(a.sends.period.event).waitFor();
          axeFindings.push(...(await reviewScreen(page, 'alert-rules-sends', lang)));

          // Delete both rules.
          while ((await row.count()) > 0) {
            const before = await row.count();
            await row.first().getByRole('button', { name: a.rules.delete }).click();
            await page
              .getByRole('dialog')
              .getByRole('button', { name: a.rules.confirmDelete })
              .click();
            await page.getByRole('dialog').waitFor({ state: 'detached' });
            while ((await row.count()) === before) await page.waitForTimeout(100);
          }
          await page.getByText(a.rules.empty).waitFor();
        } catch (e) {
          await page.screenshot({ path: `test-output/screens/failed-alerts-${lang}.png` });
          throw e;
        } finally {
          await context.close();
        }
      },
      10 * 60_000,
    );
  }

  it('found no serious or critical axe-core violation and no CSP violation', () => {
    expect(axeFindings).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});

/**
 * Delivery failures as the person sees them: with the mail server unreachable, the alert
 * rules screen shows the alert pending with its attempts and the last error, in both languages.
 */
describe('alert delivery failures in the console, in a browser', () => {
  let t: TestHub;
  let browser: Browser;
  let base: string;
  const readers: Partial<Record<ConsoleLanguage, Member>> = {};
  const cspViolations: string[] = [];
  const axeFindings: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    // A port that was just free and is closed again: every connection is refused.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    t = await startTestHub({
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      WEBHOOK_BACKOFF_MAX_SECONDS: '1',
    });
    base = consoleBase(t.url);
    const { author, readers: people } = await community(t);
    for (const lang of CONSOLE_LANGUAGES) {
      const reader = people[lang];
      const rule = await t.gql(
        'mutation($i: AlertRuleInput!) { createAlertRule(input: $i) { id } }',
        { i: { topic: 'REPORTS', delivery: 'IMMEDIATE' } },
        reader.token,
      );
      expect(rule.errors).toBeUndefined();
      readers[lang] = reader;
    }
    await publishReport(t, author.token, {
      title: 'Carrier line outage',
      tlp: 'GREEN',
      summary: 'A shared carrier line was down for two hours.',
    });
  }, 20 * 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  for (const lang of CONSOLE_LANGUAGES) {
    it(`${lang}: shows the failed alert with its attempts and the last error`, async () => {
      const { a } = CATALOGUES[lang];
      const { context, page } = await consoleContext(browser, {
        lang,
        sessionToken: readers[lang]!.token,
        cspViolations,
      });
      try {
        const failed = page.getByText(a.sends.failed.replace('{{error}}', ''));
        await page.goto(`${base}/alerts`);
        await page.locator('#alert-rules').waitFor();
        while ((await failed.count()) === 0) {
          await page.waitForTimeout(500);
          await page.reload();
          await page.locator('#alert-rules').waitFor();
        }
        const send = page.locator('#alert-sends tbody tr');
        await send.getByText(a.sends.status.pending, { exact: true }).waitFor();
        expect(await send.count()).toBe(1);
        axeFindings.push(...(await reviewScreen(page, 'alert-sends-failed', lang)));
      } finally {
        await context.close();
      }
    });
  }

  it('found no serious or critical axe-core violation and no CSP violation', () => {
    expect(axeFindings).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
