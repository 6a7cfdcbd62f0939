import { parse } from 'csv-parse/sync';
import { createOrg, member, Member } from '../support/community';
import { startTestHub, TestHub } from '../support/test-hub';

/*
 * A hostile member's kit for the attack tests: one operator (analyst, org admin, an
 * indicators:write token, a feeds:read token), one peer operator in the same sector (analyst,
 * feeds:read token) and the coordinator (hub admin).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Scene {
  t: TestHub;
  admin: string;
  op: { org: string; analyst: Member; orgAdmin: Member; writer: string; feeds: string };
  peer: { org: string; feeds: string; analyst: Member; orgAdmin: Member };
}

export const ADD = `mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) {
  applied added rejectedCount rejected { line where input message } warnings { input message }
  suppressed { input message } held { changeId reason } } }`;

export async function gq(
  t: TestHub,
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<Json> {
  const r = await t.gql<Json>(query, variables, token);
  return r.errors ? { errors: r.errors } : r.data;
}

export async function apiToken(t: TestHub, orgAdmin: string, scopes: string[]): Promise<string> {
  const r = await gq(
    t,
    'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
    { i: { name: `t ${Math.random()}`, scopes } },
    orgAdmin,
  );
  return r.createApiToken.token;
}

export async function scene(env: Record<string, string> = {}): Promise<Scene> {
  const t = await startTestHub(env);
  const admin = (await t.bootstrapAdmin()).token;
  const opOrg = await createOrg(t, admin, { name: 'Kanto Electric', sectorCode: 'electric-power' });
  const peerOrg = await createOrg(t, admin, { name: 'Chubu Power', sectorCode: 'electric-power' });
  const opAdmin = await member(t, admin, opOrg, 'admin@kanto.example', 'ORG_ADMIN');
  const peerAdmin = await member(t, admin, peerOrg, 'admin@chubu.example', 'ORG_ADMIN');
  return {
    t,
    admin,
    op: {
      org: opOrg,
      orgAdmin: opAdmin,
      analyst: await member(t, admin, opOrg, 'soc@kanto.example'),
      writer: await apiToken(t, opAdmin.token, ['indicators:write']),
      feeds: await apiToken(t, opAdmin.token, ['feeds:read']),
    },
    peer: {
      org: peerOrg,
      orgAdmin: peerAdmin,
      feeds: await apiToken(t, peerAdmin.token, ['feeds:read']),
      analyst: await member(t, admin, peerOrg, 'soc@chubu.example'),
    },
  };
}

export async function createList(t: TestHub, token: string, name: string, extra: Json = {}) {
  const r = await gq(
    t,
    'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
    { i: { name, tlp: 'GREEN', ...extra } },
    token,
  );
  if (!r.createIndicatorList) throw new Error(JSON.stringify(r));
  return r.createIndicatorList.id as string;
}

export async function pull(
  t: TestHub,
  path: string,
  token: string,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${t.url}${path}`, {
    headers: {
      authorization: `Bearer ${token}`,
      accept: path.startsWith('/taxii2/') ? 'application/taxii+json;version=2.1' : '*/*',
      ...headers,
    },
  });
  return { status: res.status, etag: res.headers.get('etag'), text: await res.text() };
}

export async function postEntries(
  t: TestHub,
  token: string,
  listId: string,
  body: string,
  contentType: string,
  query = '',
) {
  const res = await fetch(`${t.url}/api/lists/${listId}/entries${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body,
  });
  return { status: res.status, text: await res.text() };
}

/** The prefix length of an address-feed line (a single address counts as /32 or /128). */
export function prefixOf(line: string): number {
  const m = /\/(\d+)$/.exec(line);
  return m ? Number(m[1]) : line.includes(':') ? 128 : 32;
}

/** RFC 4180 records, as a spreadsheet or a firewall's CSV reader would read a feed. */
export function parseCsv(text: string): string[][] {
  return parse(text, { relax_column_count: true });
}
