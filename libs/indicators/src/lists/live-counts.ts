import { EntityManager } from 'typeorm';

/** Lists one instance remembers a count of; past it, the longest unused go first. */
const MAX_LISTS = 20_000;

interface Counted {
  /** The list's version, the feed guard's version and `renkei.withheld` it was counted at. */
  key: string;
  live: number;
  /** When the first counted entry expires (database clock, µs since the epoch); null: never. */
  until: bigint | null;
}

/** What the count of one list depends on, besides its entries' expiry. */
export interface CountedList {
  seq: number;
  feed_version: string;
}

/**
 * Live-entry counts of lists as readers page through them (the console's inbox shows 50 lists
 * on its first screen), remembered per list version (ADR 0033). Counting reads every entry of a
 * list: at national scale a reader's 50 lists hold millions of entries, and every inbox page
 * counted them all again (bench/scale, issue 16).
 *
 * A count stays right until the list's entries change, which raises the list's `feed_version`
 * in the changing transaction (the feeds rely on the same, migration FeedVersions); until a
 * hold, review, stop or reach changes which entries anyone sees (`feed_state.guard_version`);
 * and until the first entry it counted expires, by the database's clock. Every reader who may
 * see a list sees the same entries of it: the read policies of `list_entry` depend on the
 * list's visibility and the feed guard only, except that an owner inside its own writes and
 * reviews sees held entries (`renkei.withheld`), which is part of the key. The version and the
 * entries are read in one snapshot, so a count is stored under the version it belongs to; only
 * transactions that wrote nothing may use this (ListService's read paths): a count taken in a
 * writing transaction could belong to a version that is rolled back and reused.
 *
 * A count is only handed out for lists the caller's transaction has just read under its own
 * scope, so no reader learns of a list, or of more entries than it would have counted, that
 * its row-level security would not have shown it.
 */
export class LiveCounts {
  private readonly counted = new Map<number, Counted>();

  async of(tx: EntityManager, lists: CountedList[]): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    if (!lists.length) return out;
    const [state]: { guard: string; withheld: string | null; now: string }[] = await tx.query(
      `SELECT guard_version::text AS guard, current_setting('renkei.withheld', true) AS withheld,
              (extract(epoch FROM now()) * 1000000)::bigint::text AS now
         FROM feed_state WHERE id = 1`,
    );
    const now = BigInt(state.now);
    const keyOf = (l: CountedList) => `${l.feed_version}:${state.guard}:${state.withheld ?? ''}`;
    const missing: CountedList[] = [];
    for (const l of lists) {
      const c = this.counted.get(l.seq);
      if (c && c.key === keyOf(l) && (c.until === null || now < c.until)) {
        // Map order is insertion order: used counts move to the back, eviction takes the front.
        this.counted.delete(l.seq);
        this.counted.set(l.seq, c);
        out.set(l.seq, c.live);
      } else {
        missing.push(l);
      }
    }
    if (!missing.length) return out;
    const rows: { list_seq: number; live: number; until: string | null }[] = await tx.query(
      `SELECT e.list_seq, count(*)::int AS live,
              (extract(epoch FROM min(coalesce(e.valid_until, lb.valid_until))) * 1000000)::bigint::text AS until
         FROM list_entry e JOIN entry_batch lb ON lb.id = e.last_batch
        WHERE e.list_seq = ANY($1) AND coalesce(e.valid_until, lb.valid_until) > now()
        GROUP BY e.list_seq`,
      [missing.map((l) => l.seq)],
    );
    const found = new Map(rows.map((r) => [r.list_seq, r]));
    for (const l of missing) {
      const r = found.get(l.seq);
      const live = r?.live ?? 0;
      out.set(l.seq, live);
      this.counted.delete(l.seq);
      this.counted.set(l.seq, { key: keyOf(l), live, until: r?.until ? BigInt(r.until) : null });
    }
    while (this.counted.size > MAX_LISTS) {
      this.counted.delete(this.counted.keys().next().value as number);
    }
    return out;
  }
}
