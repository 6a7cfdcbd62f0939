import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts by e-mail and chat (ADR 0021). A rule keeps its own cursor into the outbox, as a
 * webhook does; what it finds goes into `alert_send`, one row per rule and event (immediate) or
 * per rule and digest period, so the unique key makes a second walker or a restart add nothing.
 * The row holds event ids only: the message is rendered when it is sent, as the recipient may
 * read the items then. `mailbox_message` is where mail goes when no SMTP_URL is set. A user's
 * language (ja, en) decides the language of what is sent to them. Read and written by the
 * hub's own services for the user they belong to, never through a reader's scope: no policies.
 */
export class Alerts1765140000000 implements MigrationInterface {
  name = 'Alerts1765140000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE hub_user ADD COLUMN language text NOT NULL DEFAULT 'ja' CONSTRAINT "CHK_hub_user_language" CHECK (language IN ('ja', 'en'))`,
    );
    await q.query(`CREATE TABLE alert_rule (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES hub_user(id) ON DELETE CASCADE,
      topic text NOT NULL CHECK (topic IN ('reports', 'lists')),
      filter jsonb NOT NULL DEFAULT '{}',
      delivery text NOT NULL CHECK (delivery IN ('immediate', 'daily', 'weekly')),
      cursor bigint NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX "IDX_alert_rule_user" ON alert_rule (user_id)`);
    await q.query(`CREATE TABLE alert_send (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      rule_id uuid NOT NULL REFERENCES alert_rule(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES hub_user(id) ON DELETE CASCADE,
      period text NOT NULL,
      event_ids bigint[] NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'skipped')),
      due_at timestamptz NOT NULL,
      attempts int NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_error text,
      sent_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "UQ_alert_send_rule_period" UNIQUE (rule_id, period)
    )`);
    await q.query(
      `CREATE INDEX "IDX_alert_send_due" ON alert_send (greatest(due_at, next_attempt_at)) WHERE status = 'pending'`,
    );
    await q.query(`CREATE INDEX "IDX_alert_send_user" ON alert_send (user_id, id DESC)`);
    await q.query(`CREATE TABLE mailbox_message (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES hub_user(id) ON DELETE CASCADE,
      send_id bigint REFERENCES alert_send(id) ON DELETE SET NULL,
      subject text NOT NULL,
      body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX "IDX_mailbox_message_user" ON mailbox_message (user_id, id DESC)`);
    await q.query(
      `ALTER TABLE webhook_endpoint ADD COLUMN format text NOT NULL DEFAULT 'generic' CHECK (format IN ('generic', 'slack', 'teams')),
         ADD COLUMN language text NOT NULL DEFAULT 'en' CHECK (language IN ('ja', 'en'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_endpoint DROP COLUMN format, DROP COLUMN language`);
    await q.query(`DROP TABLE mailbox_message, alert_send, alert_rule`);
    await q.query(`ALTER TABLE hub_user DROP COLUMN language`);
  }
}
