import { createGroup, createOrg, member, Member, publishReport } from '../support/community';
import { latestEventId, sealedCursor } from '../support/sealed-cursor';
import { startTestHub, TestHub } from '../support/test-hub';
import { WsClient } from '../support/ws-client';
import { apiToken, gq, Json } from './support';

/*
 * Session 6 attack pass, shared scene: a community of organisations in three sectors and one
 * corporate group, users and reports:read tokens mixed, every one subscribed to reportEvents.
 */

export const FIELDS = `id title tlp status exercise anonymous publishedAt revision createdAt updatedAt summary
  author { label organisationId own } linkedReports { id title }
  audience { organisationIds sectorCodes groupIds redRecipientEmails }
  timeline { occurredAt detectedAt } comments { body createdAt author { label organisationId } } sightings { note createdAt author { label organisationId } }`;

export const SUB = `subscription($after: ID) {
  reportEvents(after: $after) { cursor kind at report { ${FIELDS} } }
}`;

export interface Reader {
  name: string;
  token: string;
  orgId: string;
  email?: string;
}

export interface Community {
  t: TestHub;
  admin: string;
  group: string;
  orgs: Record<string, string>;
  author: Member;
  authorMate: Member;
  readers: Reader[];
}

export async function community(env: Record<string, string> = {}): Promise<Community> {
  const t = await startTestHub({ SUBSCRIPTION_RECHECK_SECONDS: '3600', ...env });
  const admin = (await t.bootstrapAdmin()).token;
  const group = await createGroup(t, admin, 'Kanto Holdings');
  const o = async (name: string, sectorCode: string, groupId?: string) =>
    createOrg(t, admin, { name, sectorCode, ...(groupId ? { groupId } : {}) });
  const orgs: Record<string, string> = {
    kanto: await o('Kanto Electric', 'electric-power', group),
    chubu: await o('Chubu Power', 'electric-power'),
    kansai: await o('Kansai Power', 'electric-power'),
    hokuriku: await o('Hokuriku Power', 'electric-power'),
    tohoku: await o('Tohoku Power', 'electric-power'),
    tgas: await o('Tokyo Gas', 'gas', group),
    ogas: await o('Osaka Gas', 'gas'),
    sgas: await o('Saibu Gas', 'gas'),
    hgas: await o('Hokkaido Gas', 'gas'),
    water: await o('Yokohama Water', 'water'),
  };
  const author = await member(t, admin, orgs.kanto, 'soc@kanto.example');
  const authorMate = await member(t, admin, orgs.kanto, 'mate@kanto.example');
  const chubuAdmin = await member(t, admin, orgs.chubu, 'admin@chubu.example', 'ORG_ADMIN');
  const tgasAdmin = await member(t, admin, orgs.tgas, 'admin@tgas.example', 'ORG_ADMIN');
  const kansaiAdmin = await member(t, admin, orgs.kansai, 'admin@kansai.example', 'ORG_ADMIN');
  const waterAdmin = await member(t, admin, orgs.water, 'admin@water.example', 'ORG_ADMIN');
  const u = async (org: string, email: string): Promise<Reader> => {
    const m = await member(t, admin, orgs[org], email);
    return { name: email, token: m.token, orgId: orgs[org], email };
  };
  const tok = async (org: string, adminToken: string, scope: string): Promise<Reader> => ({
    name: `${org} token ${scope}`,
    token: await apiToken(t, adminToken, [scope]),
    orgId: orgs[org],
  });
  const readers: Reader[] = [
    { name: 'author mate', token: authorMate.token, orgId: orgs.kanto, email: authorMate.email },
    await u('chubu', 'soc1@chubu.example'),
    await tok('chubu', chubuAdmin.token, 'reports:read'),
    await u('chubu', 'soc2@chubu.example'),
    await u('chubu', 'soc3@chubu.example'),
    { name: 'chubu admin', token: chubuAdmin.token, orgId: orgs.chubu, email: chubuAdmin.email },
    await u('kansai', 'soc@kansai.example'),
    await tok('kansai', kansaiAdmin.token, 'reports:read'),
    await u('tgas', 'soc@tgas.example'),
    await tok('tgas', tgasAdmin.token, 'reports:read'),
    await u('ogas', 'soc@ogas.example'),
    await u('water', 'soc@water.example'),
    await tok('water', waterAdmin.token, 'reports:read'),
    await u('hokuriku', 'soc@hokuriku.example'),
  ];
  return { t, admin, group, orgs, author, authorMate, readers };
}

export async function subscribeAll(c: Community, readers = c.readers): Promise<WsClient[]> {
  const from = await latestEventId(c.t);
  const subs: WsClient[] = [];
  for (const r of readers) {
    const s = await WsClient.connect(c.t.url, r.token);
    s.subscribe('r', SUB, { after: await sealedCursor(c.t, r.token, from) });
    subs.push(s);
  }
  return subs;
}

export interface Ev {
  cursor: string;
  kind: string;
  at: string;
  report: Json;
}

/** A socket's events up to and including the PUBLISHED one titled `last`. */
export async function upTo(s: WsClient, last: string, timeoutMs = 20_000): Promise<Ev[]> {
  const out: Ev[] = [];
  for (;;) {
    const g = (await s.next('r', timeoutMs)) as Json;
    if (!g) throw new Error(`no event titled ${last} (got ${out.map((e) => e.report.title)})`);
    out.push(g.reportEvents);
    if (g.reportEvents.report.title === last) return out;
  }
}

/** The report as this reader reads it with a query, or null when it may not. */
export async function asRead(t: TestHub, token: string, id: string): Promise<Json> {
  const r = await gq(t, `query($id: ID!) { report(id: $id) { ${FIELDS} } }`, { id }, token);
  if (r.errors) return null;
  return r.report;
}

export async function publish(c: Community, input: Json, token = c.author.token): Promise<string> {
  return publishReport(c.t, token, input);
}
