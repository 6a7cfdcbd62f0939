import type { Browser, BrowserContext, Page } from 'playwright-core';
import WebSocket from 'ws';
import { createOrg, member, Member, publishReport } from './support/community';
import { launchChromium } from './support/chromium';
import { nextTotp, startTestHub, STRONG_PASSWORD, TestHub } from './support/test-hub';

/*
 * The GraphQL explorer (GraphiQL at GET /graphql) as a person uses it in headless Chromium:
 * logged in on the hub's login page, it runs queries with the session cookie (no token to
 * paste) and subscriptions over graphql-ws, authenticated by the same cookie. The cookie opens
 * a WebSocket only from the hub's own origin (no cross-site WebSocket hijacking).
 */

jest.setTimeout(120_000);

let t: TestHub;
let browser: Browser | undefined;
let admin: string;
let analyst: Member;
/** The session cookie is issued to `localhost` (a secure context for browsers on plain http). */
let base: string;

beforeAll(async () => {
  // First, as it may install Chromium (minutes); the hub then starts on a warm machine.
  browser = await launchChromium();
  t = await startTestHub({ GRAPHQL_EXPLORER: 'true' });
  base = t.url.replace('127.0.0.1', 'localhost');
  admin = (await t.bootstrapAdmin()).token;
  const org = await createOrg(t, admin, { name: 'Kanto Electric', sectorCode: 'electric-power' });
  analyst = await member(t, admin, org, 'soc@kanto-electric.example');
}, 20 * 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

/** Logs in on the hub's login page: password, then the harness's authenticator app. */
async function logIn(page: Page, email: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(STRONG_PASSWORD);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.locator('#second-step').waitFor();
  const app = t.authenticators.get(email)!;
  const totp = nextTotp(app);
  if (totp) {
    app.usedSteps.add(totp.step);
    await page.getByLabel('Code from your authenticator app').fill(totp.code);
    await page.getByRole('button', { name: 'Verify code' }).click();
  } else {
    await page.getByLabel('Or a recovery code').fill(app.recoveryCodes.shift()!);
    await page.getByRole('button', { name: 'Use recovery code' }).click();
  }
  await page.waitForURL(`${base}/inbox`);
}

/** GraphiQL's editors are CodeMirror 5 instances, reachable from their element. */
interface CodeMirrorElement {
  CodeMirror: { getValue(): string };
}

/** Opens the explorer on a document (a link with #query=…) in a new tab, and runs it. */
async function run(context: BrowserContext, query: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${base}/graphql#${new URLSearchParams({ query })}`);
  await page.locator('.graphiql-query-editor .CodeMirror').waitFor();
  await page.locator('.graphiql-execute-button').click();
  return page;
}

/** The response pane once it shows what `ok` accepts (or after 20 s, to fail on its text). */
async function response(page: Page, ok: (text: string) => boolean): Promise<string> {
  const pane = page.locator('.graphiql-response .CodeMirror');
  const read = () =>
    pane.evaluate((el: unknown) => (el as CodeMirrorElement).CodeMirror.getValue());
  await pane.waitFor();
  const deadline = Date.now() + 20_000;
  let text = await read();
  while (!ok(text) && Date.now() < deadline) {
    await page.waitForTimeout(100);
    text = await read();
  }
  return text;
}

it('runs a query and a subscription with the session cookie of a logged-in browser', async () => {
  const context = await browser!.newContext();
  const page = await context.newPage();
  await logIn(page, analyst.email);

  // No token pasted anywhere: the page's own request carries the session cookie.
  const query = await run(context, '{ me { email } }');
  const me = await response(query, (x) => x.includes('"me"') || x.includes('errors'));
  expect(JSON.parse(me)).toEqual({ data: { me: { email: analyst.email } } });

  // A subscription over graphql-ws, authenticated by the same cookie, receives an event.
  const subscription = await run(
    context,
    'subscription { reportEvents { kind report { title } } }',
  );
  const title = `seen in the explorer ${Math.random()}`;
  let shown = '';
  for (let i = 0; i < 10 && !shown.includes(title); i++) {
    // Published until one arrives: the subscription starts "now", maybe after the first.
    await publishReport(t, analyst.token, { title, tlp: 'CLEAR' });
    shown = await response(subscription, (x) => x.includes(title) || x.includes('errors'));
  }
  expect(JSON.parse(shown)).toEqual({
    data: { reportEvents: { kind: 'report.published', report: { title } } },
  });
  await context.close();
});

describe('the session cookie over WebSocket', () => {
  async function initWith(headers: Record<string, string>) {
    const ws = new WebSocket(`${t.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', {
      headers,
    });
    const outcome = new Promise<string>((resolve) => {
      ws.on('message', (m) => resolve(JSON.parse(m.toString()).type));
      ws.on('close', (code) => resolve(`closed ${code}`));
      ws.on('error', () => undefined);
    });
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    const got = await outcome;
    ws.close();
    return got;
  }

  it('is taken from the hub’s own origin', async () => {
    const { host } = new URL(t.url);
    const cookie = `renkei_session=${analyst.token}`;
    expect(await initWith({ cookie, origin: `http://${host}` })).toBe('connection_ack');
  });

  it.each([
    ['another site', 'https://evil.example'],
    ['another port', 'http://127.0.0.1:1'],
    ['an opaque origin', 'null'],
  ])('is refused from %s (cross-site WebSocket hijacking)', async (_name, origin) => {
    const cookie = `renkei_session=${analyst.token}`;
    expect(await initWith({ cookie, origin })).toBe('closed 4403');
  });

  it('is refused without an Origin header, which browsers always send', async () => {
    expect(await initWith({ cookie: `renkei_session=${analyst.token}` })).toBe('closed 4403');
  });
});
