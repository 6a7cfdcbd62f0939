import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A paused alert rule (ADR 0025): its walker still moves its cursor but records nothing, so
 * resuming alerts from then on instead of delivering the pause's backlog at once.
 */
export class AlertRulePause1765180000100 implements MigrationInterface {
  name = 'AlertRulePause1765180000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alert_rule ADD COLUMN paused_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alert_rule DROP COLUMN paused_at`);
  }
}
