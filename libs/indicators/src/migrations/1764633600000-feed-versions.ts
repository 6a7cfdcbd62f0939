import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Feed validators that change only with what the caller sees (ADR 0008, "validators").
 *
 * - `indicator_list.feed_version` goes up with every update of the list row. Every change to a
 *   list's entries updates its row in the same transaction (ListService), so the versions of
 *   the lists a caller may see, with the allow-list, decide its feed: a change to a list it
 *   cannot see no longer changes its ETag or costs it a render.
 * - `feed_state.validator_key` keys the HMAC that makes ETags opaque, the same for every
 *   instance on one database.
 */
export class FeedVersions1764633600000 implements MigrationInterface {
  name = 'FeedVersions1764633600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE indicator_list ADD COLUMN feed_version bigint NOT NULL DEFAULT 1`);
    await q.query(`CREATE FUNCTION renkei_list_feed_version() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        NEW.feed_version := OLD.feed_version + 1;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER "TRG_indicator_list_feed_version" BEFORE UPDATE ON indicator_list
      FOR EACH ROW EXECUTE FUNCTION renkei_list_feed_version()`);
    await q.query(`ALTER TABLE feed_state ADD COLUMN validator_key bytea NOT NULL
      DEFAULT uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE feed_state DROP COLUMN validator_key`);
    await q.query(`DROP TRIGGER "TRG_indicator_list_feed_version" ON indicator_list`);
    await q.query(`DROP FUNCTION renkei_list_feed_version()`);
    await q.query(`ALTER TABLE indicator_list DROP COLUMN feed_version`);
  }
}
