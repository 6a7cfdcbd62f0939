import { Client } from 'pg';
import { createOrg, Member, member, publishReport } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';

type Gql = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};
const code = (r: Gql) => r.errors?.[0]?.extensions?.code;

/**
 * What the sector's lessons ask of the hub (issue 15, ADR 0022): advisories, exercises, the
 * contact directory, statistics and the quarterly summary, each seen from outside.
 */
describe('sector practice', () => {
  let t: TestHub;
  let admin: string; // hub admin of the coordinator organisation
  let coordinator: Member;
  let coordinatorName: string;
  // Electric power has three operators (so pseudonyms name the sector); water is alone.
  let higashi: Member;
  let higashiAdmin: Member;
  let kita: Member;
  let kitaAdmin: Member;
  let minami: Member;
  let water: Member;
  let waterAdmin: Member;
  let db: Client;

  beforeAll(async () => {
    t = await startTestHub();
    const boot = await t.bootstrapAdmin();
    admin = boot.token;
    const org = (name: string, sectorCode: string) => createOrg(t, admin, { name, sectorCode });
    const higashiOrg = await org('Higashi Denryoku', 'electric-power');
    const kitaOrg = await org('Kita Power', 'electric-power');
    const minamiOrg = await org('Minami Grid', 'electric-power');
    const waterOrg = await org('Minato Water Works', 'water');
    higashi = await member(t, admin, higashiOrg, 'analyst@higashi.example');
    higashiAdmin = await member(t, admin, higashiOrg, 'admin@higashi.example', 'ORG_ADMIN');
    kita = await member(t, admin, kitaOrg, 'analyst@kita.example');
    kitaAdmin = await member(t, admin, kitaOrg, 'admin@kita.example', 'ORG_ADMIN');
    minami = await member(t, admin, minamiOrg, 'analyst@minami.example');
    water = await member(t, admin, waterOrg, 'analyst@minato-water.example');
    waterAdmin = await member(t, admin, waterOrg, 'admin@minato-water.example', 'ORG_ADMIN');
    coordinator = await member(t, admin, boot.organisationId, 'duty@ci-csirt.example');
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    const [row] = (
      await db.query('SELECT name FROM organisation WHERE id = $1', [boot.organisationId])
    ).rows;
    coordinatorName = row.name;
  });
  afterAll(async () => {
    await db.end();
    await t.stop();
  });

  const READ = `query($id: ID!) { report(id: $id) { id kind anonymous exercise exerciseName publishedAt
    author { label organisationId } } }`;

  describe('advisories', () => {
    it('are issued by the coordinator, named, with their exact time', async () => {
      // Asked to be anonymous: an advisory is named all the same.
      const id = await publishReport(t, coordinator.token, {
        kind: 'ADVISORY',
        title: 'Advisory: default credentials on network cameras are being abused',
        tlp: 'GREEN',
        anonymous: true,
      });
      const r = await t.gql<{ report: Record<string, unknown> }>(READ, { id }, water.token);
      expect(r.errors).toBeUndefined();
      expect(r.data!.report).toMatchObject({
        kind: 'ADVISORY',
        anonymous: false,
        author: { label: coordinatorName, organisationId: coordinator.orgId },
      });
      const { rows } = await db.query('SELECT published_at FROM report WHERE id = $1', [id]);
      const exact = new Date(rows[0].published_at).getTime();
      expect(new Date(r.data!.report.publishedAt as string).getTime()).toBe(exact);
    });

    it('an anonymous report of another organisation still shows a rounded time', async () => {
      const id = await publishReport(t, higashi.token, {
        title: 'Portal outage after a carrier line fault',
        tlp: 'GREEN',
      });
      const r = await t.gql<{ report: { publishedAt: string } }>(READ, { id }, water.token);
      const { rows } = await db.query('SELECT published_at FROM report WHERE id = $1', [id]);
      const shown = new Date(r.data!.report.publishedAt).getTime();
      expect(shown).toBeLessThanOrEqual(new Date(rows[0].published_at).getTime());
      expect(shown % (15 * 60_000)).toBe(0);
    });

    it('refuses an advisory from a member, whether created or edited into one', async () => {
      const created = await t.gql(
        'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
        { i: { kind: 'ADVISORY', title: 'We warn everyone', tlp: 'GREEN' } },
        higashi.token,
      );
      expect(code(created)).toBe('FORBIDDEN');
      expect(created.errors![0].message).toBe('Only the coordinator issues advisories');
      expect(created.errors![0].message).not.toMatch(/RK001|trigger|at /);
      const id = await publishReport(t, higashi.token, { title: 'A near miss', tlp: 'GREEN' });
      const edited = await t.gql(
        'mutation($id: ID!, $i: ReportInput!) { updateReport(id: $id, input: $i) { id } }',
        { id, i: { kind: 'ADVISORY' } },
        higashi.token,
      );
      expect(code(edited)).toBe('FORBIDDEN');
      const { rows } = await db.query('SELECT kind FROM report WHERE id = $1', [id]);
      expect(rows[0].kind).toBe('incident');
    });
  });

  describe('exercises', () => {
    const DRILL = 'Sector DoS drill 2026';
    let drillReport: string;
    let kitaDrillReport: string;
    let realReport: string;
    let drillList: string;
    let realList: string;
    let feeds: string; // water's firewall: feeds:read

    const list = async (token: string, input: Record<string, unknown>, value: string) => {
      const made = await t.gql<{ createIndicatorList: { id: string } }>(
        'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
        { i: { tlp: 'GREEN', sectors: ['water'], ...input } },
        token,
      );
      expect(made.errors).toBeUndefined();
      const id = made.data!.createIndicatorList.id;
      const added = await t.gql(
        'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { added } }',
        { l: id, i: { text: value } },
        token,
      );
      expect(added.data).toEqual({ addListEntries: { added: 1 } });
      return id;
    };

    beforeAll(async () => {
      const shared = {
        tlp: 'GREEN',
        categories: ['cyberattack.abandoned-domain'],
        affectedSectors: ['water'],
      };
      drillReport = await publishReport(t, higashi.token, {
        ...shared,
        title: 'EXERCISE-ONLY abandoned domain takeover',
        exercise: DRILL,
        lessonsLearned: 'Drill lesson that must not be circulated',
      });
      kitaDrillReport = await publishReport(t, kita.token, {
        ...shared,
        title: 'EXERCISE-ONLY second participant',
        exercise: DRILL,
      });
      realReport = await publishReport(t, minami.token, {
        ...shared,
        title: 'REAL abandoned domain takeover',
      });
      drillList = await list(
        kita.token,
        { name: 'EXERCISE-ONLY list', exercise: DRILL },
        '45.51.0.77',
      );
      realList = await list(minami.token, { name: 'REAL sources' }, '45.51.0.88');
      const made = await t.gql<{ createApiToken: { token: string } }>(
        'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
        { i: { name: 'firewall', scopes: ['feeds:read'] } },
        waterAdmin.token,
      );
      feeds = made.data!.createApiToken.token;
    });

    it('never reaches a firewall feed', async () => {
      const res = await fetch(`${t.url}/feeds/ipv4.txt`, {
        headers: { authorization: `Bearer ${feeds}` },
      });
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body).toContain('45.51.0.88');
      expect(body).not.toContain('45.51.0.77');
      const named = await fetch(`${t.url}/feeds/ipv4.txt?list=${drillList}`, {
        headers: { authorization: `Bearer ${feeds}` },
      });
      expect(await named.text()).not.toContain('45.51.0.77');
      const flagged = await t.gql<{ indicatorList: Record<string, unknown> }>(
        'query($id: ID!) { indicatorList(id: $id) { exercise exerciseName } }',
        { id: drillList },
        water.token,
      );
      expect(flagged.data).toEqual({ indicatorList: { exercise: true, exerciseName: DRILL } });
    });

    it('shows an exercise flag to every reader', async () => {
      for (const reader of [higashi, water, coordinator]) {
        const r = await t.gql<{ report: Record<string, unknown> }>(
          READ,
          { id: drillReport },
          reader.token,
        );
        expect(r.data!.report).toMatchObject({ exercise: true, exerciseName: DRILL });
      }
      const real = await t.gql<{ report: Record<string, unknown> }>(
        READ,
        { id: realReport },
        water.token,
      );
      expect(real.data!.report).toMatchObject({ exercise: false, exerciseName: null });
    });

    it('never counts in statistics', async () => {
      const stats = await t.gql<{ statistics: { cells: Record<string, unknown>[] } }>(
        '{ statistics { cells { category sector count suppressed } } }',
        {},
        coordinator.token,
      );
      const cells = stats.data!.statistics.cells.filter(
        (c) => c.category === 'cyberattack.abandoned-domain',
      );
      // Only the real report: one anonymous author, so the cell is suppressed, but it exists,
      // and its suppression is because of one author, not three.
      expect(cells).toEqual([
        {
          category: 'cyberattack.abandoned-domain',
          sector: 'water',
          count: null,
          suppressed: true,
        },
      ]);
      const old = await t.gql<{ reportStatistics: { category: string; count: number }[] }>(
        '{ reportStatistics(period: QUARTER) { category count } }',
        {},
        coordinator.token,
      );
      // The older query follows the same small-cell rule: one anonymous author, no count.
      expect(
        old.data!.reportStatistics.filter((c) => c.category === 'cyberattack.abandoned-domain'),
      ).toEqual([]);
    });

    it('never reaches TAXII', async () => {
      const made = await t.gql<{ createApiToken: { token: string } }>(
        'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
        { i: { name: 'siem', scopes: ['reports:read'] } },
        waterAdmin.token,
      );
      const token = made.data!.createApiToken.token;
      const headers = {
        accept: 'application/taxii+json;version=2.1',
        authorization: `Bearer ${token}`,
      };
      const collections = (await (
        await fetch(`${t.url}/taxii2/api/collections/`, { headers })
      ).json()) as { collections: { id: string; title: string }[] };
      const reports = collections.collections.find((c) => c.title === 'Reports')!;
      const objects = await (
        await fetch(`${t.url}/taxii2/api/collections/${reports.id}/objects/`, { headers })
      ).text();
      expect(objects).toContain('REAL abandoned domain takeover');
      expect(objects).not.toContain('EXERCISE-ONLY');
      const listHeaders = { ...headers, authorization: `Bearer ${feeds}` };
      const listCollections = await (
        await fetch(`${t.url}/taxii2/api/collections/`, { headers: listHeaders })
      ).text();
      expect(listCollections).toContain('REAL sources');
      expect(listCollections).not.toContain('EXERCISE-ONLY');
      expect(listCollections).not.toContain(drillList);
    });

    it('is removed in one action: an org admin its own, the coordinator every organisation', async () => {
      const analyst = await t.gql(
        'mutation($n: String!) { removeExercise(name: $n) }',
        { n: DRILL },
        higashi.token,
      );
      expect(code(analyst)).toBe('FORBIDDEN');
      const own = await t.gql<{ removeExercise: number }>(
        'mutation($n: String!) { removeExercise(name: $n) }',
        { n: DRILL },
        higashiAdmin.token,
      );
      expect(own.data).toEqual({ removeExercise: 1 });
      const seen = async (id: string) =>
        code(await t.gql(READ, { id }, coordinator.token)) !== 'NOT_FOUND';
      expect(await seen(drillReport)).toBe(false);
      expect(await seen(kitaDrillReport)).toBe(true);
      const all = await t.gql<{ removeExercise: number }>(
        'mutation($n: String!) { removeExercise(name: $n) }',
        { n: DRILL },
        admin,
      );
      // Kita's report and list.
      expect(all.data).toEqual({ removeExercise: 2 });
      expect(await seen(kitaDrillReport)).toBe(false);
      expect(await seen(realReport)).toBe(true);
      const lists = await db.query('SELECT id FROM indicator_list WHERE id = ANY($1)', [
        [drillList, realList],
      ]);
      expect(lists.rows).toEqual([{ id: realList }]);
      const audited = await db.query(
        "SELECT organisation_id, details FROM audit_log WHERE action = 'exercise.removed' ORDER BY id",
      );
      expect(audited.rows.map((r: { details: unknown }) => r.details)).toEqual([
        { name: DRILL, everyOrganisation: false, lists: 0, reports: 1 },
        { name: DRILL, everyOrganisation: true, lists: 1, reports: 1 },
      ]);
      // Not even the system principal deletes a real item: the delete policies admit exercises.
      const real = async () =>
        (await db.query('SELECT count(*)::int AS n FROM report WHERE exercise IS NULL')).rows[0].n;
      const before = await real();
      expect(before).toBeGreaterThan(0);
      await db.query('BEGIN');
      try {
        await db.query('SET LOCAL ROLE renkei_app');
        await db.query(`SELECT set_config('renkei.kind', 'system', true)`);
        const gone = await db.query('DELETE FROM report WHERE exercise IS NULL RETURNING id');
        const lists = await db.query(
          'DELETE FROM indicator_list WHERE exercise IS NULL RETURNING id',
        );
        expect([gone.rowCount, lists.rowCount]).toEqual([0, 0]);
      } finally {
        await db.query('ROLLBACK');
      }
      expect(await real()).toBe(before);
    });
  });

  describe('contact directory', () => {
    const PHONE = '+81-3-5555-0199';
    const DIRECTORY = `{ contactDirectory { organisationId organisationName tlp phone email openpgpKey
      hours escalation lastConfirmedAt confirmationOverdue audience { organisationIds } } }`;

    beforeAll(async () => {
      const set = await t.gql(
        `mutation($i: ContactInput!) { setContact(input: $i) { organisationId } }`,
        {
          i: {
            tlp: 'AMBER_STRICT',
            audience: { organisationIds: [kita.orgId] },
            phone: PHONE,
            email: 'csirt@higashi.example',
            openpgpKey:
              '-----BEGIN PGP PUBLIC KEY BLOCK-----\nHIGASHI-KEY\n-----END PGP PUBLIC KEY BLOCK-----',
            hours: '24/7',
            escalation: 'CISO after 30 minutes',
          },
        },
        higashiAdmin.token,
      );
      expect(set.errors).toBeUndefined();
    });

    it('never reaches an organisation outside its marking (the coordinator sees all)', async () => {
      const expected = new Map<Member, boolean>([
        [higashi, true],
        [kita, true],
        [kitaAdmin, true],
        [coordinator, true],
        [minami, false],
        [water, false],
        [waterAdmin, false],
      ]);
      for (const [reader, sees] of expected) {
        const r = await t.gql<{ contactDirectory: { organisationId: string }[] }>(
          DIRECTORY,
          {},
          reader.token,
        );
        expect(r.errors).toBeUndefined();
        const body = JSON.stringify(r);
        expect([reader.email, body.includes(PHONE)]).toEqual([reader.email, sees]);
        expect([reader.email, body.includes('HIGASHI-KEY')]).toEqual([reader.email, sees]);
        expect(r.data!.contactDirectory.some((c) => c.organisationId === higashi.orgId)).toBe(sees);
      }
      // API tokens read under the same marking.
      for (const [owner, sees] of [
        [kitaAdmin, true],
        [waterAdmin, false],
      ] as const) {
        const made = await t.gql<{ createApiToken: { token: string } }>(
          'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
          { i: { name: 'directory sync', scopes: ['reports:read'] } },
          owner.token,
        );
        const r = await t.gql(DIRECTORY, {}, made.data!.createApiToken.token);
        expect(r.errors).toBeUndefined();
        expect([owner.email, JSON.stringify(r).includes(PHONE)]).toEqual([owner.email, sees]);
      }
      // The audience is the owner's business only.
      const kitaView = await t.gql<{ contactDirectory: { audience: unknown }[] }>(
        DIRECTORY,
        {},
        kita.token,
      );
      expect(kitaView.data!.contactDirectory[0].audience).toBeNull();
    });

    it('asks for a yearly confirmation and shows when it was last given', async () => {
      const refused = await t.gql(
        '{ contactReminders { organisationId } }',
        {},
        higashiAdmin.token,
      );
      expect(code(refused)).toBe('FORBIDDEN');
      await db.query(
        `UPDATE organisation_contact SET confirmed_at = now() - interval '400 days' WHERE owner_org_id = $1`,
        [higashi.orgId],
      );
      const reminders = async () =>
        (
          await t.gql<{
            contactReminders: { organisationId: string; lastConfirmedAt: string | null }[];
          }>('{ contactReminders { organisationId lastConfirmedAt } }', {}, coordinator.token)
        ).data!.contactReminders;
      const due = await reminders();
      expect(due.find((d) => d.organisationId === higashi.orgId)?.lastConfirmedAt).toBeTruthy();
      // Organisations without an entry owe one too.
      expect(due.find((d) => d.organisationId === water.orgId)).toEqual({
        organisationId: water.orgId,
        lastConfirmedAt: null,
      });
      const stale = await t.gql<{ contactDirectory: Record<string, unknown>[] }>(
        DIRECTORY,
        {},
        kita.token,
      );
      const entry = stale.data!.contactDirectory.find((c) => c.organisationId === higashi.orgId)!;
      expect(entry.confirmationOverdue).toBe(true);
      expect(Date.now() - new Date(entry.lastConfirmedAt as string).getTime()).toBeGreaterThan(
        399 * 86_400_000,
      );

      const confirmed = await t.gql<{ confirmContact: { confirmationOverdue: boolean } }>(
        'mutation { confirmContact { confirmationOverdue lastConfirmedAt } }',
        {},
        higashiAdmin.token,
      );
      expect(confirmed.data!.confirmContact.confirmationOverdue).toBe(false);
      expect((await reminders()).some((d) => d.organisationId === higashi.orgId)).toBe(false);
    });

    it('refuses RED and confirmation without an entry, with the field named', async () => {
      const red = await t.gql(
        'mutation($i: ContactInput!) { setContact(input: $i) { organisationId } }',
        { i: { tlp: 'RED', phone: '1' } },
        waterAdmin.token,
      );
      expect(code(red)).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(red.errors![0].extensions)).toContain('input.tlp');
      const none = await t.gql(
        'mutation { confirmContact { organisationId } }',
        {},
        waterAdmin.token,
      );
      expect(code(none)).toBe('NOT_FOUND');
    });
  });

  describe('requests for assistance', () => {
    const REQUEST = `{ assistanceRequests { id reportId body status addressedOrganisationIds
      requester { label organisationId } responses { body author { label organisationId } } } }`;
    const ONE = `query($id: ID!) { assistanceRequest(id: $id) { id body status
      requester { label organisationId } responses { body author { label organisationId } } } }`;
    const RESPOND =
      'mutation($id: ID!, $b: String!) { respondToAssistance(id: $id, body: $b) { id } }';
    let requestId: string;

    beforeAll(async () => {
      const reportId = await publishReport(t, higashi.token, {
        title: 'Network cameras with default passwords joined a DoS',
        tlp: 'GREEN',
      });
      const r = await t.gql<{
        requestAssistance: { id: string; addressedOrganisationIds: string[] };
      }>(
        `mutation($i: AssistanceRequestInput!) { requestAssistance(input: $i) { id addressedOrganisationIds } }`,
        {
          i: {
            reportId,
            organisationIds: [kita.orgId],
            body: 'ASK-FOR-HELP: how did you clean the cameras? Reply to analyst@higashi.example',
          },
        },
        higashi.token,
      );
      expect(r.errors).toBeUndefined();
      requestId = r.data!.requestAssistance.id;
      // The coordinator is always asked.
      expect(new Set(r.data!.requestAssistance.addressedOrganisationIds)).toEqual(
        new Set([kita.orgId, coordinator.orgId]),
      );
      const answered = await t.gql(
        RESPOND,
        { id: requestId, b: 'ANSWER-TEXT: factory reset, then firmware' },
        kita.token,
      );
      expect(answered.errors).toBeUndefined();
    });

    it('never reaches an organisation it does not address', async () => {
      for (const outsider of [minami, water, waterAdmin]) {
        const list = await t.gql<{ assistanceRequests: unknown[] }>(REQUEST, {}, outsider.token);
        expect(list.data).toEqual({ assistanceRequests: [] });
        const one = await t.gql(ONE, { id: requestId }, outsider.token);
        expect(code(one)).toBe('NOT_FOUND');
        const respond = await t.gql(RESPOND, { id: requestId, b: 'let me in' }, outsider.token);
        expect(code(respond)).toBe('NOT_FOUND');
        for (const r of [list, one, respond]) {
          expect(JSON.stringify(r)).not.toMatch(/ASK-FOR-HELP|ANSWER-TEXT/);
        }
      }
      const { rows } = await db.query(
        'SELECT count(*)::int AS n FROM assistance_response WHERE request_id = $1',
        [requestId],
      );
      expect(rows[0].n).toBe(1);
    });

    it('names an anonymous requester to no peer, and scrubs what it wrote', async () => {
      for (const addressed of [kita, kitaAdmin, coordinator]) {
        const r = await t.gql<{ assistanceRequest: Record<string, unknown> }>(
          ONE,
          { id: requestId },
          addressed.token,
        );
        expect(r.errors).toBeUndefined();
        // Four members besides the coordinator: a class too small is folded in, and every
        // anonymous author is "a member organisation" here (ADR 0017).
        expect(r.data!.assistanceRequest.requester).toEqual({
          label: 'a member organisation',
          organisationId: null,
        });
        const text = JSON.stringify(r);
        expect(text).not.toContain('higashi');
        expect(text).not.toContain(higashi.orgId);
        expect(text).toContain('ASK-FOR-HELP');
      }
      // Whom it asked is the requester's business; the requester knows whom it asked.
      const mine = await t.gql<{ assistanceRequests: Record<string, unknown>[] }>(
        REQUEST,
        {},
        higashi.token,
      );
      const own = mine.data!.assistanceRequests.find((x) => x.id === requestId)!;
      expect(own.responses).toEqual([
        {
          body: 'ANSWER-TEXT: factory reset, then firmware',
          author: { label: 'Kita Power', organisationId: kita.orgId },
        },
      ]);
      const asked = await t.gql<{ assistanceRequests: Record<string, unknown>[] }>(
        REQUEST,
        {},
        kita.token,
      );
      expect(asked.data!.assistanceRequests[0].addressedOrganisationIds).toBeNull();
    });

    it('is tracked until the requester closes it', async () => {
      const notYours = await t.gql(
        'mutation($id: ID!) { closeAssistanceRequest(id: $id) { status } }',
        { id: requestId },
        kita.token,
      );
      expect(code(notYours)).toBe('FORBIDDEN');
      const closed = await t.gql<{ closeAssistanceRequest: { status: string } }>(
        'mutation($id: ID!) { closeAssistanceRequest(id: $id) { status } }',
        { id: requestId },
        higashi.token,
      );
      expect(closed.data).toEqual({ closeAssistanceRequest: { status: 'CLOSED' } });
      const late = await t.gql(RESPOND, { id: requestId, b: 'too late' }, kita.token);
      expect(code(late)).toBe('CONFLICT');
    });
  });

  describe('statistics and the quarterly summary', () => {
    const LESSON = 'Keep an inventory of domains you stop using';
    let quarter: string;

    beforeAll(async () => {
      const jst = new Date(Date.now() + 9 * 3_600_000);
      quarter = `${jst.getUTCFullYear()}-Q${Math.floor(jst.getUTCMonth() / 3) + 1}`;
      const shared = {
        tlp: 'GREEN',
        categories: ['internal.expired-licence'],
        affectedSectors: ['gas'],
      };
      await publishReport(t, higashi.token, {
        ...shared,
        title: 'Licence lapse one',
        lessonsLearned: LESSON,
      });
      await publishReport(t, kita.token, { ...shared, title: 'Licence lapse two' });
      await publishReport(t, kita.token, { ...shared, title: 'Licence lapse three' });
      await publishReport(t, kita.token, {
        ...shared,
        title: 'Drill lapse',
        exercise: 'Licence drill',
        lessonsLearned: 'DRILL-ONLY lesson',
      });
      await publishReport(t, higashi.token, {
        title: 'Amber lesson',
        tlp: 'AMBER',
        audience: { sectorCodes: ['electric-power'] },
        lessonsLearned: 'AMBER-ONLY lesson',
      });
    });

    const cell = async (reader: Member) => {
      const r = await t.gql<{ statistics: { cells: Record<string, unknown>[]; csv: string } }>(
        '{ statistics { cells { quarter category sector count suppressed } csv } }',
        {},
        reader.token,
      );
      expect(r.errors).toBeUndefined();
      return {
        cell: r.data!.statistics.cells.find((c) => c.category === 'internal.expired-licence'),
        csv: r.data!.statistics.csv,
      };
    };

    it('suppresses a cell of fewer than k anonymous authors, and shows it at k', async () => {
      const two = await cell(water);
      expect(two.cell).toEqual({
        quarter,
        category: 'internal.expired-licence',
        sector: 'gas',
        count: null,
        suppressed: true,
      });
      expect(two.csv).toContain(`${quarter},internal.expired-licence,gas,<3\r\n`);
      await publishReport(t, minami.token, {
        tlp: 'GREEN',
        categories: ['internal.expired-licence'],
        affectedSectors: ['gas'],
        title: 'Licence lapse four',
      });
      const three = await cell(water);
      expect(three.cell).toMatchObject({ count: 4, suppressed: false });
      expect(three.csv).toContain(`${quarter},internal.expired-licence,gas,4\r\n`);
    });

    it('counts only what the reader may see', async () => {
      for (const author of [higashi, kita, minami]) {
        await publishReport(t, author.token, {
          title: 'Change without a risk assessment',
          tlp: 'AMBER',
          audience: { sectorCodes: ['electric-power'] },
          categories: ['risk-assessment'],
          affectedSectors: ['railways'],
        });
      }
      const cells = async (reader: Member) =>
        (
          await t.gql<{ statistics: { cells: Record<string, unknown>[]; csv: string } }>(
            '{ statistics { cells { category sector count suppressed } csv } }',
            {},
            reader.token,
          )
        ).data!.statistics;
      const inAudience = await cells(minami);
      expect(inAudience.cells.filter((c) => c.category === 'risk-assessment')).toEqual([
        { category: 'risk-assessment', sector: 'railways', count: null, suppressed: true },
      ]);
      const outside = await cells(water);
      expect(outside.cells.some((c) => c.category === 'risk-assessment')).toBe(false);
      expect(outside.csv).not.toContain('risk-assessment');
    });

    it('gives the coordinator a summary of lessons as members read them, as data and Markdown', async () => {
      const refused = await t.gql(
        'query($q: String!) { quarterlySummary(quarter: $q) { quarter } }',
        { q: quarter },
        higashiAdmin.token,
      );
      expect(code(refused)).toBe('FORBIDDEN');
      const bad = await t.gql(
        'query($q: String!) { quarterlySummary(quarter: $q) { quarter } }',
        { q: '2026-5' },
        coordinator.token,
      );
      expect(code(bad)).toBe('BAD_USER_INPUT');
      const r = await t.gql<{
        quarterlySummary: {
          lessons: Record<string, unknown>[];
          markdown: string;
          counts: unknown[];
        };
      }>(
        `query($q: String!) { quarterlySummary(quarter: $q) { quarter counts { category sector count suppressed }
          lessons { title author lessonsLearned } markdown } }`,
        { q: quarter },
        coordinator.token,
      );
      expect(r.errors).toBeUndefined();
      const s = r.data!.quarterlySummary;
      expect(s.lessons).toContainEqual({
        title: 'Licence lapse one',
        author: 'a member organisation',
        lessonsLearned: LESSON,
      });
      const text = JSON.stringify(s);
      expect(text).not.toContain('Higashi');
      expect(text).not.toContain('AMBER-ONLY');
      expect(text).not.toContain('Drill lesson');
      expect(text).not.toContain('DRILL-ONLY');
      expect(s.markdown).toContain(`> ${LESSON}`);
      // Three anonymous authors: each would learn the other two, so the circulated cell needs k + 1.
      expect(s.markdown).toContain('| internal.expired-licence | gas | <3 |');
    });
  });
});
