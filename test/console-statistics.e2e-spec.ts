import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { statisticsEn } from '../apps/console/src/i18n/statistics.en';
import { statisticsJa } from '../apps/console/src/i18n/statistics.ja';
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

jest.setTimeout(20 * 60_000);

const CATALOGUES: Record<ConsoleLanguage, typeof statisticsEn> = {
  en: statisticsEn,
  ja: statisticsJa,
};
const LESSON = 'Keep an inventory of the licences a plant depends on';

type Cell = {
  quarter: string;
  category: string;
  sector: string;
  count: number | null;
  suppressed: boolean;
};
type Table = { cells: Cell[]; csv: string; suppressedBelow: number };

/**
 * The statistics and quarterly summary screens (issue 14, 15; ADR 0022) in Chromium, in both
 * languages: the chart and table show the API's cells for the reader, a suppressed cell only
 * as "< k", the CSV downloaded is the API's and row for row the table, and the coordinator's
 * summary shows the quarter's lessons with the API's Markdown as the download.
 */
describe('statistics and the quarterly summary in the console', () => {
  let t: TestHub;
  let browser: Browser | undefined;
  let base: string;
  let coordinator: Member;
  let higashi: Member;
  let water: Member;
  let quarter: string;
  const cspViolations: string[] = [];
  const findings: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    t = await startTestHub();
    base = consoleBase(t.url);
    const boot = await t.bootstrapAdmin();
    const org = (name: string, sectorCode: string) =>
      createOrg(t, boot.token, { name, sectorCode });
    const power: Member[] = [];
    for (const [name, email] of [
      ['Higashi Denryoku', 'analyst@higashi.example'],
      ['Kita Power', 'analyst@kita.example'],
      ['Minami Grid', 'analyst@minami.example'],
      ['Nishi Energy', 'analyst@nishi.example'],
    ]) {
      power.push(await member(t, boot.token, await org(name, 'electric-power'), email));
    }
    higashi = power[0];
    water = await member(
      t,
      boot.token,
      await org('Minato Water Works', 'water'),
      'a@minato.example',
    );
    coordinator = await member(t, boot.token, boot.organisationId, 'duty@ci-csirt.example');
    const jst = new Date(Date.now() + 9 * 3_600_000);
    quarter = `${jst.getUTCFullYear()}-Q${Math.floor(jst.getUTCMonth() / 3) + 1}`;
    // Four anonymous authors: shown to every reader, and in the circulated summary (k + 1).
    for (const [i, m] of power.entries()) {
      await publishReport(t, m.token, {
        tlp: 'GREEN',
        title: `Licence lapse ${i + 1}`,
        categories: ['internal.expired-licence'],
        affectedSectors: ['gas'],
        ...(i === 0 ? { lessonsLearned: LESSON } : {}),
      });
    }
    // Two anonymous authors: suppressed for everyone but could be told apart by either.
    for (const m of power.slice(0, 2)) {
      await publishReport(t, m.token, {
        tlp: 'GREEN',
        title: 'Change without a risk assessment',
        categories: ['risk-assessment'],
        affectedSectors: ['railways'],
      });
    }
    // Only electric power may read these: water's statistics must not count them.
    for (const m of power.slice(0, 3)) {
      await publishReport(t, m.token, {
        tlp: 'AMBER',
        audience: { sectorCodes: ['electric-power'] },
        title: 'Cameras with default passwords',
        categories: ['cyberattack.iot-compromise'],
        affectedSectors: ['electric-power'],
      });
    }
  }, 20 * 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function api(reader: Member): Promise<Table> {
    const r = await t.gql<{ statistics: Table }>(
      '{ statistics { cells { quarter category sector count suppressed } csv suppressedBelow } }',
      {},
      reader.token,
    );
    expect(r.errors).toBeUndefined();
    return r.data!.statistics;
  }

  /** The table as shown: codes from the row, the count as the reader sees it. */
  async function shownRows(page: Page): Promise<string[][]> {
    const rows = page.locator('[data-testid=statistics-table] tbody tr');
    return rows.evaluateAll((trs) =>
      trs.map((tr) => {
        const e = tr as unknown as {
          dataset: Record<string, string>;
          querySelector(s: string): { textContent: string | null };
        };
        return [
          e.dataset.quarter,
          e.dataset.category,
          e.dataset.sector,
          (e.querySelector('[data-testid=cell-count]').textContent ?? '').trim(),
        ];
      }),
    );
  }

  async function download(page: Page, button: string): Promise<string> {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: button }).click(),
    ]);
    return readFileSync((await file.path())!, 'utf8');
  }

  /** Presses Tab until the focused element reads `text`: how a keyboard user gets there. */
  async function tabToText(page: Page, text: string): Promise<void> {
    for (let i = 0; i < 40; i++) {
      const focused = await page.evaluate(
        () =>
          (
            globalThis as unknown as {
              document: { activeElement: { textContent: string | null } | null };
            }
          ).document.activeElement?.textContent ?? '',
      );
      if (focused.trim() === text) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached "${text}"`);
  }

  function csvRows(csv: string): string[][] {
    return csv
      .trimEnd()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(','));
  }

  for (const lang of CONSOLE_LANGUAGES) {
    it(`shows a member its own counts, a suppressed cell as suppressed, and the CSV as the table (${lang})`, async () => {
      const c = CATALOGUES[lang];
      const expected = await api(water);
      const k = expected.suppressedBelow;
      const suppressed = c.suppressed.replace('{{k}}', String(k));
      const { context, page } = await consoleContext(browser!, {
        lang,
        sessionToken: water.token,
        cspViolations,
      });
      try {
        await page.goto(`${base}/statistics`);
        await page.locator('[data-testid=statistics-table] tbody tr').first().waitFor();
        const rows = await shownRows(page);
        expect(rows).toEqual(
          expected.cells.map((x) => [
            x.quarter,
            x.category,
            x.sector,
            x.suppressed ? suppressed : String(x.count),
          ]),
        );
        expect(rows).toContainEqual([quarter, 'internal.expired-licence', 'gas', '4']);
        expect(rows).toContainEqual([quarter, 'risk-assessment', 'railways', suppressed]);
        // Water may not read the AMBER reports: neither the API nor the screen counts them.
        expect(rows.some((r) => r[1] === 'cyberattack.iot-compromise')).toBe(false);

        const csv = await download(page, c.downloadCsv);
        expect(csv).toBe(expected.csv);
        expect(csvRows(csv)).toEqual(rows.map((r) => [...r.slice(0, 3), r[3].replace(/\s/g, '')]));

        // The railways chart draws no bar for the suppressed cell and names it instead.
        await page.getByTestId('statistics-sector').selectOption('railways');
        await page.getByTestId('statistics-chart-suppressed').waitFor();
        expect(await page.locator('.recharts-bar-rectangle path').count()).toBe(0);
        await page.getByTestId('statistics-sector').selectOption('gas');
        await page.locator('.recharts-bar-rectangle path').first().waitFor();
        findings.push(...(await reviewScreen(page, 'statistics', lang)));
      } finally {
        await context.close();
      }
    });

    it(`shows the coordinator the quarter's lessons and downloads the API's Markdown (${lang})`, async () => {
      const c = CATALOGUES[lang];
      const r = await t.gql<{ quarterlySummary: { markdown: string } }>(
        'query($q: String!) { quarterlySummary(quarter: $q) { markdown } }',
        { q: quarter },
        coordinator.token,
      );
      expect(r.errors).toBeUndefined();
      const { context, page } = await consoleContext(browser!, {
        lang,
        sessionToken: coordinator.token,
        cspViolations,
      });
      try {
        await page.goto(`${base}/statistics`);
        await page.getByRole('link', { name: c.tabs.summary }).click();
        await page.waitForURL(`${base}/statistics/summary`);
        const lesson = page.getByTestId('summary-lesson');
        await lesson.first().waitFor();
        expect(await lesson.count()).toBe(1);
        expect(await lesson.innerText()).toContain(LESSON);
        expect(await lesson.innerText()).not.toContain('Higashi');
        const counts = await page
          .getByTestId('summary-counts')
          .getByTestId('cell-count')
          .allInnerTexts();
        expect(counts).toContain('4');
        expect(await download(page, c.summary.downloadMarkdown)).toBe(
          r.data!.quarterlySummary.markdown,
        );
        findings.push(...(await reviewScreen(page, 'statistics-summary', lang)));
      } finally {
        await context.close();
      }
    });
  }

  it('counts differ by reader as the API decides, and the screen adds nothing', async () => {
    const inAudience = await api(higashi);
    expect(inAudience.cells.some((x) => x.category === 'cyberattack.iot-compromise')).toBe(true);
    const { context, page } = await consoleContext(browser!, {
      lang: 'en',
      sessionToken: higashi.token,
      cspViolations,
    });
    try {
      await page.goto(`${base}/statistics`);
      await page.locator('[data-testid=statistics-table] tbody tr').first().waitFor();
      const k = String(inAudience.suppressedBelow);
      expect(await shownRows(page)).toEqual(
        inAudience.cells.map((x) => [
          x.quarter,
          x.category,
          x.sector,
          x.suppressed ? `< ${k}` : String(x.count),
        ]),
      );
      // By keyboard alone: Tab to the download button, Enter.
      await tabToText(page, statisticsEn.downloadCsv);
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page.keyboard.press('Enter'),
      ]);
      expect(readFileSync((await file.path())!, 'utf8')).toBe(inAudience.csv);
      // A member is offered no summary, and the hub refuses it if asked by address.
      expect(await page.getByRole('link', { name: statisticsEn.tabs.summary }).count()).toBe(0);
      await page.goto(`${base}/statistics/summary`);
      await page.getByTestId('error').waitFor();
      // The hub's code and the request id of the refused query (extensions.requestId).
      expect(await page.getByTestId('error').innerText()).toMatch(
        /FORBIDDEN[\s\S]*Request id: [A-Za-z0-9._-]{8,}/,
      );
      expect(await page.getByTestId('summary-lesson').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('had no serious or critical axe-core finding and no CSP violation', () => {
    expect(findings).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
