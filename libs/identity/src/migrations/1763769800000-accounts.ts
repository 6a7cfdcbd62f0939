import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts that stolen passwords cannot open: TOTP factors (sealed seeds), passkeys, recovery
 * codes, WebAuthn challenges, brute-force counters, password resets, API tokens, and session
 * assurance levels.
 */
export class Accounts1763769800000 implements MigrationInterface {
  name = 'Accounts1763769800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "totp_factor" ("user_id" uuid NOT NULL, "secret_sealed" bytea NOT NULL, "key_id" text NOT NULL, "last_time_step" bigint, "confirmed_at" TIMESTAMP WITH TIME ZONE, "consecutive_failures" integer NOT NULL DEFAULT '0', "disabled_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_totp_factor" PRIMARY KEY ("user_id"))`,
    );
    await q.query(
      `CREATE TABLE "passkey" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "credential_id" text NOT NULL, "public_key" bytea NOT NULL, "sign_count" bigint NOT NULL DEFAULT '0', "transports" text array NOT NULL DEFAULT '{}', "device_type" text NOT NULL, "backed_up" boolean NOT NULL, "name" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_passkey" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_passkey_user" ON "passkey" ("user_id") `);
    await q.query(`CREATE UNIQUE INDEX "UQ_passkey_credential" ON "passkey" ("credential_id") `);
    await q.query(
      `CREATE TABLE "recovery_code" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "code_hash" bytea NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_recovery_code" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_recovery_code_user" ON "recovery_code" ("user_id") `);
    await q.query(
      `CREATE TABLE "webauthn_challenge" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid, "challenge" text NOT NULL, "purpose" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "CHK_webauthn_challenge_purpose" CHECK (purpose IN ('registration', 'authentication')), CONSTRAINT "PK_webauthn_challenge" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "api_token" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "name" text NOT NULL, "token_prefix" text NOT NULL, "token_hash" bytea NOT NULL, "scopes" text array NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE, "allowed_ranges" cidr array NOT NULL DEFAULT '{}', "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "last_used_address" inet, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_api_token" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_api_token_organisation" ON "api_token" ("organisation_id") `);
    await q.query(`CREATE UNIQUE INDEX "UQ_api_token_hash" ON "api_token" ("token_hash") `);
    await q.query(
      `CREATE TABLE "password_reset" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "token_hash" bytea NOT NULL, "issued_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_password_reset" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "UQ_password_reset_token_hash" ON "password_reset" ("token_hash") `,
    );
    await q.query(
      `CREATE TABLE "auth_throttle" ("key" text NOT NULL, "failures" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "last_failure_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_auth_throttle" PRIMARY KEY ("key"))`,
    );
    await q.query(`ALTER TABLE "hub_user" ADD "password_failures" integer NOT NULL DEFAULT '0'`);
    await q.query(
      `ALTER TABLE "hub_user" ADD "passwordless_enabled" boolean NOT NULL DEFAULT false`,
    );
    await q.query(`ALTER TABLE "session" ADD "user_agent" text`);
    await q.query(`ALTER TABLE "session" ADD "aal" smallint NOT NULL DEFAULT '1'`);
    await q.query(`ALTER TABLE "session" ADD "second_factor_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(
      `ALTER TABLE "totp_factor" ADD CONSTRAINT "FK_totp_factor_user" FOREIGN KEY ("user_id") REFERENCES "hub_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "passkey" ADD CONSTRAINT "FK_passkey_user" FOREIGN KEY ("user_id") REFERENCES "hub_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "recovery_code" ADD CONSTRAINT "FK_recovery_code_user" FOREIGN KEY ("user_id") REFERENCES "hub_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "api_token" ADD CONSTRAINT "FK_api_token_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "password_reset" ADD CONSTRAINT "FK_password_reset_user" FOREIGN KEY ("user_id") REFERENCES "hub_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "session" DROP COLUMN "second_factor_at", DROP COLUMN "aal", DROP COLUMN "user_agent"`,
    );
    await q.query(
      `ALTER TABLE "hub_user" DROP COLUMN "passwordless_enabled", DROP COLUMN "password_failures"`,
    );
    await q.query(
      `DROP TABLE "auth_throttle", "password_reset", "api_token", "webauthn_challenge", "recovery_code", "passkey", "totp_factor"`,
    );
  }
}
