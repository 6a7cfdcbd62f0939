import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a report's current version was added, in commit order (libs/sharing commit-order.ts):
 * TAXII's "date added", by which clients page with `added_after` and never miss a version
 * committed late.
 */
export class ReportStixAdded1763770100000 implements MigrationInterface {
  name = 'ReportStixAdded1763770100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE report ADD COLUMN stix_added_at timestamptz`);
    await q.query(
      `UPDATE report SET stix_added_at = coalesce(updated_at, published_at) WHERE status <> 'draft'`,
    );
    await q.query(`CREATE INDEX "IDX_report_stix_added" ON report (stix_added_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE report DROP COLUMN stix_added_at`);
  }
}
