import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The installation's own STIX namespace (ADR 0009): every deterministic STIX id of this hub is
 * a UUIDv5 in it. Generated once, here, so every instance on one database mints the same ids and
 * no two installations mint the same ones (a constant in the code gave every hub the same ids).
 */
export class StixNamespace1764633800000 implements MigrationInterface {
  name = 'StixNamespace1764633800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE hub_installation (
      id int PRIMARY KEY CHECK (id = 1),
      stix_namespace uuid NOT NULL DEFAULT gen_random_uuid(),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`INSERT INTO hub_installation (id) VALUES (1)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE hub_installation`);
  }
}
