import { withoutForcedRls } from '@renkei/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Repairs the times clients gave before they were bounded (client-instant.ts): a sighting seen
 * in the future (one at 9999-12-31 made every STIX feed and TAXII collection answer 500, and its
 * tombstone kept TAXII broken after the entry was removed), and expiries past the longest
 * validity (a valid_until of 9999 by CSV or STIX). Observation times later than now become now;
 * a batch keeps the validity it was given (capped) from that new sighting; expiries are capped
 * at now plus 3650 days, the most INDICATOR_MAX_VALIDITY_DAYS allows. ±infinity counts as out
 * of bounds. Entries are not given new STIX versions: no client could read the broken ones.

 */
export class ClientTimes1764900000000 implements MigrationInterface {
  name = 'ClientTimes1764900000000';

  async up(q: QueryRunner): Promise<void> {
    const max = `now() + interval '3650 days'`;
    const repaired = new Set<number>();
    const note = (rows: unknown) => {
      // TypeORM answers an UPDATE … RETURNING with [rows, count].
      for (const r of (rows as [{ list_seq: number }[], number])[0]) repaired.add(r.list_seq);
    };
    await withoutForcedRls(q, 'entry_batch', async () => {
      note(
        await q.query(`UPDATE entry_batch SET
            valid_until = CASE
              WHEN isfinite(seen_at) AND isfinite(valid_until) AND valid_until - seen_at <= interval '3650 days'
              THEN now() + greatest(valid_until - seen_at, interval '0')
              ELSE ${max} END,
            seen_at = now()
          WHERE seen_at > now() OR NOT isfinite(seen_at)
          RETURNING list_seq`),
      );
      note(
        await q.query(
          `UPDATE entry_batch SET valid_until = ${max} WHERE valid_until > ${max} RETURNING list_seq`,
        ),
      );
    });
    for (const table of ['list_entry', 'stix_tombstone']) {
      await withoutForcedRls(q, table, async () =>
        note(
          await q.query(`UPDATE ${table} SET
              first_seen = CASE WHEN first_seen > now() THEN now() ELSE first_seen END,
              last_seen = CASE WHEN last_seen > now() THEN now() ELSE last_seen END,
              valid_until = CASE WHEN valid_until > ${max} THEN ${max} ELSE valid_until END
            WHERE first_seen > now() OR last_seen > now() OR valid_until > ${max}
            RETURNING list_seq`),
        ),
      );
    }
    // A list's feed_version moves with every change to its entries (ADR 0008): without it, a
    // cached feed or a client's validator would still stand for the unrepaired times.
    if (repaired.size) {
      await withoutForcedRls(q, 'indicator_list', () =>
        q.query(`UPDATE indicator_list SET updated_at = updated_at WHERE seq = ANY($1)`, [
          [...repaired],
        ]),
      );
    }
  }

  async down(): Promise<void> {
    // The times repaired are not kept: there is nothing to restore.
  }
}
