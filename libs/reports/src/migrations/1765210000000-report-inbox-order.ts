import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox's order (newest first by publication, a draft by creation; `ReportService.list`) as
 * an index, so a page of 50 walks the index and asks the visibility policy about the rows it
 * returns, instead of every visible report before a sort (ADR 0028: 10,000 reports).
 */
export class ReportInboxOrder1765210000000 implements MigrationInterface {
  name = 'ReportInboxOrder1765210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "IDX_report_inbox_order" ON report ((coalesce(published_at, created_at)) DESC, id DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_report_inbox_order"`);
  }
}
