import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indicator lists under the same TLP policy as reports (ADR 0006/0007), and what the blocklist
 * feeds need to answer quickly (ADR 0008).
 *
 * - `indicator_list` carries the policy columns and FORCEd row-level security like `report`.
 * - `list_entry` is one value in one list; the "indicator" is every entry with the same value
 *   (one value, several sightings). `entry_batch` is one import: who, when, confidence,
 *   validity, tags, note; an entry points to the batch that first and last sighted it. Read
 *   policies are an uncorrelated `list_seq IN (SELECT seq FROM indicator_list)`: PostgreSQL
 *   computes the visible lists once per statement (a hashed subplan) instead of once per
 *   entry, which keeps a 100,000-entry feed cheap.
 * - `feed_state.change_seq` counts committed changes to anything a feed depends on (lists,
 *   entries, the hub allow-list, organisations' sectors, groups and address ranges). Statement
 *   triggers bump it in the changing transaction, so it becomes visible exactly with the change;
 *   feeds derive ETag/Last-Modified from it without reading entries.
 */
export class Indicators1763770000000 implements MigrationInterface {
  name = 'Indicators1763770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE indicator_list (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      owner_org_id uuid NOT NULL REFERENCES organisation(id),
      author_user_id uuid REFERENCES hub_user(id),
      name text NOT NULL,
      description text NOT NULL DEFAULT '',
      status text NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'retracted')),
      tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED')),
      audience_orgs uuid[] NOT NULL DEFAULT '{}',
      audience_sectors text[] NOT NULL DEFAULT '{}',
      audience_groups uuid[] NOT NULL DEFAULT '{}',
      red_users uuid[] NOT NULL DEFAULT '{}',
      red_recipient_emails text[] NOT NULL DEFAULT '{}',
      anonymous boolean NOT NULL DEFAULT true,
      reveal_to_coordinators boolean NOT NULL DEFAULT false,
      sectors text[] NOT NULL DEFAULT '{}',
      default_validity_days int CHECK (default_validity_days BETWEEN 1 AND 3650),
      report_id uuid REFERENCES report(id),
      revision int NOT NULL DEFAULT 0,
      retraction_reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      seq int GENERATED ALWAYS AS IDENTITY UNIQUE,
      CONSTRAINT "UQ_indicator_list_name" UNIQUE (owner_org_id, name)
    )`);

    // One import (or API call) is one sighting batch: who, when, how confident, until when.
    await q.query(`CREATE TABLE entry_batch (
      id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      list_seq int NOT NULL REFERENCES indicator_list(seq),
      owner_org_id uuid NOT NULL REFERENCES organisation(id),
      added_by_user uuid REFERENCES hub_user(id),
      added_by_token uuid REFERENCES api_token(id),
      source text NOT NULL CHECK (source IN ('text', 'csv', 'stix', 'api')),
      confidence smallint NOT NULL CHECK (confidence BETWEEN 0 AND 100),
      seen_at timestamptz NOT NULL,
      valid_until timestamptz NOT NULL,
      tags text[] NOT NULL DEFAULT '{}',
      note text,
      report_id uuid REFERENCES report(id),
      added int NOT NULL DEFAULT 0,
      resighted int NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      -- Set last in the importing transaction under the commit-order lock (libs/sharing
      -- commit-order.ts), so it grows in commit order: TAXII's "date added".
      committed_at timestamptz
    )`);
    await q.query(`CREATE INDEX "IDX_entry_batch_list" ON entry_batch (list_seq)`);

    // Narrow on purpose (ADR 0008): a million-line import writes a million of these. Values are
    // ASCII in canonical form, so byte order ("C") sorts them as well as any locale, and faster.
    // What a
    // batch says for all its lines lives on the batch; a line's own confidence, dates, tags or
    // note (CSV columns, STIX properties) override it here and cost nothing when absent.
    await q.query(`CREATE TABLE list_entry (
      list_seq int NOT NULL,
      value text COLLATE "C" NOT NULL,
      type text NOT NULL CHECK (type IN ('ipv4', 'ipv6', 'ipv4-cidr', 'ipv6-cidr', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256')),
      first_batch int NOT NULL,
      last_batch int NOT NULL,
      confidence smallint CHECK (confidence BETWEEN 0 AND 100),
      first_seen timestamptz,
      last_seen timestamptz,
      valid_until timestamptz,
      tags text[],
      note text,
      PRIMARY KEY (list_seq, value)
    )`);
    await q.query(`CREATE TABLE feed_allow_entry (
      range cidr PRIMARY KEY,
      note text NOT NULL DEFAULT '',
      added_by uuid REFERENCES hub_user(id),
      added_at timestamptz NOT NULL DEFAULT now()
    )`);

    await q.query(`CREATE TABLE feed_state (
      id int PRIMARY KEY CHECK (id = 1),
      change_seq bigint NOT NULL,
      changed_at timestamptz NOT NULL
    )`);
    await q.query(`INSERT INTO feed_state VALUES (1, 1, now())`);
    await q.query(`CREATE FUNCTION renkei_feed_changed() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      DECLARE seq bigint;
      BEGIN
        UPDATE feed_state SET change_seq = change_seq + 1, changed_at = now() WHERE id = 1
          RETURNING change_seq INTO seq;
        -- Delivered at commit to every listening hub instance (ChangeNotifications).
        PERFORM pg_notify('renkei_feed', seq::text);
        RETURN NULL;
      END $$`);
    for (const table of ['indicator_list', 'list_entry', 'entry_batch', 'feed_allow_entry']) {
      await q.query(`CREATE TRIGGER "TRG_${table}_feed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
        ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION renkei_feed_changed()`);
    }
    // Who may see a list, and whose ranges are never blocked, depend on these columns.
    await q.query(`CREATE TRIGGER "TRG_organisation_feed" AFTER UPDATE OF sector_code, group_id, address_ranges, status
      ON organisation FOR EACH STATEMENT EXECUTE FUNCTION renkei_feed_changed()`);

    // Tokens and organisations changed: instances drop what they cached about callers (the
    // feeds' fast path) at once rather than at the next check.
    await q.query(`CREATE FUNCTION renkei_auth_changed() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('renkei_auth', '');
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER "TRG_api_token_auth"
      AFTER UPDATE OF revoked_at, expires_at, allowed_ranges, scopes, organisation_id OR DELETE ON api_token
      FOR EACH STATEMENT EXECUTE FUNCTION renkei_auth_changed()`);
    await q.query(`CREATE TRIGGER "TRG_organisation_auth" AFTER UPDATE OF status, sector_code, group_id ON organisation
      FOR EACH STATEMENT EXECUTE FUNCTION renkei_auth_changed()`);
    // Sessions revoked and users suspended: open subscriptions close at once (push).
    await q.query(`CREATE TRIGGER "TRG_session_auth" AFTER UPDATE OF revoked_at OR DELETE ON session
      FOR EACH STATEMENT EXECUTE FUNCTION renkei_auth_changed()`);
    await q.query(`CREATE TRIGGER "TRG_hub_user_auth" AFTER UPDATE OF status, role, organisation_id ON hub_user
      FOR EACH STATEMENT EXECUTE FUNCTION renkei_auth_changed()`);

    // Pulls, counted per token per hour (one row a firewall an hour, not one per request).
    await q.query(`CREATE TABLE feed_pull (
      token_id uuid NOT NULL REFERENCES api_token(id) ON DELETE CASCADE,
      hour timestamptz NOT NULL,
      requests int NOT NULL,
      not_modified int NOT NULL,
      bytes bigint NOT NULL,
      last_address inet,
      last_path text NOT NULL,
      last_at timestamptz NOT NULL,
      PRIMARY KEY (token_id, hour)
    )`);

    // The outbox: every change others may care about writes a row here in its own transaction
    // (pushed to subscribers and webhooks by the push issue). Nobody reads it as renkei_app yet.
    await q.query(`CREATE TABLE hub_event (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      kind text NOT NULL,
      org_id uuid NOT NULL REFERENCES organisation(id),
      list_id uuid REFERENCES indicator_list(id),
      report_id uuid REFERENCES report(id),
      batch_id int REFERENCES entry_batch(id),
      payload jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`ALTER TABLE hub_event ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE hub_event FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY hub_event_write ON hub_event FOR INSERT
      WITH CHECK (org_id = NULLIF(current_setting('renkei.org_id', true), '')::uuid)`);
    // Read by the hub's own dispatcher as the system principal, never by a caller: delivery
    // decides per recipient, under the TLP policy, what each may learn of an event.
    await q.query(`CREATE POLICY hub_event_system_read ON hub_event FOR SELECT
      USING (current_setting('renkei.kind', true) = 'system')`);
    await q.query(`CREATE INDEX "IDX_hub_event_created" ON hub_event (created_at)`);
    // Every instance's dispatcher wakes at commit; the id is the cursor.
    await q.query(`CREATE FUNCTION renkei_event_added() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('renkei_event', '');
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER "TRG_hub_event_notify" AFTER INSERT ON hub_event
      FOR EACH STATEMENT EXECUTE FUNCTION renkei_event_added()`);
    await q.query(`CREATE POLICY hub_event_system_delete ON hub_event FOR DELETE
      USING (current_setting('renkei.kind', true) = 'system')`);
    await q.query(`GRANT INSERT, SELECT, DELETE ON hub_event TO renkei_app`);

    const orgSetting = `NULLIF(current_setting('renkei.org_id', true), '')::uuid`;
    await q.query(`ALTER TABLE indicator_list ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE indicator_list FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY indicator_list_read ON indicator_list FOR SELECT
      USING (renkei_can_see(owner_org_id, tlp, status, audience_orgs, audience_sectors, audience_groups, red_users))`);
    await q.query(`CREATE POLICY indicator_list_write ON indicator_list FOR INSERT
      WITH CHECK (owner_org_id = ${orgSetting})`);
    await q.query(`CREATE POLICY indicator_list_update ON indicator_list FOR UPDATE
      USING (owner_org_id = ${orgSetting}) WITH CHECK (owner_org_id = ${orgSetting})`);

    // Entries and batches are visible exactly when their list is. Uncorrelated IN: the visible
    // (or own) lists are computed once per statement, not once per row.
    const ownLists = `list_seq IN (SELECT l.seq FROM indicator_list l WHERE l.owner_org_id = ${orgSetting})`;
    for (const table of ['list_entry', 'entry_batch']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY ${table}_read ON ${table} FOR SELECT
        USING (list_seq IN (SELECT l.seq FROM indicator_list l))`);
      await q.query(`CREATE POLICY ${table}_write ON ${table} FOR INSERT WITH CHECK (${ownLists})`);
      await q.query(
        `CREATE POLICY ${table}_update ON ${table} FOR UPDATE USING (${ownLists}) WITH CHECK (${ownLists})`,
      );
    }
    await q.query(`CREATE POLICY list_entry_delete ON list_entry FOR DELETE USING (${ownLists})`);
    await q.query(`CREATE POLICY entry_batch_owner ON entry_batch AS RESTRICTIVE FOR INSERT
      WITH CHECK (owner_org_id = ${orgSetting})`);

    // Referential integrity for entries, checked once per statement over the new rows rather
    // than by a foreign-key trigger per row (which tripled the time of a million-line import):
    // both batches must exist and belong to the entry's list.
    await q.query(`CREATE FUNCTION renkei_list_entry_check() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      BEGIN
        -- A statement's rows share a handful of (list, batch) pairs: check each pair once.
        IF EXISTS (
          SELECT 1 FROM (SELECT DISTINCT list_seq, first_batch, last_batch FROM new_entries) n
          WHERE NOT EXISTS (SELECT 1 FROM entry_batch b WHERE b.id = n.first_batch AND b.list_seq = n.list_seq)
             OR NOT EXISTS (SELECT 1 FROM entry_batch b WHERE b.id = n.last_batch AND b.list_seq = n.list_seq)
        ) THEN
          RAISE EXCEPTION 'list_entry refers to a batch that is not of its list'
            USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
      END $$`);
    for (const op of ['INSERT', 'UPDATE']) {
      await q.query(`CREATE TRIGGER "TRG_list_entry_check_${op.toLowerCase()}" AFTER ${op} ON list_entry
        REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION renkei_list_entry_check()`);
    }

    await q.query(`GRANT SELECT, INSERT, UPDATE ON indicator_list TO renkei_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON list_entry TO renkei_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON entry_batch TO renkei_app`);
    await q.query(`GRANT SELECT ON feed_allow_entry, feed_state TO renkei_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "TRG_organisation_feed" ON organisation`);
    await q.query(`DROP TRIGGER "TRG_organisation_auth" ON organisation`);
    await q.query(`DROP TRIGGER "TRG_api_token_auth" ON api_token`);
    await q.query(`DROP TRIGGER "TRG_session_auth" ON session`);
    await q.query(`DROP TRIGGER "TRG_hub_user_auth" ON hub_user`);
    await q.query(
      `DROP TABLE hub_event, feed_pull, feed_state, feed_allow_entry, list_entry, entry_batch, indicator_list`,
    );
    await q.query(
      `DROP FUNCTION renkei_feed_changed(), renkei_list_entry_check(), renkei_auth_changed(), renkei_event_added()`,
    );
  }
}
