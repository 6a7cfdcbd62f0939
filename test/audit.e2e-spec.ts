import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { HUB_MAIN, hubEnv, STRONG_PASSWORD, startTestHub, TestHub } from './support/test-hub';

const exec = promisify(execFile);

const CREATE_ORG = `mutation($i: CreateOrganisationInput!) { createOrganisation(input: $i) { id } }`;
const CREATE_USER = `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`;
const AUDIT_LOG = `query($first: Int, $after: String, $f: AuditLogFilter) {
  auditLog(first: $first, after: $after, filter: $f) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id at action outcome actorUserId actorOrganisationId organisationId
      targetType targetId clientAddress detailsJson
    } }
  }
}`;
const VERIFY = 'mutation { verifyAuditChain { intact entries firstBrokenId } }';

interface Entry {
  id: string;
  at: string;
  action: string;
  outcome: string;
  actorUserId: string | null;
  actorOrganisationId: string | null;
  organisationId: string | null;
  targetType: string | null;
  targetId: string | null;
  clientAddress: string | null;
  detailsJson: string;
}
interface AuditLogPage {
  auditLog: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: Entry }[];
  };
}

/** `node main.js --verify-audit` against the test database: exit code and stdout. */
async function verifyCli(databaseUrl: string): Promise<{ code: number; stdout: string }> {
  try {
    const r = await exec(process.execPath, [HUB_MAIN, '--verify-audit'], {
      env: hubEnv({ DATABASE_URL: databaseUrl }),
    });
    return { code: 0, stdout: r.stdout };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    if (typeof err.code !== 'number') throw e;
    return { code: err.code, stdout: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

describe('the audit trail', () => {
  let t: TestHub;
  let db: Client;
  let admin: string;
  let adminId: string;
  let coordinatorId: string;
  let orgA: string;
  let orgB: string;
  let orgAdminA: string;
  let analystA: string;
  let createdUserId: string;

  beforeAll(async () => {
    t = await startTestHub();
    const a = await t.bootstrapAdmin();
    admin = a.token;
    coordinatorId = a.organisationId;
    adminId = (await t.gql<{ me: { id: string } }>('{ me { id } }', {}, admin)).data!.me.id;
    orgA = await org('Audit Water A', 'audit-a.example');
    orgB = await org('Audit Water B', 'audit-b.example');
    await user(orgA, 'admin@audit-a.example', 'ORG_ADMIN');
    await user(orgA, 'analyst@audit-a.example', 'ANALYST');
    await user(orgB, 'analyst@audit-b.example', 'ANALYST');
    orgAdminA = await t.login('admin@audit-a.example', STRONG_PASSWORD);
    analystA = await t.login('analyst@audit-a.example', STRONG_PASSWORD);
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.stop();
  });

  async function org(name: string, domain?: string) {
    const r = await t.gql<{ createOrganisation: { id: string } }>(
      CREATE_ORG,
      { i: { name, kind: 'OPERATOR', sectorCode: 'water', domains: domain ? [domain] : [] } },
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

  async function auditLog(token: string, filter?: Record<string, unknown>, first = 100) {
    return t.gql<AuditLogPage>(AUDIT_LOG, { f: filter, first }, token);
  }

  it('records setup without an actor', async () => {
    const r = await auditLog(admin, { organisationId: coordinatorId });
    expect(r.errors).toBeUndefined();
    // The oldest two (the admin's own logins come after them).
    const nodes = r.data!.auditLog.edges.map((e) => e.node).slice(-2);
    expect(nodes.map((n) => n.action)).toEqual(['user.created', 'organisation.created']);
    expect(nodes[0]).toMatchObject({
      actorUserId: null,
      actorOrganisationId: null,
      targetType: 'user',
      targetId: adminId,
      outcome: 'SUCCESS',
      detailsJson: '{"role":"hub_admin"}',
    });
    expect(nodes[1]).toMatchObject({ targetType: 'organisation', targetId: coordinatorId });
  });

  it('records creating and suspending a user with actor, outcome and target', async () => {
    createdUserId = await user(orgA, 'new.viewer@audit-a.example', 'VIEWER');
    const s = await t.gql(
      'mutation($id: ID!) { suspendUser(id: $id) { status } }',
      { id: createdUserId },
      admin,
    );
    expect(s.errors).toBeUndefined();
    const r = await auditLog(admin, undefined, 2);
    const [suspended, created] = r.data!.auditLog.edges.map((e) => e.node);
    const byAdmin = {
      outcome: 'SUCCESS',
      actorUserId: adminId,
      actorOrganisationId: coordinatorId,
      organisationId: orgA,
      targetType: 'user',
      targetId: createdUserId,
    };
    expect(suspended).toMatchObject({ action: 'user.suspended', detailsJson: '{}', ...byAdmin });
    expect(created).toMatchObject({
      action: 'user.created',
      detailsJson: '{"role":"viewer"}',
      ...byAdmin,
    });
    expect(Number(suspended.id)).toBeGreaterThan(Number(created.id));
    expect(Date.parse(suspended.at)).toBeGreaterThanOrEqual(Date.parse(created.at));
  });

  it('records organisations created and suspended by a hub admin', async () => {
    await t.gql('mutation($id: ID!) { suspendOrganisation(id: $id) { id } }', { id: orgB }, admin);
    await t.gql(
      'mutation($id: ID!) { reactivateOrganisation(id: $id) { id } }',
      { id: orgB },
      admin,
    );
    const r = await auditLog(admin, { organisationId: orgB });
    expect(
      r.data!.auditLog.edges.map((e) => [e.node.action, e.node.actorUserId, e.node.targetId]),
    ).toEqual([
      ['organisation.reactivated', adminId, orgB],
      ['organisation.suspended', adminId, orgB],
      ['user.created', adminId, expect.any(String)],
      ['organisation.created', adminId, orgB],
    ]);
  });

  it('filters by action and outcome, and pages newest first', async () => {
    const suspended = await auditLog(admin, { action: 'user.suspended', outcome: 'SUCCESS' });
    expect(suspended.data!.auditLog.totalCount).toBe(1);
    expect(suspended.data!.auditLog.edges[0].node.targetId).toBe(createdUserId);

    const all = (await auditLog(admin)).data!.auditLog;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const r: { data?: AuditLogPage | null } = await t.gql<AuditLogPage>(
        AUDIT_LOG,
        { first: 3, after },
        admin,
      );
      const page = r.data!.auditLog;
      expect(page.totalCount).toBe(all.totalCount);
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.edges.map((e) => e.node.id));
    expect([...seen].sort((a, b) => Number(b) - Number(a))).toEqual(seen);

    const future = await auditLog(admin, { since: new Date(Date.now() + 3_600_000).toISOString() });
    expect(future.data!.auditLog.totalCount).toBe(0);
    const past = await auditLog(admin, { until: new Date(Date.now() + 3_600_000).toISOString() });
    expect(past.data!.auditLog.totalCount).toBe(all.totalCount);

    const forged = await t.gql(AUDIT_LOG, { after: 'WyJ4Il0' }, admin);
    expect(forged.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it("shows an org admin only its own organisation's entries, denials included", async () => {
    const denied = await t.gql(
      CREATE_USER,
      {
        i: {
          organisationId: orgB,
          email: 'intruder@audit-b.example',
          displayName: 'x',
          role: 'VIEWER',
          initialPassword: STRONG_PASSWORD,
        },
      },
      orgAdminA,
    );
    expect(denied.errors![0].extensions!.code).toBe('FORBIDDEN');

    const r = await auditLog(orgAdminA);
    expect(r.errors).toBeUndefined();
    const nodes = r.data!.auditLog.edges.map((e) => e.node);
    expect(nodes.length).toBeGreaterThanOrEqual(5);
    expect(nodes.every((n) => n.organisationId === orgA)).toBe(true);
    expect(nodes[0]).toMatchObject({
      action: 'user.created',
      outcome: 'DENIED',
      actorOrganisationId: orgA,
      detailsJson: JSON.stringify({ organisationId: orgB, role: 'viewer' }),
    });
    const own = await auditLog(orgAdminA, { organisationId: orgA });
    expect(own.data!.auditLog.totalCount).toBe(r.data!.auditLog.totalCount);

    const other = await auditLog(orgAdminA, { organisationId: orgB });
    expect(other.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(other.data).toBeNull();
  });

  it('refuses the audit log to analysts and to anonymous callers', async () => {
    const r = await auditLog(analystA);
    expect(r.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect((await auditLog('')).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    const v = await t.gql(VERIFY, {}, orgAdminA);
    expect(v.errors![0].extensions!.code).toBe('FORBIDDEN');
  });

  it('keeps one chain when many events are recorded at once', async () => {
    const ids = await Promise.all([...Array(12)].map((_, i) => org(`Concurrent Port ${i}`)));
    const r = await auditLog(admin, { action: 'organisation.created' });
    expect(r.data!.auditLog.edges.map((e) => e.node.targetId)).toEqual(expect.arrayContaining(ids));
    const { rows } = await db.query(
      'SELECT count(*)::int AS n, count(DISTINCT prev_hash)::int AS links FROM audit_log',
    );
    // Every entry but the first names a distinct predecessor: no fork.
    expect(rows[0].links).toBe(rows[0].n - 1);
  });

  it('verifies an intact chain, records that, and the CLI agrees', async () => {
    const before = (await auditLog(admin)).data!.auditLog.totalCount;
    const r = await t.gql<{ verifyAuditChain: Record<string, unknown> }>(VERIFY, {}, admin);
    expect(r.data!.verifyAuditChain).toEqual({
      intact: true,
      entries: before,
      firstBrokenId: null,
    });
    const [last] = (await auditLog(admin, undefined, 1)).data!.auditLog.edges;
    expect(last.node).toMatchObject({ action: 'audit.verified', actorUserId: adminId });
    expect(JSON.parse(last.node.detailsJson)).toMatchObject({ intact: true, entries: before });

    const cli = await verifyCli(t.databaseUrl);
    expect(cli).toEqual({ code: 0, stdout: `audit chain intact (${before + 1} entries)\n` });
  });

  it('refuses UPDATE, DELETE and TRUNCATE in the database itself', async () => {
    await expect(db.query(`UPDATE audit_log SET details = '{"x":1}'`)).rejects.toThrow(
      'audit_log is append-only',
    );
    await expect(db.query('DELETE FROM audit_log WHERE id = 1')).rejects.toThrow(
      'audit_log is append-only',
    );
    await expect(db.query('TRUNCATE audit_log')).rejects.toThrow('audit_log is append-only');
  });

  it('detects an entry edited by someone who disabled the trigger', async () => {
    const created = (await auditLog(admin, { action: 'user.created', organisationId: orgA })).data!
      .auditLog.edges;
    const victim = created.find((e) => e.node.targetId === createdUserId)!.node;
    await db.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
    try {
      const r = await db.query(
        `UPDATE audit_log SET details = '{"role":"analyst"}' WHERE id = $1`,
        [victim.id],
      );
      expect(r.rowCount).toBe(1);
    } finally {
      await db.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
    }

    const v = await t.gql<{ verifyAuditChain: Record<string, unknown> }>(VERIFY, {}, admin);
    expect(v.data!.verifyAuditChain).toMatchObject({ intact: false, firstBrokenId: victim.id });
    const [last] = (await auditLog(admin, undefined, 1)).data!.auditLog.edges;
    expect(last.node).toMatchObject({ action: 'audit.verified', outcome: 'FAILURE' });

    const cli = await verifyCli(t.databaseUrl);
    expect(cli).toEqual({ code: 1, stdout: `audit chain broken at entry ${victim.id}\n` });
  });
});
