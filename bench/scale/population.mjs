/* global console -- Node globals (eslint.config.mjs declares none for .mjs) */
/*
 * The national population (issue 16), generated with PostgreSQL's own bulk tools
 * (`INSERT … SELECT generate_series`) as the embedded server's superuser, after the hub ran its
 * migrations. The superuser bypasses row-level security (it does not bypass triggers or
 * constraints): every statement below still runs the hub's statement triggers (entry/batch
 * checks, feed_state change counter, report advisory rule) and its check and foreign keys.
 *
 * Shape at scale 1 (BENCH_SCALE multiplies every count):
 * - 1 coordinator, 15 sector CSIRTs, ~960 operators (a few large sectors hold most of them, see
 *   SECTOR_WEIGHTS), 24 vendors; ~50 corporate groups of 2–8 companies across sectors.
 * - 100,000 users (more in large sectors), all with one precomputed argon2id hash.
 * - ~10,000,000 live list entries in ~900 lists of very different sizes: one national GREEN
 *   list of 1,000,000 (the only list the probe operator, in "other" and outside every
 *   audience, sees), 5 sector lists of 1,400,000 (AMBER to their sector), 50 coordinator
 *   advisories of 2,000, AMBER+STRICT group lists, AMBER lists to named peers, RED lists, 640
 *   small member lists, a 10,000-entry list (TAXII's baseline), and lists whose batches expired
 *   more than a year ago (what retention deletes: 1,000,000 entries, beside ~10,000,000 live).
 * - 100,000 reports (90% published) over CLEAR/GREEN/AMBER/AMBER+STRICT/RED with audiences of
 *   sectors, groups, organisations and users; ~3 comments and ~0.5 sightings per report.
 *
 * Not generated: the outbox (hub_event: history nobody measured here reads), the audit chain
 * and report revisions (written by the hub on its own paths, not read by any measured path).
 */
import { hash } from '@node-rs/argon2';

export const PASSWORD = 'scale bench passphrase, long and random enough 4711';

const SECTOR_WEIGHTS = {
  'information-communications': 20,
  finance: 18,
  'electric-power': 12,
  medical: 12,
  government: 10,
  logistics: 6,
  railways: 4,
  gas: 3,
  water: 3,
  chemicals: 3,
  'credit-cards': 2,
  aviation: 1,
  airports: 1,
  petroleum: 1,
  ports: 1,
  other: 3,
};
export const BIG_SECTORS = [
  'information-communications',
  'finance',
  'electric-power',
  'medical',
  'government',
];

/** The list plan: [name prefix, count, entries each, tlp, audience kind, expired]. */
export function listPlan(scale) {
  const n = (x) => Math.max(1, Math.round(x * scale));
  return [
    ['national', 1, n(1_000_000), 'GREEN', 'none', false],
    ['advisory', 50, n(2_000), 'AMBER', 'sector', false],
    ['sector', 5, n(1_400_000), 'AMBER', 'sector', false],
    ['group', 50, n(20_000), 'AMBER_STRICT', 'group', false],
    ['peers', 100, n(5_000), 'AMBER', 'orgs', false],
    ['red', 50, n(4_000), 'RED', 'users', false],
    ['member', 640, n(500), 'AMBER', 'sector', false],
    ['old', 10, n(100_000), 'AMBER', 'sector', true],
    // TAXII's baseline collection: 10,000 indicators at every scale.
    ['ten', 1, 10_000, 'AMBER', 'sector', false],
  ];
}

async function timed(log, what, fn) {
  const t0 = Date.now();
  const r = await fn();
  log(`  ${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return r;
}

/**
 * Generates everything on the hub's database (`client`: a pg client as superuser). With
 * `only: 'national'`, only the organisations, users and the national list (the baseline
 * database: "only that million"). Returns ids the measurements need.
 */
export async function generate(client, { scale, only, log = console.log }) {
  const q = (sql, params) => client.query(sql, params);
  await q('SET synchronous_commit = off');
  const orgCount = Math.max(40, Math.round(1000 * scale));
  const userCount = Math.max(orgCount * 3, Math.round(100_000 * scale));
  const groupCount = Math.max(4, Math.round(50 * scale));
  const passwordHash = await hash(PASSWORD);
  const totalWeight = Object.values(SECTOR_WEIGHTS).reduce((a, b) => a + b, 0);

  await timed(log, `${orgCount} organisations, ${groupCount} groups`, async () => {
    await q(
      `INSERT INTO corporate_group (name) SELECT 'Scale group ' || g FROM generate_series(1, $1) g`,
      [groupCount],
    );
    // The coordinator (the bootstrapped admin's organisation) exists; sector CSIRTs one each.
    await q(`INSERT INTO organisation (name, kind, sector_code)
      SELECT 'CSIRT ' || code, 'sector_csirt', code FROM sector WHERE code <> 'other'`);
    // Operators by sector weight, vendors in "other"; a quarter of operators in a group.
    const sectors = Object.entries(SECTOR_WEIGHTS);
    const operators = orgCount - 16 - Math.round(orgCount * 0.024);
    let made = 0;
    for (const [i, [code, w]] of sectors.entries()) {
      const count =
        i === sectors.length - 1 ? operators - made : Math.round((operators * w) / totalWeight);
      made += count;
      await q(
        `INSERT INTO organisation (name, kind, sector_code, group_id, domains)
         SELECT 'Operator ' || $1 || ' ' || g, 'operator', $1,
                CASE WHEN g % 4 = 0 THEN (SELECT id FROM corporate_group ORDER BY name
                                           OFFSET (g / 4 + $3) % $4 LIMIT 1) END,
                ARRAY['op' || g || '.' || $1 || '.example']
           FROM generate_series(1, $2) g`,
        [code, count, i, groupCount],
      );
    }
    await q(
      `INSERT INTO organisation (name, kind, sector_code)
       SELECT 'Vendor ' || g, 'vendor', 'other' FROM generate_series(1, $1) g`,
      [Math.round(orgCount * 0.024)],
    );
    // PROBE: an operator in "other", in no group, named in no audience: it sees the GREEN lists.
    await q(
      `INSERT INTO organisation (name, kind, sector_code) VALUES ('Probe operator', 'operator', 'other')`,
    );
  });

  await timed(log, `${userCount} users`, async () => {
    // Users per organisation: 1 + a share proportional to a per-org weight (large sectors more).
    await q(
      `WITH o AS (
         SELECT id, row_number() OVER (ORDER BY name) AS n,
                CASE WHEN sector_code = ANY ($3) THEN 3 ELSE 1 END * (1 + (hashtext(name) & 7)) AS w
           FROM organisation),
       t AS (SELECT sum(w) AS total FROM o)
       INSERT INTO hub_user (organisation_id, email, display_name, role, password_hash, email_verified_at, language)
       SELECT o.id, 'u' || o.n || '-' || g || '@scale.example', 'User ' || o.n || '-' || g,
              CASE WHEN g = 1 THEN 'org_admin' WHEN g % 5 = 0 THEN 'viewer' ELSE 'analyst' END,
              $2, now(), CASE WHEN g % 3 = 0 THEN 'en' ELSE 'ja' END
         FROM o, t, generate_series(1, greatest(1, round($1::numeric * o.w / t.total))::int) g`,
      [userCount, passwordHash, BIG_SECTORS],
    );
  });

  const { rows: lists } = await timed(log, 'lists and batches', async () => {
    const made = [];
    for (const [prefix, count, size, tlp, audience, expired] of listPlan(scale)) {
      if (only === 'national' && prefix !== 'national') continue;
      const owner =
        prefix === 'national' || prefix === 'advisory'
          ? `(SELECT id FROM organisation WHERE kind = 'coordinator' LIMIT 1)`
          : prefix === 'sector'
            ? `(SELECT id FROM organisation WHERE kind = 'sector_csirt' AND sector_code = ($5::text[])[1 + (g - 1) % 5])`
            : // Not in "other": their AMBER lists go to the owner's sector, never the probe's.
              `(SELECT id FROM organisation WHERE kind = 'operator' AND sector_code <> 'other'
                 ORDER BY hashtext(name || g) LIMIT 1)`;
      const { rows } = await q(
        `INSERT INTO indicator_list (owner_org_id, author_user_id, name, tlp, anonymous,
                                     audience_sectors, audience_groups, audience_orgs, red_users)
         SELECT o.id, (SELECT u.id FROM hub_user u WHERE u.organisation_id = o.id LIMIT 1),
                $1 || ' list ' || g, $2, g % 2 = 0,
                CASE WHEN $3 = 'sector' THEN
                  CASE WHEN $1 IN ('sector', 'advisory') THEN ARRAY[($5::text[])[1 + (g - 1) % 5]] ELSE ARRAY[o.sector_code] END
                  ELSE '{}' END,
                CASE WHEN $3 = 'group' THEN ARRAY[(SELECT id FROM corporate_group ORDER BY name OFFSET g % $6 LIMIT 1)] ELSE '{}' END,
                CASE WHEN $3 = 'orgs' THEN ARRAY(SELECT id FROM organisation p WHERE p.kind = 'operator'
                                                    AND p.name <> 'Probe operator' ORDER BY hashtext(p.name || g) LIMIT 5)
                     ELSE '{}' END,
                CASE WHEN $3 = 'users' THEN ARRAY(SELECT id FROM hub_user u ORDER BY hashtext(u.email || g) LIMIT 3)
                     ELSE '{}' END
           FROM generate_series(1, $4) g, LATERAL (SELECT id, sector_code FROM organisation WHERE id = ${owner}) o
         RETURNING seq, owner_org_id, author_user_id, tlp`,
        [prefix, tlp, audience, count, BIG_SECTORS, groupCount],
      );
      for (const r of rows) made.push({ ...r, prefix, size, expired });
    }
    // One batch per list (an import), committed: TAXII's date added; the old ones expired long ago.
    const { rows: batches } = await q(
      `INSERT INTO entry_batch (list_seq, owner_org_id, added_by_user, source, confidence, seen_at,
                                valid_until, added, committed_at, created_at)
       SELECT s.seq, s.owner, s.author, 'text', 50, t.at, t.at + interval '90 days', s.size, t.at, t.at
         FROM unnest($1::int[], $2::uuid[], $3::uuid[], $4::int[], $5::bool[]) s(seq, owner, author, size, expired),
              LATERAL (SELECT CASE WHEN s.expired THEN now() - interval '500 days'
                                   ELSE now() - (s.seq % 30) * interval '1 day' END AS at) t
       RETURNING id, list_seq`,
      [
        made.map((l) => l.seq),
        made.map((l) => l.owner_org_id),
        made.map((l) => l.author_user_id),
        made.map((l) => l.size),
        made.map((l) => l.expired),
      ],
    );
    const batchOf = new Map(batches.map((b) => [b.list_seq, b.id]));
    for (const l of made) l.batch = batchOf.get(l.seq);
    return { rows: made };
  });

  const total = lists.reduce((a, l) => a + l.size, 0);
  await timed(log, `${total.toLocaleString('en')} list entries`, async () => {
    // IPv4 values from integers: lists overlap (the same attacker in several lists) because
    // each starts at an offset inside one shared 2^26 range (1.0.0.0/6).
    for (const l of lists) {
      await q(
        `INSERT INTO list_entry (list_seq, value, type, first_batch, last_batch)
         SELECT $1, host('1.0.0.0'::inet + ((($4::bigint * 7919) + g) % 67108864)), 'ipv4', $2, $2
           FROM generate_series(0, $3 - 1) g`,
        [l.seq, l.batch, l.size, l.seq],
      );
    }
  });

  if (!only) {
    const reportCount = Math.max(200, Math.round(100_000 * scale));
    await timed(log, `${reportCount} reports`, async () => {
      await q(
        `WITH a AS (
           SELECT u.id AS user_id, u.organisation_id AS org_id, row_number() OVER (ORDER BY u.email) AS n
             FROM hub_user u JOIN organisation o ON o.id = u.organisation_id
            WHERE o.kind IN ('operator', 'sector_csirt') AND u.role <> 'viewer'),
         c AS (SELECT count(*) AS k FROM a)
         INSERT INTO report (owner_org_id, author_user_id, kind, status, tlp, audience_sectors,
                             audience_groups, audience_orgs, red_users, anonymous, title, sections,
                             categories, affected_sectors, created_at, updated_at, published_at,
                             search_text, stix_added_at)
         SELECT a.org_id, a.user_id, CASE WHEN g % 3 = 0 THEN 'near_miss' ELSE 'incident' END,
                CASE WHEN g % 10 = 0 THEN 'draft' ELSE 'published' END, m.tlp,
                CASE WHEN m.tlp IN ('AMBER', 'AMBER_STRICT') AND g % 3 <> 2 THEN ARRAY[($2::text[])[1 + g % 5]] ELSE '{}' END,
                CASE WHEN m.tlp IN ('AMBER', 'AMBER_STRICT') AND g % 3 = 2
                     THEN ARRAY[(SELECT id FROM corporate_group ORDER BY name OFFSET g % $3 LIMIT 1)] ELSE '{}' END,
                '{}', CASE WHEN m.tlp = 'RED' THEN ARRAY[a.user_id] ELSE '{}' END,
                g % 4 <> 0, 'Scale report ' || g || ': ' || m.tlp || ' incident at an operator',
                jsonb_build_object('background', 'Generated background of report ' || g,
                                   'detection', 'Detected by monitoring'),
                ARRAY['cyberattack'], ARRAY[($2::text[])[1 + g % 5]], t.at, t.at,
                CASE WHEN g % 10 = 0 THEN NULL ELSE t.at END,
                'scale report ' || g || ' generated background', CASE WHEN g % 10 = 0 THEN NULL ELSE t.at END
           FROM generate_series(1, $1) g, c,
                LATERAL (SELECT * FROM a WHERE a.n = 1 + (hashtext(g::text) & 2147483647) % c.k) a,
                LATERAL (SELECT CASE WHEN g % 20 < 2 THEN 'CLEAR' WHEN g % 20 < 12 THEN 'GREEN'
                                     WHEN g % 20 < 17 THEN 'AMBER' WHEN g % 20 < 19 THEN 'AMBER_STRICT'
                                     ELSE 'RED' END AS tlp) m,
                LATERAL (SELECT now() - ($1 - g) * interval '10 minutes' * (100000.0 / $1) AS at) t`,
        [reportCount, BIG_SECTORS, groupCount],
      );
    });
    await timed(log, 'comments and sightings', async () => {
      // Comments by users of the report's own organisation (who always see it); sightings on
      // GREEN/CLEAR reports by other operators (who see them), one per organisation.
      await q(`INSERT INTO report_comment (report_id, org_id, user_id, body, created_at)
        SELECT r.id, r.owner_org_id, r.author_user_id, 'Update ' || g || ' on this incident', r.created_at + g * interval '1 hour'
          FROM report r, generate_series(1, 1 + (hashtext(r.id::text) & 3)) g
         WHERE r.status = 'published'`);
      await q(`WITH ops AS (SELECT u.id AS user_id, u.organisation_id AS org_id, row_number() OVER (ORDER BY u.email) AS n
                              FROM hub_user u WHERE u.role = 'org_admin'),
                    c AS (SELECT count(*) AS k FROM ops)
        INSERT INTO report_sighting (report_id, org_id, user_id, seen_on, note, created_at)
        SELECT r.id, o.org_id, o.user_id, r.created_at::date, 'we saw this too', r.created_at + interval '2 hours'
          FROM report r, c, LATERAL (SELECT * FROM ops WHERE ops.n = 1 + (hashtext(r.id::text || 's') & 2147483647) % c.k) o
         WHERE r.status = 'published' AND r.tlp IN ('CLEAR', 'GREEN') AND o.org_id <> r.owner_org_id
        ON CONFLICT DO NOTHING`);
    });
  }
  await timed(log, 'ANALYZE', () => q('ANALYZE'));
  const { rows: counts } = await q(`SELECT
      (SELECT count(*) FROM organisation)::int AS organisations,
      (SELECT count(*) FROM hub_user)::int AS users,
      (SELECT count(*) FROM indicator_list)::int AS lists,
      (SELECT count(*) FROM list_entry)::int AS entries,
      (SELECT count(*) FROM report)::int AS reports,
      (SELECT count(*) FROM report_comment)::int AS comments,
      (SELECT count(*) FROM report_sighting)::int AS sightings`);
  return { counts: counts[0], lists };
}
