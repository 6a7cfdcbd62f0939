import { COMMIT_ORDER_LOCK } from '@renkei/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Versions of the STIX objects served over TAXII (ADR 0009, "Versions"). A batch already stamps
 * the entries it sights (`entry_batch.committed_at`); the other changes of a list get a
 * `stix_change`, stamped the same way (last in its transaction, under the commit-order lock):
 *
 * - an expiry: the entries it expired point to it (`list_entry.stix_change_id`);
 * - a raised marking or a retraction: the list points to it (`indicator_list.stix_change_id`),
 *   which makes a new version of every entry;
 * - a removal: the removed entries are kept as tombstones (`stix_tombstone`), served as revoked
 *   versions while they would still have been valid;
 * - a link to a report: makes a new version of the report only.
 *
 * The tables have the entries' read policy (visible exactly when their list is), and only the
 * list's owner writes them. No foreign key on `list_entry.stix_change_id`: a per-row key check
 * is what imports of a million lines cannot afford (ADR 0008); changes are never deleted.
 *
 * Lists and reports retracted before this migration were served without `revoked`: they get
 * their revoked version now, stamped in commit order so that pollers pick it up. (Row-level
 * security is FORCEd on both tables, which binds their owner too: it is lifted for the two
 * statements, inside this migration's transaction.)
 */
export class StixVersions1764633900000 implements MigrationInterface {
  name = 'StixVersions1764633900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE stix_change (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      list_seq int NOT NULL REFERENCES indicator_list(seq),
      owner_org_id uuid NOT NULL REFERENCES organisation(id),
      kind text NOT NULL CHECK (kind IN ('expired', 'marking', 'retracted', 'removed', 'linked')),
      created_at timestamptz NOT NULL DEFAULT now(),
      committed_at timestamptz
    )`);
    await q.query(`CREATE INDEX "IDX_stix_change_list" ON stix_change (list_seq, committed_at)`);
    await q.query(
      `ALTER TABLE indicator_list ADD COLUMN stix_change_id bigint REFERENCES stix_change(id)`,
    );
    await q.query(`ALTER TABLE list_entry ADD COLUMN stix_change_id bigint`);
    await q.query(`CREATE TABLE stix_tombstone (
      list_seq int NOT NULL REFERENCES indicator_list(seq),
      value text COLLATE "C" NOT NULL,
      type text NOT NULL,
      first_batch int NOT NULL,
      change_id bigint NOT NULL REFERENCES stix_change(id),
      tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED')),
      created_at timestamptz NOT NULL,
      confidence smallint NOT NULL,
      first_seen timestamptz NOT NULL,
      last_seen timestamptz NOT NULL,
      valid_until timestamptz NOT NULL,
      tags text[] NOT NULL,
      note text,
      report_id uuid,
      PRIMARY KEY (list_seq, value, first_batch)
    )`);

    await q.query('SELECT pg_advisory_xact_lock($1)', [COMMIT_ORDER_LOCK]);
    await q.query(`ALTER TABLE indicator_list NO FORCE ROW LEVEL SECURITY`);
    await q.query(`WITH c AS (
        INSERT INTO stix_change (list_seq, owner_org_id, kind, committed_at)
        SELECT seq, owner_org_id, 'retracted', clock_timestamp() FROM indicator_list
         WHERE status = 'retracted'
        RETURNING id, list_seq
      ) UPDATE indicator_list l SET stix_change_id = c.id FROM c WHERE l.seq = c.list_seq`);
    await q.query(`ALTER TABLE indicator_list FORCE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE report NO FORCE ROW LEVEL SECURITY`);
    await q.query(`UPDATE report SET stix_added_at = clock_timestamp() WHERE status = 'retracted'`);
    await q.query(`ALTER TABLE report FORCE ROW LEVEL SECURITY`);

    const orgSetting = `NULLIF(current_setting('renkei.org_id', true), '')::uuid`;
    const ownLists = `list_seq IN (SELECT l.seq FROM indicator_list l WHERE l.owner_org_id = ${orgSetting})`;
    for (const table of ['stix_change', 'stix_tombstone']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY ${table}_read ON ${table} FOR SELECT
        USING (list_seq IN (SELECT l.seq FROM indicator_list l))`);
      await q.query(`CREATE POLICY ${table}_write ON ${table} FOR INSERT WITH CHECK (${ownLists})`);
    }
    await q.query(`CREATE POLICY stix_change_owner ON stix_change AS RESTRICTIVE FOR INSERT
      WITH CHECK (owner_org_id = ${orgSetting})`);
    await q.query(`CREATE POLICY stix_change_update ON stix_change FOR UPDATE
      USING (${ownLists}) WITH CHECK (${ownLists})`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON stix_change TO renkei_app`);
    await q.query(`GRANT SELECT, INSERT ON stix_tombstone TO renkei_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE stix_tombstone`);
    await q.query(`ALTER TABLE list_entry DROP COLUMN stix_change_id`);
    await q.query(`ALTER TABLE indicator_list DROP COLUMN stix_change_id`);
    await q.query(`DROP TABLE stix_change`);
  }
}
