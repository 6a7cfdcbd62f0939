import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail: append-only, hash-chained (see audit/audit-chain.ts). No foreign keys, so
 * entries outlive the users and organisations they name. The trigger makes the table
 * append-only for every role but a superuser or the table owner who disables it first; the hash
 * chain is what shows that afterwards.
 */
export class Audit1763769700000 implements MigrationInterface {
  name = 'Audit1763769700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "audit_log" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor_user_id" uuid, "actor_organisation_id" uuid, "organisation_id" uuid, "action" text NOT NULL, "outcome" text NOT NULL, "target_type" text, "target_id" text, "client_address" inet, "details" jsonb NOT NULL DEFAULT '{}', "prev_hash" bytea, "hash" bytea NOT NULL, CONSTRAINT "CHK_audit_log_outcome" CHECK (outcome IN ('success', 'failure', 'denied')), CONSTRAINT "PK_audit_log" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_audit_log_action" ON "audit_log" ("action", "id") `);
    await q.query(
      `CREATE INDEX "IDX_audit_log_organisation" ON "audit_log" ("organisation_id", "id") `,
    );
    await q.query(`CREATE FUNCTION "audit_log_append_only"() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(
      `CREATE TRIGGER "TRG_audit_log_no_change" BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"()`,
    );
    // Row triggers do not fire for TRUNCATE; a statement trigger does.
    await q.query(
      `CREATE TRIGGER "TRG_audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "audit_log"`);
    await q.query(`DROP FUNCTION "audit_log_append_only"()`);
  }
}
