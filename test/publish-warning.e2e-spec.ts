import { createOrg, member, Member } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';

/*
 * Before publishing, the author is told how readers will be shown its organisation, and warned
 * when the hub has too few members to hide among: the readers are then told the report is not
 * anonymous. The preview must say exactly what the readers are given.
 */

jest.setTimeout(180_000);

const NOT_ANONYMOUS = 'a member organisation (not anonymous: too few members)';

let t: TestHub;
let admin: string;
let author: Member;
let reader: Member;

const PREVIEW = `mutation($id: ID!) {
  previewReportRedactions(id: $id) { previewHash author { labels tooFewToHideIn } }
}`;

interface Preview {
  previewHash: string;
  author: { labels: string[]; tooFewToHideIn: boolean };
}

async function must<T>(query: string, variables: Record<string, unknown>, token: string) {
  const r = await t.gql<T>(query, variables, token);
  if (!r.data || r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
}

async function previewOf(anonymous: boolean): Promise<{ id: string; preview: Preview }> {
  const { createReport } = await must<{ createReport: { id: string } }>(
    'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
    {
      i: {
        kind: 'INCIDENT',
        title: `Phishing wave ${Date.now().toString(36)}`,
        tlp: 'GREEN',
        anonymous,
        summary: 'Credential phishing against the operations staff.',
      },
    },
    author.token,
  );
  const { previewReportRedactions } = await must<{ previewReportRedactions: Preview }>(
    PREVIEW,
    { id: createReport.id },
    author.token,
  );
  return { id: createReport.id, preview: previewReportRedactions };
}

async function publishedLabel(id: string, hash: string): Promise<string> {
  await must(
    'mutation($id: ID!, $h: String!) { publishReport(id: $id, previewHash: $h) { id } }',
    { id, h: hash },
    author.token,
  );
  const { report } = await must<{ report: { author: { label: string } } }>(
    'query($id: ID!) { report(id: $id) { author { label } } }',
    { id },
    reader.token,
  );
  return report.author.label;
}

beforeAll(async () => {
  t = await startTestHub();
  admin = (await t.bootstrapAdmin()).token;
  const own = await createOrg(t, admin, { name: 'Kita Gas', sectorCode: 'gas' });
  const other = await createOrg(t, admin, { name: 'Minami Gas', sectorCode: 'gas' });
  author = await member(t, admin, own, 'soc@kita-gas.example');
  reader = await member(t, admin, other, 'soc@minami-gas.example');
});

afterAll(async () => {
  await t?.stop();
});

it('warns the author of an anonymous report when too few organisations exist to hide among, as the reader is then told', async () => {
  const { id, preview } = await previewOf(true);
  expect(preview.author).toEqual({ labels: [NOT_ANONYMOUS], tooFewToHideIn: true });
  expect(await publishedLabel(id, preview.previewHash)).toBe(NOT_ANONYMOUS);
});

it('shows the organisation’s name for a report that is not anonymous, and no warning', async () => {
  const { id, preview } = await previewOf(false);
  expect(preview.author).toEqual({ labels: ['Kita Gas'], tooFewToHideIn: false });
  expect(await publishedLabel(id, preview.previewHash)).toBe('Kita Gas');
});

it('gives the pseudonyms without a warning once the community is large enough, and the reader gets one of them', async () => {
  for (let i = 1; i <= 4; i++) {
    await createOrg(t, admin, { name: `Gas Operator N${i}`, sectorCode: 'gas' });
  }
  const { id, preview } = await previewOf(true);
  expect(preview.author.tooFewToHideIn).toBe(false);
  expect(preview.author.labels).not.toContain(NOT_ANONYMOUS);
  expect(preview.author.labels).not.toContain('Kita Gas');
  expect(preview.author.labels).toContain(await publishedLabel(id, preview.previewHash));
});
