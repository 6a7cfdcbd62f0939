import type { EntityManager } from 'typeorm';
import { lockCommitOrder } from '@renkei/platform';

/** What others may care about (the push issue delivers them to subscribers and webhooks). */
export type HubEventKind =
  | 'report.published'
  | 'report.updated'
  | 'report.retracted'
  | 'report.comment_added'
  | 'report.sighting_added'
  | 'list.created'
  | 'list.updated'
  | 'list.retracted'
  | 'list.expired'
  | 'list.entries_added'
  | 'list.entries_removed'
  // Blocklist reviews (ADR 0012): told to the author's organisation and to coordinators only.
  | 'feed.change_held'
  | 'feed.change_reviewed';

export interface HubEventInput {
  kind: HubEventKind;
  /** The organisation whose change it is (row-level security checks it is the caller's). */
  orgId: string;
  reportId?: string;
  listId?: string;
  batchId?: number;
  payload?: Record<string, unknown>;
}

/**
 * Writes an event to the outbox (`hub_event`) in the changing transaction, under the
 * commit-order lock, so event ids grow in commit order: a reader that asks for "everything after
 * id N" never misses an event committed later with a smaller id. Call it last in a transaction.
 */
export async function recordEvent(tx: EntityManager, e: HubEventInput): Promise<void> {
  await lockCommitOrder(tx);
  await tx.query(
    `INSERT INTO hub_event (kind, org_id, report_id, list_id, batch_id, payload)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      e.kind,
      e.orgId,
      e.reportId ?? null,
      e.listId ?? null,
      e.batchId ?? null,
      JSON.stringify(e.payload ?? {}),
    ],
  );
}
