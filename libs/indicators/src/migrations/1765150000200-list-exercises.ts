import { MigrationInterface, QueryRunner } from 'typeorm';

/** Foreign keys that point at a list or its batches, and now follow a deleted list. */
const FOLLOWERS: [table: string, constraint: string, column: string, target: string][] = [
  ['entry_batch', 'entry_batch_list_seq_fkey', 'list_seq', 'indicator_list(seq)'],
  ['stix_change', 'stix_change_list_seq_fkey', 'list_seq', 'indicator_list(seq)'],
  ['stix_tombstone', 'stix_tombstone_list_seq_fkey', 'list_seq', 'indicator_list(seq)'],
  ['feed_stop', 'feed_stop_list_seq_fkey', 'list_seq', 'indicator_list(seq)'],
  ['hub_event', 'hub_event_list_id_fkey', 'list_id', 'indicator_list(id)'],
  ['hub_event', 'hub_event_batch_id_fkey', 'batch_id', 'entry_batch(id)'],
];

/**
 * Indicator lists can be exercises too (ADR 0022). Feeds and TAXII leave them out where they
 * select lists (FeedService's list clauses, ListService.forStix). Removing a drill deletes its
 * lists as the system principal, admitted for exercises only; everything that hangs off a list
 * follows by foreign key (which acts below row-level security), and its entries, which carry no
 * key, are deleted first under a system-only policy.
 */
export class ListExercises1765150000200 implements MigrationInterface {
  name = 'ListExercises1765150000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE indicator_list ADD COLUMN exercise text`);
    await q.query(
      `CREATE INDEX "IDX_indicator_list_exercise" ON indicator_list (exercise) WHERE exercise IS NOT NULL`,
    );
    await q.query(`CREATE POLICY indicator_list_exercise_delete ON indicator_list FOR DELETE
      USING (exercise IS NOT NULL AND current_setting('renkei.kind', true) = 'system')`);
    await q.query(`CREATE POLICY list_entry_system_delete ON list_entry FOR DELETE
      USING (current_setting('renkei.kind', true) = 'system')`);
    await q.query(`GRANT DELETE ON indicator_list TO renkei_app`);
    for (const [table, constraint, column, target] of FOLLOWERS) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${constraint}`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${constraint} FOREIGN KEY (${column})
        REFERENCES ${target} ON DELETE CASCADE`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, constraint, column, target] of FOLLOWERS) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${constraint}`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${constraint} FOREIGN KEY (${column})
        REFERENCES ${target}`);
    }
    await q.query(`REVOKE DELETE ON indicator_list FROM renkei_app`);
    await q.query(`DROP POLICY list_entry_system_delete ON list_entry`);
    await q.query(`DROP POLICY indicator_list_exercise_delete ON indicator_list`);
    await q.query(`DROP INDEX "IDX_indicator_list_exercise"`);
    await q.query(`ALTER TABLE indicator_list DROP COLUMN exercise`);
  }
}
