/**
 * Browser scripts for the hub's pages: plain ES2020 for any current browser, no build step.
 * Served as files (not inline) so the pages' Content-Security-Policy can forbid inline script.
 * Written without template literals so these TypeScript strings need no escaping.
 */

/** GraphQL over fetch with the session cookie, error display and WebAuthn helpers. */
export const COMMON_JS = `'use strict';
var renkei = (function () {
  // Every message the hub gave, one per line; the first error's code decides redirects.
  class GraphQLRequestError extends Error {
    constructor(errors) {
      super(errors.map(function (e) { return e.message; }).join('\\n'));
      this.name = 'GraphQLRequestError';
      this.errors = errors;
      var ext = (errors[0] && errors[0].extensions) || {};
      this.code = ext.code;
      this.reason = ext.reason;
    }
  }

  // Same-origin fetch sends the HttpOnly session cookie; the JSON content type is also what
  // Apollo's CSRF prevention asks of a POST.
  async function gql(query, variables) {
    var res = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: query, variables: variables || {} }),
    });
    var body;
    try {
      body = await res.json();
    } catch (e) {
      throw new GraphQLRequestError([{ message: 'The hub answered ' + res.status + ' ' + res.statusText }]);
    }
    if (body.errors && body.errors.length) throw new GraphQLRequestError(body.errors);
    return body.data;
  }

  function messageOf(e) {
    if (e instanceof GraphQLRequestError) return e.message;
    // The browser's WebAuthn errors: cancelled, timed out, or no matching passkey.
    if (e && e.name === 'NotAllowedError') return 'The passkey request was cancelled or timed out.';
    if (e && e.name === 'InvalidStateError') return 'This passkey is already registered.';
    return (e && e.message) || String(e);
  }

  function showError(el, e) {
    el.textContent = messageOf(e);
    el.hidden = false;
  }

  function clearError(el) {
    el.textContent = '';
    el.hidden = true;
  }

  // Runs an action from a button or form: disables it meanwhile and shows any error in errorEl.
  async function run(control, errorEl, action) {
    clearError(errorEl);
    control.disabled = true;
    try {
      await action();
    } catch (e) {
      showError(errorEl, e);
    } finally {
      control.disabled = false;
    }
  }

  function onSubmit(form, errorEl, action) {
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var button = form.querySelector('button[type=submit]') || form;
      run(button, errorEl, action);
    });
  }

  function onClick(button, errorEl, action) {
    button.addEventListener('click', function () {
      run(button, errorEl, action);
    });
  }

  var passkeysSupported =
    typeof SimpleWebAuthnBrowser !== 'undefined' && SimpleWebAuthnBrowser.browserSupportsWebAuthn();

  // A passkey check: as the second step of a password login (the cookie says whose), or alone.
  async function passkeyLogin() {
    var start = await gql('mutation { startPasskeyAuthentication { challengeId optionsJson } }');
    var response = await SimpleWebAuthnBrowser.startAuthentication({
      optionsJSON: JSON.parse(start.startPasskeyAuthentication.optionsJson),
    });
    await gql(
      'mutation($c: String!, $r: String!) { finishPasskeyAuthentication(challengeId: $c, responseJson: $r) { secondFactorVerified } }',
      { c: start.startPasskeyAuthentication.challengeId, r: JSON.stringify(response) },
    );
  }

  return {
    gql: gql,
    run: run,
    onSubmit: onSubmit,
    onClick: onClick,
    showError: showError,
    clearError: clearError,
    passkeysSupported: passkeysSupported,
    passkeyLogin: passkeyLogin,
  };
})();
`;

export const LOGIN_JS = `'use strict';
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var error = $('error');

  function goToAccount() {
    location.replace('/account');
  }

  // Where this browser's session stands: none, password only (second step next), or full.
  async function resume() {
    var data;
    try {
      data = await renkei.gql('{ mySecurity { secondFactorVerified totpEnabled passkeys { id } } }');
    } catch (e) {
      $('password-step').hidden = false;
      $('second-step').hidden = true;
      if (e.code !== 'UNAUTHENTICATED') renkei.showError(error, e);
      return;
    }
    var s = data.mySecurity;
    if (s.secondFactorVerified || (!s.totpEnabled && s.passkeys.length === 0)) {
      // Logged in, or no factor yet: the account page shows the enrolment.
      goToAccount();
      return;
    }
    $('password-step').hidden = true;
    $('second-step').hidden = false;
    $('totp-form').hidden = !s.totpEnabled;
    $('passkey-verify').hidden = s.passkeys.length === 0 || !renkei.passkeysSupported;
    (s.totpEnabled ? $('totp-code') : $('recovery-code')).focus();
  }

  renkei.onSubmit($('password-form'), error, async function () {
    var data = await renkei.gql(
      'mutation($i: LoginInput!) { login(input: $i) { secondFactorVerified enrolmentRequired } }',
      { i: { email: $('email').value, password: $('password').value } },
    );
    $('password').value = '';
    if (data.login.enrolmentRequired || data.login.secondFactorVerified) return goToAccount();
    await resume();
  });

  renkei.onSubmit($('totp-form'), error, async function () {
    await renkei.gql('mutation($c: String!) { verifyTotp(code: $c) { secondFactorVerified } }', {
      c: $('totp-code').value.trim(),
    });
    goToAccount();
  });

  renkei.onSubmit($('recovery-form'), error, async function () {
    await renkei.gql(
      'mutation($c: String!) { verifyRecoveryCode(code: $c) { secondFactorVerified } }',
      { c: $('recovery-code').value.trim() },
    );
    goToAccount();
  });

  renkei.onClick($('passkey-verify'), error, async function () {
    await renkei.passkeyLogin();
    goToAccount();
  });

  renkei.onClick($('passkey-login'), error, async function () {
    await renkei.passkeyLogin();
    goToAccount();
  });

  renkei.onClick($('start-over'), error, async function () {
    try {
      await renkei.gql('mutation { logout }');
    } finally {
      $('second-step').hidden = true;
      $('password-step').hidden = false;
    }
  });

  if (!renkei.passkeysSupported) {
    $('passkey-login').disabled = true;
    $('passkey-login').title = 'This browser does not support passkeys';
  }
  resume();
})();
`;

export const ACCOUNT_JS = `'use strict';
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var section = function (id) { return { el: $(id), error: $(id).querySelector('.error') }; };
  var totp = section('totp-section');
  var passkeys = section('passkey-section');
  var passwordless = section('passwordless-section');
  var recovery = section('recovery-section');
  var state = null;

  var SECURITY =
    '{ me { email displayName } mySecurity { totpEnabled recoveryCodesRemaining passwordlessEnabled secondFactorVerified passkeys { id name createdAt lastUsedAt deviceType backedUp } } }';

  function when(iso) {
    return new Date(iso).toLocaleString();
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showRecoveryCodes(codes) {
    var list = $('recovery-codes');
    list.replaceChildren.apply(list, codes.map(function (c) { return el('li', '', c); }));
    $('recovery-codes-box').hidden = false;
    $('recovery-codes-box').scrollIntoView({ block: 'nearest' });
  }

  function render(data) {
    var s = data.mySecurity;
    state = s;
    var hasFactor = s.totpEnabled || s.passkeys.length > 0;
    $('loading').hidden = true;
    $('who').textContent = data.me.displayName + ' <' + data.me.email + '>';
    $('enrolment-notice').hidden = hasFactor;
    $('overview').hidden = false;
    $('fact-totp').textContent = s.totpEnabled ? 'set up' : 'not set up';
    $('fact-passkeys').textContent = String(s.passkeys.length);
    $('fact-recovery').textContent = String(s.recoveryCodesRemaining);
    $('fact-passwordless').textContent = s.passwordlessEnabled ? 'on' : 'off';
    $('fact-session').textContent = s.secondFactorVerified
      ? 'second factor verified'
      : 'password only';

    totp.el.hidden = false;
    $('totp-status').textContent = s.totpEnabled
      ? 'An authenticator app is set up.'
      : 'No authenticator app yet: any TOTP app works (FreeOTP, Google Authenticator, 1Password...).';
    $('totp-start').hidden = s.totpEnabled || !$('totp-enrol').hidden;
    if (s.totpEnabled) $('totp-enrol').hidden = true;

    passkeys.el.hidden = false;
    var list = $('passkey-list');
    list.replaceChildren();
    if (s.passkeys.length === 0) list.append(el('li', 'muted', 'No passkeys yet.'));
    s.passkeys.forEach(function (k) {
      var item = el('li');
      // textContent only: a passkey's name is the user's own text.
      item.append(el('span', 'name', k.name));
      var meta = 'added ' + when(k.createdAt) + ' · ' +
        (k.lastUsedAt ? 'last used ' + when(k.lastUsedAt) : 'not used yet') +
        (k.deviceType === 'multiDevice' ? ' · synced' : '');
      item.append(el('span', 'meta', meta));
      list.append(item);
    });
    if (!renkei.passkeysSupported) {
      renkei.showError(passkeys.error, new Error('This browser does not support passkeys.'));
    }

    // These need a full session; without a factor yet they would only answer with an error.
    passwordless.el.hidden = !hasFactor;
    $('passwordless-status').textContent = s.passwordlessEnabled
      ? 'On: you can log in with a passkey alone, without your password.'
      : 'Off: a passkey is your second factor after the password.';
    $('passwordless-toggle').textContent = s.passwordlessEnabled
      ? 'Turn off passwordless login'
      : 'Enable passwordless login';
    recovery.el.hidden = !hasFactor;
    $('recovery-status').textContent = s.recoveryCodesRemaining + ' of 10 codes left.';
  }

  async function load() {
    var data;
    try {
      data = await renkei.gql(SECURITY);
    } catch (e) {
      if (e.code === 'UNAUTHENTICATED') return location.replace('/login');
      $('loading').hidden = true;
      return renkei.showError($('error'), e);
    }
    var s = data.mySecurity;
    // A password-only session of a user who has factors: the login page asks for one.
    if (!s.secondFactorVerified && (s.totpEnabled || s.passkeys.length > 0)) {
      return location.replace('/login');
    }
    render(data);
  }

  // The first factor makes the session full and brings the recovery codes.
  async function enrolled(result) {
    if (result.recoveryCodes) showRecoveryCodes(result.recoveryCodes);
    await load();
  }

  renkei.onClick($('totp-start'), totp.error, async function () {
    var data = await renkei.gql('mutation { startTotpEnrolment { qrCodeSvg secret } }');
    // The SVG is generated by the hub from the otpauth URI, not user text.
    $('totp-qr').innerHTML = data.startTotpEnrolment.qrCodeSvg;
    $('totp-secret').textContent = data.startTotpEnrolment.secret.replace(/(.{4})/g, '$1 ').trim();
    $('totp-enrol').hidden = false;
    $('totp-start').hidden = true;
    $('totp-code').focus();
  });

  renkei.onSubmit($('totp-confirm-form'), totp.error, async function () {
    var data = await renkei.gql(
      'mutation($c: String!) { confirmTotpEnrolment(code: $c) { active recoveryCodes } }',
      { c: $('totp-code').value.trim() },
    );
    $('totp-code').value = '';
    $('totp-qr').replaceChildren();
    $('totp-secret').textContent = '';
    $('totp-enrol').hidden = true;
    await enrolled(data.confirmTotpEnrolment);
  });

  renkei.onSubmit($('passkey-form'), passkeys.error, async function () {
    var start = await renkei.gql('mutation { startPasskeyRegistration { challengeId optionsJson } }');
    var response = await SimpleWebAuthnBrowser.startRegistration({
      optionsJSON: JSON.parse(start.startPasskeyRegistration.optionsJson),
    });
    var data = await renkei.gql(
      'mutation($c: String!, $r: String!, $n: String!) { finishPasskeyRegistration(challengeId: $c, responseJson: $r, name: $n) { recoveryCodes passkey { id } } }',
      {
        c: start.startPasskeyRegistration.challengeId,
        r: JSON.stringify(response),
        n: $('passkey-name').value,
      },
    );
    $('passkey-name').value = '';
    await enrolled(data.finishPasskeyRegistration);
  });

  renkei.onClick($('passwordless-toggle'), passwordless.error, async function () {
    await renkei.gql('mutation($e: Boolean!) { setPasswordlessLogin(enabled: $e) }', {
      e: !state.passwordlessEnabled,
    });
    await load();
  });

  renkei.onClick($('recovery-regenerate'), recovery.error, async function () {
    var data = await renkei.gql('mutation { regenerateRecoveryCodes }');
    showRecoveryCodes(data.regenerateRecoveryCodes);
    await load();
  });

  $('recovery-codes-done').addEventListener('click', function () {
    $('recovery-codes').replaceChildren();
    $('recovery-codes-box').hidden = true;
  });

  renkei.onClick($('logout'), $('error'), async function () {
    try {
      await renkei.gql('mutation { logout }');
    } finally {
      // Even when the session had already ended, the way forward is the login page.
      location.replace('/login');
    }
  });

  load();
})();
`;
