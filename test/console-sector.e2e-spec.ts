import { Client } from 'pg';
import type { Browser, Page } from 'playwright-core';
import { sectorEn } from '../apps/console/src/i18n/sector.en';
import { sectorJa } from '../apps/console/src/i18n/sector.ja';
import { launchChromium } from './support/chromium';
import { createOrg, Member, member, publishReport } from './support/community';
import {
  consoleBase,
  consoleContext,
  reviewScreen,
  type ConsoleLanguage,
} from './support/console-browser';
import { startTestHub, TestHub } from './support/test-hub';

const CATALOGUES: Record<ConsoleLanguage, typeof sectorEn> = { en: sectorEn, ja: sectorJa };
const LANGS: ConsoleLanguage[] = ['en', 'ja'];

/** A catalogue string with its {{placeholders}} filled, as i18next renders it. */
const fill = (s: string, vars: Record<string, string | number>) =>
  s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(vars[k]));

/**
 * The sector-practice screens in headless Chromium, in English and Japanese: the contact
 * directory (an org admin keeps and confirms its entry; a member in its marking reads it, an
 * organisation outside does not; the coordinator sees who owes a confirmation), requests for
 * assistance (asked anonymously, answered by a peer who sees only the pseudonym, closed by the
 * requester), an exercise's banner and its cleanup, and the owner lowering a report's marking
 * after a confirmation that says who will see it. axe-core on every screen.
 */
describe('sector practice in the console, in a browser', () => {
  let t: TestHub;
  let db: Client;
  let browser: Browser;
  let base: string;
  let coordinator: Member;
  let higashiAdmin: Member;
  let higashi: Member;
  let kita: Member;
  let minato: Member;
  let higashiOrg: string;
  const cspViolations: string[] = [];
  const findings: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    t = await startTestHub();
    base = consoleBase(t.url);
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    const boot = await t.bootstrapAdmin();
    coordinator = { orgId: boot.organisationId, email: boot.email, token: boot.token };
    const admin = boot.token;
    higashiOrg = await createOrg(t, admin, {
      name: 'Higashi Denryoku',
      sectorCode: 'electric-power',
    });
    higashiAdmin = await member(
      t,
      admin,
      higashiOrg,
      'admin@higashi-denryoku.example',
      'ORG_ADMIN',
    );
    higashi = await member(t, admin, higashiOrg, 'analyst@higashi-denryoku.example');
    kita = await member(
      t,
      admin,
      await createOrg(t, admin, { name: 'Kita Power', sectorCode: 'electric-power' }),
      'analyst@kita-power.example',
    );
    // Enough operators in the sector that "an operator in electric power" hides one of them.
    for (const name of ['Nishi Electric', 'Minami Grid']) {
      await createOrg(t, admin, { name, sectorCode: 'electric-power' });
    }
    minato = await member(
      t,
      admin,
      await createOrg(t, admin, { name: 'Minato Water Works', sectorCode: 'water' }),
      'analyst@minato-water.example',
    );
  }, 20 * 60_000);

  afterAll(async () => {
    await db?.end();
    await browser?.close();
    await t?.stop();
  });

  async function open(who: Member, lang: ConsoleLanguage, path: string): Promise<Page> {
    const { page } = await consoleContext(browser, {
      lang,
      sessionToken: who.token,
      cspViolations,
    });
    await page.goto(`${base}${path}`);
    // A screen's heading, or the hub's error where the screen has nothing to show.
    await page.locator('main h1, main [data-testid=error]').first().waitFor();
    return page;
  }

  async function done(page: Page): Promise<void> {
    await page.context().close();
  }

  async function review(page: Page, name: string, lang: ConsoleLanguage): Promise<void> {
    await page.waitForLoadState('networkidle');
    findings.push(...(await reviewScreen(page, `sector-${name}`, lang)));
  }

  async function multiPick(page: Page, label: string, option: string): Promise<void> {
    await page.getByRole('combobox', { name: label, exact: true }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
    await page.keyboard.press('Escape');
  }

  for (const lang of LANGS) {
    const c = CATALOGUES[lang];

    it(`${lang}: an org admin keeps and confirms its contacts; a member in the marking reads them, an organisation outside does not`, async () => {
      const phone = lang === 'en' ? '+81 3 1234 5678' : '+81 6 8765 4321';
      const page = await open(higashiAdmin, lang, '/contacts');
      expect(await page.locator('main h1').innerText()).toBe(c.contacts.title);
      const form = page.locator('#contact-form');
      await form.getByLabel(c.contacts.phone).fill(phone);
      await form.getByLabel(c.contacts.email).fill('soc@higashi-denryoku.example');
      await form.getByLabel(c.contacts.hours).fill('24/7');
      await form.getByLabel(c.contacts.escalation).fill('CISO after 30 minutes');
      await page.getByRole('combobox', { name: c.contacts.marking, exact: true }).click();
      // AMBER in one language, AMBER+STRICT in the other: either way a change the hub stores.
      await page
        .getByRole('option', {
          name: lang === 'en' ? 'TLP:AMBER' : 'TLP:AMBER+STRICT',
          exact: true,
        })
        .click();
      // The sector may already be in the audience when the entry exists (the other language's run).
      const sector = lang === 'en' ? 'Electric power' : '電力';
      if ((await form.locator('.mantine-Pill-label', { hasText: sector }).count()) === 0) {
        await multiPick(page, c.audience.sectors, sector);
      }
      await review(page, 'contacts-edit', lang);
      await form.getByRole('button', { name: c.contacts.save }).click();
      // The note or the hub's error, so a refusal fails with its message rather than a timeout.
      const outcome = page.locator('#contact-note, #own-entry [data-testid=error]').first();
      await outcome.waitFor();
      expect(await outcome.innerText()).toBe(c.contacts.saved);
      await page.locator('#own-confirmation').waitFor();

      // A year passes without a confirmation: the admin is warned, and the coordinator reminded.
      await db.query(
        "UPDATE organisation_contact SET confirmed_at = now() - interval '400 days' WHERE owner_org_id = $1",
        [higashiOrg],
      );
      await page.reload();
      await page.locator('#overdue-warning').waitFor();
      expect(await page.locator('#overdue-warning').innerText()).toBe(c.contacts.overdue);
      await review(page, 'contacts-overdue', lang);
      const coord = await open(coordinator, lang, '/contacts');
      await coord.locator('#reminder-table tr', { hasText: 'Higashi Denryoku' }).waitFor();
      await review(coord, 'contacts-coordinator', lang);
      await done(coord);

      await page.getByRole('button', { name: c.contacts.confirm }).click();
      await page.locator('#contact-note', { hasText: c.contacts.confirmed }).waitFor();
      await page.locator('#overdue-warning').waitFor({ state: 'detached' });
      await done(page);

      const reader = await open(kita, lang, '/contacts');
      const row = reader.locator('#contact-table tr', { hasText: 'Higashi Denryoku' });
      await row.waitFor();
      expect(await row.innerText()).toContain(phone);
      const entry = await t.gql<{
        contactDirectory: { organisationName: string; lastConfirmedAt: string }[];
      }>('{ contactDirectory { organisationName lastConfirmedAt } }', {}, kita.token);
      const confirmedAt = entry.data!.contactDirectory.find(
        (e) => e.organisationName === 'Higashi Denryoku',
      )!.lastConfirmedAt;
      // The confirmation just made, not the year-old one.
      expect(Date.now() - Date.parse(confirmedAt)).toBeLessThan(24 * 3600_000);
      expect(await row.innerText()).toContain(
        new Date(confirmedAt).toLocaleDateString(lang, { dateStyle: 'medium' }),
      );
      expect(await reader.locator('#contact-form').count()).toBe(0);
      await review(reader, 'contacts-directory', lang);
      await done(reader);

      const outside = await open(minato, lang, '/contacts');
      await outside.getByText(c.contacts.directoryEmpty).waitFor();
      expect(await outside.getByText('Higashi Denryoku').count()).toBe(0);
      expect(await outside.getByText(phone).count()).toBe(0);
      await done(outside);

      // The coordinator sees every entry; Higashi is no longer among those owing a confirmation.
      const after = await open(coordinator, lang, '/contacts');
      await after.locator('#contact-table tr', { hasText: 'Higashi Denryoku' }).waitFor();
      await after.locator('#reminder-table tr', { hasText: 'Kita Power' }).waitFor();
      expect(await after.locator('#reminder-table tr', { hasText: 'Higashi' }).count()).toBe(0);
      await done(after);
      expect(findings).toEqual([]);
    });

    it(`${lang}: a member asks a peer for help anonymously; the peer sees the pseudonym, responds; the requester closes`, async () => {
      const title = `${lang} unexplained outbound traffic`;
      const reportId = await publishReport(t, higashi.token, {
        title,
        tlp: 'GREEN',
        // en: an anonymous report, whose request must be anonymous; ja: a named one, where
        // asking anonymously is the person's choice.
        anonymous: lang === 'en',
        summary: 'Outbound connections from a historian server at night.',
      });
      const page = await open(higashi, lang, `/reports/${reportId}`);
      await page.locator('#ask-for-help').click();
      await page.locator('#ask-form').waitFor();
      const ask = `${lang}: has anyone seen these connections?`;
      await page.getByLabel(c.assistance.body).fill(ask);
      // Peers are searched on the hub; neither one's own organisation nor the coordinator (asked
      // anyway) is offered.
      await page.getByRole('combobox', { name: c.assistance.peers, exact: true }).click();
      await page.getByRole('option', { name: 'Kita Power', exact: true }).waitFor();
      const offered = await page.getByRole('option').allInnerTexts();
      expect(offered).toEqual(expect.arrayContaining(['Kita Power', 'Nishi Electric']));
      expect(offered).not.toContain('Higashi Denryoku');
      expect(offered).not.toContain('CI-CSIRT');
      await page.keyboard.press('Escape');
      await multiPick(page, c.assistance.peers, 'Kita Power');
      const anonymous = page.getByLabel(c.assistance.anonymous);
      expect(await anonymous.isChecked()).toBe(true);
      if (lang === 'en') {
        // The report is anonymous, so the request must be: the form says so and holds it.
        expect(await anonymous.isDisabled()).toBe(true);
        await page.getByText(c.assistance.anonymousForced).waitFor();
      } else {
        // Anonymous by default, by choice: named, the coordinator-only reveal goes away.
        await anonymous.uncheck();
        expect(await page.getByLabel(c.assistance.reveal).count()).toBe(0);
        await anonymous.check();
        await page.getByLabel(c.assistance.reveal).waitFor();
      }
      await review(page, 'assistance-ask', lang);
      await page.getByRole('button', { name: c.assistance.send }).click();
      await page.waitForURL(/\/assistance\/[^/]+$/);
      const requestPath = new URL(page.url()).pathname;
      await page.locator('#addressed', { hasText: 'Kita Power' }).waitFor();

      const peer = await open(kita, lang, '/assistance');
      const row = peer.locator('#assistance-table tr', {
        hasText: ask,
      });
      await row.waitFor();
      await review(peer, 'assistance-list', lang);
      await row.getByRole('link').click();
      await peer.waitForURL(`${base}${requestPath}`);
      const requester = await peer.locator('#requester').innerText();
      const api = await t.gql<{ assistanceRequest: { requester: { label: string } } }>(
        'query($id: ID!) { assistanceRequest(id: $id) { requester { label } } }',
        { id: requestPath.split('/').pop() },
        kita.token,
      );
      expect(requester).toContain(api.data!.assistanceRequest.requester.label);
      expect(requester).not.toContain('Higashi');
      // Whom the requester asked is the requester's to know.
      expect(await peer.locator('#addressed').count()).toBe(0);
      await peer
        .getByRole('textbox', { name: c.assistance.respond, exact: true })
        .fill('Yes: block 45.95.147.7 at the edge.');
      await peer.getByRole('button', { name: c.assistance.sendResponse }).click();
      await peer.locator('#responses .response', { hasText: '45.95.147.7' }).waitFor();
      await review(peer, 'assistance-respond', lang);
      await done(peer);

      await page.reload();
      const response = page.locator('#responses .response', { hasText: '45.95.147.7' });
      await response.waitFor();
      expect(await response.innerText()).toContain('Kita Power');
      await page.locator('#close-request').click();
      await page.getByText(c.assistance.closeText).waitFor();
      await review(page, 'assistance-close', lang);
      await page.getByRole('button', { name: c.assistance.closeConfirm, exact: true }).click();
      await page.getByText(c.assistance.closed, { exact: true }).waitFor();
      expect(await page.locator('#close-request').count()).toBe(0);
      await review(page, 'assistance-closed', lang);
      await done(page);
      expect(findings).toEqual([]);
    });

    it(`${lang}: an exercise item shows its banner everywhere and the cleanup removes it`, async () => {
      const drill = `Drill ${lang}`;
      const title = `${lang} drill: wide DoS on the portal`;
      const reportId = await publishReport(t, higashi.token, {
        title,
        tlp: 'GREEN',
        exercise: drill,
      });
      const list = await t.gql<{ createIndicatorList: { id: string } }>(
        'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
        { i: { name: `${lang} drill sources`, tlp: 'GREEN', exercise: drill } },
        higashi.token,
      );
      expect(list.errors).toBeUndefined();
      const reader = await open(kita, lang, '/inbox');
      const row = reader.locator('#inbox-table tr', { hasText: title });
      await row.waitFor();
      expect(await row.innerText()).toContain(c.exercise.badge);
      const listRow = reader.locator('#inbox-table tr', { hasText: `${lang} drill sources` });
      expect(await listRow.innerText()).toContain(c.exercise.badge);
      await review(reader, 'exercise-inbox', lang);
      await row.getByRole('link', { name: title }).click();
      const banner = reader.getByTestId('exercise-banner');
      await banner.waitFor();
      expect(await banner.innerText()).toContain(fill(c.exercise.banner, { name: drill }));
      // An analyst of another organisation reads the drill but cannot clean it up.
      expect(await reader.getByRole('button', { name: c.exercise.cleanup }).count()).toBe(0);
      await done(reader);

      // en: the owner's org admin cleans up its own drill; ja: the coordinator, for everyone.
      const cleaner = lang === 'en' ? higashiAdmin : coordinator;
      const page = await open(cleaner, lang, `/reports/${reportId}`);
      await page.getByTestId('exercise-banner').waitFor();
      await review(page, 'exercise-report', lang);
      await page.getByRole('button', { name: c.exercise.cleanup }).click();
      const confirm = page.getByRole('button', { name: c.exercise.cleanupConfirm });
      expect(await confirm.isDisabled()).toBe(true);
      await page.getByLabel(c.exercise.typeName).fill(drill);
      await review(page, 'exercise-cleanup', lang);
      await confirm.click();
      const removed = page.locator('#exercise-removed');
      await removed.waitFor();
      // The report and the list of the drill.
      expect(await removed.innerText()).toBe(
        fill(c.exercise.removed_other, { count: 2, name: drill }),
      );
      await done(page);
      const gone = await t.gql(
        'query($id: ID!) { report(id: $id) { id } }',
        { id: reportId },
        higashi.token,
      );
      expect(gone.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const listGone = await t.gql(
        'query($id: ID!) { indicatorList(id: $id) { id } }',
        { id: list.data!.createIndicatorList.id },
        higashi.token,
      );
      expect(listGone.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(findings).toEqual([]);
    });

    it(`${lang}: the owner lowers a report from AMBER to GREEN after confirming, and a reader outside the audience can now read it`, async () => {
      const title = `${lang} expired licence took the billing system down`;
      const reportId = await publishReport(t, higashi.token, {
        title,
        tlp: 'AMBER',
        audience: { sectorCodes: ['electric-power'] },
        summary: 'A licence expired over the weekend.',
      });
      const outside = await open(minato, lang, `/reports/${reportId}`);
      await outside.getByTestId('error').waitFor();
      expect(await outside.getByTestId('error').innerText()).toMatch(/NOT_FOUND/);
      expect(await outside.getByText(title).count()).toBe(0);

      const page = await open(higashi, lang, `/reports/${reportId}`);
      await page.getByRole('button', { name: c.marking.lower }).click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      // Only lower markings are offered.
      expect(
        await dialog
          .getByRole('radio')
          .evaluateAll((r) => r.map((x) => (x as unknown as { value: string }).value)),
      ).toEqual(['CLEAR', 'GREEN']);
      await dialog.getByRole('radio', { name: 'TLP:GREEN' }).check();
      expect(await page.locator('#lower-who-sees').innerText()).toContain(
        lang === 'en' ? sectorEn.whoSees.GREEN : sectorJa.whoSees.GREEN,
      );
      await dialog.getByLabel(c.marking.reason).fill('Shared with the community after review');
      await review(page, 'lower-marking', lang);
      await dialog.getByRole('button', { name: c.marking.confirm }).click();
      await page
        .locator('#report-notice', { hasText: fill(c.marking.lowered, { label: 'TLP:GREEN' }) })
        .waitFor();
      await page.getByRole('note', { name: 'TLP:GREEN' }).waitFor();
      await review(page, 'lowered', lang);
      await done(page);

      await outside.reload();
      await outside.getByRole('heading', { name: title }).waitFor();
      await outside.getByRole('note', { name: 'TLP:GREEN' }).waitFor();
      // A reader, not the owner: no owner action is offered.
      expect(await outside.getByRole('button', { name: c.marking.lower }).count()).toBe(0);
      await done(outside);
      expect(findings).toEqual([]);
    });
  }

  it('en: by keyboard alone, an org admin confirms its contacts and an owner lowers a marking', async () => {
    /** Presses Tab until the element has the focus: how a keyboard user gets there. */
    async function tabTo(page: Page, selector: string): Promise<void> {
      const target = page.locator(selector);
      for (let i = 0; i < 80; i++) {
        if (
          await target.evaluate(
            (el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement,
          )
        )
          return;
        await page.keyboard.press('Tab');
      }
      throw new Error(`Tab never reached ${selector}`);
    }
    const c = CATALOGUES.en;
    await t.gql(
      'mutation { setContact(input: { tlp: GREEN, phone: "+81 3 0000 0000" }) { tlp } }',
      {},
      higashiAdmin.token,
    );
    const contacts = await open(higashiAdmin, 'en', '/contacts');
    await tabTo(contacts, '#confirm-contact');
    await contacts.keyboard.press('Enter');
    await contacts.locator('#contact-note', { hasText: c.contacts.confirmed }).waitFor();
    await done(contacts);

    const title = 'keyboard: carrier line outage';
    const reportId = await publishReport(t, higashi.token, {
      title,
      tlp: 'AMBER',
      audience: { sectorCodes: ['electric-power'] },
    });
    const page = await open(higashi, 'en', `/reports/${reportId}`);
    await tabTo(page, '#lower-marking');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await tabTo(page, '[role=dialog] textarea');
    await page.keyboard.type('Reviewed: fine for the community');
    await tabTo(page, '[role=dialog] button[type=submit]');
    await page.keyboard.press('Enter');
    await page
      .locator('#report-notice', { hasText: fill(c.marking.lowered, { label: 'TLP:GREEN' }) })
      .waitFor();
    await done(page);
    const reader = await open(minato, 'en', `/reports/${reportId}`);
    expect(await reader.getByRole('heading', { name: title }).count()).toBe(1);
    await done(reader);
  });

  it('loaded every script and style without a Content-Security-Policy violation', () => {
    expect(cspViolations).toEqual([]);
  });
});
