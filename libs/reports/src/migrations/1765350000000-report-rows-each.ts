import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One report read for many readers in one statement (push, ADR 0041). For each principal in
 * turn it sets every one of that principal's settings (names once, values principal after
 * principal, as ScopedDatabase.runForEach passes them) and then reads the report, so the row
 * comes through that principal's row-level security exactly as its own `SELECT` would: the
 * function is SECURITY INVOKER and runs as the caller, the restricted role. What a push event
 * cost per reader in round trips (the settings, the row) becomes one statement for all of them.
 * The row comes back as the table's own type, so `(seen).*` gives exactly `SELECT *`'s columns.
 */
export class ReportRowsEach1765350000000 implements MigrationInterface {
  name = 'ReportRowsEach1765350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION renkei_report_rows_each(report_id uuid, names text[], principal_values text[])
      RETURNS TABLE (reader_index int, seen report)
      LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp AS $$
      DECLARE
        width int := coalesce(array_length(names, 1), 0);
        total int := coalesce(array_length(principal_values, 1), 0);
      BEGIN
        IF width = 0 OR total % width <> 0 THEN
          RAISE EXCEPTION 'renkei_report_rows_each: % values are not whole principals of % settings', total, width;
        END IF;
        FOR i IN 0 .. total / width - 1 LOOP
          FOR k IN 1 .. width LOOP
            PERFORM set_config(names[k], principal_values[i * width + k], true);
          END LOOP;
          RETURN QUERY SELECT i, r FROM report r WHERE r.id = report_id;
        END LOOP;
      END $$`);
    await q.query(
      `REVOKE ALL ON FUNCTION renkei_report_rows_each(uuid, text[], text[]) FROM PUBLIC`,
    );
    await q.query(
      `GRANT EXECUTE ON FUNCTION renkei_report_rows_each(uuid, text[], text[]) TO renkei_app`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION renkei_report_rows_each(uuid, text[], text[])`);
  }
}
