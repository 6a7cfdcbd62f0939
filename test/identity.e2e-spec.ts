import { STRONG_PASSWORD, startTestHub, TestHub } from './support/test-hub';

const CREATE_ORG = `mutation($i: CreateOrganisationInput!) {
  createOrganisation(input: $i) { id name kind status sector { code } addressRanges domains }
}`;
const CREATE_USER = `mutation($i: CreateUserInput!) { createUser(input: $i) { id email role organisation { id } } }`;

describe('organisations and users over GraphQL', () => {
  let t: TestHub;
  let admin: string;
  let coordinatorId: string;

  beforeAll(async () => {
    t = await startTestHub();
    const a = await t.bootstrapAdmin();
    admin = a.token;
    coordinatorId = a.organisationId;
  });
  afterAll(() => t.stop());

  async function org(name: string, extra: Record<string, unknown> = {}) {
    const r = await t.gql<{ createOrganisation: { id: string } }>(
      CREATE_ORG,
      { i: { name, kind: 'OPERATOR', sectorCode: 'electric-power', ...extra } },
      admin,
    );
    expect(r.errors).toBeUndefined();
    return r.data!.createOrganisation.id;
  }

  async function user(organisationId: string, email: string, role: string, token = admin) {
    const r = await t.gql<{ createUser: { id: string } }>(
      CREATE_USER,
      { i: { organisationId, email, displayName: email, role, initialPassword: STRONG_PASSWORD } },
      token,
    );
    expect(r.errors).toBeUndefined();
    return r.data!.createUser.id;
  }

  it('lists the 15 critical-infrastructure sectors plus "other" from data', async () => {
    const r = await t.gql<{ sectors: { code: string; nameJa: string }[] }>(
      '{ sectors { code nameJa } }',
      {},
      admin,
    );
    expect(r.data!.sectors).toHaveLength(16);
    expect(r.data!.sectors.map((s) => s.code)).toEqual(
      expect.arrayContaining(['electric-power', 'water', 'ports', 'other']),
    );
    expect(r.data!.sectors.find((s) => s.code === 'electric-power')!.nameJa).toBe('電力');
  });

  it('creates an organisation with normalised address ranges and domains', async () => {
    const r = await t.gql<{ createOrganisation: Record<string, unknown> }>(
      CREATE_ORG,
      {
        i: {
          name: '  Kita Power ',
          kind: 'OPERATOR',
          sectorCode: 'electric-power',
          addressRanges: ['198.51.100.0/24', '2001:DB8::/32', '203.0.113.9'],
          domains: ['Kita-Power.EXAMPLE.', '北電力.example'],
        },
      },
      admin,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.createOrganisation).toMatchObject({
      name: 'Kita Power',
      kind: 'OPERATOR',
      status: 'ACTIVE',
      sector: { code: 'electric-power' },
      addressRanges: ['198.51.100.0/24', '2001:db8::/32', '203.0.113.9/32'],
      domains: ['kita-power.example', 'xn--tfr1k111p.example'],
    });
  });

  it('answers bad input with BAD_USER_INPUT and every field path, and stores nothing', async () => {
    const r = await t.gql(
      CREATE_ORG,
      {
        i: {
          name: 'X',
          kind: 'OPERATOR',
          sectorCode: 'electric-power',
          addressRanges: ['10.0.0.0/8', '10.1.2.3/8', 'nonsense'],
          domains: ['ok.example', 'no_such'],
        },
      },
      admin,
    );
    expect(r.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(r.errors![0].extensions!.fieldErrors).toEqual([
      { path: 'input.name', message: expect.stringContaining('longer than or equal to 2') },
    ]);

    const r2 = await t.gql(
      CREATE_ORG,
      {
        i: {
          name: 'Typo Power',
          kind: 'OPERATOR',
          sectorCode: 'electric',
          addressRanges: ['10.0.0.0/8', '10.1.2.3/8', 'nonsense'],
          domains: ['ok.example', 'no_such'],
        },
      },
      admin,
    );
    expect(r2.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(
      (r2.errors![0].extensions!.fieldErrors as { path: string }[]).map((e) => e.path),
    ).toEqual([
      'input.sectorCode',
      'input.addressRanges.1',
      'input.addressRanges.2',
      'input.domains.1',
    ]);
    expect(r2.errors![0].message).toContain('has host bits set; the network is 10.0.0.0/8');
    const list = await t.gql<{ organisations: { totalCount: number } }>(
      '{ organisations(filter: { nameContains: "Typo" }) { totalCount } }',
      {},
      admin,
    );
    expect(list.data!.organisations.totalCount).toBe(0);
  });

  it('answers a duplicate name with CONFLICT', async () => {
    await org('Duplicate Gas', { sectorCode: 'gas' });
    const r = await t.gql(
      CREATE_ORG,
      { i: { name: 'Duplicate Gas', kind: 'OPERATOR', sectorCode: 'gas' } },
      admin,
    );
    expect(r.errors![0].extensions).toMatchObject({ code: 'CONFLICT', path: 'input.name' });
  });

  it('pages through organisations with Relay cursors, each exactly once', async () => {
    for (let i = 0; i < 7; i++) await org(`Paging Railway ${i}`, { sectorCode: 'railways' });
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const r: {
        data?: {
          organisations: {
            edges: { node: { name: string } }[];
            pageInfo: { hasNextPage: boolean; endCursor: string };
            totalCount: number;
          };
        } | null;
      } = await t.gql(
        `query($after: String) { organisations(first: 3, after: $after, filter: { sectorCode: "railways" }) {
             edges { cursor node { name } } pageInfo { hasNextPage endCursor } totalCount } }`,
        { after },
        admin,
      );
      const c = r.data!.organisations;
      expect(c.totalCount).toBe(7);
      seen.push(...c.edges.map((e) => e.node.name));
      pages++;
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...Array(7)].map((_, i) => `Paging Railway ${i}`));
  });

  it('rejects a forged cursor and an out-of-range page size', async () => {
    const r = await t.gql('{ organisations(after: "bm9wZQ") { totalCount } }', {}, admin);
    expect(r.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ path: 'after', message: expect.any(String) }],
    });
    const r2 = await t.gql('{ organisations(first: 1000) { totalCount } }', {}, admin);
    expect(r2.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ path: 'first', message: expect.any(String) }],
    });
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    const r = await t.gql(
      '{ organisation(id: "00000000-0000-4000-8000-000000000000") { id } }',
      {},
      admin,
    );
    expect(r.errors![0]).toMatchObject({
      message: 'Organisation not found',
      extensions: { code: 'NOT_FOUND' },
    });
  });

  it('requires authentication everywhere but login, setup and hub status', async () => {
    const r = await t.gql('{ organisations { totalCount } }');
    expect(r.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    const bogus = await t.gql('{ me { id } }', {}, 'rks_not-a-real-token');
    expect(bogus.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    const status = await t.gql<{ hubStatus: { setupRequired: boolean } }>(
      '{ hubStatus { setupRequired } }',
    );
    expect(status.data!.hubStatus.setupRequired).toBe(false);
  });

  it('keeps e-mail addresses unique case-insensitively', async () => {
    const o = await org('Case Water', { sectorCode: 'water', domains: ['case-water.example'] });
    await user(o, 'Mixed.Case@Case-Water.example', 'ANALYST');
    const r = await t.gql(
      CREATE_USER,
      {
        i: {
          organisationId: o,
          email: 'mixed.case@case-water.EXAMPLE',
          displayName: 'x',
          role: 'VIEWER',
          initialPassword: STRONG_PASSWORD,
        },
      },
      admin,
    );
    expect(r.errors![0].extensions).toMatchObject({ code: 'CONFLICT', path: 'input.email' });
    await expect(t.login('MIXED.CASE@case-water.example', STRONG_PASSWORD)).resolves.toMatch(
      /^rks_/,
    );
  });

  it('refuses short initial passwords with the reason', async () => {
    const o = await org('Short Password Port', { sectorCode: 'ports' });
    const r = await t.gql(
      CREATE_USER,
      {
        i: {
          organisationId: o,
          email: 'a@spp.example',
          displayName: 'a',
          role: 'VIEWER',
          initialPassword: 'short',
        },
      },
      admin,
    );
    expect(r.errors![0].extensions!.fieldErrors).toEqual([
      { path: 'input.initialPassword', message: 'must be at least 12 characters (has 5)' },
    ]);
  });

  describe('tenancy of users', () => {
    let orgA: string;
    let orgB: string;
    let orgAdminA: string;
    let analystA: string;

    beforeAll(async () => {
      orgA = await org('Tenant A Rail', { sectorCode: 'railways', domains: ['tenant-a.example'] });
      orgB = await org('Tenant B Rail', {
        sectorCode: 'railways',
        addressRanges: ['192.0.2.0/24'],
        domains: ['tenant-b.example'],
      });
      await user(orgA, 'admin@tenant-a.example', 'ORG_ADMIN');
      await user(orgA, 'analyst@tenant-a.example', 'ANALYST');
      await user(orgB, 'secret.person@tenant-b.example', 'ANALYST');
      orgAdminA = await t.login('admin@tenant-a.example', STRONG_PASSWORD);
      analystA = await t.login('analyst@tenant-a.example', STRONG_PASSWORD);
    });

    it("lists only the caller's own organisation's users", async () => {
      const r = await t.gql<{ users: { edges: { node: { email: string } }[] } }>(
        '{ users { edges { node { email } } } }',
        {},
        analystA,
      );
      expect(r.data!.users.edges.map((e) => e.node.email).sort()).toEqual([
        'admin@tenant-a.example',
        'analyst@tenant-a.example',
      ]);
      const other = await t.gql(
        'query($o: ID!) { users(filter: { organisationId: $o }) { totalCount } }',
        { o: orgB },
        analystA,
      );
      expect(other.errors![0].extensions!.code).toBe('FORBIDDEN');
      expect(JSON.stringify(other)).not.toContain('secret.person');
    });

    it("hides another organisation's user as NOT_FOUND", async () => {
      const all = await t.gql<{ users: { edges: { node: { id: string; email: string } }[] } }>(
        'query($o: ID!) { users(filter: { organisationId: $o }) { edges { node { id email } } } }',
        { o: orgB },
        admin,
      );
      const id = all.data!.users.edges[0].node.id;
      const r = await t.gql('query($id: ID!) { user(id: $id) { email } }', { id }, analystA);
      expect(r.errors![0]).toMatchObject({
        message: 'User not found',
        extensions: { code: 'NOT_FOUND' },
      });
    });

    it("shows address ranges and domains to the organisation's members and hub admins only", async () => {
      const q = 'query($id: ID!) { organisation(id: $id) { name addressRanges domains } }';
      const peer = await t.gql<{ organisation: Record<string, unknown> }>(
        q,
        { id: orgB },
        analystA,
      );
      expect(peer.data!.organisation).toEqual({
        name: 'Tenant B Rail',
        addressRanges: null,
        domains: null,
      });
      const hubAdmin = await t.gql<{ organisation: Record<string, unknown> }>(
        q,
        { id: orgB },
        admin,
      );
      expect(hubAdmin.data!.organisation).toMatchObject({
        addressRanges: ['192.0.2.0/24'],
        domains: ['tenant-b.example'],
      });
    });

    it('lets an org admin add users to its own organisation only, and never a hub admin', async () => {
      await user(orgA, 'new@tenant-a.example', 'VIEWER', orgAdminA);
      const elsewhere = await t.gql(
        CREATE_USER,
        {
          i: {
            organisationId: orgB,
            email: 'x@tenant-b.example',
            displayName: 'x',
            role: 'VIEWER',
            initialPassword: STRONG_PASSWORD,
          },
        },
        orgAdminA,
      );
      expect(elsewhere.errors![0].extensions!.code).toBe('FORBIDDEN');
      const escalate = await t.gql(
        CREATE_USER,
        {
          i: {
            organisationId: orgA,
            email: 'boss@tenant-a.example',
            displayName: 'x',
            role: 'HUB_ADMIN',
            initialPassword: STRONG_PASSWORD,
          },
        },
        orgAdminA,
      );
      expect(escalate.errors![0].extensions!.code).toBe('FORBIDDEN');
    });

    it('refuses admin mutations to analysts', async () => {
      const r = await t.gql(
        CREATE_ORG,
        { i: { name: 'Sneaky', kind: 'OPERATOR', sectorCode: 'gas' } },
        analystA,
      );
      expect(r.errors![0].extensions!.code).toBe('FORBIDDEN');
    });

    it('ends the sessions of a suspended organisation at once, and resumes them on reactivation', async () => {
      const token = await t.login('analyst@tenant-a.example', STRONG_PASSWORD);
      await t.gql(
        'mutation($id: ID!) { suspendOrganisation(id: $id) { status } }',
        { id: orgA },
        admin,
      );
      expect((await t.gql('{ me { id } }', {}, token)).errors![0].extensions!.code).toBe(
        'UNAUTHENTICATED',
      );
      await expect(t.login('analyst@tenant-a.example', STRONG_PASSWORD)).rejects.toThrow(
        /login failed/,
      );
      await t.gql(
        'mutation($id: ID!) { reactivateOrganisation(id: $id) { status } }',
        { id: orgA },
        admin,
      );
      expect((await t.gql('{ me { email } }', {}, token)).data).toEqual({
        me: { email: 'analyst@tenant-a.example' },
      });
    });
  });

  it('logs out: the token stops working', async () => {
    const token = await t.login('admin@ci-csirt.example', STRONG_PASSWORD);
    expect((await t.gql('mutation { logout }', {}, token)).data).toEqual({ logout: true });
    expect((await t.gql('{ me { id } }', {}, token)).errors![0].extensions!.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('gives one answer for an unknown account and a wrong password', async () => {
    const q = 'mutation($i: LoginInput!) { login(input: $i) { token } }';
    const unknown = await t.gql(q, {
      i: { email: 'nobody@nowhere.example', password: STRONG_PASSWORD },
    });
    const wrong = await t.gql(q, {
      i: { email: 'admin@ci-csirt.example', password: 'wrong password here' },
    });
    // The same answer but for the id of the request it answers.
    const sansRequest = (e: NonNullable<typeof unknown.errors>[number]) => ({
      ...e,
      extensions: { ...e.extensions, requestId: undefined },
    });
    expect(sansRequest(unknown.errors![0])).toEqual(sansRequest(wrong.errors![0]));
    expect(unknown.errors![0].extensions!.requestId).not.toBe(
      wrong.errors![0].extensions!.requestId,
    );
    expect(unknown.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });

  it('makes the coordinator organisation on setup', async () => {
    const r = await t.gql<{ organisation: { kind: string } }>(
      'query($id: ID!) { organisation(id: $id) { kind } }',
      { id: coordinatorId },
      admin,
    );
    expect(r.data!.organisation.kind).toBe('COORDINATOR');
  });
});

describe('input the database cannot take', () => {
  let t: TestHub;
  let admin: string;
  beforeAll(async () => {
    t = await startTestHub();
    admin = (await t.bootstrapAdmin()).token;
  });
  afterAll(() => t.stop());

  it('answers a malformed id with NOT_FOUND, like a missing one', async () => {
    const r = await t.gql('{ organisation(id: "not-a-uuid") { id } }', {}, admin);
    expect(r.errors![0]).toMatchObject({
      message: 'Organisation not found',
      extensions: { code: 'NOT_FOUND' },
    });
    const u = await t.gql('{ user(id: "1; DROP TABLE x") { id } }', {}, admin);
    expect(u.errors![0].extensions!.code).toBe('NOT_FOUND');
  });

  it('refuses a NUL character with its field path', async () => {
    const r = await t.gql(
      'mutation($i: CreateOrganisationInput!) { createOrganisation(input: $i) { id } }',
      { i: { name: 'Nul\u0000Power', kind: 'OPERATOR', sectorCode: 'gas' } },
      admin,
    );
    expect(r.errors![0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      requestId: expect.any(String),
      fieldErrors: [{ path: 'input.name', message: 'must not contain a NUL character' }],
    });
    const login = await t.gql(
      'mutation { login(input: { email: "a\\u0000@b.example", password: "x" }) { token } }',
    );
    expect(login.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(t.output.some((l) => l.includes('"level":50'))).toBe(false);
  });
});
