import { Client } from 'pg';
import { createOrg, emailProofToken, Member, member, publishReport } from './support/community';
import { STRONG_PASSWORD, startTestHub, TestHub } from './support/test-hub';

type Errors = { errors?: { message: string; extensions?: Record<string, unknown> }[] };
const err = (r: Errors) => r.errors?.[0];
const CREATE_USER =
  'mutation($i: CreateUserInput!) { createUser(input: $i) { id email emailVerifiedAt } }';
const GET = 'query($id: ID!) { report(id: $id) { id title author { label organisationId } } }';
const VERIFY = 'mutation($t: String!) { verifyEmail(token: $t) }';

/** Issue #12, items 1 and 6: nobody is somebody else, by address or by token (ADR 0016). */
describe('identity claims', () => {
  let t: TestHub;
  let admin: string;
  let coordinatorOrg: string;
  let db: Client;
  let author: Member; // Higashi Denryoku, writes RED and anonymous reports
  let authorAdmin: Member;
  let minamiOrg: string;
  let minamiAdmin: Member;
  let impostorAdmin: Member; // an org admin of another member, claiming Minami's addresses

  const createUser = (token: string, organisationId: string, email: string) =>
    t.gql<{ createUser: { id: string; email: string; emailVerifiedAt: string | null } }>(
      CREATE_USER,
      {
        i: {
          organisationId,
          email,
          displayName: 'Someone',
          role: 'ANALYST',
          initialPassword: STRONG_PASSWORD,
        },
      },
      token,
    );
  const sees = async (token: string, id: string) => !(await t.gql(GET, { id }, token)).errors;
  const redUsersOf = async (id: string): Promise<string[]> =>
    (await db.query('SELECT red_users FROM report WHERE id = $1', [id])).rows[0].red_users;

  beforeAll(async () => {
    t = await startTestHub();
    const boot = await t.bootstrapAdmin();
    admin = boot.token;
    coordinatorOrg = boot.organisationId;
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    const org = (name: string, domain: string) =>
      createOrg(t, admin, { name, sectorCode: 'electric-power', domains: [domain] });
    const higashiOrg = await org('Higashi Denryoku', 'higashi-denryoku.example');
    author = await member(t, admin, higashiOrg, 'yui.sato@higashi-denryoku.example');
    authorAdmin = await member(t, admin, higashiOrg, 'admin@higashi-denryoku.example', 'ORG_ADMIN');
    minamiOrg = await org('Minami Grid', 'minami-grid.example');
    minamiAdmin = await member(t, admin, minamiOrg, 'admin@minami-grid.example', 'ORG_ADMIN');
    const impostorOrg = await org('Nishi Trading', 'nishi-trading.example');
    impostorAdmin = await member(t, admin, impostorOrg, 'admin@nishi-trading.example', 'ORG_ADMIN');
    await member(t, admin, await org('Kita Power', 'kita-power.example'), 'soc@kita-power.example');
  });

  afterAll(async () => {
    await db?.end();
    await t?.stop();
  });

  describe('an address is somebody only once proven', () => {
    let claimedId: string;
    let red: string;

    it("leaves an address outside the organisation's domains unproven: no login, no RED", async () => {
      const claimed = await createUser(
        impostorAdmin.token,
        impostorAdmin.orgId,
        'ciso@minami-grid.example',
      );
      expect(claimed.errors).toBeUndefined();
      expect(claimed.data!.createUser.emailVerifiedAt).toBeNull();
      claimedId = claimed.data!.createUser.id;
      // The link went to the operator's log (the stand-in for mail), not to the claiming admin.
      expect(JSON.stringify(claimed)).not.toMatch(/rkv_/);
      await expect(t.login('ciso@minami-grid.example', STRONG_PASSWORD)).rejects.toThrow();

      red = await publishReport(t, author.token, {
        title: 'For the Minami CISO only',
        tlp: 'RED',
        anonymous: false,
        audience: { redRecipientEmails: ['ciso@minami-grid.example'] },
      });
      expect(await redUsersOf(red)).toEqual([]);
      // Indicator lists take their audience from the same rule.
      const list = await t.gql<{ createIndicatorList: { id: string } }>(
        'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
        {
          i: {
            name: 'For the Minami CISO',
            tlp: 'RED',
            audience: { redRecipientEmails: ['ciso@minami-grid.example'] },
          },
        },
        author.token,
      );
      expect(list.errors).toBeUndefined();
      const { rows } = await db.query('SELECT red_users FROM indicator_list WHERE id = $1', [
        list.data!.createIndicatorList.id,
      ]);
      expect(rows[0].red_users).toEqual([]);
    });

    it('lets the real owner hold the address, and re-resolution then names the owner only', async () => {
      const real = await createUser(minamiAdmin.token, minamiOrg, 'ciso@minami-grid.example');
      expect(real.errors).toBeUndefined();
      expect(real.data!.createUser.emailVerifiedAt).not.toBeNull();
      const ciso = await t.login('ciso@minami-grid.example', STRONG_PASSWORD);
      expect(await sees(ciso, red)).toBe(false); // resolved before the account existed
      const updated = await t.gql(
        'mutation($id: ID!, $i: ReportInput!) { updateReport(id: $id, input: $i) { id } }',
        {
          id: red,
          i: {
            kind: 'INCIDENT',
            title: 'For the Minami CISO only',
            tlp: 'RED',
            anonymous: false,
            audience: { redRecipientEmails: ['ciso@minami-grid.example'] },
          },
        },
        author.token,
      );
      expect(updated.errors).toBeUndefined();
      expect(await redUsersOf(red)).toEqual([real.data!.createUser.id]);
      expect(await redUsersOf(red)).not.toContain(claimedId);
      expect(await sees(ciso, red)).toBe(true);
    });

    it('refuses the claimed link once the address is proven elsewhere, exactly as a wrong link', async () => {
      const claimedLink = await emailProofToken(t, 'ciso@minami-grid.example');
      const taken = await t.gql(VERIFY, { t: claimedLink });
      const wrong = await t.gql(VERIFY, { t: `rkv_${'A'.repeat(43)}` });
      expect(err(taken)?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(err(taken)?.message).toBe(err(wrong)?.message);
      await expect(t.login('ciso@minami-grid.example', STRONG_PASSWORD)).resolves.toBeTruthy();
      const still = await db.query('SELECT email_verified_at FROM hub_user WHERE id = $1', [
        claimedId,
      ]);
      expect(still.rows[0].email_verified_at).toBeNull();
    });

    it('answers createUser alike whether or not the address exists in another organisation', async () => {
      const existing = await createUser(
        impostorAdmin.token,
        impostorAdmin.orgId,
        'soc@kita-power.example',
      );
      const unknown = await createUser(
        impostorAdmin.token,
        impostorAdmin.orgId,
        'nobody@kita-power.example',
      );
      expect(existing.errors).toBeUndefined();
      expect(unknown.errors).toBeUndefined();
      const shape = (r: typeof existing) => ({ ...r.data!.createUser, id: 'x', email: 'x' });
      expect(shape(existing)).toEqual(shape(unknown));
      // Within its own organisation an address is still unique.
      const again = await createUser(
        impostorAdmin.token,
        impostorAdmin.orgId,
        'soc@kita-power.example',
      );
      expect(err(again)?.extensions?.code).toBe('CONFLICT');
      // And the real holder is unaffected.
      await expect(t.login('soc@kita-power.example', STRONG_PASSWORD)).resolves.toBeTruthy();
    });

    it('proves an address outside the domains by the one-time link, which then receives RED', async () => {
      const created = await createUser(
        minamiAdmin.token,
        minamiOrg,
        'night-shift@contractor.example',
      );
      expect(created.data!.createUser.emailVerifiedAt).toBeNull();
      const link = await emailProofToken(t, 'night-shift@contractor.example');
      expect((await t.gql(VERIFY, { t: link })).data).toEqual({ verifyEmail: true });
      // One-time: the same link again is refused.
      expect(err(await t.gql(VERIFY, { t: link }))?.extensions?.code).toBe('UNAUTHENTICATED');
      const contractor = await t.login('night-shift@contractor.example', STRONG_PASSWORD);
      const id = await publishReport(t, author.token, {
        title: 'For the night shift',
        tlp: 'RED',
        audience: { redRecipientEmails: ['night-shift@contractor.example'] },
      });
      expect(await sees(contractor, id)).toBe(true);
    });

    it('lets no session of an unproven account work, however it was opened', async () => {
      // As after the migration: an account made before the rule, logged in, its address unproven.
      const legacy = await member(t, admin, minamiOrg, 'legacy@minami-grid.example');
      expect((await t.gql('{ me { email } }', {}, legacy.token)).errors).toBeUndefined();
      await db.query(
        "UPDATE hub_user SET email_verified_at = NULL WHERE email = 'legacy@minami-grid.example'",
      );
      const r = await t.gql('{ me { email } }', {}, legacy.token);
      expect(err(r)?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it("names a recipient's organisation to the author for proven addresses only", async () => {
      await createUser(
        impostorAdmin.token,
        impostorAdmin.orgId,
        'unproven@nishi-elsewhere.example',
      );
      const r = await t.gql<{
        redRecipientOrganisations: { email: string; organisationName: string | null }[];
      }>(
        'query($e: [String!]!) { redRecipientOrganisations(emails: $e) { email organisationName } }',
        {
          e: [
            'CISO@minami-grid.example',
            'unproven@nishi-elsewhere.example',
            'nobody@nowhere.example',
            'nobody@kita-power.example',
          ],
        },
        author.token,
      );
      expect(r.errors).toBeUndefined();
      expect(r.data!.redRecipientOrganisations).toEqual([
        { email: 'ciso@minami-grid.example', organisationName: 'Minami Grid' },
        { email: 'unproven@nishi-elsewhere.example', organisationName: null },
        { email: 'nobody@nowhere.example', organisationName: null },
        { email: 'nobody@kita-power.example', organisationName: null },
      ]);
    });
  });

  describe('nobody acts as an organisation it does not belong to', () => {
    it('refuses a hub admin a token for a member organisation, and answers with the reason', async () => {
      const r = await t.gql(
        'mutation($o: ID!) { createApiToken(input: { name: "as member", scopes: ["reports:read"], organisationId: $o }) { token } }',
        { o: author.orgId },
        admin,
      );
      expect(err(r)?.extensions?.code).toBe('FORBIDDEN');
      expect(err(r)?.message).toMatch(/own organisation/);
      const own = await t.gql(
        'mutation($o: ID!) { createApiToken(input: { name: "own", scopes: ["reports:read"], organisationId: $o }) { token } }',
        { o: coordinatorOrg },
        admin,
      );
      expect(own.errors).toBeUndefined();
      const { rows } = await db.query(
        'SELECT count(*)::int AS n FROM api_token WHERE organisation_id = $1',
        [author.orgId],
      );
      expect(rows[0].n).toBe(0);
    });

    it("does not link an anonymous item to its author's organisation in another's audit log", async () => {
      const id = await publishReport(t, author.token, {
        title: 'Anonymous near miss',
        tlp: 'AMBER',
        anonymous: true,
        audience: { sectorCodes: ['electric-power'] },
      });
      const lowered = await t.gql(
        'mutation($id: ID!) { lowerReportMarking(id: $id, tlp: GREEN, reason: "Higashi says: fine for all") { tlp } }',
        { id },
        author.token,
      );
      expect(lowered.errors).toBeUndefined();
      const q =
        '{ auditLog(first: 100, filter: { action: "report.marking_lowered" }) { edges { node { actorOrganisationId organisationId targetType targetId detailsJson } } } }';
      type Log = { auditLog: { edges: { node: Record<string, string | null> }[] } };
      const seenByHub = (await t.gql<Log>(q, {}, admin)).data!.auditLog.edges.map((e) => e.node);
      expect(seenByHub).toHaveLength(1);
      expect(seenByHub[0]).toMatchObject({
        targetType: 'report',
        targetId: null,
        detailsJson: '{}',
      });
      expect(JSON.stringify(seenByHub)).not.toContain(id);
      expect(JSON.stringify(seenByHub)).not.toContain('Higashi says');
      // The author's own organisation keeps its full trail.
      const own = (await t.gql<Log>(q, {}, authorAdmin.token)).data!.auditLog.edges.map(
        (e) => e.node,
      );
      expect(own[0]).toMatchObject({ targetId: id });
      // And the coordinator still cannot read who wrote it.
      const view = await t.gql<{ report: { author: { organisationId: string | null } } }>(
        GET,
        { id },
        admin,
      );
      expect(view.data!.report.author.organisationId).toBeNull();
    });
  });

  // Last: it locks this client address out of every credential check until the counter resets.
  describe('the public verifyEmail door', () => {
    it("charges wrong links to the caller's address, as password resets are", async () => {
      const reasons = new Set<unknown>();
      for (let i = 0; i < 60; i++) {
        const r = await t.gql(VERIFY, { t: `rkv_${String(i).padStart(43, 'B')}` });
        reasons.add(err(r)?.extensions?.reason ?? err(r)?.extensions?.code);
      }
      expect(reasons).toContain('TOO_MANY_ATTEMPTS');
      await db.query("DELETE FROM auth_throttle WHERE key LIKE 'address:%'");
    });
  });
});
