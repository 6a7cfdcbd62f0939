import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { proveEmail } from './support/community';
import { currentStep, totpAt } from './support/totp';
import { nextTotp, startTestHub, STRONG_PASSWORD, TestHub } from './support/test-hub';

const CREATE_ORG = `mutation($i: CreateOrganisationInput!) { createOrganisation(input: $i) { id } }`;
const CREATE_USER = `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`;
/** The first error's extensions but its request id, which every answer has and no two share. */
const code = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => {
  const extensions = r.errors?.[0]?.extensions;
  if (!extensions) return extensions;
  const { requestId: _requestId, ...rest } = extensions;
  return rest;
};

describe('accounts that stolen passwords cannot open', () => {
  let t: TestHub;
  let admin: string;
  let orgId: string;
  let db: Client;
  let n = 0;

  beforeAll(async () => {
    t = await startTestHub();
    admin = (await t.bootstrapAdmin()).token;
    const o = await t.gql<{ createOrganisation: { id: string } }>(
      CREATE_ORG,
      {
        i: {
          name: 'Minami Grid',
          kind: 'OPERATOR',
          sectorCode: 'electric-power',
          domains: ['minami-grid.example'],
        },
      },
      admin,
    );
    orgId = o.data!.createOrganisation.id;
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.stop();
  });

  // Every test calls from 127.0.0.1: forget the per-address failures of the tests before, so
  // each test sees only its own (the per-address limit is tested on its own below).
  beforeEach(() => db.query("DELETE FROM auth_throttle WHERE key LIKE 'address:%'"));

  /** A fresh user of the operator organisation; returns its e-mail. */
  async function newUser(role = 'ANALYST'): Promise<string> {
    const email = `user${++n}@minami-grid.example`;
    const r = await t.gql(
      CREATE_USER,
      {
        i: {
          organisationId: orgId,
          email,
          displayName: `User ${n}`,
          role,
          initialPassword: STRONG_PASSWORD,
        },
      },
      admin,
    );
    expect(r.errors).toBeUndefined();
    return email;
  }

  describe('mandatory second factor', () => {
    it('lets a user without one do nothing but enrol', async () => {
      const email = await newUser();
      const { token, enrolmentRequired } = await t.passwordLogin(email, STRONG_PASSWORD);
      expect(enrolmentRequired).toBe(true);
      expect((await t.gql('{ me { email } }', {}, token)).data).toEqual({ me: { email } });
      for (const q of [
        '{ organisations { totalCount } }',
        '{ sectors { code } }',
        '{ users { totalCount } }',
      ]) {
        const r = await t.gql(q, {}, token);
        expect(code(r)).toEqual({ code: 'FORBIDDEN', reason: 'SECOND_FACTOR_ENROLMENT_REQUIRED' });
        expect(r.data).toBeNull();
      }
    });

    it('enrols TOTP with an otpauth URI and QR code, active only after a first valid code', async () => {
      const email = await newUser();
      const { token } = await t.passwordLogin(email, STRONG_PASSWORD);
      const start = await t.gql<{
        startTotpEnrolment: { otpauthUri: string; qrCodeSvg: string; secret: string };
      }>('mutation { startTotpEnrolment { otpauthUri qrCodeSvg secret } }', {}, token);
      const e = start.data!.startTotpEnrolment;
      const uri = new URL(e.otpauthUri);
      expect(uri.protocol).toBe('otpauth:');
      expect(uri.host).toBe('totp');
      expect(decodeURIComponent(uri.pathname)).toContain(email);
      expect(uri.searchParams.get('secret')).toBe(e.secret);
      expect(uri.searchParams.get('issuer')).toBe('renkei');
      expect([null, 'SHA1']).toContain(uri.searchParams.get('algorithm'));
      expect([null, '6']).toContain(uri.searchParams.get('digits'));
      expect([null, '30']).toContain(uri.searchParams.get('period'));
      expect(e.qrCodeSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);

      // Sealed at rest: the seed is not in the row, and the key id is kept for rotation.
      const { rows } = await db.query(
        "SELECT encode(secret_sealed, 'escape') AS sealed, key_id, confirmed_at FROM totp_factor t JOIN hub_user u ON u.id = t.user_id WHERE u.email = $1",
        [email],
      );
      expect(rows[0].sealed).not.toContain(e.secret);
      expect(rows[0].key_id).toBe('test');
      expect(rows[0].confirmed_at).toBeNull();

      const wrong = await t.gql(
        'mutation { confirmTotpEnrolment(code: "000000") { active } }',
        {},
        token,
      );
      expect(code(wrong)?.code).toBe('BAD_USER_INPUT');
      expect(code(await t.gql('{ sectors { code } }', {}, token))?.reason).toBe(
        'SECOND_FACTOR_ENROLMENT_REQUIRED',
      );

      const ok = await t.gql<{
        confirmTotpEnrolment: {
          active: boolean;
          recoveryCodes: string[];
          session: { token: string; secondFactorVerified: boolean };
        };
      }>(
        'mutation($c: String!) { confirmTotpEnrolment(code: $c) { active recoveryCodes session { token secondFactorVerified } } }',
        { c: totpAt(e.secret, currentStep()) },
        token,
      );
      const r = ok.data!.confirmTotpEnrolment;
      expect(r.active).toBe(true);
      expect(r.recoveryCodes).toHaveLength(10);
      expect(new Set(r.recoveryCodes).size).toBe(10);
      expect(r.session.secondFactorVerified).toBe(true);
      expect(r.session.token).not.toBe(token); // a new token at every authentication
      expect(code(await t.gql('{ me { id } }', {}, token))?.code).toBe('UNAUTHENTICATED');
      expect(
        (await t.gql<{ sectors: unknown[] }>('{ sectors { code } }', {}, r.session.token)).data!
          .sectors,
      ).toHaveLength(16);
      // Recovery codes are stored hashed.
      const stored = await db.query(
        "SELECT encode(code_hash, 'escape') AS h FROM recovery_code c JOIN hub_user u ON u.id = c.user_id WHERE u.email = $1",
        [email],
      );
      expect(stored.rows).toHaveLength(10);
      for (const c of r.recoveryCodes) expect(stored.rows.map((x) => x.h).join()).not.toContain(c);
    });

    it('asks for the second factor after a password, and accepts each TOTP time step once', async () => {
      const email = await newUser();
      await t.login(email, STRONG_PASSWORD); // enrols TOTP through the harness
      const a = t.authenticators.get(email)!;
      const { token, enrolmentRequired } = await t.passwordLogin(email, STRONG_PASSWORD);
      expect(enrolmentRequired).toBe(false);
      expect(code(await t.gql('{ sectors { code } }', {}, token))).toEqual({
        code: 'FORBIDDEN',
        reason: 'SECOND_FACTOR_REQUIRED',
      });

      const next = nextTotp(a)!;
      const verified = await t.gql<{
        verifyTotp: { token: string; secondFactorVerified: boolean };
      }>(
        'mutation($c: String!) { verifyTotp(code: $c) { token secondFactorVerified } }',
        { c: next.code },
        token,
      );
      expect(verified.data!.verifyTotp.secondFactorVerified).toBe(true);
      a.usedSteps.add(next.step);

      // The same code again, from a new password session: a replay.
      const again = await t.passwordLogin(email, STRONG_PASSWORD);
      const replay = await t.gql(
        'mutation($c: String!) { verifyTotp(code: $c) { token } }',
        { c: next.code },
        again.token,
      );
      expect(code(replay)?.code).toBe('UNAUTHENTICATED');
      expect(replay.errors![0].message).toMatch(/already used/);
      // An older step (outside the window or before the last used one) is refused too.
      const old = await t.gql(
        'mutation($c: String!) { verifyTotp(code: $c) { token } }',
        { c: totpAt(a.secret, next.step - 1) },
        again.token,
      );
      expect(code(old)?.code).toBe('UNAUTHENTICATED');
    });

    it('accepts a recovery code once', async () => {
      const email = await newUser();
      await t.login(email, STRONG_PASSWORD);
      const recovery = t.authenticators.get(email)!.recoveryCodes[0];
      const s1 = await t.passwordLogin(email, STRONG_PASSWORD);
      const used = await t.gql<{ verifyRecoveryCode: { token: string } }>(
        'mutation($c: String!) { verifyRecoveryCode(code: $c) { token } }',
        { c: recovery.toUpperCase().replace(/-/g, ' ') },
        s1.token,
      );
      expect(used.data!.verifyRecoveryCode.token).toMatch(/^rks_/);
      const s2 = await t.passwordLogin(email, STRONG_PASSWORD);
      const reused = await t.gql(
        'mutation($c: String!) { verifyRecoveryCode(code: $c) { token } }',
        { c: recovery },
        s2.token,
      );
      expect(code(reused)?.code).toBe('UNAUTHENTICATED');
      const security = await t.gql<{ mySecurity: { recoveryCodesRemaining: number } }>(
        '{ mySecurity { recoveryCodesRemaining } }',
        {},
        used.data!.verifyRecoveryCode.token,
      );
      expect(security.data!.mySecurity.recoveryCodesRemaining).toBe(9);
    });

    it('needs a recent second-factor check to change factors, and never removes the last one', async () => {
      const email = await newUser();
      const token = await t.login(email, STRONG_PASSWORD);
      const last = await t.gql('mutation { removeTotp }', {}, token);
      expect(code(last)).toEqual({ code: 'FORBIDDEN', reason: 'LAST_FACTOR' });

      const fresh = await t.gql<{ regenerateRecoveryCodes: string[] }>(
        'mutation { regenerateRecoveryCodes }',
        {},
        token,
      );
      expect(fresh.data!.regenerateRecoveryCodes).toHaveLength(10);
      t.authenticators.get(email)!.recoveryCodes = fresh.data!.regenerateRecoveryCodes;

      await db.query(
        "UPDATE session SET second_factor_at = now() - interval '1 hour' WHERE user_id = (SELECT id FROM hub_user WHERE email = $1)",
        [email],
      );
      for (const m of [
        'mutation { regenerateRecoveryCodes }',
        'mutation { startTotpEnrolment { secret } }',
        'mutation { startPasskeyRegistration { challengeId } }',
      ]) {
        expect(code(await t.gql(m, {}, token))).toEqual({
          code: 'FORBIDDEN',
          reason: 'STEP_UP_REQUIRED',
        });
      }
    });
  });

  describe('brute force', () => {
    const LOGIN = (k: number) =>
      `mutation($i: LoginInput!) { ${Array.from({ length: k }, (_, i) => `a${i}: login(input: $i) { token }`).join(' ')} }`;

    const failuresOf = async (key: string) =>
      (await db.query('SELECT failures FROM auth_throttle WHERE key = $1', [key])).rows[0]
        ?.failures ?? 0;

    it('gives a batch of aliased guesses no more tries than one request', async () => {
      const email = await newUser();
      const batch = await t.gql(LOGIN(8), { i: { email, password: 'wrong password number one' } });
      // Mutations run one after another and a failed non-null field stops the rest: one attempt.
      expect(batch.data).toBeNull();
      expect(batch.errors).toHaveLength(1);
      expect(await failuresOf(`account:${email}`)).toBe(1);
    });

    it('locks an account after repeated failures, the right password included, then reveals nothing', async () => {
      const real = await newUser();
      const ghost = 'nobody-here@minami-grid.example';
      const answers: unknown[] = [];
      for (const email of [real, ghost]) {
        for (let i = 0; i < 6; i++)
          await t.gql(LOGIN(1), { i: { email, password: 'another wrong password' } });
        expect(await failuresOf(`account:${email}`)).toBe(6);
        const r = await t.gql(LOGIN(1), {
          i: { email, password: email === real ? STRONG_PASSWORD : 'x' },
        });
        expect(code(r)).toMatchObject({
          code: 'UNAUTHENTICATED',
          reason: 'TOO_MANY_ATTEMPTS',
          retryAfterSeconds: expect.any(Number),
        });
        answers.push({
          message: r.errors![0].message.replace(/\d+ seconds/, 'N seconds'),
          ext: Object.keys(r.errors![0].extensions!),
        });
      }
      expect(answers[0]).toEqual(answers[1]);
    });

    it('gives parallel guesses no more tries than sequential ones', async () => {
      const email = await newUser();
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          t.gql(LOGIN(1), { i: { email, password: 'parallel wrong guess' } }),
        ),
      );
      const checked = answers.filter(
        (r) => r.errors![0].message === 'Wrong e-mail address or password',
      );
      const locked = answers.filter((r) => r.errors![0].extensions?.reason === 'TOO_MANY_ATTEMPTS');
      const other = answers.filter((r) => !checked.includes(r) && !locked.includes(r));
      expect(other.map((r) => r.errors ?? r.data)).toEqual([]);
      expect(checked.length).toBeLessThanOrEqual(6); // 5 free, the 6th sets the lock
      expect(locked.length).toBeGreaterThanOrEqual(14);
    });

    it('never lets an org admin reset or end the sessions of a hub admin', async () => {
      const coordinatorOrg = (
        await db.query("SELECT id FROM organisation WHERE kind = 'coordinator'")
      ).rows[0].id;
      const adminId = (await db.query("SELECT id FROM hub_user WHERE role = 'hub_admin' LIMIT 1"))
        .rows[0].id;
      const email = `org.admin${++n}@ci-csirt.example`;
      await t.gql(
        CREATE_USER,
        {
          i: {
            organisationId: coordinatorOrg,
            email,
            displayName: 'Org admin',
            role: 'ORG_ADMIN',
            initialPassword: STRONG_PASSWORD,
          },
        },
        admin,
      );
      await proveEmail(t, email); // the coordinator registered no domains
      const orgAdmin = await t.login(email, STRONG_PASSWORD);
      for (const m of ['issuePasswordReset(id: $id) { token }', 'revokeUserSessions(id: $id)']) {
        const r = await t.gql(`mutation($id: ID!) { ${m} }`, { id: adminId }, orgAdmin);
        expect(code(r)?.code).toBe('FORBIDDEN');
      }
      expect((await t.gql('{ me { id } }', {}, admin)).data).toBeTruthy();
    });

    it('locks a client address that fails against many accounts', async () => {
      for (let i = 0; i <= 50; i++) {
        await t.gql(LOGIN(1), {
          i: { email: `spray${i}@minami-grid.example`, password: 'Summer2026!' },
        });
      }
      const email = await newUser();
      const r = await t.gql(LOGIN(1), { i: { email, password: STRONG_PASSWORD } });
      expect(code(r)).toMatchObject({ reason: 'TOO_MANY_ATTEMPTS' });
    });

    it('limits second-factor guesses the same way', async () => {
      const email = await newUser();
      await t.login(email, STRONG_PASSWORD);
      const { token } = await t.passwordLogin(email, STRONG_PASSWORD);
      const guesses = Array.from(
        { length: 8 },
        (_, i) => `g${i}: verifyTotp(code: "${String(i).padStart(6, '1')}") { token }`,
      ).join(' ');
      expect((await t.gql(`mutation { ${guesses} }`, {}, token)).errors).toHaveLength(1);
      for (let i = 0; i < 5; i++)
        await t.gql('mutation { verifyTotp(code: "123123") { token } }', {}, token);
      const a = t.authenticators.get(email)!;
      const good = await t.gql(
        'mutation($c: String!) { verifyTotp(code: $c) { token } }',
        { c: nextTotp(a)!.code },
        token,
      );
      expect(code(good)?.reason).toBe('TOO_MANY_ATTEMPTS');
    });

    it('disables a password after 100 consecutive failures until an admin reset', async () => {
      const email = await newUser();
      await t.login(email, STRONG_PASSWORD);
      await db.query('UPDATE hub_user SET password_failures = 99 WHERE email = $1', [email]);
      await t.gql(LOGIN(1), { i: { email, password: 'the hundredth wrong password' } });
      await db.query("DELETE FROM auth_throttle WHERE key LIKE 'account:%'");
      const right = await t.gql(LOGIN(1), { i: { email, password: STRONG_PASSWORD } });
      expect(right.errors![0]).toMatchObject({
        message: 'Wrong e-mail address or password',
        extensions: { code: 'UNAUTHENTICATED' },
      });

      const users = await t.gql<{ users: { edges: { node: { id: string; email: string } }[] } }>(
        'query($o: ID!) { users(first: 100, filter: { organisationId: $o }) { edges { node { id email } } } }',
        { o: orgId },
        admin,
      );
      const id = users.data!.users.edges.find((e) => e.node.email === email)!.node.id;
      const ticket = await t.gql<{ issuePasswordReset: { token: string } }>(
        'mutation($id: ID!) { issuePasswordReset(id: $id) { token expiresAt } }',
        { id },
        admin,
      );
      const reset = ticket.data!.issuePasswordReset.token;
      expect(reset).toMatch(/^rkr_/);
      const newPassword = 'a brand new passphrase for minami';
      const redeemed = await t.gql(
        'mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }',
        { t: reset, p: newPassword },
      );
      expect(redeemed.errors).toBeUndefined();
      expect(redeemed.data).toEqual({ resetPassword: true });
      const twice = await t.gql(
        'mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }',
        { t: reset, p: newPassword },
      );
      expect(code(twice)?.code).toBe('UNAUTHENTICATED');
      await expect(t.login(email, newPassword)).resolves.toMatch(/^rks_/);
      const audit = await db.query(
        "SELECT action FROM audit_log WHERE action IN ('login.locked', 'password.reset_issued', 'password.reset_used') ORDER BY id",
      );
      expect(audit.rows.map((r) => r.action)).toEqual(
        expect.arrayContaining(['login.locked', 'password.reset_issued', 'password.reset_used']),
      );
    });
    it('disables an authenticator app after 100 consecutive wrong codes', async () => {
      const email = await newUser();
      await t.login(email, STRONG_PASSWORD);
      const { token } = await t.passwordLogin(email, STRONG_PASSWORD);
      await db.query(
        'UPDATE totp_factor SET consecutive_failures = 99 WHERE user_id = (SELECT id FROM hub_user WHERE email = $1)',
        [email],
      );
      await t.gql('mutation { verifyTotp(code: "000000") { token } }', {}, token);
      const { rows } = await db.query(
        'SELECT disabled_at FROM totp_factor WHERE user_id = (SELECT id FROM hub_user WHERE email = $1)',
        [email],
      );
      expect(rows[0].disabled_at).not.toBeNull();
      await db.query("DELETE FROM auth_throttle WHERE key LIKE 'second-factor:%'");
      const a = t.authenticators.get(email)!;
      const right = await t.gql(
        'mutation($c: String!) { verifyTotp(code: $c) { token } }',
        { c: nextTotp(a)!.code },
        token,
      );
      expect(code(right)?.code).toBe('UNAUTHENTICATED');
      // The password alone still does not get in, nor lets anyone enrol a new app.
      const half = await t.passwordLogin(email, STRONG_PASSWORD);
      expect(half.enrolmentRequired).toBe(false);
      expect(code(await t.gql('{ sectors { code } }', {}, half.token))?.reason).toBe(
        'SECOND_FACTOR_REQUIRED',
      );
      expect(
        code(await t.gql('mutation { startTotpEnrolment { secret } }', {}, half.token)),
      ).toEqual({
        code: 'FORBIDDEN',
        reason: 'STEP_UP_REQUIRED',
      });
      expect(
        code(await t.gql('mutation { startPasskeyRegistration { challengeId } }', {}, half.token))
          ?.reason,
      ).toBe('STEP_UP_REQUIRED');
      // A recovery code gets the user in, and then the app can be enrolled again.
      const rescue = await t.gql<{ verifyRecoveryCode: { token: string } }>(
        'mutation($c: String!) { verifyRecoveryCode(code: $c) { token } }',
        { c: a.recoveryCodes[0] },
        token,
      );
      expect(rescue.data!.verifyRecoveryCode.token).toMatch(/^rks_/);
      const again = await t.gql<{ startTotpEnrolment: { secret: string } }>(
        'mutation { startTotpEnrolment { secret } }',
        {},
        rescue.data!.verifyRecoveryCode.token,
      );
      expect(again.data!.startTotpEnrolment.secret).toMatch(/^[A-Z2-7]+$/);
    });
  });

  describe('passwords and sessions', () => {
    it('refuses weak passwords with the reason and ends the other sessions on a change', async () => {
      const email = await newUser();
      const one = await t.login(email, STRONG_PASSWORD);
      const two = await t.login(email, STRONG_PASSWORD);
      const CHANGE =
        'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }';
      const weak = await t.gql(CHANGE, { c: STRONG_PASSWORD, n: 'password1234' }, two);
      expect(weak.errors![0].extensions).toEqual({
        code: 'BAD_USER_INPUT',
        requestId: expect.any(String),
        fieldErrors: [{ path: 'newPassword', message: 'is a commonly used password' }],
      });
      const personal = await t.gql(CHANGE, { c: STRONG_PASSWORD, n: 'MinamiGrid2026!' }, two);
      expect(personal.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      const wrong = await t.gql(
        CHANGE,
        { c: 'not my password at all', n: 'a brand new passphrase for minami' },
        two,
      );
      expect(wrong.errors![0].extensions!.fieldErrors).toEqual([
        { path: 'currentPassword', message: 'is not your current password' },
      ]);
      const ok = await t.gql<{ changePassword: number }>(
        CHANGE,
        { c: STRONG_PASSWORD, n: 'a brand new passphrase for minami' },
        two,
      );
      expect(ok.data!.changePassword).toBeGreaterThanOrEqual(1);
      expect(code(await t.gql('{ me { id } }', {}, one))?.code).toBe('UNAUTHENTICATED');
      expect((await t.gql('{ me { email } }', {}, two)).data).toEqual({ me: { email } });
    });

    it('lists, revokes and ends sessions everywhere; admins can end a user’s sessions at once', async () => {
      const email = await newUser();
      const first = await t.login(email, STRONG_PASSWORD);
      // A password alone shows nothing of the account's sessions.
      const half = await t.passwordLogin(email, STRONG_PASSWORD);
      expect(code(await t.gql('{ mySessions { id } }', {}, half.token))?.reason).toBe(
        'SECOND_FACTOR_REQUIRED',
      );
      expect(code(await t.gql('mutation { logoutEverywhere }', {}, half.token))?.reason).toBe(
        'SECOND_FACTOR_REQUIRED',
      );
      await t.gql('mutation { logoutEverywhere }', {}, first); // start from no sessions
      const a = await t.login(email, STRONG_PASSWORD);
      const b = await t.login(email, STRONG_PASSWORD);
      const list = await t.gql<{
        mySessions: { id: string; current: boolean; secondFactorVerified: boolean }[];
      }>('{ mySessions { id current secondFactorVerified } }', {}, a);
      const full = list.data!.mySessions.filter((s) => s.secondFactorVerified);
      expect(full).toHaveLength(2);
      const other = full.find((s) => !s.current)!;
      expect(
        (await t.gql('mutation($id: ID!) { revokeSession(id: $id) }', { id: other.id }, a)).data,
      ).toEqual({ revokeSession: true });
      expect(code(await t.gql('{ me { id } }', {}, b))?.code).toBe('UNAUTHENTICATED');

      const c = await t.login(email, STRONG_PASSWORD);
      const users = await t.gql<{ users: { edges: { node: { id: string; email: string } }[] } }>(
        'query($o: ID!) { users(first: 100, filter: { organisationId: $o }) { edges { node { id email } } } }',
        { o: orgId },
        admin,
      );
      const id = users.data!.users.edges.find((e) => e.node.email === email)!.node.id;
      const ended = await t.gql<{ revokeUserSessions: number }>(
        'mutation($id: ID!) { revokeUserSessions(id: $id) }',
        { id },
        admin,
      );
      expect(ended.data!.revokeUserSessions).toBeGreaterThanOrEqual(2);
      for (const tok of [a, c])
        expect(code(await t.gql('{ me { id } }', {}, tok))?.code).toBe('UNAUTHENTICATED');

      const d = await t.login(email, STRONG_PASSWORD);
      const e = await t.login(email, STRONG_PASSWORD);
      expect(
        (await t.gql<{ logoutEverywhere: number }>('mutation { logoutEverywhere }', {}, d)).data!
          .logoutEverywhere,
      ).toBeGreaterThanOrEqual(2);
      for (const tok of [d, e])
        expect(code(await t.gql('{ me { id } }', {}, tok))?.code).toBe('UNAUTHENTICATED');
    });

    it('sets the session as an HttpOnly, Secure, SameSite=Strict cookie the hub accepts', async () => {
      const email = await newUser();
      const res = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'mutation($i: LoginInput!) { login(input: $i) { token } }',
          variables: { i: { email, password: STRONG_PASSWORD } },
        }),
      });
      const cookie = res.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^renkei_session=rks_[^;]+;/);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/Secure/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
      const me = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: cookie.split(';')[0] },
        body: JSON.stringify({ query: '{ me { email } }' }),
      });
      expect(((await me.json()) as { data: unknown }).data).toEqual({ me: { email } });
    });

    it('rehashes a password at login when the argon2 cost changed', async () => {
      const email = await newUser();
      await t.login(email, STRONG_PASSWORD);
      const before = (
        await db.query('SELECT password_hash FROM hub_user WHERE email = $1', [email])
      ).rows[0].password_hash;
      expect(before).toMatch(/^\$argon2id\$v=19\$m=8192,t=1,p=1\$/);
      const stronger = await startTestHub(
        { ARGON2_MEMORY_KIB: '16384', ARGON2_TIME_COST: '2' },
        t.databaseUrl,
      );
      try {
        await stronger.passwordLogin(email, STRONG_PASSWORD);
      } finally {
        await stronger.stop();
      }
      const after = (await db.query('SELECT password_hash FROM hub_user WHERE email = $1', [email]))
        .rows[0].password_hash;
      expect(after).toMatch(/^\$argon2id\$v=19\$m=16384,t=2,p=1\$/);
    });

    it('ends sessions after the idle time and at the absolute expiry', async () => {
      const email = await newUser();
      const idle = await t.login(email, STRONG_PASSWORD);
      const old = await t.login(email, STRONG_PASSWORD);
      const fresh = await t.login(email, STRONG_PASSWORD);
      const uid = '(SELECT id FROM hub_user WHERE email = $2)';
      // Sessions are told apart by their hashes: age one by last use, one by creation.
      const hash = (tok: string) => createHash('sha256').update(tok).digest();
      await db.query(
        `UPDATE session SET last_seen_at = now() - interval '61 minutes' WHERE token_hash = $1 AND user_id = ${uid}`,
        [hash(idle), email],
      );
      await db.query(
        `UPDATE session SET expires_at = now() - interval '1 second' WHERE token_hash = $1 AND user_id = ${uid}`,
        [hash(old), email],
      );
      expect(code(await t.gql('{ me { id } }', {}, idle))?.code).toBe('UNAUTHENTICATED');
      expect(code(await t.gql('{ me { id } }', {}, old))?.code).toBe('UNAUTHENTICATED');
      expect((await t.gql('{ me { email } }', {}, fresh)).data).toEqual({ me: { email } });
    });

    it('voids the old recovery codes when new ones are generated', async () => {
      const email = await newUser();
      const token = await t.login(email, STRONG_PASSWORD);
      const old = t.authenticators.get(email)!.recoveryCodes[0];
      const fresh = await t.gql<{ regenerateRecoveryCodes: string[] }>(
        'mutation { regenerateRecoveryCodes }',
        {},
        token,
      );
      t.authenticators.get(email)!.recoveryCodes = fresh.data!.regenerateRecoveryCodes;
      const { token: half } = await t.passwordLogin(email, STRONG_PASSWORD);
      const r = await t.gql(
        'mutation($c: String!) { verifyRecoveryCode(code: $c) { token } }',
        { c: old },
        half,
      );
      expect(code(r)?.code).toBe('UNAUTHENTICATED');
    });

    it('stores session tokens hashed only', async () => {
      const email = await newUser();
      const token = await t.login(email, STRONG_PASSWORD);
      const { rows } = await db.query(
        "SELECT count(*)::int AS n FROM session WHERE encode(token_hash, 'escape') LIKE '%' || $1 || '%'",
        [token.slice(4, 20)],
      );
      expect(rows[0].n).toBe(0);
    });

    it('issues a ticket that removes second factors only with the admin’s recent second factor', async () => {
      const adminEmail = await newUser('ORG_ADMIN');
      const orgAdmin = await t.login(adminEmail, STRONG_PASSWORD);
      const target = await newUser();
      await t.login(target, STRONG_PASSWORD);
      const { rows } = await db.query('SELECT id FROM hub_user WHERE email = $1', [target]);
      const ISSUE =
        'mutation($id: ID!, $f: Boolean) { issuePasswordReset(id: $id, resetSecondFactors: $f) { token resetsSecondFactors } }';
      await db.query(
        "UPDATE session SET second_factor_at = now() - interval '1 hour' WHERE user_id = (SELECT id FROM hub_user WHERE email = $1)",
        [adminEmail],
      );
      // An old second factor: the plain ticket is still issued, the one removing factors is not.
      const plain = await t.gql<{ issuePasswordReset: { resetsSecondFactors: boolean } }>(
        ISSUE,
        { id: rows[0].id, f: false },
        orgAdmin,
      );
      expect(plain.errors).toBeUndefined();
      expect(plain.data!.issuePasswordReset.resetsSecondFactors).toBe(false);
      const refused = await t.gql(ISSUE, { id: rows[0].id, f: true }, orgAdmin);
      expect(code(refused)).toEqual({ code: 'FORBIDDEN', reason: 'STEP_UP_REQUIRED' });
      const issued = await db.query(
        'SELECT count(*)::int AS n FROM password_reset WHERE user_id = $1 AND resets_factors',
        [rows[0].id],
      );
      expect(issued.rows[0].n).toBe(0);
      // After confirming the second factor again, it is issued.
      const a = t.authenticators.get(adminEmail)!;
      const again = await t.gql<{ verifyTotp: { token: string } }>(
        'mutation($c: String!) { verifyTotp(code: $c) { token } }',
        { c: nextTotp(a)!.code },
        orgAdmin,
      );
      expect(again.errors).toBeUndefined();
      const fresh = again.data!.verifyTotp.token;
      const allowed = await t.gql<{ issuePasswordReset: { resetsSecondFactors: boolean } }>(
        ISSUE,
        { id: rows[0].id, f: true },
        fresh,
      );
      expect(allowed.errors).toBeUndefined();
      expect(allowed.data!.issuePasswordReset.resetsSecondFactors).toBe(true);
    });
  });

  describe('API tokens', () => {
    let orgAdmin: string;
    beforeAll(async () => {
      const email = await newUser('ORG_ADMIN');
      orgAdmin = await t.login(email, STRONG_PASSWORD);
    });
    const CREATE = `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token apiToken { id tokenPrefix scopes allowedRanges } } }`;

    it('are shown once with a recognisable prefix, work as Bearer and Basic, and reach only their scopes', async () => {
      const r = await t.gql<{
        createApiToken: {
          token: string;
          apiToken: { id: string; tokenPrefix: string; scopes: string[] };
        };
      }>(CREATE, { i: { name: 'PA-3220 EDL pull', scopes: ['feeds:read'] } }, orgAdmin);
      expect(r.errors).toBeUndefined();
      const { token, apiToken } = r.data!.createApiToken;
      expect(token).toMatch(/^rkt_[A-Za-z0-9_-]{43}$/);
      expect(token.startsWith(apiToken.tokenPrefix)).toBe(true);
      const stored = await db.query(
        "SELECT count(*)::int AS n FROM api_token WHERE encode(token_hash, 'escape') LIKE '%' || $1 || '%'",
        [token.slice(4, 20)],
      );
      expect(stored.rows[0].n).toBe(0);

      const whoami = '{ whoami { kind organisationId scopes } }';
      expect((await t.gql(whoami, {}, token)).data).toEqual({
        whoami: { kind: 'token', organisationId: orgId, scopes: ['feeds:read'] },
      });
      const basic = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`firewall:${token}`).toString('base64')}`,
        },
        body: JSON.stringify({ query: whoami }),
      });
      expect(
        ((await basic.json()) as { data: { whoami: { kind: string } } }).data.whoami.kind,
      ).toBe('token');
      for (const q of [
        '{ organisations { totalCount } }',
        '{ me { id } }',
        '{ users { totalCount } }',
      ]) {
        expect(code(await t.gql(q, {}, token))).toEqual({
          code: 'FORBIDDEN',
          reason: 'TOKEN_NOT_ALLOWED',
        });
      }
      const list = await t.gql<{ apiTokens: { id: string; lastUsedAt: string | null }[] }>(
        '{ apiTokens { id lastUsedAt } }',
        {},
        orgAdmin,
      );
      expect(list.data!.apiTokens.find((x) => x.id === apiToken.id)!.lastUsedAt).not.toBeNull();

      await t.gql(
        'mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }',
        { id: apiToken.id },
        orgAdmin,
      );
      expect(code(await t.gql(whoami, {}, token))?.code).toBe('UNAUTHENTICATED');
    });

    it('refuse use from outside their allowed address ranges', async () => {
      const r = await t.gql<{ createApiToken: { token: string } }>(
        CREATE,
        {
          i: { name: 'SIEM in the SOC', scopes: ['reports:read'], allowedRanges: ['192.0.2.0/24'] },
        },
        orgAdmin,
      );
      // 403, not "invalid or expired": the token is fine, the address is not (issue #11).
      expect(code(await t.gql('{ whoami { kind } }', {}, r.data!.createApiToken.token))).toEqual(
        expect.objectContaining({ code: 'FORBIDDEN', reason: 'TOKEN_ADDRESS_NOT_ALLOWED' }),
      );
    });

    it('need an admin with a recent second-factor check, and valid scopes', async () => {
      const analyst = await t.login(await newUser('ANALYST'), STRONG_PASSWORD);
      expect(
        code(await t.gql(CREATE, { i: { name: 'x', scopes: ['feeds:read'] } }, analyst))?.code,
      ).toBe('FORBIDDEN');
      const bad = await t.gql(
        CREATE,
        { i: { name: 'x', scopes: ['feeds:read', 'everything'] } },
        orgAdmin,
      );
      expect(code(bad)?.fieldErrors).toEqual([
        { path: 'input.scopes.1', message: expect.stringContaining('"everything" is not a scope') },
      ]);
      await db.query(
        "UPDATE session SET second_factor_at = now() - interval '1 hour' WHERE second_factor_at IS NOT NULL",
      );
      expect(
        code(await t.gql(CREATE, { i: { name: 'x', scopes: ['feeds:read'] } }, orgAdmin)),
      ).toEqual({ code: 'FORBIDDEN', reason: 'STEP_UP_REQUIRED' });
    });
  });
});
