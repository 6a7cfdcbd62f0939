import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Blocklists that cannot be turned against their members (ADR 0012).
 *
 * - `entry_batch.review`: a change held for a coordinator ('held'), approved or refused.
 * - `feed_reach`: per organisation, whether its lists reach feeds directly, after review, or not
 *   at all (no row: directly).
 * - `feed_protected_range`: ranges the coordinator declared must never be blocked.
 * - `feed_stop`: emergency stops of one value, one list or one organisation's contributions.
 * - One rule, a RESTRICTIVE read policy on `list_entry`, withholds every entry that a hold, a
 *   stop, a reach of 'none' or a protected range keeps out: feeds, TAXII, push, STIX export and
 *   every other reader see it nowhere. Only the owner's own writes and reviews of its lists
 *   (`renkei.withheld` = 'shown' in the transaction) see them, since an import must merge with
 *   them and an owner must be able to remove them. Forms are uncorrelated (computed once per
 *   statement), as the other entry policies are (ADR 0008).
 * - `feed_state.guard_version` goes up with every change of the above, in the changing
 *   transaction; feeds put it in their fingerprint, so every ETag changes with a stop.
 */
export class FeedGuard1764634000000 implements MigrationInterface {
  name = 'FeedGuard1764634000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE entry_batch
      ADD COLUMN review text CHECK (review IN ('held', 'approved', 'refused')),
      ADD COLUMN review_reason text,
      ADD COLUMN reviewed_by uuid REFERENCES hub_user(id),
      ADD COLUMN reviewed_at timestamptz,
      ADD COLUMN review_note text,
      ADD COLUMN new_ipv4 float8 NOT NULL DEFAULT 0,
      ADD COLUMN new_ipv6 float8 NOT NULL DEFAULT 0`);
    // The window of an organisation's recent changes, which review sums (ADR 0012).
    await q.query(
      `CREATE INDEX "IDX_entry_batch_org_recent" ON entry_batch (owner_org_id, created_at)`,
    );
    await q.query(
      `CREATE INDEX "IDX_entry_batch_review" ON entry_batch (id) WHERE review IN ('held', 'refused')`,
    );

    await q.query(`CREATE TABLE feed_reach (
      org_id uuid PRIMARY KEY REFERENCES organisation(id),
      mode text NOT NULL CHECK (mode IN ('direct', 'review', 'none')),
      set_by uuid REFERENCES hub_user(id),
      set_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE feed_protected_range (
      range cidr PRIMARY KEY,
      note text NOT NULL DEFAULT '',
      added_by uuid REFERENCES hub_user(id),
      added_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE feed_stop (
      id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('value', 'list', 'organisation')),
      value text COLLATE "C",
      list_seq int REFERENCES indicator_list(seq),
      org_id uuid REFERENCES organisation(id),
      reason text NOT NULL,
      stopped_by uuid REFERENCES hub_user(id),
      stopped_at timestamptz NOT NULL DEFAULT now(),
      lifted_by uuid REFERENCES hub_user(id),
      lifted_at timestamptz,
      CHECK ((kind = 'value') = (value IS NOT NULL)),
      CHECK ((kind = 'list') = (list_seq IS NOT NULL)),
      CHECK ((kind = 'organisation') = (org_id IS NOT NULL))
    )`);

    await q.query(`ALTER TABLE feed_state ADD COLUMN guard_version bigint NOT NULL DEFAULT 1`);
    await q.query(`CREATE FUNCTION renkei_feed_guard_changed() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      BEGIN
        UPDATE feed_state SET guard_version = guard_version + 1 WHERE id = 1;
        RETURN NULL;
      END $$`);
    for (const table of ['feed_reach', 'feed_protected_range', 'feed_stop']) {
      await q.query(`CREATE TRIGGER "TRG_${table}_feed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
        ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION renkei_feed_changed()`);
      await q.query(`CREATE TRIGGER "TRG_${table}_guard" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
        ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION renkei_feed_guard_changed()`);
      await q.query(`GRANT SELECT ON ${table} TO renkei_app`);
    }

    // The host of a URL entry, an address one as inet (IPv4-mapped IPv6 as its IPv4): what a
    // stop or a protected range must also keep out when a URL names it.
    await q.query(`CREATE FUNCTION renkei_url_host(url text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT lower(regexp_replace(
          regexp_replace(
            substring(url from '^[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^/@?#]*@)?(\\[[^]]*\\]|[^/:?#]*)'),
            '^\\[|\\]$', '', 'g'),
          '^::ffff:([0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+)$', '\\1', 'i'))
      $$`);
    await q.query(`CREATE FUNCTION renkei_host_inet(host text) RETURNS inet
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
      DECLARE a inet;
      BEGIN
        IF host ~ '^[0-9]{1,3}(\\.[0-9]{1,3}){3}$' OR host ~ ':' THEN
          a := host::inet;
          -- An IPv4-mapped IPv6 literal (::ffff:320a:101) names the IPv4 address it carries.
          IF family(a) = 6 AND a <<= '::ffff:0:0/96'::inet THEN
            RETURN '0.0.0.0'::inet + (a - '::ffff:0.0.0.0'::inet);
          END IF;
          RETURN a;
        END IF;
        RETURN NULL;
      EXCEPTION WHEN others THEN RETURN NULL;
      END $$`);

    const org = `NULLIF(current_setting('renkei.org_id', true), '')::uuid`;
    const addressTypes = `('ipv4', 'ipv6', 'ipv4-cidr', 'ipv6-cidr')`;
    const ranges = `(SELECT array_agg(p.range::inet) FROM feed_protected_range p)`;
    // Each test is guarded by whether anything of its kind exists (an InitPlan, evaluated once
    // per statement): while nothing is held, stopped or protected, an entry costs a few
    // parameter checks, not a hash probe of its value (measured: ADR 0012).
    const held = `SELECT b.id FROM entry_batch b WHERE b.review IN ('held', 'refused')`;
    const stoppedValues = `SELECT s.value FROM feed_stop s WHERE s.kind = 'value' AND s.lifted_at IS NULL`;
    // Stopped addresses and ranges as inet, to keep out what overlaps them (a covering range,
    // the two halves of a stopped range); stopped domains, to keep out URLs on them.
    const stoppedAddresses = `(SELECT array_agg(s.value::inet) FROM feed_stop s
      WHERE s.kind = 'value' AND s.lifted_at IS NULL
        AND (s.value ~ '^[0-9]{1,3}(\\.[0-9]{1,3}){3}(/[0-9]{1,2})?$' OR s.value ~ '^[0-9a-f]*:[0-9a-f:.]*(/[0-9]{1,3})?$'))`;
    const stoppedDomains = `(SELECT array_agg(s.value) FROM feed_stop s
      WHERE s.kind = 'value' AND s.lifted_at IS NULL AND s.value !~ '[:/]' AND s.value ~ '[a-z]')`;
    const stoppedLists = `SELECT s.list_seq FROM feed_stop s WHERE s.kind = 'list' AND s.lifted_at IS NULL
      UNION ALL
      SELECT l.seq FROM indicator_list l WHERE l.owner_org_id IN (
        SELECT s.org_id FROM feed_stop s WHERE s.kind = 'organisation' AND s.lifted_at IS NULL
        UNION ALL
        SELECT r.org_id FROM feed_reach r WHERE r.mode = 'none')`;
    await q.query(`CREATE POLICY list_entry_released ON list_entry AS RESTRICTIVE FOR SELECT USING (
      -- Settings read once per statement (an InitPlan), not once per entry.
      ((SELECT current_setting('renkei.withheld', true)) = 'shown'
        AND list_seq IN (SELECT l.seq FROM indicator_list l WHERE l.owner_org_id = ${org}))
      OR (
        (NOT EXISTS (${held}) OR first_batch NOT IN (${held}))
        AND (NOT EXISTS (${stoppedValues}) OR value NOT IN (${stoppedValues}))
        AND (NOT EXISTS (${stoppedLists}) OR list_seq NOT IN (${stoppedLists}))
        -- The ranges as one array; no address is cast while there are none.
        AND CASE
          WHEN ${ranges} IS NULL THEN true
          WHEN type NOT IN ${addressTypes} THEN true
          ELSE NOT coalesce(value::inet && ANY (${ranges}::inet[]), false)
        END
        AND CASE
          WHEN ${stoppedAddresses} IS NULL THEN true
          WHEN type NOT IN ${addressTypes} THEN true
          ELSE NOT coalesce(value::inet && ANY ((${stoppedAddresses})::inet[]), false)
        END
        -- A domain below a stopped domain (the domain itself is a stopped value).
        AND CASE
          WHEN type <> 'domain' OR ${stoppedDomains} IS NULL THEN true
          ELSE NOT EXISTS (SELECT 1 FROM unnest(${stoppedDomains}) d(name)
                            WHERE value LIKE '%.' || d.name)
        END
        -- A URL on a stopped domain (or below it), a stopped address or a protected range.
        AND CASE
          WHEN type <> 'url' THEN true
          WHEN ${ranges} IS NULL AND ${stoppedAddresses} IS NULL AND ${stoppedDomains} IS NULL
            THEN true
          ELSE NOT coalesce(
            EXISTS (SELECT 1 FROM unnest(${stoppedDomains}) d(name)
                     WHERE renkei_url_host(value) = d.name
                        OR renkei_url_host(value) LIKE '%.' || d.name)
            OR renkei_host_inet(renkei_url_host(value)) && ANY ((${stoppedAddresses})::inet[])
            OR renkei_host_inet(renkei_url_host(value)) && ANY (${ranges}::inet[]),
            false)
        END
      ))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP POLICY list_entry_released ON list_entry`);
    await q.query(`DROP FUNCTION renkei_host_inet(text), renkei_url_host(text)`);
    await q.query(`DROP TABLE feed_stop, feed_protected_range, feed_reach`);
    await q.query(`DROP FUNCTION renkei_feed_guard_changed()`);
    await q.query(`ALTER TABLE feed_state DROP COLUMN guard_version`);
    await q.query(`DROP INDEX "IDX_entry_batch_review"`);
    await q.query(`ALTER TABLE entry_batch DROP COLUMN review, DROP COLUMN review_reason,
      DROP COLUMN reviewed_by, DROP COLUMN reviewed_at, DROP COLUMN review_note`);
  }
}
