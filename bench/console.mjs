/* global console, document, performance -- Node globals (eslint.config.mjs declares none for .mjs) */
/*
 * Console benchmark (issue 14): what the first screen costs a browser, and how long a person
 * waits for a usable inbox when 10,000 reports are visible to them.
 *
 * - First screen: headless Chromium (Debian's, as the browser tests use) opens /login; the
 *   figure is the JavaScript it received, as transferred (the hub sends the build's gzip copies),
 *   beside the same scripts uncompressed. Target: at most 250 kB.
 * - Usable inbox: a hub admin's session opens /inbox until the table shows its first page (50
 *   rows) and the count line; median of BENCH_LOADS loads, once on an empty hub (the baseline,
 *   same run) and once after BENCH_REPORTS published GREEN reports (created through the API,
 *   BENCH_CONCURRENCY at a time; the setup time is printed too, it is not the figure).
 */
import { existsSync } from 'node:fs';
import process from 'node:process';
import { chromium } from 'playwright-core';
import { fmt, median, startHub, table } from './lib/hub.mjs';

const REPORTS = Number(process.env.BENCH_REPORTS ?? 10000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const LOADS = Number(process.env.BENCH_LOADS ?? 5);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!existsSync(CHROMIUM)) {
  console.error(
    `Chromium is missing (${CHROMIUM}): apt-get install -y chromium, or set CHROMIUM_PATH`,
  );
  process.exit(1);
}

const hub = await startHub();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
const base = hub.url.replace('127.0.0.1', 'localhost');

async function firstScreen() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const scripts = [];
  page.on('requestfinished', (request) => {
    if (request.resourceType() === 'script') scripts.push(request);
  });
  await page.goto(`${base}/login`);
  await page.locator('#password-step').waitFor();
  let transferred = 0;
  let raw = 0;
  for (const request of scripts) {
    const sizes = await request.sizes();
    transferred += sizes.responseBodySize + sizes.responseHeadersSize;
    raw += (await (await request.response()).body()).length;
  }
  await context.close();
  return { transferred, raw, files: scripts.length };
}

async function inboxLoads(rows) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies([
    {
      name: 'renkei_session',
      value: hub.session,
      domain: 'localhost',
      path: '/',
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
    },
  ]);
  const page = await context.newPage();
  const times = [];
  for (let i = 0; i < LOADS; i++) {
    const started = performance.now();
    await page.goto(`${base}/inbox`);
    await page.locator('#inbox-table').waitFor();
    // Usable: the count line (the hub answered) and the first page of rows are shown.
    await page.getByText(/ of [\d,]+\+? reports$/).waitFor();
    await page.waitForFunction(
      (want) => document.querySelectorAll('#inbox-table tbody tr').length >= want,
      rows,
    );
    times.push(performance.now() - started);
  }
  await context.close();
  return times;
}

async function seed() {
  const started = performance.now();
  let next = 0;
  const one = async () => {
    for (let i = next++; i < REPORTS; i = next++) {
      const { createReport } = await hub.gql(
        'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
        {
          i: {
            kind: i % 3 ? 'INCIDENT' : 'NEAR_MISS',
            tlp: 'GREEN',
            title: `Bench report ${i}: DoS on a customer portal`,
            summary: 'Upstream filtering of the attack sources.',
          },
        },
        hub.session,
      );
      const { previewReportRedactions } = await hub.gql(
        'mutation($id: ID!) { previewReportRedactions(id: $id) { previewHash } }',
        { id: createReport.id },
        hub.session,
      );
      await hub.gql(
        'mutation($id: ID!, $h: String!) { publishReport(id: $id, previewHash: $h) { id } }',
        { id: createReport.id, h: previewReportRedactions.previewHash },
        hub.session,
      );
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, one));
  return performance.now() - started;
}

try {
  const first = await firstScreen();
  const empty = await inboxLoads(0);
  console.log(`seeding ${REPORTS} published reports (${CONCURRENCY} at a time)...`);
  const seeded = await seed();
  const full = await inboxLoads(Math.min(REPORTS, 50));
  console.log(`seeded in ${fmt(seeded / 1000)} s`);
  console.log(
    table(
      ['measure', 'figure', 'baseline (same run)'],
      [
        [
          `first screen JavaScript (${first.files} files)`,
          `${fmt(first.transferred / 1024)} kB transferred`,
          `${fmt(first.raw / 1024)} kB uncompressed; target ≤ 250 kB`,
        ],
        [
          `usable inbox, ${REPORTS} visible reports (median of ${LOADS})`,
          `${fmt(median(full))} ms`,
          `${fmt(median(empty))} ms with none`,
        ],
      ],
    ),
  );
} finally {
  await browser.close();
  await hub.stop();
}
