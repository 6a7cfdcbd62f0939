import { EntityManager } from 'typeorm';

/** A count of reports that stopped at the hub's cap (REPORT_COUNT_CAP, ADR 0036). */
export interface CappedCount {
  /** The count, or the cap when there are more. */
  count: number;
  /** There are more than `count`. */
  capped: boolean;
}

/**
 * Counts the rows of `fromWhere` (a FROM … WHERE … over `report`, under the reader's row-level
 * security like every statement of the transaction) up to `cap`. Asking for one row more than
 * the cap tells "exactly the cap" from "more": the scan stops there instead of evaluating the
 * reader's policy on every report, which at national scale was the inbox's whole cost.
 */
export async function cappedCount(
  tx: EntityManager,
  fromWhere: string,
  params: unknown[],
  cap: number,
): Promise<CappedCount> {
  const [{ n }]: { n: number }[] = await tx.query(
    `SELECT count(*)::int AS n FROM (SELECT 1 ${fromWhere} LIMIT $${params.length + 1}) AS counted`,
    [...params, cap + 1],
  );
  return n > cap ? { count: cap, capped: true } : { count: n, capped: false };
}
