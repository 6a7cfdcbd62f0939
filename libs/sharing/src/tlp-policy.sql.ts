import { PolicyPrincipal } from './tlp-policy';

/**
 * ADR 0006 as a SQL function for the row-level security policies of every shareable table. It
 * must agree with `canSee` in tlp-policy.ts (see test/tlp-policy-agreement.e2e-spec.ts).
 *
 * The principal comes from transaction-local settings (`principalSettings` below): `renkei.kind`
 * is `user`, `token` or `system` (sees everything); anything else, unset included, sees nothing.
 * An empty value means null: `current_setting(..., true)` returns NULL for a setting never set in
 * the session but '' once a transaction that set it locally has ended, and both must read as
 * "unset". Hence `nullif(..., '')` before every cast, which also keeps a `system` principal
 * (no org) from failing on `''::uuid`.
 *
 * Written only with AND, OR, =, IN, ANY and EXISTS, never NOT, so a NULL anywhere (an unset
 * setting, a NULL column) can only hide a row, never reveal one; `coalesce` turns it into false.
 *
 * SECURITY INVOKER: the caller (the restricted `renkei_app` role) needs SELECT on
 * `organisation` for the forwarding clause, and nothing else. The standard-SQL body (BEGIN
 * ATOMIC) is parsed when the function is created, so `organisation` is bound to the table the
 * migration sees, not looked up on the caller's search_path at each call, and PostgreSQL records
 * the dependency. PARALLEL SAFE because it only reads a table and settings (which parallel
 * workers inherit); without it, every query on a table with this policy would run serially.
 * Arguments are qualified with the function name inside the subquery because a column of the
 * same name (organisation has a `status`) would otherwise win.
 */
export const TLP_POLICY_FUNCTION_SQL = `CREATE OR REPLACE FUNCTION renkei_can_see(
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

export const DROP_TLP_POLICY_FUNCTION_SQL =
  'DROP FUNCTION renkei_can_see(uuid, text, text, uuid[], text[], uuid[], uuid[])';

/** Background work (migrations, retention, exports) that must see every row. */
export interface SystemPrincipal {
  kind: 'system';
}

/**
 * The (name, value) pairs to pass to `set_config(name, value, true)` at the start of a
 * transaction, e.g. `SELECT set_config(n, v, true) FROM unnest($1::text[], $2::text[]) AS s(n, v)`.
 * Every setting is always written (empty string for none) so that switching principals within a
 * transaction cannot leave the previous principal's user or group behind.
 */
export function principalSettings(p: PolicyPrincipal | SystemPrincipal): [string, string][] {
  if (p.kind === 'system') {
    return [
      ['renkei.kind', 'system'],
      ['renkei.user_id', ''],
      ['renkei.org_id', ''],
      ['renkei.sector', ''],
      ['renkei.group_id', ''],
    ];
  }
  return [
    ['renkei.kind', p.kind],
    ['renkei.user_id', p.kind === 'user' ? p.userId : ''],
    ['renkei.org_id', p.orgId],
    ['renkei.sector', p.sector],
    ['renkei.group_id', p.groupId ?? ''],
  ];
}
