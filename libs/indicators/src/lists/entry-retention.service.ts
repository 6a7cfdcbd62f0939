import { Injectable } from '@nestjs/common';
import { ScopedDatabase } from '@renkei/sharing';

/** Rows per transaction: each is short, so an import touching the same rows waits little. */
const BATCH = 5000;

/**
 * Deletes list entries whose expiry, and tombstones (removed entries) whose validity, ended
 * more than `days` ago (ADR 0020). Neither is served by a feed any more; TAXII keeps serving the
 * expired version of an entry until then, so a collection reader polling less often than the
 * retention is the only one who misses that an indicator expired. In batches of BATCH rows, one
 * short transaction each, walking list_entry by its primary key so no batch rescans what the
 * previous ones kept. Entries held for review or stopped are invisible to the system principal
 * (feed guard, ADR 0012) and stay until they are released.
 */
@Injectable()
export class EntryRetention {
  constructor(private readonly scoped: ScopedDatabase) {}

  async purge(days: number, batch = BATCH): Promise<{ entries: number; tombstones: number }> {
    let entries = 0;
    let after: { seq: number; value: string } | null = null;
    for (;;) {
      const round = await this.scoped.run({ kind: 'system' }, async (tx) => {
        const scanned: { seq: number; value: string; old: boolean }[] = await tx.query(
          `SELECT e.list_seq AS seq, e.value,
                  coalesce(e.valid_until, lb.valid_until) < now() - make_interval(days => $1) AS old
             FROM list_entry e JOIN entry_batch lb ON lb.id = e.last_batch
            WHERE ($2::int IS NULL OR (e.list_seq, e.value) > ($2::int, $3::text))
            ORDER BY e.list_seq, e.value LIMIT $4`,
          [days, after?.seq ?? null, after?.value ?? null, batch],
        );
        const old = scanned.filter((r) => r.old);
        let deleted = 0;
        if (old.length) {
          // The expiry is checked again: an import may have sighted the value since.
          [, deleted] = await tx.query(
            `DELETE FROM list_entry e USING entry_batch lb,
                    unnest($2::int[], $3::text[]) AS d(seq, value)
              WHERE e.list_seq = d.seq AND e.value = d.value AND lb.id = e.last_batch
                AND coalesce(e.valid_until, lb.valid_until) < now() - make_interval(days => $1)`,
            [days, old.map((r) => r.seq), old.map((r) => r.value)],
          );
        }
        return { scanned, deleted };
      });
      entries += round.deleted;
      if (round.scanned.length < batch) break;
      const last = round.scanned[round.scanned.length - 1];
      after = { seq: last.seq, value: last.value };
    }
    let tombstones = 0;
    for (;;) {
      // Tombstones are few beside entries (one per removed value still valid): a plain scan.
      const [, deleted]: [unknown, number] = await this.scoped.run({ kind: 'system' }, (tx) =>
        tx.query(
          `DELETE FROM stix_tombstone WHERE ctid = ANY (ARRAY(
             SELECT ctid FROM stix_tombstone
              WHERE valid_until < now() - make_interval(days => $1) LIMIT $2))`,
          [days, batch],
        ),
      );
      tombstones += deleted;
      if (deleted < batch) break;
    }
    return { entries, tombstones };
  }
}
