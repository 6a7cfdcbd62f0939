import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A password reset ticket that also removes the user's second factors when redeemed: how an
 * admin brings back someone who lost their authenticator, passkeys and recovery codes (ADR 0028).
 */
export class ResetFactors1765210000100 implements MigrationInterface {
  name = 'ResetFactors1765210000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE password_reset ADD COLUMN resets_factors boolean NOT NULL DEFAULT false`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE password_reset DROP COLUMN resets_factors`);
  }
}
