import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The scrubber removes the writer's own users' names and addresses (ADR 0019), and it runs inside
 * the request's scoped transaction. Reading hub_user from a second pool connection there
 * deadlocked a busy hub (every connection held by a transaction waiting for one more); granting
 * the restricted role hub_user would show it password hashes and every organisation's users. So
 * one function, run as the table's owner, answers only the names and addresses of the
 * organisation the transaction's principal belongs to.
 */
export class ScrubPeople1765120000000 implements MigrationInterface {
  name = 'ScrubPeople1765120000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION renkei_scrub_people(org uuid) RETURNS TABLE (display_name text, email text)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT u.display_name, u.email FROM hub_user u
         WHERE u.organisation_id = org
           AND org = nullif(current_setting('renkei.org_id', true), '')::uuid
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION renkei_scrub_people(uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION renkei_scrub_people(uuid) TO renkei_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION renkei_scrub_people(uuid)`);
  }
}
