import { publishReport } from '../support/community';
import { Scene, scene } from './support';

/*
 * Malformed input to today's operations (ADR 0022, 0021): each must answer a clear client
 * error with a stable code (never INTERNAL_SERVER_ERROR, never a stack trace, never a pg
 * message), and the hub must keep answering afterwards. A test that FAILS is a finding.
 */

jest.setTimeout(300_000);

let s: Scene;
let report: string;

beforeAll(async () => {
  s = await scene();
  report = await publishReport(s.t, s.op.analyst.token, { tlp: 'GREEN', title: 'Target' });
});
afterAll(async () => {
  await s?.t.stop();
});

const ASK = 'mutation($i: AssistanceRequestInput!) { requestAssistance(input: $i) { id } }';

async function raw(query: string, variables: Record<string, unknown>, token: string) {
  const res = await fetch(`${s.t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, text: await res.text() };
}

const cases: [string, string, () => Record<string, unknown>, () => string][] = [
  [
    'requestAssistance: reportId not a UUID',
    ASK,
    () => ({ i: { reportId: 'not-a-uuid', body: 'help' } }),
    () => s.op.analyst.token,
  ],
  [
    'requestAssistance: an organisationId not a UUID',
    ASK,
    () => ({ i: { reportId: report, body: 'help', organisationIds: ['not-a-uuid'] } }),
    () => s.op.analyst.token,
  ],
  [
    'requestAssistance: an empty body',
    ASK,
    () => ({ i: { reportId: report, body: '' } }),
    () => s.op.analyst.token,
  ],
  [
    'requestAssistance: a 1 MB body',
    ASK,
    () => ({ i: { reportId: report, body: 'x'.repeat(1_000_000) } }),
    () => s.op.analyst.token,
  ],
  [
    'statistics: from "2026-Q9"',
    '{ statistics(from: "2026-Q9") { csv } }',
    () => ({}),
    () => s.peer.analyst.token,
  ],
  [
    'statistics: to "99999-Q1"',
    '{ statistics(to: "99999-Q1") { csv } }',
    () => ({}),
    () => s.peer.analyst.token,
  ],
  [
    'quarterlySummary: quarter "Q4"',
    '{ quarterlySummary(quarter: "Q4") { markdown } }',
    () => ({}),
    () => s.admin,
  ],
  [
    'myAlertSends: ruleId not a UUID',
    '{ myAlertSends(ruleId: "x") { id } }',
    () => ({}),
    () => s.op.analyst.token,
  ],
  [
    'myAlertSends: first -1',
    '{ myAlertSends(first: -1) { id } }',
    () => ({}),
    () => s.op.analyst.token,
  ],
  [
    'myMailbox: first 2^31-1',
    '{ myMailbox(first: 2147483647) { id } }',
    () => ({}),
    () => s.op.analyst.token,
  ],
  ['myMailbox: first -5', '{ myMailbox(first: -5) { id } }', () => ({}), () => s.op.analyst.token],
  [
    'updateAlertRule: id not a UUID',
    'mutation { updateAlertRule(id: "x", input: { topic: REPORTS, delivery: IMMEDIATE }) { id } }',
    () => ({}),
    () => s.op.analyst.token,
  ],
  [
    'deleteAlertRule: id not a UUID',
    'mutation { deleteAlertRule(id: "x") }',
    () => ({}),
    () => s.op.analyst.token,
  ],
  [
    'setContact: an audience organisationId not a UUID',
    'mutation($i: ContactInput!) { setContact(input: $i) { tlp } }',
    () => ({ i: { tlp: 'AMBER', audience: { organisationIds: ['x'] } } }),
    () => s.op.orgAdmin.token,
  ],
  [
    'setContact: a 1 MB OpenPGP key',
    'mutation($i: ContactInput!) { setContact(input: $i) { tlp } }',
    () => ({ i: { tlp: 'GREEN', openpgpKey: 'k'.repeat(1_000_000) } }),
    () => s.op.orgAdmin.token,
  ],
  [
    'removeExercise: an empty name',
    'mutation { removeExercise(name: "") }',
    () => ({}),
    () => s.op.orgAdmin.token,
  ],
  [
    'createReport: a 100 kB exercise name',
    'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
    () => ({ i: { kind: 'INCIDENT', title: 'x', exercise: 'd'.repeat(100_000) } }),
    () => s.op.analyst.token,
  ],
  [
    'respondToAssistance: id not a UUID',
    'mutation { respondToAssistance(id: "x", body: "y") { id } }',
    () => ({}),
    () => s.peer.analyst.token,
  ],
];

describe('malformed input answers a client error', () => {
  it.each(cases)('%s', async (_name, query, vars, token) => {
    const r = await raw(query, vars(), token());
    expect(r.status).toBeLessThan(500);
    expect(r.text).not.toMatch(
      /INTERNAL_SERVER_ERROR|stacktrace|invalid input syntax|QueryFailedError|\n\s+at /,
    );
    const body = JSON.parse(r.text);
    if (body.errors) {
      expect(body.errors[0].extensions?.code).toMatch(/^[A-Z_]+$/);
    }
  });

  it('the hub still answers afterwards', async () => {
    const r = await raw('{ sectors { code } }', {}, s.peer.analyst.token);
    expect(r.status).toBe(200);
  });
});
