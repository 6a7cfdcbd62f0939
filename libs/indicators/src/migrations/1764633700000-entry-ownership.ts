import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Entries of a list belong to its owner, checked by the database for every writer (ADR 0008,
 * "import"). The row-level security write policies already say so for the application role;
 * the bulk import COPYs into `list_entry` as the login role, which bypasses them, so the
 * statement trigger that checks batches now checks ownership too: once per (list, batch) pair
 * of the statement, against the organisation the transaction acts for. Maintenance without a
 * principal (no `renkei.org_id`) is not checked for ownership.
 */
export class EntryOwnership1764633700000 implements MigrationInterface {
  name = 'EntryOwnership1764633700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION renkei_list_entry_check() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      DECLARE org uuid := NULLIF(current_setting('renkei.org_id', true), '')::uuid;
      BEGIN
        IF EXISTS (
          SELECT 1 FROM (SELECT DISTINCT list_seq, first_batch, last_batch FROM new_entries) n
          WHERE NOT EXISTS (SELECT 1 FROM entry_batch b WHERE b.id = n.first_batch AND b.list_seq = n.list_seq)
             OR NOT EXISTS (SELECT 1 FROM entry_batch b WHERE b.id = n.last_batch AND b.list_seq = n.list_seq)
        ) THEN
          RAISE EXCEPTION 'list_entry refers to a batch that is not of its list'
            USING ERRCODE = 'foreign_key_violation';
        END IF;
        IF org IS NOT NULL AND EXISTS (
          SELECT 1 FROM (SELECT DISTINCT list_seq FROM new_entries) n
          WHERE NOT EXISTS (SELECT 1 FROM indicator_list l WHERE l.seq = n.list_seq AND l.owner_org_id = org)
        ) THEN
          RAISE EXCEPTION 'list_entry written for a list of another organisation'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NULL;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION renkei_list_entry_check() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      BEGIN
        IF EXISTS (
          SELECT 1 FROM (SELECT DISTINCT list_seq, first_batch, last_batch FROM new_entries) n
          WHERE NOT EXISTS (SELECT 1 FROM entry_batch b WHERE b.id = n.first_batch AND b.list_seq = n.list_seq)
             OR NOT EXISTS (SELECT 1 FROM entry_batch b WHERE b.id = n.last_batch AND b.list_seq = n.list_seq)
        ) THEN
          RAISE EXCEPTION 'list_entry refers to a batch that is not of its list'
            USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
      END $$`);
  }
}
