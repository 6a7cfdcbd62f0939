import { createOrg, member, Member } from './support/community';
import { STRONG_PASSWORD, startTestHub, TestHub } from './support/test-hub';

/*
 * Issue #12 item 5 from outside: the scrubber knows the organisation's own users, and the author
 * keeps an attacker's address the scrubber flagged, in the preview, but never their own data.
 */

jest.setTimeout(180_000);

let t: TestHub;
let author: Member;
let reader: Member;

const PREVIEW = `mutation($id: ID!, $keep: [RedactionKeepInput!]) {
  previewReportRedactions(id: $id, keep: $keep) {
    previewHash
    sections { field text redactions { start kind original keepable } kept { start original } }
  }
}`;
const PUBLISH = `mutation($id: ID!, $h: String!, $keep: [RedactionKeepInput!]) {
  publishReport(id: $id, previewHash: $h, keep: $keep) { id }
}`;

interface Preview {
  previewHash: string;
  sections: {
    field: string;
    text: string;
    redactions: { start: number; kind: string; original: string; keepable: boolean }[];
    kept: { start: number; original: string }[];
  }[];
}

async function must<T>(query: string, variables: Record<string, unknown>, token: string) {
  const r = await t.gql<T>(query, variables, token);
  if (!r.data || r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
}

async function draft(summary: string): Promise<string> {
  const created = await must<{ createReport: { id: string } }>(
    'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
    { i: { kind: 'INCIDENT', title: 'Phishing wave', tlp: 'GREEN', anonymous: true, summary } },
    author.token,
  );
  return created.createReport.id;
}

const readSummary = async (id: string) =>
  (
    await must<{ report: { summary: string } }>(
      'query($id: ID!) { report(id: $id) { summary } }',
      { id },
      reader.token,
    )
  ).report.summary;

beforeAll(async () => {
  t = await startTestHub();
  const admin = (await t.bootstrapAdmin()).token;
  const org = await createOrg(t, admin, {
    name: 'Higashi Denryoku',
    sectorCode: 'electric-power',
    domains: ['higashi-denryoku.example'],
  });
  const other = await createOrg(t, admin, { name: 'Chubu Power', sectorCode: 'electric-power' });
  author = await member(t, admin, org, 'soc@higashi-denryoku.example');
  reader = await member(t, admin, other, 'soc@chubu.example');
  const named = await t.gql(
    'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
    {
      i: {
        organisationId: org,
        email: 'admin@higashi-denryoku.example',
        displayName: 'Yui Sato',
        role: 'ORG_ADMIN',
        initialPassword: STRONG_PASSWORD,
      },
    },
    admin,
  );
  if (named.errors) throw new Error(JSON.stringify(named.errors));
});

afterAll(async () => {
  await t?.stop();
});

it('redacts the display name of a user of the organisation (the org admin’s own name)', async () => {
  const id = await draft('Yui Sato noticed the mail first.');
  const preview = (await must<{ previewReportRedactions: Preview }>(PREVIEW, { id }, author.token))
    .previewReportRedactions;
  const summary = preview.sections.find((s) => s.field === 'summary')!;
  expect(summary.redactions).toEqual([
    { start: 0, kind: 'person_name', original: 'Yui Sato', keepable: false },
  ]);
  await must(PUBLISH, { id, h: preview.previewHash }, author.token);
  expect(await readSummary(id)).toBe('[person-name] noticed the mail first.');
});

it('publishes an attacker address the author kept, and redacts the rest', async () => {
  const text = 'Sent from attacker@evil.example to yui@higashi-denryoku.example.';
  const id = await draft(text);
  const first = (
    await must<{ previewReportRedactions: Preview }>(PREVIEW, { id }, author.token)
  ).previewReportRedactions.sections.find((s) => s.field === 'summary')!;
  expect(first.redactions.map((r) => [r.original, r.keepable])).toEqual([
    ['attacker@evil.example', true],
    ['yui@higashi-denryoku.example', false],
  ]);

  const keep = [{ field: 'summary', start: text.indexOf('attacker') }];
  const preview = (
    await must<{ previewReportRedactions: Preview }>(PREVIEW, { id, keep }, author.token)
  ).previewReportRedactions;
  const summary = preview.sections.find((s) => s.field === 'summary')!;
  expect(summary.text).toBe('Sent from attacker@evil.example to [email].');
  expect(summary.kept).toEqual([{ start: 10, original: 'attacker@evil.example' }]);

  // The hash carries the decision: the preview without the keep does not publish it.
  const plain = (await must<{ previewReportRedactions: Preview }>(PREVIEW, { id }, author.token))
    .previewReportRedactions;
  const mismatch = await t.gql(PUBLISH, { id, h: plain.previewHash, keep }, author.token);
  expect(mismatch.errors?.[0].extensions?.code).toBe('CONFLICT');

  await must(PUBLISH, { id, h: preview.previewHash, keep }, author.token);
  expect(await readSummary(id)).toBe('Sent from attacker@evil.example to [email].');

  // An edit of the published report keeps what the author kept; a new address is redacted.
  await must(
    'mutation($id: ID!, $i: ReportInput!) { updateReport(id: $id, input: $i) { revision } }',
    { id, i: { summary: 'Again from attacker@evil.example and from other@evil.example.' } },
    author.token,
  );
  expect(await readSummary(id)).toBe('Again from attacker@evil.example and from [email].');
});

it('refuses to keep the organisation’s own data, with the path of the keep', async () => {
  const text = 'Mail yui@higashi-denryoku.example about it.';
  const id = await draft(text);
  const own = await t.gql(
    PREVIEW,
    {
      id,
      keep: [
        { field: 'summary', start: 5 },
        { field: 'summary', start: 1 },
      ],
    },
    author.token,
  );
  expect(own.data).toBeNull();
  expect(own.errors?.[0].extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    fieldErrors: [
      {
        path: 'keep.0',
        message: "summary at 5 is your organisation's own data (email): it cannot be kept",
      },
      { path: 'keep.1', message: 'summary has no redaction starting at 1' },
    ],
  });
  const published = await t.gql(
    PUBLISH,
    { id, h: 'anything', keep: [{ field: 'summary', start: 5 }] },
    author.token,
  );
  expect(published.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const status = await must<{ report: { status: string } }>(
    'query($id: ID!) { report(id: $id) { status } }',
    { id },
    author.token,
  );
  expect(status.report.status).toBe('DRAFT');
});
