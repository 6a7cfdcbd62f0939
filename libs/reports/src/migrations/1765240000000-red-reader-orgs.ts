import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which organisations a RED report's named users belong to: part of who could read a report
 * (ADR 0018 `couldSee`), now asked on every comment, sighting and assistance request view and
 * write (ADR 0017: their authors are judged among the report's readers). It ran on a second
 * pool connection inside the request's scoped transaction, which deadlocked a busy hub exactly
 * as the scrubber once did (1765120000000-scrub-people). The restricted role may not read
 * hub_user, so one function, run as the table's owner, answers the organisation of the users
 * named, and nothing else about them. The caller reads the user ids from reports under its own
 * row-level security.
 */
export class RedReaderOrgs1765240000000 implements MigrationInterface {
  name = 'RedReaderOrgs1765240000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION renkei_user_orgs(users uuid[]) RETURNS TABLE (id uuid, org uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT u.id, u.organisation_id FROM hub_user u WHERE u.id = ANY(users)
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION renkei_user_orgs(uuid[]) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION renkei_user_orgs(uuid[]) TO renkei_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION renkei_user_orgs(uuid[])`);
  }
}
