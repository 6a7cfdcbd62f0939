import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The statement trigger on `list_entry` (batches of the entry's list, list of the acting
 * organisation; migrations Indicators and EntryOwnership) stays the one check every writer
 * passes through, but no longer hashes every row of a bulk write (ADR 0034). A bulk import
 * writes one (list, first batch, last batch) triple for all its million rows: one pass of
 * min/max over the new rows finds that, and then that one triple is checked, exactly what the
 * DISTINCT over the same rows would have checked. Statements with several triples (merges
 * into many lists, maintenance) take the DISTINCT check as before.
 */
export class EntryCheckOnce1765280000000 implements MigrationInterface {
  name = 'EntryCheckOnce1765280000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION renkei_list_entry_check() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      DECLARE
        org uuid := NULLIF(current_setting('renkei.org_id', true), '')::uuid;
        n record;
      BEGIN
        SELECT min(list_seq) AS list_min, max(list_seq) AS list_max,
               min(first_batch) AS first_min, max(first_batch) AS first_max,
               min(last_batch) AS last_min, max(last_batch) AS last_max
          INTO n FROM new_entries;
        IF n.list_min IS NULL THEN
          RETURN NULL;
        END IF;
        IF n.list_min = n.list_max AND n.first_min = n.first_max AND n.last_min = n.last_max THEN
          IF NOT EXISTS (SELECT 1 FROM entry_batch b WHERE b.id = n.first_min AND b.list_seq = n.list_min)
             OR NOT EXISTS (SELECT 1 FROM entry_batch b WHERE b.id = n.last_min AND b.list_seq = n.list_min)
          THEN
            RAISE EXCEPTION 'list_entry refers to a batch that is not of its list'
              USING ERRCODE = 'foreign_key_violation';
          END IF;
          IF org IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM indicator_list l WHERE l.seq = n.list_min AND l.owner_org_id = org)
          THEN
            RAISE EXCEPTION 'list_entry written for a list of another organisation'
              USING ERRCODE = 'insufficient_privilege';
          END IF;
          RETURN NULL;
        END IF;
        IF EXISTS (
          SELECT 1 FROM (SELECT DISTINCT list_seq, first_batch, last_batch FROM new_entries) e
          WHERE NOT EXISTS (SELECT 1 FROM entry_batch b WHERE b.id = e.first_batch AND b.list_seq = e.list_seq)
             OR NOT EXISTS (SELECT 1 FROM entry_batch b WHERE b.id = e.last_batch AND b.list_seq = e.list_seq)
        ) THEN
          RAISE EXCEPTION 'list_entry refers to a batch that is not of its list'
            USING ERRCODE = 'foreign_key_violation';
        END IF;
        IF org IS NOT NULL AND EXISTS (
          SELECT 1 FROM (SELECT DISTINCT list_seq FROM new_entries) e
          WHERE NOT EXISTS (SELECT 1 FROM indicator_list l WHERE l.seq = e.list_seq AND l.owner_org_id = org)
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
}
