import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each organisation's last write position on the primary (ADR 0030): a replica serves the
 * organisation's reads only once it has replayed this far. On the primary, read by every hub
 * instance, so a write through one instance is seen by a read through another.
 */
export class ReadFloor1765230000000 implements MigrationInterface {
  name = 'ReadFloor1765230000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "read_floor" ("organisation_id" uuid NOT NULL, "lsn" pg_lsn NOT NULL, CONSTRAINT "PK_read_floor" PRIMARY KEY ("organisation_id"))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "read_floor"`);
  }
}

export const PLATFORM_MIGRATIONS = [ReadFloor1765230000000];
