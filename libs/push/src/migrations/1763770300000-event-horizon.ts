import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How far the outbox has been purged (ADR 0010): EventRetention deletes every event up to an id
 * and records that id here, so a cursor at or after it resumes without a gap and one before it
 * is told so (CURSOR_EXPIRED) instead of silently missing what was deleted. One row; no
 * shareable data (an id), so no row-level policy.
 */
export class EventHorizon1763770300000 implements MigrationInterface {
  name = 'EventHorizon1763770300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE hub_event_horizon (
      id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
      purged_through bigint NOT NULL,
      purged_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON hub_event_horizon TO renkei_app`);
    // Old deliveries go with the events they were about (WebhookService purges them).
    await q.query(`CREATE INDEX "IDX_webhook_delivery_at" ON webhook_delivery (at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_webhook_delivery_at"`);
    await q.query(`DROP TABLE hub_event_horizon`);
  }
}
