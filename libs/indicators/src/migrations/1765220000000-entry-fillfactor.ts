import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `list_entry` pages are filled to half (ADR 0029). A re-post sights every value of a list
 * again, one row update each; with room on its page the new version stays there and the primary
 * key is not touched (a HOT update), where full pages made every update an index insertion too
 * (a million rows: 9.4 s with full pages, 2.0 s with room). Pages written from now on keep the
 * room; rows already stored get it as updates and vacuum free their old versions.
 */
export class EntryFillfactor1765220000000 implements MigrationInterface {
  name = 'EntryFillfactor1765220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE list_entry SET (fillfactor = 50)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE list_entry RESET (fillfactor)`);
  }
}
