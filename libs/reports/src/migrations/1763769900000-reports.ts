import { MigrationInterface, QueryRunner } from 'typeorm';
import { DROP_TLP_POLICY_FUNCTION_SQL, TLP_POLICY_FUNCTION_SQL } from '@renkei/sharing';

/**
 * Reports under TLP, enforced by PostgreSQL: the restricted role renkei_app (no BYPASSRLS, not
 * the owner), the policy function, and FORCEd row-level security on every report table.
 * Comments, sightings and revisions are visible exactly when their report is: their policies
 * ask whether the report row is visible, which applies the report's policy.
 */
export class Reports1763769900000 implements MigrationInterface {
  name = 'Reports1763769900000';

  async up(q: QueryRunner): Promise<void> {
    // Roles are cluster-wide: several hub databases on one server share it, and their
    // migrations (each under its own database's lock) may race to create it.
    await q.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'renkei_app') THEN
        CREATE ROLE renkei_app NOLOGIN NOBYPASSRLS;
      END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`);
    await q.query(`DO $$ BEGIN
      EXECUTE format('GRANT renkei_app TO %I', current_user);
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(TLP_POLICY_FUNCTION_SQL);

    await q.query(`CREATE TABLE report_category (
      code text PRIMARY KEY,
      parent_code text REFERENCES report_category(code),
      name_en text NOT NULL,
      name_ja text NOT NULL,
      position int NOT NULL
    )`);
    await q.query(`INSERT INTO report_category (code, parent_code, name_en, name_ja, position) VALUES
      ('provider-outage', NULL, 'External provider outage', '外部サービス障害', 1),
      ('provider-outage.cloud', 'provider-outage', 'Cloud service', 'クラウドサービス', 2),
      ('provider-outage.carrier', 'provider-outage', 'Carrier line', '通信回線', 3),
      ('provider-outage.shared-network', 'provider-outage', 'Shared network', '共用ネットワーク', 4),
      ('cyberattack', NULL, 'Cyberattack', 'サイバー攻撃', 5),
      ('cyberattack.dos', 'cyberattack', 'Denial of service', 'DoS攻撃', 6),
      ('cyberattack.exploited-vulnerability', 'cyberattack', 'Exploited vulnerability', '脆弱性の悪用', 7),
      ('cyberattack.credential-abuse', 'cyberattack', 'Unauthorised access with stolen or guessable credentials', '窃取・推測された認証情報による不正アクセス', 8),
      ('cyberattack.iot-compromise', 'cyberattack', 'Compromised IoT device', 'IoT機器の乗っ取り', 9),
      ('cyberattack.phishing', 'cyberattack', 'Phishing or support scam', 'フィッシング・サポート詐欺', 10),
      ('cyberattack.abandoned-domain', 'cyberattack', 'Abuse of an abandoned domain', '放棄ドメインの悪用', 11),
      ('internal', NULL, 'Internal failure', '内部要因', 12),
      ('internal.equipment-fault', 'internal', 'Equipment fault', '機器故障', 13),
      ('internal.misconfiguration', 'internal', 'Misconfiguration or operator error', '設定誤り・操作ミス', 14),
      ('internal.expired-licence', 'internal', 'Expired licence', 'ライセンス切れ', 15),
      ('internal.insider-misuse', 'internal', 'Insider misuse', '内部不正', 16),
      ('risk-assessment', NULL, 'Insufficient risk assessment before a change', '変更前のリスク評価不足', 17)`);

    await q.query(`CREATE TABLE report (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      owner_org_id uuid NOT NULL REFERENCES organisation(id),
      author_user_id uuid NOT NULL REFERENCES hub_user(id),
      kind text NOT NULL CHECK (kind IN ('incident', 'near_miss')),
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'retracted')),
      tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED')),
      audience_orgs uuid[] NOT NULL DEFAULT '{}',
      audience_sectors text[] NOT NULL DEFAULT '{}',
      audience_groups uuid[] NOT NULL DEFAULT '{}',
      red_users uuid[] NOT NULL DEFAULT '{}',
      red_recipient_emails text[] NOT NULL DEFAULT '{}',
      anonymous boolean NOT NULL DEFAULT true,
      reveal_to_coordinators boolean NOT NULL DEFAULT false,
      title text NOT NULL,
      sections jsonb NOT NULL DEFAULT '{}',
      categories text[] NOT NULL DEFAULT '{}',
      affected_sectors text[] NOT NULL DEFAULT '{}',
      timeline jsonb NOT NULL DEFAULT '{}',
      impact jsonb NOT NULL DEFAULT '{}',
      linked_reports uuid[] NOT NULL DEFAULT '{}',
      revision int NOT NULL DEFAULT 0,
      retraction_reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz,
      search_text text NOT NULL DEFAULT ''
    )`);
    await q.query(`CREATE INDEX "IDX_report_owner" ON report (owner_org_id)`);
    await q.query(`CREATE INDEX "IDX_report_published" ON report (published_at DESC, id)`);
    await q.query(
      `CREATE INDEX "IDX_report_search" ON report USING gin (search_text gin_trgm_ops)`,
    );

    await q.query(`CREATE TABLE report_revision (
      report_id uuid NOT NULL REFERENCES report(id) ON DELETE CASCADE,
      revision int NOT NULL,
      snapshot jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (report_id, revision)
    )`);
    await q.query(`CREATE TABLE report_comment (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      report_id uuid NOT NULL REFERENCES report(id) ON DELETE CASCADE,
      org_id uuid NOT NULL REFERENCES organisation(id),
      user_id uuid NOT NULL REFERENCES hub_user(id),
      body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE INDEX "IDX_report_comment_report" ON report_comment (report_id, created_at)`,
    );
    await q.query(`CREATE TABLE report_sighting (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      report_id uuid NOT NULL REFERENCES report(id) ON DELETE CASCADE,
      org_id uuid NOT NULL REFERENCES organisation(id),
      user_id uuid NOT NULL REFERENCES hub_user(id),
      seen_on date,
      note text,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (report_id, org_id)
    )`);
    await q.query(`CREATE TABLE organisation_scrub_term (
      org_id uuid NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
      term text NOT NULL,
      PRIMARY KEY (org_id, term)
    )`);

    const orgSetting = `NULLIF(current_setting('renkei.org_id', true), '')::uuid`;
    await q.query(`ALTER TABLE report ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE report FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY report_read ON report FOR SELECT
      USING (renkei_can_see(owner_org_id, tlp, status, audience_orgs, audience_sectors, audience_groups, red_users))`);
    await q.query(
      `CREATE POLICY report_write ON report FOR INSERT WITH CHECK (owner_org_id = ${orgSetting})`,
    );
    await q.query(`CREATE POLICY report_update ON report FOR UPDATE
      USING (owner_org_id = ${orgSetting}) WITH CHECK (owner_org_id = ${orgSetting})`);
    for (const table of ['report_revision', 'report_comment', 'report_sighting']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY ${table}_read ON ${table} FOR SELECT
        USING (EXISTS (SELECT 1 FROM report r WHERE r.id = report_id))`);
    }
    await q.query(`CREATE POLICY report_revision_write ON report_revision FOR INSERT
      WITH CHECK (EXISTS (SELECT 1 FROM report r WHERE r.id = report_id AND r.owner_org_id = ${orgSetting}))`);
    for (const table of ['report_comment', 'report_sighting']) {
      // A response can only be added to a report one can see, in one's own name.
      await q.query(`CREATE POLICY ${table}_write ON ${table} FOR INSERT
        WITH CHECK (org_id = ${orgSetting} AND EXISTS (SELECT 1 FROM report r WHERE r.id = report_id AND r.status = 'published'))`);
    }
    await q.query(`CREATE POLICY report_sighting_update ON report_sighting FOR UPDATE
      USING (org_id = ${orgSetting}) WITH CHECK (org_id = ${orgSetting})`);

    await q.query(
      `GRANT SELECT, INSERT, UPDATE ON report, report_revision, report_comment, report_sighting TO renkei_app`,
    );
    await q.query(
      `GRANT SELECT ON report_category, organisation, sector, corporate_group, organisation_scrub_term TO renkei_app`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE organisation_scrub_term, report_sighting, report_comment, report_revision, report, report_category`,
    );
    await q.query(DROP_TLP_POLICY_FUNCTION_SQL);
  }
}
