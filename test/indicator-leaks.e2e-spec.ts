import { randomUUID } from 'node:crypto';
import { withoutRequestIds } from './support/request-id';
import { createGroup, createOrg, member } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';

/*
 * The leak test of the indicator read paths. A community (operators in three sectors, two
 * corporate groups, a user per organisation, org admins and feeds tokens in three of them) and
 * ~20 indicator lists over every marking, several audiences and both statuses are set up; the
 * rule of ADR 0006 is written out again below, independently of the hub's code, as the oracle.
 * Then every principal reads every list, every entry and every value through GraphQL, every
 * token pulls the feeds, and each answer must be exactly what the oracle allows: nothing more
 * (a leak), nothing less (a broken share).
 *
 * Reproduce with LEAK_SEED=<seed from the test name> npx jest test/indicator-leaks.
 */

jest.setTimeout(180_000);

// Feed answers are checked field by field; their full types would add nothing here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const SEED = Number(process.env.LEAK_SEED ?? 20261107);

const MARKINGS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'] as const;
type Marking = (typeof MARKINGS)[number];

const ADMIN_EMAIL = 'admin@ci-csirt.example';

interface OrgPlan {
  name: string;
  sector: string;
  group: number | null;
  id: string;
}

interface ListPlan {
  n: number;
  name: string;
  owner: number;
  tlp: Marking;
  audOrgs: number[];
  audSectors: string[];
  audGroups: number[];
  /** As typed by the author (case kept). */
  redEmails: string[];
  retracted: boolean;
  values: string[];
  author: string;
  id: string;
}

interface Principal {
  key: string;
  kind: 'user' | 'token';
  org: number;
  email: string | null;
  token: string;
  bodies: string[];
}

/** mulberry32: the same sequence everywhere for a seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return {
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    shuffle: <T>(xs: readonly T[]): T[] => {
      const out = [...xs];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    },
  };
}

// --- the community -------------------------------------------------------------------------

const GROUPS = ['Hokuriku Holdings', 'Tohoku Holdings'];
const ORGS: OrgPlan[] = [
  { name: 'CI-CSIRT', sector: 'other', group: null, id: '' },
  { name: 'Kaisha Akane', sector: 'electric-power', group: 0, id: '' },
  { name: 'Kaisha Botan', sector: 'electric-power', group: null, id: '' },
  { name: 'Kaisha Chidori', sector: 'gas', group: 0, id: '' },
  { name: 'Kaisha Daidai', sector: 'gas', group: 1, id: '' },
  { name: 'Kaisha Enoki', sector: 'water', group: 1, id: '' },
  { name: 'Kaisha Fuji', sector: 'water', group: null, id: '' },
];
/** Organisations with an org admin and a feeds token: grouped, grouped, no group. */
const TOKEN_ORGS = [1, 3, 5];
const analyst = (o: number) => `analyst@org${o}.example`;
const orgAdmin = (o: number) => `admin@org${o}.example`;

/** Shared by lists of different markings (L3 CLEAR, L9 AMBER_STRICT, L12 RED; L6, L14, L17). */
const SHARED_1 = '91.200.1.1';
const SHARED_2 = '91.200.2.2';

type Spec = [
  owner: number,
  tlp: Marking,
  aud: { orgs?: number[]; sectors?: string[]; groups?: number[]; red?: string[] },
  retracted: boolean,
];

const SPECS: Spec[] = [
  /* 1 */ [1, 'CLEAR', {}, false],
  /* 2 */ [2, 'GREEN', {}, true],
  /* 3 */ [3, 'CLEAR', {}, false],
  /* 4 */ [0, 'GREEN', {}, false],
  /* 5 */ [1, 'AMBER', { orgs: [2] }, false],
  // Named org 1 (group 0): its group company 3 sees it (forwarding) …
  /* 6 */ [2, 'AMBER', { orgs: [1] }, false],
  // … but not under AMBER_STRICT.
  /* 7 */ [2, 'AMBER_STRICT', { orgs: [1] }, false],
  /* 8 */ [4, 'AMBER', { sectors: ['electric-power'] }, false],
  /* 9 */ [5, 'AMBER_STRICT', { groups: [0] }, false],
  /* 10 */ [6, 'AMBER', { orgs: [4], sectors: ['gas'] }, true],
  /* 11 */ [3, 'AMBER_STRICT', { orgs: [5], sectors: ['water'] }, false],
  /* 12 */ [1, 'RED', { red: [analyst(2), 'Admin@Org5.example', 'nobody@nowhere.example'] }, false],
  /* 13 */ [3, 'RED', { red: [analyst(1)] }, true],
  /* 14 */ [5, 'RED', { red: [analyst(6), orgAdmin(3)] }, false],
  /* 15 */ [0, 'RED', { red: ['Analyst@ORG4.example'] }, false],
  /* 16 */ [4, 'AMBER', { groups: [1] }, false],
  /* 17 */ [6, 'AMBER_STRICT', { orgs: [3] }, true],
  /* 18 */ [1, 'AMBER', { orgs: [4] }, false],
  /* 19 */ [5, 'GREEN', {}, false],
  /* 20 */ [2, 'AMBER', { sectors: ['water'], groups: [0] }, false],
  /* 21 */ [6, 'CLEAR', {}, true],
  /* 22 */ [3, 'AMBER_STRICT', { sectors: ['other'] }, false],
  /* 23 */ [4, 'AMBER', { orgs: [6, 3] }, true],
];

const isAddress = (v: string) => /^[0-9.]+(\/\d+)?$/.test(v) || v.includes(':');

function buildLists(seed: number): ListPlan[] {
  const g = prng(seed);
  return SPECS.map(([owner, tlp, aud, retracted], i) => {
    const n = i + 1;
    const nn = String(n).padStart(2, '0');
    const values = [`45.${n}.${n}.7`, `77.${n}.${2 * n}.0/24`];
    if (n % 2) values.push(`list${nn}.leakcheck.example`);
    if ([3, 9, 12].includes(n)) values.push(SHARED_1);
    if ([6, 14, 17].includes(n)) values.push(SHARED_2);
    const authors =
      owner === 0
        ? [ADMIN_EMAIL]
        : TOKEN_ORGS.includes(owner)
          ? [analyst(owner), orgAdmin(owner)]
          : [analyst(owner)];
    return {
      n,
      name: `leakcheck-list-${nn} ${tlp.toLowerCase()}`,
      owner,
      tlp,
      audOrgs: aud.orgs ?? [],
      audSectors: aud.sectors ?? [],
      audGroups: aud.groups ?? [],
      redEmails: aud.red ?? [],
      retracted,
      values,
      author: g.pick(authors),
      id: '',
    };
  });
}

/**
 * ADR 0006, written from its table: the owner organisation sees its own lists (tokens never
 * RED); others (lists have no drafts) CLEAR and GREEN always, AMBER by audience organisation,
 * sector or group or as a group company of an audience organisation, AMBER_STRICT without that
 * forwarding, RED only as a named user. Retracted lists stay readable.
 */
function sees(p: Principal, l: ListPlan): boolean {
  if (p.org === l.owner) return p.kind === 'user' || l.tlp !== 'RED';
  const org = ORGS[p.org];
  switch (l.tlp) {
    case 'CLEAR':
    case 'GREEN':
      return true;
    case 'AMBER':
    case 'AMBER_STRICT':
      if (l.audOrgs.includes(p.org) || l.audSectors.includes(org.sector)) return true;
      if (org.group !== null && l.audGroups.includes(org.group)) return true;
      return (
        l.tlp === 'AMBER' &&
        org.group !== null &&
        l.audOrgs.some((o) => ORGS[o].group === org.group)
      );
    case 'RED':
      return (
        p.kind === 'user' &&
        p.email !== null &&
        l.redEmails.map((e) => e.toLowerCase()).includes(p.email.toLowerCase())
      );
  }
}

/** What a feed may serve a token: live entries of visible, published, non-RED lists. */
const feedable = (p: Principal, l: ListPlan) => sees(p, l) && !l.retracted && l.tlp !== 'RED';

async function inChunks<T, R>(items: T[], size: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

const sorted = (xs: Iterable<string>) => [...xs].sort();
const same = (a: Iterable<string>, b: Iterable<string>) =>
  JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

interface GqlError {
  message: string;
  extensions?: { code?: string };
}
interface Answer<T> {
  status: number;
  body: string;
  data?: T | null;
  errors?: GqlError[];
}

const LISTS = `query($first: Int, $after: String) { indicatorLists(first: $first, after: $after) {
  totalCount edges { node { id name status tlp } } pageInfo { hasNextPage endCursor } } }`;
const ONE = `query($id: ID!) { indicatorList(id: $id) { id name status tlp
  entries(first: 100) { totalCount edges { node { value } } } } }`;
const INDICATOR = `query($v: String!) { indicator(value: $v) { value sightings { listId listName tlp } } }`;
const ADD = `mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { applied added } }`;

interface ListNode {
  id: string;
  name: string;
  status: string;
  tlp: string;
}
interface ListsPage {
  indicatorLists: {
    totalCount: number;
    edges: { node: ListNode }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}
interface OneList {
  indicatorList: ListNode & {
    entries: { totalCount: number; edges: { node: { value: string } }[] };
  };
}
interface IndicatorAnswer {
  indicator: {
    value: string;
    sightings: { listId: string; listName: string; tlp: string }[];
  } | null;
}

describe(`indicator leaks: every principal, every read path, against ADR 0006 (seed ${SEED})`, () => {
  const lists = buildLists(SEED);
  const values = [...new Set(lists.flatMap((l) => l.values))];
  const listById = new Map<string, ListPlan>();
  const principals: Principal[] = [];
  const users = new Map<string, Principal>();
  let t: TestHub;

  const call = async <T>(
    p: Principal,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<Answer<T>> => {
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${p.token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = withoutRequestIds(await res.text(), res);
    p.bodies.push(body);
    const parsed = JSON.parse(body) as { data?: T | null; errors?: GqlError[] };
    return { status: res.status, body, data: parsed.data, errors: parsed.errors };
  };
  const must = async <T>(p: Principal, query: string, variables: Record<string, unknown> = {}) => {
    const r = await call<T>(p, query, variables);
    if (r.errors || !r.data)
      throw new Error(`${p.key}: ${query.slice(0, 60)} failed: ${r.body.slice(0, 500)}`);
    return r.data;
  };
  const feed = async (p: Principal, path: string) => {
    const res = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${p.token}` } });
    const body = await res.text();
    p.bodies.push(body);
    return { status: res.status, body };
  };

  const who = (p: Principal) =>
    `${p.key} (${p.kind} of ${ORGS[p.org].name}, ${ORGS[p.org].sector}, ${ORGS[p.org].group === null ? 'no group' : `group ${ORGS[p.org].group}`})`;
  const what = (l: ListPlan) =>
    `${l.name} [${l.tlp}${l.retracted ? ' retracted' : ''}, owner ${ORGS[l.owner].name}` +
    `${l.audOrgs.length ? `, orgs ${l.audOrgs.map((o) => ORGS[o].name).join(' ')}` : ''}` +
    `${l.audSectors.length ? `, sectors ${l.audSectors.join(' ')}` : ''}` +
    `${l.audGroups.length ? `, groups ${l.audGroups.join(' ')}` : ''}` +
    `${l.redEmails.length ? `, red ${l.redEmails.join(' ')}` : ''}]`;
  const visibleTo = (p: Principal) => lists.filter((l) => sees(p, l));

  beforeAll(async () => {
    const started = Date.now();
    t = await startTestHub();
    const boot = await t.bootstrapAdmin();
    ORGS[0].id = boot.organisationId;
    const adminP: Principal = {
      key: ADMIN_EMAIL,
      kind: 'user',
      org: 0,
      email: ADMIN_EMAIL,
      token: boot.token,
      bodies: [],
    };
    principals.push(adminP);
    users.set(ADMIN_EMAIL, adminP);
    const groupIds: string[] = [];
    for (const name of GROUPS) groupIds.push(await createGroup(t, boot.token, name));
    for (const o of ORGS.slice(1)) {
      o.id = await createOrg(t, boot.token, {
        name: o.name,
        sectorCode: o.sector,
        ...(o.group === null ? {} : { groupId: groupIds[o.group] }),
      });
    }
    const accounts: { email: string; org: number; role: string }[] = [];
    ORGS.forEach((_, o) => {
      if (o === 0) return;
      accounts.push({ email: analyst(o), org: o, role: 'ANALYST' });
      if (TOKEN_ORGS.includes(o)) accounts.push({ email: orgAdmin(o), org: o, role: 'ORG_ADMIN' });
    });
    await inChunks(accounts, 4, async (a) => {
      const m = await member(t, boot.token, ORGS[a.org].id, a.email, a.role);
      const p: Principal = {
        key: a.email,
        kind: 'user',
        org: a.org,
        email: a.email,
        token: m.token,
        bodies: [],
      };
      users.set(a.email, p);
    });
    for (const a of accounts) principals.push(users.get(a.email)!);
    for (const o of TOKEN_ORGS) {
      const r = await must<{ createApiToken: { token: string } }>(
        users.get(orgAdmin(o))!,
        'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
        { i: { name: `firewall of org ${o}`, scopes: ['feeds:read'] } },
      );
      principals.push({
        key: `token@org${o}`,
        kind: 'token',
        org: o,
        email: null,
        token: r.createApiToken.token,
        bodies: [],
      });
    }

    await inChunks(lists, 6, async (l) => {
      const author = users.get(l.author)!;
      const tlpAudience =
        l.tlp === 'RED'
          ? { redRecipientEmails: l.redEmails }
          : l.tlp === 'AMBER' || l.tlp === 'AMBER_STRICT'
            ? {
                organisationIds: l.audOrgs.map((o) => ORGS[o].id),
                sectorCodes: l.audSectors,
                groupIds: l.audGroups.map((g) => groupIds[g]),
              }
            : undefined;
      const created = await must<{ createIndicatorList: { id: string } }>(
        author,
        'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
        { i: { name: l.name, tlp: l.tlp, ...(tlpAudience ? { audience: tlpAudience } : {}) } },
      );
      l.id = created.createIndicatorList.id;
      listById.set(l.id, l);
      const added = await must<{ addListEntries: { applied: boolean; added: number } }>(
        author,
        ADD,
        { l: l.id, i: { text: l.values.join('\n'), confidence: 70 } },
      );
      if (!added.addListEntries.applied || added.addListEntries.added !== l.values.length)
        throw new Error(`${l.name}: ${JSON.stringify(added)}`);
      if (l.retracted)
        await must(
          author,
          'mutation($id: ID!) { retractIndicatorList(id: $id, reason: "False positives") { id } }',
          { id: l.id },
        );
    });
    // The set-up's own answers are not what the test reads.
    for (const p of principals) p.bodies.length = 0;
    console.log(
      [
        `seed ${SEED}: ${ORGS.length} organisations, ${principals.length} principals (${TOKEN_ORGS.length} tokens)`,
        ...MARKINGS.map(
          (m) =>
            `${m.padEnd(12)} ${lists.filter((l) => l.tlp === m).length} lists, ${lists.filter((l) => l.tlp === m && l.retracted).length} retracted`,
        ),
        `${values.length} values; built in ${Date.now() - started} ms`,
      ].join('\n'),
    );
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
  });

  it('sets up every case, and principals that see different sets', () => {
    const tokens = principals.filter((p) => p.kind === 'token');
    const byOrg = (o: number) => principals.find((p) => p.org === o && p.kind === 'user')!;
    const list = (n: number) => lists[n - 1];
    const cases: Record<string, boolean> = {
      forwardedAmber: sees(byOrg(3), list(6)) && !list(6).audOrgs.includes(3),
      strictNotForwarded: !sees(byOrg(3), list(7)) && sees(byOrg(1), list(7)),
      redByCaseInsensitiveEmail: sees(users.get(orgAdmin(5))!, list(12)),
      redNotToColleagueOfRecipient: !sees(users.get(analyst(5))!, list(12)),
      tokenNotOwnRed: tokens.some((p) => lists.some((l) => l.owner === p.org && l.tlp === 'RED')),
      retractedSeenByOthers: principals.some((p) =>
        lists.some((l) => l.retracted && l.owner !== p.org && sees(p, l)),
      ),
      everyMarkingRetractedOrNot: MARKINGS.every(
        (m) =>
          lists.some((l) => l.tlp === m && l.retracted) &&
          lists.some((l) => l.tlp === m && !l.retracted),
      ),
    };
    expect(Object.entries(cases).filter(([, ok]) => !ok)).toEqual([]);
    for (const p of principals) {
      const n = visibleTo(p).length;
      if (n === 0 || n === lists.length) throw new Error(`${who(p)} sees ${n} of ${lists.length}`);
    }
    const sets = new Set(
      principals.map((p) =>
        visibleTo(p)
          .map((l) => l.n)
          .join(','),
      ),
    );
    expect(sets.size).toBeGreaterThanOrEqual(8);
  });

  it('lists exactly the visible lists, each once, with totalCount, through cursors', async () => {
    const problems: string[] = [];
    await inChunks(principals, 6, async (p) => {
      const expected = visibleTo(p);
      for (const first of [100, 4]) {
        const seen: string[] = [];
        let after: string | null = null;
        for (let page = 0; page < 30; page++) {
          const data: ListsPage = await must<ListsPage>(p, LISTS, { first, after });
          const c = data.indicatorLists;
          if (c.totalCount !== expected.length)
            problems.push(
              `${who(p)} indicatorLists(first: ${first}) totalCount ${c.totalCount}, expected ${expected.length}`,
            );
          for (const { node } of c.edges) {
            seen.push(node.id);
            const l = listById.get(node.id);
            if (!l) problems.push(`${who(p)} indicatorLists: unknown id ${node.id}`);
            else if (!sees(p, l)) problems.push(`${who(p)} indicatorLists LEAK ${what(l)}`);
            else if (
              node.tlp !== l.tlp ||
              node.name !== l.name ||
              node.status !== (l.retracted ? 'RETRACTED' : 'PUBLISHED')
            )
              problems.push(`${who(p)} indicatorLists ${what(l)}: ${JSON.stringify(node)}`);
          }
          if (!c.pageInfo.hasNextPage) break;
          after = c.pageInfo.endCursor;
        }
        if (new Set(seen).size !== seen.length)
          problems.push(`${who(p)} indicatorLists(first: ${first}) returned an id twice`);
        const missing = expected.filter((l) => !seen.includes(l.id));
        if (missing.length)
          problems.push(
            `${who(p)} indicatorLists(first: ${first}) misses ${missing.map(what).join('; ')}`,
          );
      }
    });
    expect(problems).toEqual([]);
  });

  it('answers indicatorList(id) with its entries when visible, and exactly like an unknown id when not', async () => {
    const problems: string[] = [];
    await inChunks(principals, 3, async (p) => {
      const unknown = await call(p, ONE, { id: randomUUID() });
      if (
        unknown.data != null ||
        unknown.errors?.length !== 1 ||
        unknown.errors[0].extensions?.code !== 'NOT_FOUND'
      )
        problems.push(`${who(p)} indicatorList(unknown uuid): ${unknown.body}`);
      await inChunks(lists, 6, async (l) => {
        const a = await call<OneList>(p, ONE, { id: l.id });
        if (!sees(p, l)) {
          if (a.body !== unknown.body || a.status !== unknown.status)
            problems.push(`${who(p)} indicatorList(id) LEAK ${what(l)}: ${a.status} ${a.body}`);
          return;
        }
        const view = a.data?.indicatorList;
        if (!view || a.errors) {
          problems.push(`${who(p)} indicatorList(id) hides ${what(l)}: ${a.body}`);
          return;
        }
        const got = view.entries.edges.map((e) => e.node.value);
        if (
          view.id !== l.id ||
          view.tlp !== l.tlp ||
          view.status !== (l.retracted ? 'RETRACTED' : 'PUBLISHED') ||
          view.entries.totalCount !== l.values.length ||
          !same(got, l.values)
        )
          problems.push(
            `${who(p)} indicatorList(id) ${what(l)}: ${JSON.stringify(view)}, expected entries ${sorted(l.values).join(' ')}`,
          );
      });
    });
    expect(problems).toEqual([]);
  });

  it('answers indicator(value) with exactly the sightings on visible lists, or null', async () => {
    const problems: string[] = [];
    await inChunks(principals, 3, async (p) => {
      await inChunks(values, 8, async (v) => {
        const a = await call<IndicatorAnswer>(p, INDICATOR, { v });
        const expected = lists.filter((l) => l.values.includes(v) && sees(p, l));
        if (a.errors || a.data === undefined) {
          problems.push(`${who(p)} indicator(${v}): ${a.body}`);
          return;
        }
        const ind = a.data?.indicator ?? null;
        if (!expected.length) {
          if (ind !== null)
            problems.push(
              `${who(p)} indicator(${v}) LEAK: ${a.body} (lists ${lists
                .filter((l) => l.values.includes(v))
                .map(what)
                .join('; ')})`,
            );
          return;
        }
        const ids = ind?.sightings.map((s) => s.listId) ?? [];
        if (
          !ind ||
          ind.value !== v ||
          ids.length !== expected.length ||
          !same(
            ids,
            expected.map((l) => l.id),
          )
        )
          problems.push(
            `${who(p)} indicator(${v}): ${a.body}, expected sightings on ${expected.map(what).join('; ')}`,
          );
        for (const s of ind?.sightings ?? []) {
          const l = listById.get(s.listId);
          if (l && sees(p, l) && (s.tlp !== l.tlp || s.listName !== l.name))
            problems.push(`${who(p)} indicator(${v}) sighting ${what(l)}: ${JSON.stringify(s)}`);
        }
      });
    });
    expect(problems).toEqual([]);
  });

  it('serves each token exactly the entries of visible, published, non-RED lists in its feeds', async () => {
    const problems: string[] = [];
    const tokens = principals.filter((p) => p.kind === 'token');
    const rank = (m: Marking) => MARKINGS.indexOf(m);
    await inChunks(tokens, 3, async (p) => {
      const served = lists.filter((l) => feedable(p, l));
      const expected = new Set(served.flatMap((l) => l.values));
      // Sanity: each token's feed is neither empty nor everything.
      if (!expected.size || expected.size === values.length)
        problems.push(`${who(p)}: the oracle serves ${expected.size} of ${values.length} values`);
      const all = await feed(p, '/feeds/all.json');
      if (all.status !== 200) {
        problems.push(`${who(p)} /feeds/all.json: ${all.status} ${all.body}`);
      } else {
        const json = JSON.parse(all.body) as Json;
        const got: string[] = json.entries.map((e: { value: string }) => e.value);
        if (json.count !== got.length || new Set(got).size !== got.length || !same(got, expected))
          problems.push(
            `${who(p)} /feeds/all.json: ${sorted(got).join(' ')}, expected ${sorted(expected).join(' ')}` +
              `; extra ${got.filter((v) => !expected.has(v)).join(' ')}`,
          );
        for (const e of json.entries as { value: string; tlp: string }[]) {
          const from = served.filter((l) => l.values.includes(e.value));
          const least = from.sort((a, b) => rank(a.tlp) - rank(b.tlp))[0];
          if (least && e.tlp !== least.tlp)
            problems.push(
              `${who(p)} /feeds/all.json ${e.value} marked ${e.tlp}, expected ${least.tlp}`,
            );
        }
      }
      // all.txt is shaped in the hub, ip.txt streamed from PostgreSQL (ADR 0031): both scoped.
      for (const path of ['/feeds/all.txt', '/feeds/ip.txt']) {
        const txt = await feed(p, path);
        const lines = txt.body.split('\n').filter(Boolean);
        const want = path === '/feeds/ip.txt' ? [...expected].filter(isAddress) : expected;
        if (txt.status !== 200 || !same(lines, want))
          problems.push(`${who(p)} ${path}: ${txt.status} ${sorted(lines).join(' ')}`);
      }
      await inChunks(lists, 6, async (l) => {
        const text = await feed(p, `/feeds/ip.txt?list=${l.id}`);
        const lines = text.body.split('\n').filter(Boolean);
        if (text.status !== 200 || !same(lines, feedable(p, l) ? l.values.filter(isAddress) : []))
          problems.push(`${who(p)} /feeds/ip.txt?list= ${what(l)}: ${text.status} ${text.body}`);
        const one = await feed(p, `/feeds/all.json?list=${l.id}`);
        const want = feedable(p, l) ? l.values : [];
        const got =
          one.status === 200
            ? (JSON.parse(one.body) as Json).entries.map((e: { value: string }) => e.value)
            : null;
        if (!got || !same(got, want))
          problems.push(
            `${who(p)} /feeds/all.json?list= ${what(l)}${sees(p, l) ? '' : ' (invisible)'}: ${one.status} ${one.body.slice(0, 300)}, expected ${sorted(want).join(' ')}`,
          );
      });
    });
    expect(problems).toEqual([]);
  });

  it("refuses addListEntries to another organisation's list: NOT_FOUND when invisible, FORBIDDEN when visible", async () => {
    const problems: string[] = [];
    const writers = principals.filter((p) => p.kind === 'user');
    const input = { text: '46.46.46.46', confidence: 10 };
    await inChunks(writers, 3, async (p) => {
      const unknown = await call(p, ADD, { l: randomUUID(), i: input });
      if (unknown.data != null || unknown.errors?.[0]?.extensions?.code !== 'NOT_FOUND')
        problems.push(`${who(p)} addListEntries(unknown uuid): ${unknown.body}`);
      await inChunks(
        lists.filter((l) => l.owner !== p.org),
        6,
        async (l) => {
          const a = await call(p, ADD, { l: l.id, i: input });
          if (!sees(p, l)) {
            if (a.body !== unknown.body || a.status !== unknown.status)
              problems.push(`${who(p)} addListEntries LEAK ${what(l)}: ${a.status} ${a.body}`);
          } else if (
            a.data != null ||
            a.errors?.length !== 1 ||
            a.errors[0].extensions?.code !== 'FORBIDDEN'
          )
            problems.push(`${who(p)} addListEntries to visible ${what(l)}: ${a.body}`);
        },
      );
    });
    // Nothing was written: every list still holds exactly its own values (read as its author).
    await inChunks(lists, 6, async (l) => {
      const data = await must<OneList>(users.get(l.author)!, ONE, { id: l.id });
      const got = data.indicatorList.entries.edges.map((e) => e.node.value);
      if (!same(got, l.values)) problems.push(`${what(l)} now holds ${sorted(got).join(' ')}`);
    });
    expect(problems).toEqual([]);
  });

  it('never sends a principal the id, name or an exclusive value of a list it may not see', () => {
    const problems: string[] = [];
    for (const p of principals) {
      const all = p.bodies.join('\n');
      expect(p.bodies.length).toBeGreaterThan(lists.length);
      const visibleValues = new Set(visibleTo(p).flatMap((l) => l.values));
      for (const l of lists.filter((x) => !sees(p, x))) {
        for (const marker of [
          l.id,
          l.name,
          ...l.values.filter((v) => !visibleValues.has(v)).map((v) => `"${v}"`),
          ...l.values.filter((v) => !visibleValues.has(v)).map((v) => `\n${v}\n`),
        ]) {
          const at = all.indexOf(marker);
          if (at >= 0)
            problems.push(
              `${who(p)} received ${JSON.stringify(marker)} of ${what(l)}: …${all.slice(Math.max(0, at - 200), at + 100)}…`,
            );
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
