import { MigrationInterface, QueryRunner } from 'typeorm';

const userSetting = `NULLIF(current_setting('renkei.user_id', true), '')::uuid`;

/**
 * Per-user read marks for reports (ADR 0025): a row means "this person has opened this report".
 * A person sees and writes only their own marks, and only for reports the report policy lets
 * them see (the EXISTS below runs under that policy), so neither a count nor a mark can say
 * anything about a report hidden from the reader.
 */
export class ReportReadMarks1765180000000 implements MigrationInterface {
  name = 'ReportReadMarks1765180000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE report_read_mark (
      user_id uuid NOT NULL REFERENCES hub_user(id) ON DELETE CASCADE,
      report_id uuid NOT NULL REFERENCES report(id) ON DELETE CASCADE,
      read_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, report_id)
    )`);
    await q.query(`CREATE INDEX "IDX_report_read_mark_report" ON report_read_mark (report_id)`);
    await q.query(`ALTER TABLE report_read_mark ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE report_read_mark FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY report_read_mark_own ON report_read_mark FOR SELECT
      USING (user_id = ${userSetting})`);
    await q.query(`CREATE POLICY report_read_mark_write ON report_read_mark FOR INSERT
      WITH CHECK (user_id = ${userSetting}
        AND EXISTS (SELECT 1 FROM report r WHERE r.id = report_id))`);
    await q.query(`GRANT SELECT, INSERT ON report_read_mark TO renkei_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE report_read_mark`);
  }
}
