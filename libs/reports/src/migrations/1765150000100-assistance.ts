import { MigrationInterface, QueryRunner } from 'typeorm';

const orgSetting = `NULLIF(current_setting('renkei.org_id', true), '')::uuid`;
const kindSetting = `NULLIF(current_setting('renkei.kind', true), '')`;

/**
 * Requests for assistance (ADR 0022): a member asks the coordinator and peers it names for help
 * on a report. A request is seen by its requester and the organisations it addresses, never by
 * anyone else; responses are seen exactly when their request is (their policy asks whether the
 * request row is visible). People ask people: API tokens see none of it.
 */
export class Assistance1765150000100 implements MigrationInterface {
  name = 'Assistance1765150000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE assistance_request (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      report_id uuid NOT NULL REFERENCES report(id) ON DELETE CASCADE,
      requester_org_id uuid NOT NULL REFERENCES organisation(id),
      requester_user_id uuid NOT NULL REFERENCES hub_user(id),
      addressed_orgs uuid[] NOT NULL,
      anonymous boolean NOT NULL DEFAULT true,
      reveal_to_coordinators boolean NOT NULL DEFAULT false,
      body text NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
      created_at timestamptz NOT NULL DEFAULT now(),
      closed_at timestamptz
    )`);
    await q.query(
      `CREATE INDEX "IDX_assistance_request_addressed" ON assistance_request USING gin (addressed_orgs)`,
    );
    await q.query(`CREATE TABLE assistance_response (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      request_id uuid NOT NULL REFERENCES assistance_request(id) ON DELETE CASCADE,
      org_id uuid NOT NULL REFERENCES organisation(id),
      user_id uuid NOT NULL REFERENCES hub_user(id),
      body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE INDEX "IDX_assistance_response_request" ON assistance_response (request_id, created_at)`,
    );
    for (const table of ['assistance_request', 'assistance_response']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
    }
    await q.query(`CREATE POLICY assistance_request_read ON assistance_request FOR SELECT
      USING (coalesce(${kindSetting} = 'system'
        OR (${kindSetting} = 'user' AND (requester_org_id = ${orgSetting} OR ${orgSetting} = ANY (addressed_orgs))), false))`);
    await q.query(`CREATE POLICY assistance_request_write ON assistance_request FOR INSERT
      WITH CHECK (${kindSetting} = 'user' AND requester_org_id = ${orgSetting})`);
    await q.query(`CREATE POLICY assistance_request_update ON assistance_request FOR UPDATE
      USING (requester_org_id = ${orgSetting}) WITH CHECK (requester_org_id = ${orgSetting})`);
    await q.query(`CREATE POLICY assistance_response_read ON assistance_response FOR SELECT
      USING (EXISTS (SELECT 1 FROM assistance_request r WHERE r.id = request_id))`);
    await q.query(`CREATE POLICY assistance_response_write ON assistance_response FOR INSERT
      WITH CHECK (org_id = ${orgSetting}
        AND EXISTS (SELECT 1 FROM assistance_request r WHERE r.id = request_id AND r.status = 'open'))`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON assistance_request TO renkei_app`);
    await q.query(`GRANT SELECT, INSERT ON assistance_response TO renkei_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE assistance_response, assistance_request`);
  }
}
