import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Housekeeping may delete list entries expired long ago and the tombstones of removed ones
 * (EntryRetention, ADR 0020). It works as the system principal, which reads every row but could
 * delete none: deleting stays the list owner's right, except for rows past their retention.
 */
export class EntryRetention1765130000000 implements MigrationInterface {
  name = 'EntryRetention1765130000000';

  async up(q: QueryRunner): Promise<void> {
    const system = `(SELECT nullif(current_setting('renkei.kind', true), '')) = 'system'`;
    for (const table of ['list_entry', 'stix_tombstone']) {
      await q.query(`CREATE POLICY ${table}_retention ON ${table} FOR DELETE USING (${system})`);
    }
    await q.query(`GRANT DELETE ON stix_tombstone TO renkei_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`REVOKE DELETE ON stix_tombstone FROM renkei_app`);
    for (const table of ['list_entry', 'stix_tombstone']) {
      await q.query(`DROP POLICY ${table}_retention ON ${table}`);
    }
  }
}
