import { Client } from 'pg';
import { principalSettings } from '../libs/sharing/src/tlp-policy.sql';
import { createOrg, Member, member, publishReport } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';

type Plan = { 'Node Type': string; 'Index Name'?: string; Filter?: string; Plans?: Plan[] };

/** Every node of a plan, depth first. */
function nodes(plan: Plan): Plan[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/**
 * Why the inbox of 10,000 reports is usable in time (ADR 0028), as plans rather than timings:
 * the visibility policy is inlined into the query (no SQL function called per row), and a page
 * in the inbox's order walks its index instead of sorting every visible report. Timings are
 * bench/console.mjs's job; these fail as soon as either property is lost.
 */
describe('the inbox query plans over 5,000 reports', () => {
  let t: TestHub;
  let db: Client;
  let reader: Member;

  beforeAll(async () => {
    t = await startTestHub();
    const admin = (await t.bootstrapAdmin()).token;
    const author = await member(
      t,
      admin,
      await createOrg(t, admin, { name: 'Higashi Denryoku', sectorCode: 'electric-power' }),
      'author@higashi-denryoku.example',
    );
    reader = await member(
      t,
      admin,
      await createOrg(t, admin, { name: 'Kita Power', sectorCode: 'electric-power' }),
      'analyst@kita-power.example',
    );
    await publishReport(t, author.token, { title: 'DoS on the portal', tlp: 'GREEN' });
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    // Copies of the published report, as the table's owner: the plan depends on the row count.
    const { rows } = await db.query(
      `SELECT string_agg(quote_ident(column_name), ',' ORDER BY ordinal_position) AS c
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'report'`,
    );
    const columns: string = rows[0].c;
    const copied = columns
      .replace(/(^|,)id(,|$)/, '$1gen_random_uuid()$2')
      .replace('published_at', `published_at - g * interval '1 minute'`);
    await db.query(
      `INSERT INTO report (${columns}) SELECT ${copied} FROM report, generate_series(1, 4999) g`,
    );
    await db.query('ANALYZE report');
  }, 10 * 60_000);

  afterAll(async () => {
    await db?.end();
    await t?.stop();
  });

  /** EXPLAIN as the hub runs a reader's query: the restricted role, the principal set. */
  async function plan(sql: string): Promise<Plan[]> {
    const me = await db.query(
      `SELECT u.id, o.id AS org, o.sector_code AS sector, o.group_id AS "group"
         FROM hub_user u JOIN organisation o ON o.id = u.organisation_id WHERE u.email = $1`,
      [reader.email],
    );
    const [r] = me.rows;
    const settings = principalSettings({
      kind: 'user',
      userId: r.id,
      orgId: r.org,
      sector: r.sector,
      groupId: r.group,
    });
    await db.query('BEGIN');
    try {
      await db.query('SET LOCAL ROLE renkei_app');
      await db.query(
        'SELECT set_config(n, v, true) FROM unnest($1::text[], $2::text[]) AS s(n, v)',
        [settings.map(([n]) => n), settings.map(([, v]) => v)],
      );
      const out = await db.query(`EXPLAIN (FORMAT JSON) ${sql}`);
      return nodes(out.rows[0]['QUERY PLAN'][0].Plan);
    } finally {
      await db.query('ROLLBACK');
    }
  }

  it('inlines the visibility policy: no SQL function is called per row', async () => {
    const count = await plan('SELECT count(*) FROM report');
    const filters = count.map((n) => n.Filter ?? '').join('\n');
    expect(filters).toContain('current_setting');
    expect(filters).not.toContain('renkei_can_see(');
  });

  it('reads a page in the inbox order from its index, not by sorting every visible report', async () => {
    const page = await plan(
      `SELECT * FROM report WHERE true
        ORDER BY coalesce(published_at, created_at) DESC, id DESC LIMIT 51`,
    );
    expect(page.map((n) => n['Node Type'])).not.toContain('Sort');
    expect(page.map((n) => n['Index Name'])).toContain('IDX_report_inbox_order');
  });
});
