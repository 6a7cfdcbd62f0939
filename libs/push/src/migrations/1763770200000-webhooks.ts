import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook endpoints of organisations and their delivery attempts (ADR 0010). An endpoint keeps
 * its own cursor into the outbox: deliveries go in event order, one at a time, and the row lock
 * taken while delivering makes one instance deliver each event once.
 */
export class Webhooks1763770200000 implements MigrationInterface {
  name = 'Webhooks1763770200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE webhook_endpoint (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
      url text NOT NULL,
      topic text NOT NULL CHECK (topic IN ('reports', 'lists')),
      filter jsonb NOT NULL DEFAULT '{}',
      secret_key_id text NOT NULL,
      secret_sealed bytea NOT NULL,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
      paused_reason text,
      cursor bigint NOT NULL,
      attempts int NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      failing_since timestamptz,
      created_by uuid REFERENCES hub_user(id),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX "IDX_webhook_endpoint_org" ON webhook_endpoint (org_id)`);
    await q.query(`CREATE TABLE webhook_delivery (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      endpoint_id uuid NOT NULL REFERENCES webhook_endpoint(id) ON DELETE CASCADE,
      event_id bigint NOT NULL,
      attempt int NOT NULL,
      status_code int,
      error text,
      duration_ms int NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE INDEX "IDX_webhook_delivery_endpoint" ON webhook_delivery (endpoint_id, id DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_delivery, webhook_endpoint`);
  }
}
