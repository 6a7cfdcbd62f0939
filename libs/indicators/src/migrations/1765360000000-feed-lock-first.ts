import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One order for every writer of lists and entries: the feed's change counter (`feed_state`,
 * row 1) first, then lists, then entries. The counter is taken anyway by every changing
 * statement's AFTER trigger (migration Indicators), and held to commit; what was missing is
 * taking it before the rows:
 *
 * - Every statement that writes `list_entry` now takes it before it locks any entry (a BEFORE
 *   statement trigger). The retention purge (and an exercise's removal) locked the entries it
 *   deleted first and met the counter in its AFTER trigger; an import, which holds the counter
 *   from its batch on, sighting again an entry the purge had locked waited for the purge, which
 *   waited for the import, and PostgreSQL failed one of them after deadlock_timeout
 *   (test/housekeeping.e2e-spec.ts).
 * - `renkei_take_feed()` takes it at the start of a transaction, for the list service's writes
 *   (which lock their list next): an exercise's removal takes the counter with its entries and
 *   then the drill's lists, the reverse of an import that locked its list and then the counter.
 *
 * A writer that holds the counter already takes nothing new.
 */
export class FeedLockFirst1765360000000 implements MigrationInterface {
  name = 'FeedLockFirst1765360000000';

  async up(q: QueryRunner): Promise<void> {
    // The same row lock the AFTER trigger's UPDATE takes; SECURITY DEFINER, as the app role
    // only reads feed_state.
    await q.query(`CREATE FUNCTION renkei_take_feed() RETURNS void
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      BEGIN
        PERFORM FROM feed_state WHERE id = 1 FOR NO KEY UPDATE;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION renkei_take_feed() FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION renkei_take_feed() TO renkei_app`);
    await q.query(`CREATE FUNCTION renkei_feed_first() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      BEGIN
        PERFORM renkei_take_feed();
        RETURN NULL;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION renkei_feed_first() FROM PUBLIC`);
    await q.query(`CREATE TRIGGER "TRG_list_entry_feed_first" BEFORE INSERT OR UPDATE OR DELETE
      ON list_entry FOR EACH STATEMENT EXECUTE FUNCTION renkei_feed_first()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "TRG_list_entry_feed_first" ON list_entry`);
    await q.query(`DROP FUNCTION renkei_feed_first()`);
    await q.query(`DROP FUNCTION renkei_take_feed()`);
  }
}
