import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An address is somebody's only once it is proven (ADR 0016): in the organisation's registered
 * domains, or redeemed from a one-time link. Only proven addresses are unique hub-wide, so that
 * an organisation creating an address another already holds learns nothing from the answer.
 */
export class EmailProof1764960000000 implements MigrationInterface {
  name = 'EmailProof1764960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "hub_user" ADD "email_verified_at" TIMESTAMP WITH TIME ZONE`);
    // Accounts made before the rule keep working where their organisation's domains vouch for
    // them; the others need a link (issueEmailVerification) before they log in or receive RED.
    await q.query(`UPDATE hub_user u SET email_verified_at = now() FROM organisation o
      WHERE o.id = u.organisation_id AND EXISTS (SELECT 1 FROM unnest(o.domains) d
        WHERE split_part(u.email, '@', 2) = d OR split_part(u.email, '@', 2) LIKE '%.' || d)`);
    // The first hub admin was made by whoever ran the server (setup): the operator vouches.
    await q.query(`UPDATE hub_user SET email_verified_at = created_at
      WHERE email_verified_at IS NULL AND role = 'hub_admin'
        AND created_at = (SELECT min(created_at) FROM hub_user)`);
    await q.query(`DROP INDEX "UQ_hub_user_email"`);
    await q.query(
      `CREATE UNIQUE INDEX "UQ_hub_user_email_verified" ON "hub_user" ("email") WHERE email_verified_at IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "UQ_hub_user_organisation_email" ON "hub_user" ("organisation_id", "email")`,
    );
    await q.query(`CREATE INDEX "IDX_hub_user_email" ON "hub_user" ("email")`);
    await q.query(
      `CREATE TABLE "email_verification" ("user_id" uuid NOT NULL, "token_hash" bytea NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_email_verification" PRIMARY KEY ("token_hash"), CONSTRAINT "FK_email_verification_user" FOREIGN KEY ("user_id") REFERENCES "hub_user"("id") ON DELETE CASCADE)`,
    );
    await q.query(`CREATE INDEX "IDX_email_verification_user" ON "email_verification" ("user_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "email_verification"`);
    await q.query(`DROP INDEX "IDX_hub_user_email"`);
    await q.query(`DROP INDEX "UQ_hub_user_organisation_email"`);
    await q.query(`DROP INDEX "UQ_hub_user_email_verified"`);
    await q.query(`CREATE UNIQUE INDEX "UQ_hub_user_email" ON "hub_user" ("email") `);
    await q.query(`ALTER TABLE "hub_user" DROP COLUMN "email_verified_at"`);
  }
}
