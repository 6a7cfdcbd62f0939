import { MigrationInterface, QueryRunner } from 'typeorm';
import { TLP_POLICY_FUNCTION_SQL } from '@renkei/sharing';

/**
 * `renkei_can_see` as one expression PostgreSQL inlines into every policy, instead of a SQL
 * function called per row (ADR 0028; tlp-policy.sql.ts says why and how). Same rule: the
 * agreement test (test/tlp-policy-agreement.e2e-spec.ts) checks it against `canSee`.
 * CREATE OR REPLACE keeps the function's identity, so the policies that use it stay as they are.
 */
export class InlineTlpPolicy1765210000200 implements MigrationInterface {
  name = 'InlineTlpPolicy1765210000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(TLP_POLICY_FUNCTION_SQL);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(PREVIOUS);
    await q.query('DROP FUNCTION renkei_forwarded_to_group(uuid[])');
  }
}

/** The form before this migration (a subquery for the principal: never inlined). */
const PREVIOUS = `CREATE OR REPLACE FUNCTION renkei_can_see(
  owner_org uuid,
  tlp text,
  status text,
  audience_orgs uuid[],
  audience_sectors text[],
  audience_groups uuid[],
  red_users uuid[]
) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER
BEGIN ATOMIC
  SELECT coalesce(
    p.kind = 'system'
    OR (
      p.kind IN ('user', 'token')
      AND p.org_id IS NOT NULL
      AND (
        -- 1. The owner sees its items in any status and marking; tokens never see RED.
        (p.org_id = owner_org AND (p.kind = 'user' OR tlp <> 'RED'))
        -- 2. Otherwise only published or retracted items (drafts are the owner's only) ...
        OR (
          status IN ('published', 'retracted')
          -- 3. ... by marking.
          AND CASE tlp
            WHEN 'CLEAR' THEN true
            WHEN 'GREEN' THEN true
            WHEN 'AMBER' THEN
              p.org_id = ANY (audience_orgs)
              OR p.sector = ANY (audience_sectors)
              OR p.group_id = ANY (audience_groups)
              -- Forwarding: a group company of an organisation in the audience.
              OR EXISTS (
                SELECT 1
                FROM organisation o
                WHERE o.id = ANY (renkei_can_see.audience_orgs) AND o.group_id = p.group_id
              )
            WHEN 'AMBER_STRICT' THEN
              p.org_id = ANY (audience_orgs)
              OR p.sector = ANY (audience_sectors)
              OR p.group_id = ANY (audience_groups)
            WHEN 'RED' THEN p.kind = 'user' AND p.user_id = ANY (red_users)
            ELSE false
          END
        )
      )
    ),
    false
  )
  FROM (
    SELECT
      nullif(current_setting('renkei.kind', true), '') AS kind,
      nullif(current_setting('renkei.user_id', true), '')::uuid AS user_id,
      nullif(current_setting('renkei.org_id', true), '')::uuid AS org_id,
      nullif(current_setting('renkei.sector', true), '') AS sector,
      nullif(current_setting('renkei.group_id', true), '')::uuid AS group_id
  ) AS p;
END`;
