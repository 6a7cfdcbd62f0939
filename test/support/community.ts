import { proofTokenInSinks } from './smtp-sink';
import { STRONG_PASSWORD, TestHub } from './test-hub';

/** Small builders over the GraphQL API, so tests read as the scene they set up. */
export interface Member {
  orgId: string;
  email: string;
  token: string;
}

export async function createGroup(t: TestHub, admin: string, name: string): Promise<string> {
  const r = await t.gql<{ createCorporateGroup: { id: string } }>(
    'mutation($i: CreateCorporateGroupInput!) { createCorporateGroup(input: $i) { id } }',
    { i: { name } },
    admin,
  );
  if (!r.data) throw new Error(JSON.stringify(r.errors));
  return r.data.createCorporateGroup.id;
}

export async function createOrg(
  t: TestHub,
  admin: string,
  input: {
    name: string;
    sectorCode: string;
    kind?: string;
    groupId?: string;
    domains?: string[];
    addressRanges?: string[];
  },
): Promise<string> {
  const r = await t.gql<{ createOrganisation: { id: string } }>(
    'mutation($i: CreateOrganisationInput!) { createOrganisation(input: $i) { id } }',
    { i: { kind: 'OPERATOR', ...input } },
    admin,
  );
  if (!r.data) throw new Error(JSON.stringify(r.errors));
  return r.data.createOrganisation.id;
}

/** A user of the organisation, logged in with a second factor. */
export async function member(
  t: TestHub,
  admin: string,
  orgId: string,
  email: string,
  role = 'ANALYST',
): Promise<Member> {
  const r = await t.gql<{ createUser: { emailVerifiedAt: string | null } }>(
    'mutation($i: CreateUserInput!) { createUser(input: $i) { id emailVerifiedAt } }',
    {
      i: {
        organisationId: orgId,
        email,
        displayName: email.split('@')[0],
        role,
        initialPassword: STRONG_PASSWORD,
      },
    },
    admin,
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  // Outside the organisation's domains the address is proven as its owner would: the link.
  if (!r.data!.createUser.emailVerifiedAt) await proveEmail(t, email);
  return { orgId, email, token: await t.login(email, STRONG_PASSWORD) };
}

/**
 * The newest one-time link the hub mailed to an address: over SMTP to a test's SMTP server, or
 * without SMTP a line in the server's console (ADR 0016). Waits for either, since both arrive
 * asynchronously.
 */
export async function emailProofToken(t: TestHub, email: string): Promise<string> {
  const pattern = `e-mail proof for ${email.toLowerCase()}: redeem `;
  for (let waited = 0; waited < 10_000; waited += 20) {
    const mailed = proofTokenInSinks(email);
    if (mailed) return mailed;
    const line = [...t.output].reverse().find((l) => l.includes(pattern));
    if (line) return line.slice(line.indexOf(pattern) + pattern.length).match(/^rkv_[\w-]+/)![0];
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the hub sent no e-mail proof for ${email}`);
}

export async function proveEmail(t: TestHub, email: string): Promise<void> {
  const r = await t.gql('mutation($t: String!) { verifyEmail(token: $t) }', {
    t: await emailProofToken(t, email),
  });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
}

/** Creates and publishes a report (preview, then publish with the preview's hash). */
export async function publishReport(
  t: TestHub,
  token: string,
  input: Record<string, unknown>,
): Promise<string> {
  const created = await t.gql<{ createReport: { id: string } }>(
    'mutation($i: ReportInput!) { createReport(input: $i) { id } }',
    { i: { kind: 'INCIDENT', ...input } },
    token,
  );
  if (!created.data) throw new Error(JSON.stringify(created.errors));
  const id = created.data.createReport.id;
  const preview = await t.gql<{ previewReportRedactions: { previewHash: string } }>(
    'mutation($id: ID!) { previewReportRedactions(id: $id) { previewHash } }',
    { id },
    token,
  );
  const published = await t.gql(
    'mutation($id: ID!, $h: String!) { publishReport(id: $id, previewHash: $h) { id } }',
    { id, h: preview.data!.previewReportRedactions.previewHash },
    token,
  );
  if (published.errors) throw new Error(JSON.stringify(published.errors));
  return id;
}
