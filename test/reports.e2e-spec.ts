import { Client } from 'pg';
import {
  createGroup,
  createOrg,
  Member,
  member,
  proveEmail,
  publishReport,
} from './support/community';
import { startTestHub, TestHub } from './support/test-hub';

const GET =
  'query($id: ID!) { report(id: $id) { id title status tlp author { label organisationId own } } }';
const LIST = '{ reports(first: 100) { totalCount edges { node { id } } } }';
const err = (r: { errors?: { message: string; extensions?: Record<string, unknown> }[] }) =>
  r.errors?.[0];

describe('reports under TLP 2.0', () => {
  let t: TestHub;
  let admin: string;
  let db: Client;
  // The community: electric power has 3 operators (named in pseudonyms), water has one (not).
  let higashi: Member; // electric power, Higashi group: the author
  let kita: Member; // electric power
  let minami: Member; // electric power
  let gas: Member; // gas, Higashi group (group company of the author)
  let water: Member; // water, alone in its sector
  let rail: Member; // railways, Nishi group
  let railSister: Member; // logistics, Nishi group
  let coordinator: Member;
  let higashiGroup: string;
  let nishiGroup: string;

  beforeAll(async () => {
    t = await startTestHub();
    const boot = await t.bootstrapAdmin();
    admin = boot.token;
    higashiGroup = await createGroup(t, admin, 'Higashi Energy Group');
    nishiGroup = await createGroup(t, admin, 'Nishi Group');
    const org = (name: string, sectorCode: string, extra: Record<string, unknown> = {}) =>
      createOrg(t, admin, { name, sectorCode, ...extra });
    higashi = await member(
      t,
      admin,
      await org('Higashi Denryoku', 'electric-power', {
        groupId: higashiGroup,
        domains: ['higashi-denryoku.example'],
        addressRanges: ['192.0.2.0/25'],
      }),
      'yui.sato@higashi-denryoku.example',
    );
    kita = await member(
      t,
      admin,
      await org('Kita Power', 'electric-power'),
      'analyst@kita-power.example',
    );
    minami = await member(
      t,
      admin,
      await org('Minami Grid', 'electric-power'),
      'analyst@minami-grid.example',
    );
    gas = await member(
      t,
      admin,
      await org('Higashi Gas', 'gas', { groupId: higashiGroup }),
      'analyst@higashi-gas.example',
    );
    water = await member(
      t,
      admin,
      await org('Minato Water Works', 'water'),
      'analyst@minato-water.example',
    );
    rail = await member(
      t,
      admin,
      await org('Nishi Railway', 'railways', { groupId: nishiGroup }),
      'analyst@nishi-railway.example',
    );
    railSister = await member(
      t,
      admin,
      await org('Nishi Logistics', 'logistics', { groupId: nishiGroup }),
      'analyst@nishi-logistics.example',
    );
    coordinator = await member(t, admin, boot.organisationId, 'coordinator@ci-csirt.example');
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.stop();
  });

  const sees = async (m: Member, id: string) => !err(await t.gql(GET, { id }, m.token));

  it('keeps a draft to its own organisation, then scrubs what others read', async () => {
    const higashiAdmin = await member(
      t,
      admin,
      higashi.orgId,
      'soc-admin@higashi-denryoku.example',
      'ORG_ADMIN',
    );
    const terms = await t.gql(
      'mutation { setScrubTerms(terms: ["東電力", "Project Kaminari"]) }',
      {},
      higashiAdmin.token,
    );
    expect(terms.data).toEqual({ setScrubTerms: ['東電力', 'Project Kaminari'] });
    const created = await t.gql<{ createReport: { id: string; status: string } }>(
      'mutation($i: ReportInput!) { createReport(input: $i) { id status } }',
      {
        i: {
          kind: 'INCIDENT',
          title: 'DoS against Higashi Denryoku customer portal',
          tlp: 'GREEN',
          categories: ['cyberattack.dos'],
          affectedSectors: ['electric-power'],
          summary:
            '東電力のポータルが停止 (Project Kaminari)。Contact yui.sato@higashi-denryoku.example or 03-1234-5678 / +81 90-1234-5678. ' +
            'Traffic to portal.higashi-denryoku.example from 203.0.113.66 hit our edge 192.0.2.10.',
        },
      },
      higashi.token,
    );
    const id = created.data!.createReport.id;
    expect(created.data!.createReport.status).toBe('DRAFT');
    expect(await sees(kita, id)).toBe(false);
    expect(err(await t.gql(GET, { id }, kita.token))).toMatchObject({
      message: 'Report not found',
      extensions: { code: 'NOT_FOUND' },
    });
    expect(await sees(higashi, id)).toBe(true);

    const preview = await t.gql<{
      previewReportRedactions: {
        previewHash: string;
        sections: {
          field: string;
          text: string;
          redactions: { kind: string; original: string }[];
        }[];
      };
    }>(
      'mutation($id: ID!) { previewReportRedactions(id: $id) { previewHash sections { field text redactions { kind original } } } }',
      { id },
      higashi.token,
    );
    const kinds = preview.data!.previewReportRedactions.sections.flatMap((s) =>
      s.redactions.map((r) => r.kind),
    );
    expect(kinds).toEqual(
      expect.arrayContaining(['email', 'phone', 'organisation_name', 'host', 'ip_address']),
    );
    const stale = await t.gql(
      'mutation($id: ID!) { publishReport(id: $id, previewHash: "stale") { id } }',
      { id },
      higashi.token,
    );
    expect(err(stale)?.extensions?.code).toBe('CONFLICT');
    await t.gql(
      'mutation($id: ID!, $h: String!) { publishReport(id: $id, previewHash: $h) { id } }',
      { id, h: preview.data!.previewReportRedactions.previewHash },
      higashi.token,
    );

    const peer = await t.gql<{
      report: {
        title: string;
        summary: string;
        author: { label: string; organisationId: string | null };
      };
    }>(
      'query($id: ID!) { report(id: $id) { title summary author { label organisationId } } }',
      { id },
      kita.token,
    );
    const seen = JSON.stringify(peer.data);
    for (const secret of [
      'yui.sato',
      'higashi-denryoku',
      '03-1234-5678',
      '90-1234-5678',
      'Higashi',
      '東電力',
      'Kaminari',
      '192.0.2.10',
    ]) {
      expect(seen).not.toContain(secret);
    }
    expect(peer.data!.report.summary).toContain('203.0.113.66'); // the attacker's address stays
    // The peer is one of electric power's three operators: two candidates left, fewer than k;
    // what falls through is too small a class alone, so all are one (ADR 0017).
    expect(peer.data!.report.author).toEqual({
      label: 'a member organisation',
      organisationId: null,
    });
    // Not even the owner can get the original back once published.
    const { rows } = await db.query(
      'SELECT sections::text AS s, search_text FROM report WHERE id = $1',
      [id],
    );
    expect(rows[0].s + rows[0].search_text).not.toContain('yui.sato');
  });

  it('refuses scrub terms beyond the caps, naming each one, and keeps the terms it had', async () => {
    const waterAdmin = await member(
      t,
      admin,
      water.orgId,
      'soc-admin@minato-water.example',
      'ORG_ADMIN',
    );
    const SET = 'mutation($terms: [String!]!) { setScrubTerms(terms: $terms) }';
    const kept = await t.gql(
      SET,
      { terms: ['Minato Pump 3', ' ', 'Minato Pump 3'] },
      waterAdmin.token,
    );
    expect(kept.data).toEqual({ setScrubTerms: ['Minato Pump 3'] });

    const tooMany = Array.from({ length: 201 }, (_, i) => `Site ${i}`);
    const many = await t.gql(SET, { terms: tooMany }, waterAdmin.token);
    expect(err(many)?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      requestId: expect.any(String),
      fieldErrors: [{ path: 'terms', message: 'at most 200 terms per organisation (201 given)' }],
    });
    const sizes = await t.gql(SET, { terms: ['x', 'Plant', 'p'.repeat(101)] }, waterAdmin.token);
    expect(err(sizes)?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      requestId: expect.any(String),
      fieldErrors: [
        { path: 'terms.0', message: 'must be at least 2 characters' },
        { path: 'terms.2', message: 'must be at most 100 characters (it has 101)' },
      ],
    });
    expect(err(sizes)?.message).toContain('terms.2: must be at most 100 characters');
    // Refused means nothing was written.
    const now = await t.gql('{ scrubTerms }', {}, waterAdmin.token);
    expect(now.data).toEqual({ scrubTerms: ['Minato Pump 3'] });
  });

  it('applies each marking: GREEN to all, AMBER to its audience and their group companies, STRICT without', async () => {
    const green = await publishReport(t, higashi.token, {
      title: 'Green near miss',
      tlp: 'GREEN',
      kind: 'NEAR_MISS',
    });
    for (const m of [kita, water, rail, coordinator]) expect(await sees(m, green)).toBe(true);

    const amberOrg = await publishReport(t, higashi.token, {
      title: 'Amber to Nishi Railway',
      tlp: 'AMBER',
      audience: { organisationIds: [rail.orgId] },
    });
    expect(await sees(rail, amberOrg)).toBe(true);
    expect(await sees(railSister, amberOrg)).toBe(true); // forwarded to its group company
    for (const m of [kita, water, gas, coordinator]) expect(await sees(m, amberOrg)).toBe(false);

    const strict = await publishReport(t, higashi.token, {
      title: 'Strict to Nishi Railway',
      tlp: 'AMBER_STRICT',
      audience: { organisationIds: [rail.orgId] },
    });
    expect(await sees(rail, strict)).toBe(true);
    expect(await sees(railSister, strict)).toBe(false);

    const sector = await publishReport(t, higashi.token, {
      title: 'Amber to electric power',
      tlp: 'AMBER',
      audience: { sectorCodes: ['electric-power'] },
    });
    for (const m of [kita, minami]) expect(await sees(m, sector)).toBe(true);
    for (const m of [water, rail, gas]) expect(await sees(m, sector)).toBe(false);

    const group = await publishReport(t, higashi.token, {
      title: 'Amber to the group',
      tlp: 'AMBER_STRICT',
      audience: { groupIds: [higashiGroup] },
    });
    expect(await sees(gas, group)).toBe(true);
    expect(await sees(kita, group)).toBe(false);
  });

  it('shows RED to named users only, never to tokens, without revealing unknown addresses', async () => {
    const red = await publishReport(t, higashi.token, {
      title: 'Red for one analyst',
      tlp: 'RED',
      audience: { redRecipientEmails: ['Analyst@Kita-Power.example', 'nobody@nowhere.example'] },
    });
    expect(await sees(kita, red)).toBe(true);
    expect(await sees(minami, red)).toBe(false);
    const colleague = await member(t, admin, kita.orgId, 'second@kita-power.example');
    expect(await sees(colleague, red)).toBe(false);
    // The owner sees the addresses as typed, with no hint which exist.
    const own = await t.gql<{ report: { audience: { redRecipientEmails: string[] } } }>(
      'query($id: ID!) { report(id: $id) { audience { redRecipientEmails } } }',
      { id: red },
      higashi.token,
    );
    expect(own.data!.report.audience.redRecipientEmails.sort()).toEqual([
      'analyst@kita-power.example',
      'nobody@nowhere.example',
    ]);
    const orgAdmin = await member(
      t,
      admin,
      higashi.orgId,
      'admin@higashi-denryoku.example',
      'ORG_ADMIN',
    );
    const tok = await t.gql<{ createApiToken: { token: string } }>(
      'mutation { createApiToken(input: { name: "siem", scopes: ["reports:read"] }) { token } }',
      {},
      orgAdmin.token,
    );
    const token = tok.data!.createApiToken.token;
    expect(err(await t.gql(GET, { id: red }, token))?.extensions?.code).toBe('NOT_FOUND');
    const list = await t.gql<{ reports: { edges: { node: { id: string } }[] } }>(LIST, {}, token);
    expect(list.data!.reports.edges.map((e) => e.node.id)).not.toContain(red);
    expect(list.data!.reports.edges.length).toBeGreaterThan(0);
  });

  it('names the sector only when it has at least k members, and reveals to coordinators only by opt-in', async () => {
    const fromWater = await publishReport(t, water.token, {
      title: 'Pump controller fault',
      tlp: 'GREEN',
      kind: 'NEAR_MISS',
    });
    const view = await t.gql<{ report: { author: { label: string } } }>(
      GET,
      { id: fromWater },
      kita.token,
    );
    expect(view.data!.report.author.label).toBe('a member organisation');
    const hidden = await t.gql<{ report: { author: { organisationId: string | null } } }>(
      GET,
      { id: fromWater },
      coordinator.token,
    );
    expect(hidden.data!.report.author.organisationId).toBeNull();
    const revealed = await publishReport(t, water.token, {
      title: 'Expired licence',
      tlp: 'GREEN',
      revealToCoordinators: true,
    });
    const c = await t.gql<{ report: { author: { label: string; organisationId: string } } }>(
      GET,
      { id: revealed },
      coordinator.token,
    );
    expect(c.data!.report.author).toMatchObject({
      label: 'Minato Water Works',
      organisationId: water.orgId,
    });
    const k = await t.gql<{ report: { author: { organisationId: string | null } } }>(
      GET,
      { id: revealed },
      kita.token,
    );
    expect(k.data!.report.author.organisationId).toBeNull();
  });

  it('lets two edits at once both stand: a title edit never writes back a marking raised meanwhile', async () => {
    const id = await publishReport(t, higashi.token, { title: 'Raced', tlp: 'GREEN' });
    const UPDATE =
      'mutation($id: ID!, $i: ReportInput!) { updateReport(id: $id, input: $i) { tlp title } }';
    const watcher = new Client({ connectionString: t.databaseUrl });
    await watcher.connect();
    try {
      // Hold the report's row so both edits have read it before either can write.
      await db.query('BEGIN');
      await db.query('SELECT 1 FROM report WHERE id = $1 FOR UPDATE', [id]);
      const raise = t.gql(
        UPDATE,
        { id, i: { tlp: 'AMBER', audience: { sectorCodes: ['electric-power'] } } },
        higashi.token,
      );
      const retitle = t.gql(UPDATE, { id, i: { title: 'Raced, retitled' } }, higashi.token);
      for (let i = 0; i < 200; i++) {
        // Another session: pg_stat_activity stays as first read within a transaction.
        const { rows } = await watcher.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE wait_event_type = 'Lock' AND datname = current_database() AND query LIKE '%report%'`,
        );
        if (rows[0].n >= 2) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      await db.query('COMMIT');
      expect([err(await raise), err(await retitle)]).toEqual([undefined, undefined]);
    } finally {
      await watcher.end();
    }
    const after = await t.gql<{ report: { tlp: string; title: string } }>(
      'query($id: ID!) { report(id: $id) { tlp title } }',
      { id },
      higashi.token,
    );
    expect(after.data!.report).toEqual({ tlp: 'AMBER', title: 'Raced, retitled' });
    expect(await sees(water, id)).toBe(false);
  });

  it('lets only the owner edit; raising is free, lowering is explicit and audited', async () => {
    const id = await publishReport(t, higashi.token, {
      title: 'Appliance exploited',
      tlp: 'AMBER',
      audience: { sectorCodes: ['electric-power'] },
    });
    const UPDATE =
      'mutation($id: ID!, $i: ReportInput!) { updateReport(id: $id, input: $i) { revision tlp } }';
    expect(
      err(await t.gql(UPDATE, { id, i: { title: 'Hijacked' } }, kita.token))?.extensions?.code,
    ).toBe('FORBIDDEN');
    const raised = await t.gql<{ updateReport: { revision: number; tlp: string } }>(
      UPDATE,
      { id, i: { tlp: 'AMBER_STRICT', audience: { sectorCodes: ['electric-power'] } } },
      higashi.token,
    );
    expect(raised.data!.updateReport).toEqual({ revision: 2, tlp: 'AMBER_STRICT' });
    const lowering = await t.gql(UPDATE, { id, i: { tlp: 'GREEN', audience: {} } }, higashi.token);
    expect(err(lowering)?.extensions?.code).toBe('BAD_USER_INPUT');
    const widening = await t.gql(
      UPDATE,
      { id, i: { audience: { sectorCodes: ['electric-power', 'water'] } } },
      higashi.token,
    );
    expect(err(widening)?.extensions?.code).toBe('BAD_USER_INPUT');
    // A stricter marking with a bigger audience is still a widening, and so is RED to a newcomer.
    const stricterButWider = await t.gql(
      UPDATE,
      { id, i: { tlp: 'AMBER_STRICT', audience: { sectorCodes: ['electric-power', 'water'] } } },
      higashi.token,
    );
    expect(err(stricterButWider)?.extensions?.code).toBe('BAD_USER_INPUT');
    const toRed = await t.gql(
      UPDATE,
      { id, i: { tlp: 'RED', audience: { redRecipientEmails: [water.email] } } },
      higashi.token,
    );
    expect(err(toRed)?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await sees(water, id)).toBe(false);
    const lowered = await t.gql(
      'mutation($id: ID!) { lowerReportMarking(id: $id, tlp: GREEN, reason: "Shared with the whole community after review") { tlp } }',
      { id },
      higashi.token,
    );
    expect(lowered.errors).toBeUndefined();
    expect(await sees(water, id)).toBe(true);
    const { rows } = await db.query(
      "SELECT details FROM audit_log WHERE action = 'report.marking_lowered' AND target_id = $1",
      [id],
    );
    expect(rows[0].details).toMatchObject({ from: 'AMBER_STRICT', to: 'GREEN' });
    const history = await t.gql<{ report: { revisions: { revision: number; tlp: string }[] } }>(
      'query($id: ID!) { report(id: $id) { revisions { revision tlp } } }',
      { id },
      water.token,
    );
    expect(history.data!.report.revisions.map((r) => r.tlp)).toEqual([
      'GREEN',
      'AMBER_STRICT',
      'AMBER',
    ]);
  });

  it('refuses lowerReportMarking for a change that shows the report to nobody new or takes it from a reader, and records nothing', async () => {
    const id = await publishReport(t, higashi.token, {
      title: 'Licence expired on the billing system',
      tlp: 'AMBER',
      audience: { sectorCodes: ['electric-power'] },
    });
    const LOWER =
      'mutation($id: ID!, $tlp: Tlp!, $a: AudienceInput) { lowerReportMarking(id: $id, tlp: $tlp, audience: $a, reason: "Reviewed by the CISO") { tlp } }';
    for (const [tlp, a] of [
      ['AMBER_STRICT', { sectorCodes: ['electric-power'] }],
      ['AMBER', { sectorCodes: ['electric-power'] }],
    ] as const) {
      const r = await t.gql(LOWER, { id, tlp, a }, higashi.token);
      expect([tlp, err(r)?.extensions]).toEqual([
        tlp,
        {
          code: 'BAD_USER_INPUT',
          fieldErrors: [
            {
              path: 'tlp',
              message:
                'shows the report to no new reader: raise or narrow a marking with updateReport',
            },
          ],
          requestId: expect.any(String),
        },
      ]);
    }
    // Both wider and narrower: water gains it, electric power would lose it.
    const moved = await t.gql(
      LOWER,
      { id, tlp: 'AMBER', a: { sectorCodes: ['water'] } },
      higashi.token,
    );
    expect(err(moved)?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fieldErrors: [
        {
          path: 'audience',
          message:
            'would take the report away from readers who have it: keep its audience in the new one',
        },
      ],
      requestId: expect.any(String),
    });
    expect(await sees(kita, id)).toBe(true);
    const { rows } = await db.query(
      "SELECT 1 FROM audit_log WHERE action = 'report.marking_lowered' AND target_id = $1",
      [id],
    );
    expect(rows).toEqual([]);
    const widened = await t.gql<{ lowerReportMarking: { tlp: string } }>(
      LOWER,
      { id, tlp: 'AMBER', a: { sectorCodes: ['electric-power', 'water'] } },
      higashi.token,
    );
    expect(widened.data?.lowerReportMarking).toEqual({ tlp: 'AMBER' });
    expect(await sees(water, id)).toBe(true);
  });

  it('narrows a sector audience to AMBER+STRICT for organisations of that sector, and lowers back to the sector; AMBER for one of them stays a widening', async () => {
    const UPDATE =
      'mutation($id: ID!, $i: ReportInput!) { updateReport(id: $id, input: $i) { tlp } }';
    const LOWER =
      'mutation($id: ID!, $tlp: Tlp!, $a: AudienceInput) { lowerReportMarking(id: $id, tlp: $tlp, audience: $a, reason: "Back to the sector after review") { tlp } }';
    const kitaOrg = kita.orgId;
    const sectorWide = () =>
      publishReport(t, higashi.token, {
        title: 'Phishing wave against control-room staff',
        tlp: 'AMBER',
        audience: { sectorCodes: ['electric-power'] },
      });
    // AMBER for the sector, then AMBER+STRICT for Kita alone (in that sector): a narrowing.
    const strict = await sectorWide();
    const narrowed = await t.gql(
      UPDATE,
      { id: strict, i: { tlp: 'AMBER_STRICT', audience: { organisationIds: [kitaOrg] } } },
      higashi.token,
    );
    expect(narrowed.errors).toBeUndefined();
    expect([await sees(kita, strict), await sees(minami, strict)]).toEqual([true, false]);
    // And back to the whole sector: a lowering, audited, that takes it from nobody.
    const back = await t.gql(
      LOWER,
      { id: strict, tlp: 'AMBER', a: { sectorCodes: ['electric-power'] } },
      higashi.token,
    );
    expect(back.errors).toBeUndefined();
    expect([await sees(kita, strict), await sees(minami, strict)]).toEqual([true, true]);
    // AMBER for Kita, though in no corporate group today: AMBER is forwarded to the group
    // companies Kita has at each read, so a group it joins later would gain it (attack pass 7).
    const amber = await sectorWide();
    const toKita = await t.gql(
      UPDATE,
      { id: amber, i: { audience: { organisationIds: [kitaOrg] } } },
      higashi.token,
    );
    expect(err(toKita)?.extensions?.code).toBe('BAD_USER_INPUT');
    // AMBER for Higashi (Higashi group) forwards it to Higashi Gas, outside the sector: a widening.
    const forwarded = await sectorWide();
    const toGroup = await t.gql(
      UPDATE,
      { id: forwarded, i: { audience: { organisationIds: [higashi.orgId] } } },
      higashi.token,
    );
    expect(err(toGroup)?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await sees(gas, forwarded)).toBe(false);
    // AMBER+STRICT for Higashi Gas (another sector): a widening as before.
    const other = await t.gql(
      UPDATE,
      { id: forwarded, i: { tlp: 'AMBER_STRICT', audience: { organisationIds: [gas.orgId] } } },
      higashi.token,
    );
    expect(err(other)?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await sees(gas, forwarded)).toBe(false);
  });

  it('keeps a retracted report visible as retracted, with its reason', async () => {
    const id = await publishReport(t, higashi.token, { title: 'False alarm', tlp: 'GREEN' });
    await t.gql(
      'mutation($id: ID!) { retractReport(id: $id, reason: "It was a test") { status } }',
      { id },
      higashi.token,
    );
    const r = await t.gql<{ report: { status: string; retractionReason: string } }>(
      'query($id: ID!) { report(id: $id) { status retractionReason } }',
      { id },
      kita.token,
    );
    expect(r.data!.report).toEqual({ status: 'RETRACTED', retractionReason: 'It was a test' });
  });

  it('lets peers respond anonymously, never more widely than the report', async () => {
    const id = await publishReport(t, higashi.token, {
      title: 'Camera botnet',
      tlp: 'AMBER',
      audience: { sectorCodes: ['electric-power'] },
    });
    const c = await t.gql(
      'mutation($id: ID!) { addReportComment(reportId: $id, body: "Same cameras here, Kita Power NOC") { id } }',
      { id },
      kita.token,
    );
    expect(c.errors).toBeUndefined();
    await t.gql(
      'mutation($id: ID!) { addReportSighting(reportId: $id, seenOn: "2026-11-20", note: "seen at 02:00") { id } }',
      { id },
      minami.token,
    );
    const blocked = await t.gql(
      'mutation($id: ID!) { addReportComment(reportId: $id, body: "me too") { id } }',
      { id },
      water.token,
    );
    expect(err(blocked)?.extensions?.code).toBe('NOT_FOUND');
    const view = await t.gql<{
      report: {
        comments: { body: string; author: { label: string } }[];
        sightings: { seenOn: string; author: { label: string } }[];
      };
    }>(
      'query($id: ID!) { report(id: $id) { comments { body author { label } } sightings { seenOn author { label } } } }',
      { id },
      higashi.token,
    );
    expect(view.data!.report.comments).toEqual([
      {
        body: expect.stringContaining('Same cameras here'),
        // Only the electric power operators read the report: besides Higashi, Kita and Minami,
        // two candidates, fewer than k. The label says so rather than promising anonymity
        // (ADR 0022: an attached thing's author is judged among the report's readers).
        author: { label: 'a member organisation (not anonymous: too few members)' },
      },
    ]);
    expect(view.data!.report.comments[0].body).not.toContain('Kita Power');
    expect(view.data!.report.sightings).toEqual([
      {
        seenOn: '2026-11-20',
        author: { label: 'a member organisation (not anonymous: too few members)' },
      },
    ]);
    const { rows } = await db.query(
      'SELECT count(*)::int AS n FROM report_comment WHERE report_id = $1',
      [id],
    );
    expect(rows[0].n).toBe(1);
  });

  it('searches Japanese and English text, and counts only what the caller may see', async () => {
    await publishReport(t, kita.token, {
      title: '変電所の監視カメラが乗っ取られた',
      tlp: 'GREEN',
      categories: ['cyberattack.iot-compromise'],
      affectedSectors: ['electric-power'],
      summary: '初期パスワードのままのネットワークカメラ',
    });
    await publishReport(t, kita.token, {
      title: 'Leaked access key used by a contractor',
      tlp: 'AMBER_STRICT',
      audience: { organisationIds: [minami.orgId] },
      categories: ['cyberattack.credential-abuse'],
      affectedSectors: ['electric-power'],
      // Named, so the count below is not withheld by the small-cell rule (one anonymous author).
      anonymous: false,
    });
    const SEARCH =
      'query($q: String!) { reports(filter: { text: $q }) { totalCount edges { node { title } } } }';
    const ja = await t.gql<{
      reports: { totalCount: number; edges: { node: { title: string } }[] };
    }>(SEARCH, { q: 'パスワード' }, water.token);
    expect(ja.data!.reports.edges.map((e) => e.node.title)).toEqual([
      '変電所の監視カメラが乗っ取られた',
    ]);
    const en = await t.gql<{ reports: { totalCount: number } }>(
      SEARCH,
      { q: 'ACCESS KEY' },
      minami.token,
    );
    expect(en.data!.reports.totalCount).toBe(1);
    const hidden = await t.gql<{ reports: { totalCount: number } }>(
      SEARCH,
      { q: 'access key' },
      water.token,
    );
    expect(hidden.data!.reports.totalCount).toBe(0);

    const STATS =
      '{ reportStatistics(period: QUARTER) { period category count } reportFilterOptions { markings categories } }';
    const forMinami = await t.gql<{
      reportStatistics: { category: string; count: number }[];
      reportFilterOptions: { markings: string[]; categories: string[] };
    }>(STATS, {}, minami.token);
    const forWater = await t.gql<{
      reportStatistics: { category: string; count: number }[];
      reportFilterOptions: { markings: string[]; categories: string[] };
    }>(STATS, {}, water.token);
    const count = (r: typeof forMinami, c: string) =>
      r.data!.reportStatistics.filter((s) => s.category === c).reduce((a, s) => a + s.count, 0);
    expect(count(forMinami, 'cyberattack.credential-abuse')).toBe(1);
    expect(count(forWater, 'cyberattack.credential-abuse')).toBe(0);
    expect(forWater.data!.reportFilterOptions.categories).not.toContain(
      'cyberattack.credential-abuse',
    );
    expect(forWater.data!.reportFilterOptions.markings).not.toContain('AMBER_STRICT');
    expect(forMinami.data!.reportFilterOptions.markings).toContain('AMBER_STRICT');
  });

  it('pages through reports sharing one timestamp, each exactly once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        await publishReport(t, minami.token, {
          title: `Same instant ${i}`,
          tlp: 'AMBER_STRICT',
          audience: { organisationIds: [kita.orgId] },
        }),
      );
    // Several rows committed together share now(), down to the microsecond.
    await db.query(
      "UPDATE report SET published_at = '2026-11-01 10:00:00.123456+00' WHERE id = ANY($1)",
      [ids],
    );
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const r: {
        data?: {
          reports: {
            edges: { node: { id: string } }[];
            pageInfo: { hasNextPage: boolean; endCursor: string };
          };
        } | null;
      } = await t.gql(
        'query($a: String) { reports(first: 2, after: $a, filter: { text: "same instant" }) { edges { node { id } } pageInfo { hasNextPage endCursor } } }',
        { a: after },
        kita.token,
      );
      seen.push(...r.data!.reports.edges.map((e) => e.node.id));
      if (!r.data!.reports.pageInfo.hasNextPage) break;
      after = r.data!.reports.pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual([...ids].sort());
    // Cursors name a row only: no exact publication time of another organisation's report.
    const page = await t.gql<{ reports: { edges: { cursor: string }[] } }>(
      '{ reports(first: 3) { edges { cursor } } }',
      {},
      kita.token,
    );
    for (const e of page.data!.reports.edges) {
      const decoded = JSON.parse(Buffer.from(e.cursor, 'base64url').toString('utf8'));
      expect(decoded).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/)]);
    }
  });

  it('filters in the database: a raw query as the application role sees only visible rows', async () => {
    const visible = await t.gql<{ reports: { totalCount: number } }>(LIST, {}, water.token);
    const waterUser = (await db.query('SELECT id FROM hub_user WHERE email = $1', [water.email]))
      .rows[0].id;
    await db.query('BEGIN');
    try {
      await db.query('SET LOCAL ROLE renkei_app');
      await db.query(
        "SELECT set_config('renkei.kind', 'user', true), set_config('renkei.user_id', $1, true), set_config('renkei.org_id', $2, true), set_config('renkei.sector', 'water', true), set_config('renkei.group_id', '', true)",
        [waterUser, water.orgId],
      );
      const { rows } = await db.query('SELECT id FROM report'); // no filter at all
      expect(rows.length).toBe(visible.data!.reports.totalCount);
      const { rows: all } = await db.query(
        "SELECT count(*)::int AS n FROM report WHERE tlp = 'RED'",
      );
      expect(all[0].n).toBe(0);
    } finally {
      await db.query('ROLLBACK');
    }
    const { rows: total } = await db.query('SELECT count(*)::int AS n FROM report');
    expect(total[0].n).toBeGreaterThan(visible.data!.reports.totalCount);
    // Without a principal, the role sees nothing.
    await db.query('BEGIN');
    try {
      await db.query('SET LOCAL ROLE renkei_app');
      expect((await db.query('SELECT count(*)::int AS n FROM report')).rows[0].n).toBe(0);
    } finally {
      await db.query('ROLLBACK');
    }
  });

  it('shows nothing, not even GREEN, to a user without a second factor', async () => {
    const r = await t.gql(
      'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
      {
        i: {
          organisationId: kita.orgId,
          email: 'new@kita-power.example',
          displayName: 'New',
          role: 'ANALYST',
          initialPassword: 'long enough passphrase for tests',
        },
      },
      admin,
    );
    expect(r.errors).toBeUndefined();
    await proveEmail(t, 'new@kita-power.example'); // Kita registered no domains
    const { token } = await t.passwordLogin(
      'new@kita-power.example',
      'long enough passphrase for tests',
    );
    const list = await t.gql(LIST, {}, token);
    expect(list.data).toBeNull();
    expect(err(list)?.extensions?.reason).toBe('SECOND_FACTOR_ENROLMENT_REQUIRED');
  });
});
