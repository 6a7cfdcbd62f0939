import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organisations, sectors, corporate groups, users, sessions and the setup record. The sector
 * list is seeded with Japan's 15 critical-infrastructure sectors plus "other"; it is data, so a
 * hub elsewhere edits the table rather than the code.
 */
export class Identity1763769600000 implements MigrationInterface {
  name = 'Identity1763769600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "corporate_group" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_corporate_group" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "UQ_corporate_group_name" ON "corporate_group" ("name") `);
    await q.query(
      `CREATE TABLE "sector" ("code" text NOT NULL, "name_en" text NOT NULL, "name_ja" text NOT NULL, "position" integer NOT NULL, CONSTRAINT "PK_sector" PRIMARY KEY ("code"))`,
    );
    await q.query(
      `CREATE TABLE "organisation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "kind" text NOT NULL, "sector_code" text NOT NULL, "group_id" uuid, "address_ranges" cidr array NOT NULL DEFAULT '{}', "domains" text array NOT NULL DEFAULT '{}', "status" text NOT NULL DEFAULT 'active', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_organisation_status" CHECK (status IN ('active', 'suspended')), CONSTRAINT "CHK_organisation_kind" CHECK (kind IN ('coordinator', 'sector_csirt', 'operator', 'vendor')), CONSTRAINT "PK_organisation" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "UQ_organisation_name" ON "organisation" ("name") `);
    await q.query(
      `CREATE TABLE "hub_user" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "email" text NOT NULL, "display_name" text NOT NULL, "role" text NOT NULL, "status" text NOT NULL DEFAULT 'active', "password_hash" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_hub_user_email_lower" CHECK (email = lower(email)), CONSTRAINT "CHK_hub_user_status" CHECK (status IN ('active', 'suspended')), CONSTRAINT "CHK_hub_user_role" CHECK (role IN ('hub_admin', 'org_admin', 'analyst', 'viewer')), CONSTRAINT "PK_hub_user" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_hub_user_organisation" ON "hub_user" ("organisation_id") `);
    await q.query(`CREATE UNIQUE INDEX "UQ_hub_user_email" ON "hub_user" ("email") `);
    await q.query(
      `CREATE TABLE "session" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "token_hash" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "client_address" inet, CONSTRAINT "PK_session" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_session_user" ON "session" ("user_id") `);
    await q.query(`CREATE UNIQUE INDEX "UQ_session_token_hash" ON "session" ("token_hash") `);
    await q.query(
      `CREATE TABLE "hub_setup" ("id" integer NOT NULL, "token_hash" bytea, "token_created_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_hub_setup_single_row" CHECK (id = 1), CONSTRAINT "PK_hub_setup" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `ALTER TABLE "organisation" ADD CONSTRAINT "FK_organisation_sector" FOREIGN KEY ("sector_code") REFERENCES "sector"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "organisation" ADD CONSTRAINT "FK_organisation_group" FOREIGN KEY ("group_id") REFERENCES "corporate_group"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "hub_user" ADD CONSTRAINT "FK_hub_user_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "session" ADD CONSTRAINT "FK_session_user" FOREIGN KEY ("user_id") REFERENCES "hub_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(`INSERT INTO "sector" ("code", "name_en", "name_ja", "position") VALUES
        ('information-communications', 'Information and communications', '情報通信', 1),
        ('finance', 'Finance', '金融', 2),
        ('aviation', 'Aviation', '航空', 3),
        ('airports', 'Airports', '空港', 4),
        ('railways', 'Railways', '鉄道', 5),
        ('electric-power', 'Electric power', '電力', 6),
        ('gas', 'Gas', 'ガス', 7),
        ('government', 'Government and administrative services', '政府・行政サービス', 8),
        ('medical', 'Medical', '医療', 9),
        ('water', 'Water', '水道', 10),
        ('logistics', 'Logistics', '物流', 11),
        ('chemicals', 'Chemicals', '化学', 12),
        ('credit-cards', 'Credit cards', 'クレジット', 13),
        ('petroleum', 'Petroleum', '石油', 14),
        ('ports', 'Ports', '港湾', 15),
        ('other', 'Other', 'その他', 16)`);
    await q.query(`INSERT INTO "hub_setup" ("id") VALUES (1)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE "session", "hub_setup", "hub_user", "organisation", "sector", "corporate_group"`,
    );
  }
}
