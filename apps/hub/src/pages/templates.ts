/**
 * The hub's own sign-in and account pages, as string constants: the build (tsc) copies no other
 * files to dist/, and the production image ships dist/ alone. No inline script or style
 * anywhere, so every page can be sent with `Content-Security-Policy: default-src 'self'`.
 */

const layout = (title: string, body: string, scripts: string[]) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · renkei</title>
<link rel="stylesheet" href="/pages/style.css">
</head>
<body>
<header class="bar"><a class="brand" href="/account">renkei</a></header>
<main>
${body.trim()}
</main>
${scripts.map((s) => `<script src="/pages/${s}"></script>`).join('\n')}
</body>
</html>
`;

export const LOGIN_PAGE = layout(
  'Log in',
  `
<section class="card" id="password-step">
  <h1>Log in</h1>
  <form id="password-form">
    <label>E-mail
      <input type="email" id="email" name="email" autocomplete="username" required>
    </label>
    <label>Password
      <input type="password" id="password" name="password" autocomplete="current-password" required>
    </label>
    <button type="submit" class="primary">Log in</button>
  </form>
  <p class="divider"><span>or</span></p>
  <button type="button" id="passkey-login">Log in with a passkey</button>
  <p class="hint">A passkey alone works once you have enabled passwordless login on your account page.</p>
</section>

<section class="card" id="second-step" hidden>
  <h1>Confirm it is you</h1>
  <p>Your password was right. Your account is protected by a second factor: use one of these.</p>
  <form id="totp-form" hidden>
    <label>Code from your authenticator app
      <input id="totp-code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required>
    </label>
    <button type="submit" class="primary">Verify code</button>
  </form>
  <button type="button" id="passkey-verify" hidden>Use a passkey</button>
  <form id="recovery-form">
    <label>Or a recovery code
      <input id="recovery-code" autocomplete="off" spellcheck="false" required>
    </label>
    <button type="submit">Use recovery code</button>
  </form>
  <button type="button" id="start-over" class="link">Log in as someone else</button>
</section>

<p id="error" class="error" role="alert" hidden></p>
`,
  ['webauthn.js', 'common.js', 'login.js'],
);

export const ACCOUNT_PAGE = layout(
  'Account',
  `
<div class="title-row">
  <h1>Account security</h1>
  <button type="button" id="logout">Log out</button>
</div>
<p id="who" class="muted"></p>
<p id="error" class="error" role="alert" hidden></p>
<p id="loading" class="muted">Loading...</p>

<section class="notice" id="enrolment-notice" hidden>
  <strong>Set up a second factor to continue.</strong> Every renkei account needs one: an
  authenticator app or a passkey. Until then this account can do nothing else.
</section>

<section class="card highlight" id="recovery-codes-box" hidden>
  <h2>Your recovery codes</h2>
  <p>Each code works once, if you lose your authenticator app or passkey. They are shown only now:
    print them or keep them in a password manager.</p>
  <ol id="recovery-codes" class="codes"></ol>
  <button type="button" id="recovery-codes-done">I have stored them</button>
</section>

<section class="card" id="overview" hidden>
  <h2>Overview</h2>
  <dl class="facts">
    <dt>Authenticator app</dt><dd id="fact-totp"></dd>
    <dt>Passkeys</dt><dd id="fact-passkeys"></dd>
    <dt>Recovery codes left</dt><dd id="fact-recovery"></dd>
    <dt>Passwordless login</dt><dd id="fact-passwordless"></dd>
    <dt>This session</dt><dd id="fact-session"></dd>
  </dl>
</section>

<section class="card" id="totp-section" hidden>
  <h2>Authenticator app</h2>
  <p id="totp-status"></p>
  <button type="button" id="totp-start">Set up an authenticator app</button>
  <div id="totp-enrol" hidden>
    <p>Scan this code with your authenticator app, then enter the six digits it shows.</p>
    <div id="totp-qr" class="qr"></div>
    <p>Cannot scan it? Enter this key by hand: <code id="totp-secret" class="secret"></code></p>
    <form id="totp-confirm-form">
      <label>Code from the app
        <input id="totp-code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required>
      </label>
      <button type="submit" class="primary">Confirm</button>
    </form>
  </div>
  <p class="error" role="alert" hidden></p>
</section>

<section class="card" id="passkey-section" hidden>
  <h2>Passkeys</h2>
  <ul id="passkey-list" class="passkeys"></ul>
  <form id="passkey-form">
    <label>Name for a new passkey
      <input id="passkey-name" maxlength="100" placeholder="e.g. Work laptop" required>
    </label>
    <button type="submit" class="primary">Register a passkey</button>
  </form>
  <p class="error" role="alert" hidden></p>
</section>

<section class="card" id="passwordless-section" hidden>
  <h2>Passwordless login</h2>
  <p id="passwordless-status"></p>
  <button type="button" id="passwordless-toggle"></button>
  <p class="error" role="alert" hidden></p>
</section>

<section class="card" id="recovery-section" hidden>
  <h2>Recovery codes</h2>
  <p id="recovery-status"></p>
  <button type="button" id="recovery-regenerate">Generate new recovery codes</button>
  <p class="hint">The old codes stop working at once.</p>
  <p class="error" role="alert" hidden></p>
</section>
`,
  ['webauthn.js', 'common.js', 'account.js'],
);

export const STYLE = `:root {
  color-scheme: light;
  --ink: #1d2430;
  --muted: #5b6676;
  --line: #d9dee6;
  --accent: #1f5fa8;
  --bad: #a42a2a;
  font-family: system-ui, -apple-system, 'Segoe UI', 'Hiragino Sans', 'Noto Sans JP', sans-serif;
  color: var(--ink);
  background: #f3f5f8;
}
body { margin: 0; line-height: 1.5; }
.bar { background: var(--ink); padding: 0.6rem 1.5rem; }
.brand { color: #fff; font-weight: 600; letter-spacing: 0.05em; text-decoration: none; }
main { max-width: 42rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
h2 { font-size: 1.1rem; margin: 0 0 0.75rem; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1.25rem 1.5rem; margin: 0 0 1rem; }
.card.highlight { border-color: var(--accent); box-shadow: 0 0 0 2px #d6e4f5; }
.notice { background: #fff7e0; border: 1px solid #e8c766; border-radius: 8px; padding: 0.75rem 1rem; margin: 0 0 1rem; }
.title-row { display: flex; justify-content: space-between; align-items: center; gap: 1rem; }
.title-row h1 { margin: 0; }
form { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 0.5rem 0.75rem; margin: 0 0 0.75rem; }
label { display: flex; flex-direction: column; flex: 1 1 14rem; font-size: 0.9rem; color: var(--muted); }
input { font: inherit; color: var(--ink); padding: 0.45rem 0.6rem; border: 1px solid var(--line); border-radius: 6px; margin-top: 0.2rem; }
input:focus { outline: 2px solid var(--accent); outline-offset: 1px; }
button { font: inherit; padding: 0.45rem 0.9rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; color: var(--ink); cursor: pointer; }
button:hover { border-color: var(--accent); }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.link { border: none; background: none; color: var(--accent); padding: 0.45rem 0; }
button:disabled { opacity: 0.6; cursor: progress; }
#password-form label { flex-basis: 100%; }
.divider { text-align: center; color: var(--muted); margin: 1rem 0; }
.hint, .muted { color: var(--muted); font-size: 0.9rem; }
.error { color: var(--bad); background: #fbeaea; border: 1px solid #eab8b8; border-radius: 6px; padding: 0.5rem 0.75rem; white-space: pre-line; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1.5rem; margin: 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
.qr { width: 12rem; height: 12rem; margin: 0.5rem 0; }
.qr svg { width: 100%; height: 100%; }
.secret { font-size: 1rem; letter-spacing: 0.08em; overflow-wrap: anywhere; background: #eef1f5; padding: 0.1rem 0.35rem; border-radius: 4px; }
.codes { columns: 2; font-family: ui-monospace, 'SFMono-Regular', Menlo, monospace; font-size: 1.05rem; padding-left: 1.75rem; }
.passkeys { list-style: none; padding: 0; margin: 0 0 1rem; }
.passkeys li { border-bottom: 1px solid var(--line); padding: 0.5rem 0; }
.passkeys li:last-child { border-bottom: none; }
.passkeys .name { font-weight: 600; }
.passkeys .meta { display: block; color: var(--muted); font-size: 0.85rem; }
[hidden] { display: none !important; }
`;
