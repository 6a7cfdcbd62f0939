import { createGroup, createOrg, member, publishReport } from '../support/community';
import { startTestHub, TestHub } from '../support/test-hub';
import { gq, Json } from './support';

/*
 * Session 7 attack pass, narrowing scene: the author's organisation A (electric, no group);
 * X (electric, group G) and its group company Y (gas); N (electric, no group); Z (water).
 */

export interface NScene {
  t: TestHub;
  admin: string;
  group: string;
  org: Record<'a' | 'x' | 'y' | 'n' | 'z', string>;
  tok: Record<'a' | 'x' | 'y' | 'n' | 'z', string>;
}

export async function narrowScene(): Promise<NScene> {
  const t = await startTestHub({ SUBSCRIPTION_RECHECK_SECONDS: '3600' });
  const admin = (await t.bootstrapAdmin()).token;
  const group = await createGroup(t, admin, 'Kanto Holdings');
  const o = (name: string, sectorCode: string, groupId?: string) =>
    createOrg(t, admin, { name, sectorCode, ...(groupId ? { groupId } : {}) });
  const org = {
    a: await o('Higashi Electric', 'electric-power'),
    x: await o('Kanto Electric', 'electric-power', group),
    y: await o('Tokyo Gas', 'gas', group),
    n: await o('Chubu Power', 'electric-power'),
    z: await o('Yokohama Water', 'water'),
  };
  const tok = {
    a: (await member(t, admin, org.a, 'soc@higashi.example')).token,
    x: (await member(t, admin, org.x, 'soc@kanto.example')).token,
    y: (await member(t, admin, org.y, 'soc@tgas.example')).token,
    n: (await member(t, admin, org.n, 'soc@chubu.example')).token,
    z: (await member(t, admin, org.z, 'soc@water.example')).token,
  };
  return { t, admin, group, org, tok };
}

export const UPDATE =
  'mutation($id: ID!, $i: ReportInput!) { updateReport(id: $id, input: $i) { tlp audience { organisationIds sectorCodes groupIds } } }';
export const UPDATE_LIST =
  'mutation($id: ID!, $i: IndicatorListInput!) { updateIndicatorList(id: $id, input: $i) { id } }';

export async function sees(s: NScene, who: keyof NScene['tok'], id: string): Promise<boolean> {
  const r = await gq(s.t, 'query($id: ID!) { report(id: $id) { id } }', { id }, s.tok[who]);
  return !r.errors && r.report?.id === id;
}

export async function seesList(s: NScene, who: keyof NScene['tok'], id: string): Promise<boolean> {
  const r = await gq(s.t, 'query($id: ID!) { indicatorList(id: $id) { id } }', { id }, s.tok[who]);
  return !r.errors && r.indicatorList?.id === id;
}

export async function report(s: NScene, tlp: string, audience: Json): Promise<string> {
  return publishReport(s.t, s.tok.a, {
    title: `Probe ${Math.random()}`,
    tlp,
    audience,
  });
}

export async function list(s: NScene, tlp: string, audience: Json): Promise<string> {
  const r = await gq(
    s.t,
    'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
    { i: { name: `probe ${Math.random()}`, tlp, audience } },
    s.tok.a,
  );
  if (!r.createIndicatorList) throw new Error(JSON.stringify(r));
  return r.createIndicatorList.id;
}

export async function move(s: NScene, id: string, input: Json): Promise<void> {
  const r = await gq(
    s.t,
    'mutation($id: ID!, $i: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $i) { id } }',
    { id, i: input },
    s.admin,
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
}

export async function all(s: NScene, id: string, f = sees): Promise<Record<string, boolean>> {
  const out: Record<string, boolean> = {};
  for (const k of ['x', 'y', 'n', 'z'] as const) out[k] = await f(s, k, id);
  return out;
}
