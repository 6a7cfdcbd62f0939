import { Inject, Injectable } from '@nestjs/common';
import { Principal } from '@renkei/identity';
import { HUB_CONFIG, HubConfig, isUuid, NotFoundError } from '@renkei/platform';
import { ScopedDatabase, scopeOf } from '@renkei/sharing';
import DataLoader from 'dataloader';
import { CappedCount, cappedCount } from '../reports/capped-count';

/**
 * What "unread" means, in one place: a published report the reader may see (row-level security
 * on `report` decides), that someone else wrote, and that the reader has not opened. $1 is the
 * reader's user id.
 */
const UNREAD = `r.status = 'published' AND r.author_user_id <> $1
  AND NOT EXISTS (SELECT 1 FROM report_read_mark m WHERE m.user_id = $1 AND m.report_id = r.id)`;

/**
 * Per-user read marks (ADR 0025). Every statement runs as the reader, so a report the reader
 * may not see is neither counted nor markable: marking one answers NOT_FOUND like a missing id.
 */
@Injectable()
export class ReportReadService {
  private readonly perRequest = new WeakMap<object, DataLoader<string, boolean>>();
  private readonly counts = new WeakMap<object, Promise<CappedCount>>();

  constructor(
    private readonly scoped: ScopedDatabase,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /** Whether each report is unread for a person, batched per request. */
  loader(req: object, p: Principal): DataLoader<string, boolean> {
    let loader = this.perRequest.get(req);
    if (!loader) {
      loader = new DataLoader(async (ids) => {
        const unread = await this.unreadAmong(p, [...ids]);
        return ids.map((id) => unread.has(id));
      });
      this.perRequest.set(req, loader);
    }
    return loader;
  }

  private async unreadAmong(p: Principal, ids: string[]): Promise<Set<string>> {
    const rows: { id: string }[] = await this.scoped.run(scopeOf(p), (tx) =>
      tx.query(`SELECT r.id FROM report r WHERE r.id = ANY($2::uuid[]) AND ${UNREAD}`, [
        p.userId,
        ids.filter(isUuid),
      ]),
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * The person's unread count up to the cap (ADR 0036), once per request: unreadReportCount and
   * unreadReportCountCapped are two fields of one answer.
   */
  unreadCount(req: object, p: Principal): Promise<CappedCount> {
    let count = this.counts.get(req);
    if (!count) {
      count = this.scoped.run(scopeOf(p), (tx) =>
        cappedCount(tx, `FROM report r WHERE ${UNREAD}`, [p.userId], this.config.reportCountCap),
      );
      this.counts.set(req, count);
    }
    return count;
  }

  async markRead(p: Principal, id: string): Promise<boolean> {
    return this.scoped.run(scopeOf(p), async (tx) => {
      const seen: unknown[] = isUuid(id)
        ? await tx.query('SELECT 1 FROM report WHERE id = $1', [id])
        : [];
      if (!seen.length) throw new NotFoundError('Report');
      await tx.query(
        `INSERT INTO report_read_mark (user_id, report_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [p.userId, id],
      );
      return true;
    });
  }

  /** Marks every report now unread for the person as read; returns how many there were. */
  async markAllRead(p: Principal): Promise<number> {
    return this.scoped.run(scopeOf(p), async (tx) => {
      const rows: unknown[] = await tx.query(
        `INSERT INTO report_read_mark (user_id, report_id)
           SELECT $1, r.id FROM report r WHERE ${UNREAD}
           ON CONFLICT DO NOTHING RETURNING report_id`,
        [p.userId],
      );
      return rows.length;
    });
  }
}
