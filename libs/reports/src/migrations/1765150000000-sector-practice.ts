import { MigrationInterface, QueryRunner } from 'typeorm';

const orgSetting = `NULLIF(current_setting('renkei.org_id', true), '')::uuid`;

/**
 * The coordinator, as the database knows it: a user or token of an organisation of kind
 * `coordinator`. Written like renkei_can_see (no NOT, NULL hides), so an unset principal is never
 * a coordinator.
 */
const READER_IS_COORDINATOR = `coalesce(
  nullif(current_setting('renkei.kind', true), '') IN ('user', 'token')
  AND EXISTS (SELECT 1 FROM organisation o WHERE o.id = ${orgSetting} AND o.kind = 'coordinator'),
  false)`;

/**
 * What the sector's lessons ask of the hub (ADR 0022): advisories, exercises, the contact
 * directory.
 *
 * - Advisories are a report kind only the coordinator issues, always named. The rule is a
 *   trigger, so no write path (service, migration, a future bulk import) can go round it.
 * - Exercises: `exercise` names the drill an item belongs to (NULL: real); release paths leave
 *   them out (RELEASED_REPORTS in released-reports.ts). Removing a drill deletes its reports;
 *   rows that only point at one (events, list links) follow by their foreign keys, which act
 *   below row-level security.
 * - Contact entries carry a TLP marking like every shareable item and are read through
 *   renkei_can_see; the coordinator additionally sees all of them (who to call is its job).
 */
export class SectorPractice1765150000000 implements MigrationInterface {
  name = 'SectorPractice1765150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE report DROP CONSTRAINT report_kind_check`);
    await q.query(`ALTER TABLE report ADD CONSTRAINT report_kind_check
      CHECK (kind IN ('incident', 'near_miss', 'advisory'))`);
    await q.query(`ALTER TABLE report ADD COLUMN exercise text`);
    await q.query(
      `CREATE INDEX "IDX_report_exercise" ON report (exercise) WHERE exercise IS NOT NULL`,
    );

    await q.query(`CREATE FUNCTION renkei_report_advisory() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.kind = 'advisory' THEN
          IF NOT EXISTS (SELECT 1 FROM organisation o WHERE o.id = NEW.owner_org_id AND o.kind = 'coordinator') THEN
            RAISE EXCEPTION 'only the coordinator issues advisories' USING ERRCODE = 'RK001';
          END IF;
          NEW.anonymous := false;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER "TRG_report_advisory" BEFORE INSERT OR UPDATE ON report
      FOR EACH ROW EXECUTE FUNCTION renkei_report_advisory()`);

    await q.query(`CREATE POLICY report_exercise_delete ON report FOR DELETE
      USING (exercise IS NOT NULL AND current_setting('renkei.kind', true) = 'system')`);
    await q.query(`GRANT DELETE ON report TO renkei_app`);
    for (const [table, constraint] of [
      ['hub_event', 'hub_event_report_id_fkey'],
      ['indicator_list', 'indicator_list_report_id_fkey'],
      ['entry_batch', 'entry_batch_report_id_fkey'],
    ]) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${constraint}`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${constraint} FOREIGN KEY (report_id)
        REFERENCES report(id) ON DELETE ${table === 'hub_event' ? 'CASCADE' : 'SET NULL'}`);
    }

    await q.query(`CREATE TABLE organisation_contact (
      owner_org_id uuid PRIMARY KEY REFERENCES organisation(id) ON DELETE CASCADE,
      tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT')),
      audience_orgs uuid[] NOT NULL DEFAULT '{}',
      audience_sectors text[] NOT NULL DEFAULT '{}',
      audience_groups uuid[] NOT NULL DEFAULT '{}',
      phone text,
      email text,
      openpgp_key text,
      hours text,
      escalation text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      confirmed_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`ALTER TABLE organisation_contact ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE organisation_contact FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY organisation_contact_read ON organisation_contact FOR SELECT
      USING (renkei_can_see(owner_org_id, tlp, 'published', audience_orgs, audience_sectors, audience_groups, '{}')
             OR ${READER_IS_COORDINATOR})`);
    await q.query(`CREATE POLICY organisation_contact_write ON organisation_contact FOR INSERT
      WITH CHECK (owner_org_id = ${orgSetting})`);
    await q.query(`CREATE POLICY organisation_contact_update ON organisation_contact FOR UPDATE
      USING (owner_org_id = ${orgSetting}) WITH CHECK (owner_org_id = ${orgSetting})`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON organisation_contact TO renkei_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE organisation_contact`);
    for (const [table, constraint] of [
      ['hub_event', 'hub_event_report_id_fkey'],
      ['indicator_list', 'indicator_list_report_id_fkey'],
      ['entry_batch', 'entry_batch_report_id_fkey'],
    ]) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${constraint}`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${constraint} FOREIGN KEY (report_id)
        REFERENCES report(id)`);
    }
    await q.query(`REVOKE DELETE ON report FROM renkei_app`);
    await q.query(`DROP POLICY report_exercise_delete ON report`);
    await q.query(`DROP TRIGGER "TRG_report_advisory" ON report`);
    await q.query(`DROP FUNCTION renkei_report_advisory()`);
    await q.query(`DROP INDEX "IDX_report_exercise"`);
    await q.query(`ALTER TABLE report DROP COLUMN exercise`);
    await q.query(`ALTER TABLE report DROP CONSTRAINT report_kind_check`);
    await q.query(`ALTER TABLE report ADD CONSTRAINT report_kind_check
      CHECK (kind IN ('incident', 'near_miss'))`);
  }
}
