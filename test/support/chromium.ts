import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { Browser, chromium, Page } from 'playwright-core';

/**
 * Headless Chromium for the browser tests. playwright-core ships no browser, and downloading
 * Playwright's builds needs the internet, which CI and air-gapped hosts lack; Debian's
 * `chromium` package comes from the distribution mirror the machine already uses.
 */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

const run = promisify(execFile);

const HOW_TO_INSTALL =
  'install Chromium (Debian: `apt-get install -y chromium`) or set CHROMIUM_PATH to a Chromium or Chrome executable';

/**
 * The Chromium executable: CHROMIUM_PATH, else Debian's. When neither exists, installs Debian's
 * package (root only: CI runs as root; a developer's machine gets a clear message instead).
 * Can take minutes: call it from a beforeAll with a long timeout.
 */
export async function findChromium(): Promise<string> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    // An explicit path that is wrong is a mistake to report, not a reason to install another.
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH=${configured} does not exist`);
    return configured;
  }
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  if (process.getuid?.() !== 0) {
    throw new Error(`Chromium is missing (${DEBIAN_CHROMIUM}): ${HOW_TO_INSTALL}`);
  }
  try {
    await run('sh', ['-c', 'apt-get update && apt-get install -y chromium'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 15 * 60_000,
    });
  } catch (e) {
    const err = e as Error & { stderr?: string };
    const tail = (err.stderr ?? err.message).trim().split('\n').slice(-10).join('\n');
    throw new Error(
      `Chromium is missing and apt-get could not install it; ${HOW_TO_INSTALL}\n${tail}`,
      { cause: e },
    );
  }
  if (!existsSync(DEBIAN_CHROMIUM)) {
    throw new Error(
      `apt-get installed chromium but ${DEBIAN_CHROMIUM} is missing; ${HOW_TO_INSTALL}`,
    );
  }
  return DEBIAN_CHROMIUM;
}

const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

/**
 * Japanese screens need a CJK font, or their screenshots show boxes (the tests still pass: text
 * is read from the page, not the pixels). Best effort, as root on Debian, like the browser.
 */
async function ensureCjkFont(): Promise<void> {
  if (existsSync(CJK_FONT) || process.getuid?.() !== 0) return;
  await run(
    'sh',
    [
      '-c',
      'apt-get install -y fonts-noto-cjk || (apt-get update && apt-get install -y fonts-noto-cjk)',
    ],
    {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 15 * 60_000,
    },
  ).catch(() => undefined);
}

/** Launches headless Chromium, kept from reaching the network on its own (no internet here). */
export async function launchChromium(): Promise<Browser> {
  await ensureCjkFont();
  return chromium.launch({
    executablePath: await findChromium(),
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Resolves when the page's finite CSS transitions and animations are over (a modal fading in).
 * Endless ones (a spinner) are not waited for, and an interrupted one counts as over.
 */
export async function settled(page: Page): Promise<void> {
  await page.evaluate(() => {
    type Anim = {
      finished: Promise<unknown>;
      effect: { getTiming(): { iterations?: number } } | null;
    };
    const doc = (globalThis as unknown as { document: { getAnimations(): Anim[] } }).document;
    const finite = doc
      .getAnimations()
      .filter((a) => Number.isFinite(a.effect?.getTiming().iterations ?? 1));
    return Promise.allSettled(finite.map((a) => a.finished)).then(() => undefined);
  });
}
