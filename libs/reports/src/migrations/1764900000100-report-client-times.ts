import { withoutForcedRls } from '@renkei/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

const TIMELINE = ['occurredAt', 'detectedAt', 'containedAt', 'recoveredAt'];

/**
 * Repairs the report times clients gave before they were bounded (client-instant.ts): a timeline
 * moment after the report was written becomes the time it was written (what happened cannot be
 * later than its telling), and a sighting dated after the day it was recorded becomes that day.
 * Timeline values are ISO strings in JSON, where a year past 9999 reads "+010000-…", which
 * PostgreSQL cannot cast: they are compared in JavaScript. Revision snapshots are history and
 * show only their title and marking; they are left as they were.
 */
export class ReportClientTimes1764900000100 implements MigrationInterface {
  name = 'ReportClientTimes1764900000100';

  async up(q: QueryRunner): Promise<void> {
    await withoutForcedRls(q, 'report', async () => {
      const rows = (await q.query(
        `SELECT id, timeline, created_at FROM report WHERE timeline <> '{}'::jsonb`,
      )) as { id: string; timeline: Record<string, unknown>; created_at: Date }[];
      for (const row of rows) {
        const written = row.created_at.getTime();
        const repaired = { ...row.timeline };
        for (const key of TIMELINE) {
          const value = row.timeline[key];
          if (typeof value !== 'string') continue;
          const at = Date.parse(value);
          if (Number.isNaN(at) || at > written) repaired[key] = row.created_at.toISOString();
        }
        if (JSON.stringify(repaired) !== JSON.stringify(row.timeline)) {
          await q.query(`UPDATE report SET timeline = $2 WHERE id = $1`, [
            row.id,
            JSON.stringify(repaired),
          ]);
        }
      }
    });
    await withoutForcedRls(q, 'report_sighting', () =>
      q.query(`UPDATE report_sighting SET seen_on = created_at::date
        WHERE seen_on > (created_at + interval '14 hours')::date`),
    );
  }

  async down(): Promise<void> {
    // The times repaired are not kept: there is nothing to restore.
  }
}
