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
 * `organisation` for the forwarding clause, and nothing else. Standard-SQL bodies (RETURN,
 * BEGIN ATOMIC) are parsed when the function is created, so `organisation` is bound to the table
 * the migration sees, not looked up on the caller's search_path at each call, and PostgreSQL
 * records the dependency. PARALLEL SAFE because it only reads a table and settings (which
 * parallel workers inherit); without it, every query on a table with this policy would run
 * serially.
 *
 * One expression (RETURN, no FROM, no subquery), so PostgreSQL inlines it into every policy
 * instead of calling a SQL function per row: the call cost ~12 µs a row, most of the inbox's
 * count over 10,000 reports (ADR 0028). The forwarding clause needs a subquery, which would
 * prevent inlining, so it is a function of its own (`renkei_forwarded_to_group`), called only
 * for an AMBER row the reader is not otherwise in the audience of. The principal's settings are
 * read where used (`current_setting` is cheap); the `p.` names of the earlier form are spelled
 * out.
 */
export const TLP_POLICY_FUNCTION_SQL = `CREATE OR REPLACE FUNCTION renkei_forwarded_to_group(
  audience_orgs uuid[]
) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER
BEGIN ATOMIC
  SELECT EXISTS (
    SELECT 1
    FROM organisation o
    WHERE o.id = ANY (renkei_forwarded_to_group.audience_orgs)
      AND o.group_id = nullif(current_setting('renkei.group_id', true), '')::uuid
  );
END;
CREATE OR REPLACE FUNCTION renkei_can_see(
  owner_org uuid,
  tlp text,
  status text,
  audience_orgs uuid[],
  audience_sectors text[],
  audience_groups uuid[],
  red_users uuid[]
) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER
RETURN coalesce(
  nullif(current_setting('renkei.kind', true), '') = 'system'
  OR (
    nullif(current_setting('renkei.kind', true), '') IN ('user', 'token')
    AND nullif(current_setting('renkei.org_id', true), '')::uuid IS NOT NULL
    AND (
      -- 1. The owner sees its items in any status and marking; tokens never see RED.
      (
        nullif(current_setting('renkei.org_id', true), '')::uuid = owner_org
        AND (nullif(current_setting('renkei.kind', true), '') = 'user' OR tlp <> 'RED')
      )
      -- 2. Otherwise only published or retracted items (drafts are the owner's only) ...
      OR (
        status IN ('published', 'retracted')
        -- 3. ... by marking.
        AND CASE tlp
          WHEN 'CLEAR' THEN true
          WHEN 'GREEN' THEN true
          WHEN 'AMBER' THEN
            nullif(current_setting('renkei.org_id', true), '')::uuid = ANY (audience_orgs)
            OR nullif(current_setting('renkei.sector', true), '') = ANY (audience_sectors)
            OR nullif(current_setting('renkei.group_id', true), '')::uuid = ANY (audience_groups)
            -- Forwarding: a group company of an organisation in the audience.
            OR renkei_forwarded_to_group(audience_orgs)
          WHEN 'AMBER_STRICT' THEN
            nullif(current_setting('renkei.org_id', true), '')::uuid = ANY (audience_orgs)
            OR nullif(current_setting('renkei.sector', true), '') = ANY (audience_sectors)
            OR nullif(current_setting('renkei.group_id', true), '')::uuid = ANY (audience_groups)
          WHEN 'RED' THEN
            nullif(current_setting('renkei.kind', true), '') = 'user'
            AND nullif(current_setting('renkei.user_id', true), '')::uuid = ANY (red_users)
          ELSE false
        END
      )
    )
  ),
  false
)`;

export const DROP_TLP_POLICY_FUNCTION_SQL = `DROP FUNCTION renkei_can_see(uuid, text, text, uuid[], text[], uuid[], uuid[]);
DROP FUNCTION renkei_forwarded_to_group(uuid[])`;

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

/** The restricted role every scoped transaction runs as (no BYPASSRLS, not the tables' owner). */
export const RESTRICTED_ROLE = 'renkei_app';

/**
 * The one statement that scopes a transaction to a principal: its settings and, when `enter`,
 * first the restricted role (`set_config('role', …)` is `SET LOCAL ROLE`, with the same check of
 * membership) — one round trip for both. ScopedDatabase runs it; nothing else scopes.
 */
export function scopeStatement(
  p: PolicyPrincipal | SystemPrincipal,
  enter: boolean,
): [string, [string[], string[]]] {
  const settings: [string, string][] = [
    ...(enter ? [['role', RESTRICTED_ROLE] as [string, string]] : []),
    ...principalSettings(p),
  ];
  return [
    'SELECT set_config(n, v, true) FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS s(n, v, i) ORDER BY i',
    [settings.map(([n]) => n), settings.map(([, v]) => v)],
  ];
}

/**
 * Several principals' settings for a SQL function that scopes to each in turn (ADR 0041,
 * renkei_report_rows_each): the names once, then every principal's values in that order.
 */
export function settingsOfEach(principals: PolicyPrincipal[]): {
  names: string[];
  values: string[];
} {
  const settings = principals.map(principalSettings);
  const names = settings[0]?.map(([n]) => n) ?? [];
  const values: string[] = [];
  for (const each of settings) {
    if (each.length !== names.length || each.some(([n], i) => n !== names[i])) {
      throw new Error('settingsOfEach: principals with different settings');
    }
    values.push(...each.map(([, v]) => v));
  }
  return { names, values };
}
