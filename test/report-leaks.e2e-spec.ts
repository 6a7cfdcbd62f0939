import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { withoutRequestIds } from './support/request-id';
import { createGroup, createOrg, member } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';

/*
 * The core leak test. A community (organisations in sectors and corporate groups, their users,
 * two API tokens) and ~40 reports with every marking, audience and status are generated from a
 * seed; the rule of ADR 0006 is written out again below, independently of the hub's code, as the
 * oracle. Then every principal reads through every path the API offers, and each answer must be
 * exactly what the oracle allows: nothing more (a leak), nothing less (a broken share).
 *
 * Reproduce a failure with LEAK_SEED=<seed from the test name> npx jest test/report-leaks.
 */

const SEED = Number(process.env.LEAK_SEED ?? 20260611);

const MARKINGS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'] as const;
type Marking = (typeof MARKINGS)[number];
const STATUSES = ['DRAFT', 'PUBLISHED', 'RETRACTED'] as const;
type Status = (typeof STATUSES)[number];
type Kind = 'INCIDENT' | 'NEAR_MISS';

const OPERATOR_SECTORS = ['electric-power', 'gas', 'water', 'railways', 'finance'];
const ALL_SECTORS = [
  'information-communications',
  'finance',
  'aviation',
  'airports',
  'railways',
  'electric-power',
  'gas',
  'government',
  'medical',
  'water',
  'logistics',
  'chemicals',
  'credit-cards',
  'petroleum',
  'ports',
  'other',
];
const CATEGORIES = [
  'provider-outage',
  'provider-outage.cloud',
  'provider-outage.carrier',
  'provider-outage.shared-network',
  'cyberattack',
  'cyberattack.dos',
  'cyberattack.exploited-vulnerability',
  'cyberattack.credential-abuse',
  'cyberattack.iot-compromise',
  'cyberattack.phishing',
  'cyberattack.abandoned-domain',
  'internal',
  'internal.equipment-fault',
  'internal.misconfiguration',
  'internal.expired-licence',
  'internal.insider-misuse',
  'risk-assessment',
];
const ORG_NAMES = ['Akane', 'Botan', 'Chidori', 'Daidai', 'Enoki', 'Fuji', 'Ginkgo'];
const ADMIN_EMAIL = 'admin@ci-csirt.example';

// --- the generated world (indices only; the hub's ids are filled in when it is built) ----------

interface OrgPlan {
  name: string;
  sector: string;
  group: number | null;
  coordinator: boolean;
  id: string;
}

interface UserPlan {
  email: string;
  org: number;
  role: 'ANALYST' | 'ORG_ADMIN' | 'HUB_ADMIN';
  /** Created after every report: an address some RED reports named before it had an account. */
  late: boolean;
}

interface ResponsePlan {
  by: string;
  org: number;
  marker: string;
  id: string;
}

interface ReportPlan {
  n: number;
  marker: string;
  title: string;
  author: string;
  owner: number;
  kind: Kind;
  tlp: Marking;
  status: Status;
  /** Created and published as GREEN, then raised to `tlp` with updateReport. */
  raised: boolean;
  /** Edited after publication (one more revision). */
  edited: boolean;
  audOrgs: number[];
  audSectors: string[];
  audGroups: number[];
  /** As typed by the author. */
  redEmails: string[];
  /** The accounts those addresses had when the report was written (lower-case e-mails). */
  redUsers: string[];
  anonymous: boolean;
  reveal: boolean;
  categories: string[];
  affectedSectors: string[];
  links: number[];
  /** A report the author cannot see, tried as a link first (the API must refuse it). */
  refusedLink: number | null;
  comments: ResponsePlan[];
  sightings: ResponsePlan[];
  id: string;
}

interface World {
  sectors: string[];
  orgs: OrgPlan[];
  groupIds: string[];
  users: UserPlan[];
  tokenOrgs: number[];
  reports: ReportPlan[];
}

interface Reader {
  kind: 'user' | 'token';
  org: number;
  email: string | null;
}

/** mulberry32: small, fast, and the same sequence everywhere for a seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const shuffle = <T>(xs: readonly T[]): T[] => {
    const a2 = [...xs];
    for (let i = a2.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [a2[i], a2[j]] = [a2[j], a2[i]];
    }
    return a2;
  };
  return {
    int,
    pick,
    shuffle,
    chance: (p: number) => next() < p,
    sample: <T>(xs: readonly T[], k: number): T[] => shuffle(xs).slice(0, k),
  };
}

/**
 * ADR 0006, written from its table: the owner organisation sees all it owns (tokens never RED);
 * others only published or retracted items, CLEAR and GREEN always, AMBER by audience
 * organisation, sector or group or as a group company of an audience organisation,
 * AMBER_STRICT without that forwarding, RED only as a listed user.
 */
function sees(w: World, p: Reader, r: ReportPlan): boolean {
  if (p.org === r.owner) return p.kind === 'user' || r.tlp !== 'RED';
  if (r.status === 'DRAFT') return false;
  const org = w.orgs[p.org];
  switch (r.tlp) {
    case 'CLEAR':
    case 'GREEN':
      return true;
    case 'AMBER':
    case 'AMBER_STRICT': {
      if (r.audOrgs.includes(p.org) || r.audSectors.includes(org.sector)) return true;
      if (org.group !== null && r.audGroups.includes(org.group)) return true;
      return (
        r.tlp === 'AMBER' &&
        org.group !== null &&
        r.audOrgs.some((o) => w.orgs[o].group === org.group)
      );
    }
    case 'RED':
      return p.kind === 'user' && p.email !== null && r.redUsers.includes(p.email);
  }
}

/** ANONYMITY_K, as the hub runs here (its default). */
const K = 3;

/**
 * The label a reader sees for an anonymous author stands for a class of organisations (DESIGN.md,
 * Anonymity): the coordinator alone; an operator by its sector when the sector has at least K
 * members, else any operator of such small sectors.
 */
function labelClass(w: World, o: number): string {
  const org = w.orgs[o];
  if (org.coordinator) return 'coordinator';
  const size = w.orgs.filter((x) => x.sector === org.sector).length;
  return size >= K ? `operator in ${org.sector}` : 'operator';
}

/** The organisations that could see a report: its owner, its audience, its RED recipients'. */
function couldSee(w: World, r: ReportPlan): number[] {
  return w.orgs
    .map((_, o) => o)
    .filter(
      (o) =>
        o === r.owner ||
        sees(w, { kind: 'token', org: o, email: null }, r) ||
        (r.tlp === 'RED' &&
          r.status !== 'DRAFT' &&
          w.users.some((u) => u.org === o && r.redUsers.includes(u.email.toLowerCase()))),
    );
}

/**
 * The links of report r a reader is shown (issue 12 item 4, ADR 0018): those it may see, and of
 * an anonymous report only while the organisations the author could be (its label's class, that
 * could see every link shown so far) stay at least K besides the reader, or the link narrows
 * nothing the label did not already say.
 */
function expectedLinks(w: World, v: Reader, r: ReportPlan, authorShown: boolean): number[] {
  const visible = r.links.filter((j) => sees(w, v, w.reports[j]));
  if (authorShown) return visible;
  let candidates = w.orgs
    .map((_, o) => o)
    .filter((o) => o !== v.org && labelClass(w, o) === labelClass(w, r.owner));
  return visible.filter((j) => {
    const could = couldSee(w, w.reports[j]);
    const next = candidates.filter((o) => could.includes(o));
    if (next.length < K && next.length < candidates.length) return false;
    candidates = next;
    return true;
  });
}

function build(seed: number): World {
  const g = prng(seed);
  const sectors = g.shuffle(OPERATOR_SECTORS).slice(0, 3);
  // Seven operators: sectors[0] has one member, the other two share six; groups 0 and 1 have two
  // members each at least, and at least one operator is in no group.
  const operatorSectors = [
    sectors[0],
    sectors[1],
    sectors[1],
    sectors[2],
    sectors[2],
    g.pick([sectors[1], sectors[2]]),
    g.pick([sectors[1], sectors[2]]),
  ];
  const groups = g.shuffle([0, 0, 1, 1, null, g.pick([0, 1, null]), g.pick([0, 1, null])]);
  const orgs: OrgPlan[] = [
    { name: 'CI-CSIRT', sector: 'other', group: null, coordinator: true, id: '' },
    ...operatorSectors.map((sector, i) => ({
      name: `Kaisha ${ORG_NAMES[i]}`,
      sector,
      group: groups[i],
      coordinator: false,
      id: '',
    })),
  ];
  const operators = orgs.map((_, i) => i).filter((i) => i > 0);
  const grouped = operators.filter((i) => orgs[i].group !== null);
  const firstTokenOrg = g.pick(grouped);
  const tokenOrgs = [firstTokenOrg, g.pick(operators.filter((i) => i !== firstTokenOrg))];

  const users: UserPlan[] = [{ email: ADMIN_EMAIL, org: 0, role: 'HUB_ADMIN', late: false }];
  orgs.forEach((_, o) => {
    const n = g.int(1, 2);
    for (let j = 1; j <= n; j++) {
      users.push({
        email: `u${j}@org${o}.example`,
        org: o,
        role: j === 1 && tokenOrgs.includes(o) ? 'ORG_ADMIN' : 'ANALYST',
        late: false,
      });
    }
  });
  const lateOrg = g.pick(operators);
  const late: UserPlan = {
    email: `late.joiner@org${lateOrg}.example`,
    org: lateOrg,
    role: 'ANALYST',
    late: true,
  };
  users.push(late);
  const accounts = users.filter((u) => !u.late);
  const authors = accounts.filter((u) => u.role !== 'HUB_ADMIN');
  const readerOf = (u: UserPlan): Reader => ({ kind: 'user', org: u.org, email: u.email });
  const w: World = { sectors, orgs, groupIds: [], users, tokenOrgs, reports: [] };

  // Drafts, RED and AMBER reports of the token organisations, so that "own but RED" and "own
  // draft" are always among the cases.
  const forced: Record<number, number> = {
    0: tokenOrgs[0],
    2: tokenOrgs[1],
    3: tokenOrgs[1],
    4: tokenOrgs[0],
    9: tokenOrgs[1],
    14: tokenOrgs[0],
  };
  const ambers: Record<string, number> = { AMBER: 0, AMBER_STRICT: 0 };
  let responses = 0;
  for (let i = 0; i < 40; i++) {
    const n = i + 1;
    const tlp = MARKINGS[i % 5];
    const roll = g.int(0, 99);
    const status: Status =
      i < 15
        ? STATUSES[Math.floor(i / 5)]
        : roll < 20
          ? 'DRAFT'
          : roll < 45
            ? 'RETRACTED'
            : 'PUBLISHED';
    const author =
      i in forced ? g.pick(authors.filter((u) => u.org === forced[i])) : g.pick(authors);
    const marker = `leakcheck-${String(n).padStart(3, '0')}`;
    const r: ReportPlan = {
      n,
      marker,
      title: `${marker} generated ${tlp.toLowerCase()} case`,
      author: author.email,
      owner: author.org,
      kind: g.chance(0.5) ? 'INCIDENT' : 'NEAR_MISS',
      tlp,
      status,
      raised: false,
      edited: false,
      audOrgs: [],
      audSectors: [],
      audGroups: [],
      redEmails: [],
      redUsers: [],
      anonymous: g.chance(0.6),
      reveal: g.chance(0.5),
      categories: g.chance(0.15) ? [] : g.sample(CATEGORIES, g.int(1, 2)),
      affectedSectors: g.chance(0.2) ? [] : g.sample(ALL_SECTORS, g.int(1, 2)),
      links: [],
      refusedLink: null,
      comments: [],
      sightings: [],
      id: '',
    };
    if (tlp === 'AMBER' || tlp === 'AMBER_STRICT') {
      const others = operators.filter((o) => o !== author.org);
      // The first of each marking is a draft: the published ones start with pattern 0.
      switch ((ambers[tlp]++ + 3) % 4) {
        case 0: {
          // An organisation whose group has another company (forwarding: AMBER only).
          const forwarded = grouped.filter(
            (o) =>
              o !== author.org &&
              grouped.some((y) => y !== o && y !== author.org && orgs[y].group === orgs[o].group),
          );
          r.audOrgs = [
            g.pick(forwarded.length ? forwarded : grouped.filter((o) => o !== author.org)),
          ];
          if (g.chance(0.4)) r.audOrgs.push(g.pick(others.filter((o) => !r.audOrgs.includes(o))));
          break;
        }
        case 1:
          r.audSectors = [g.pick([...sectors, 'other'])];
          break;
        case 2:
          r.audGroups = [g.int(0, 1)];
          break;
        default:
          r.audOrgs = g.sample(others, g.int(0, 2));
          r.audSectors = g.sample([...sectors, 'other'], g.int(0, 1));
          r.audGroups = g.sample([0, 1], g.int(0, 1));
          if (!r.audOrgs.length && !r.audSectors.length && !r.audGroups.length)
            r.audOrgs = [g.pick(others)];
      }
    }
    if (tlp === 'RED') {
      const named = g.sample(accounts, g.int(1, 3)).map((u) => u.email);
      // The first RED report always names the late joiner and an address with no account.
      if (i === 4 || g.chance(0.4)) named.push(late.email);
      if (i === 4 || g.chance(0.3)) named.push(`nobody${n}@nowhere.example`);
      r.redEmails = named.map((e) => (g.chance(0.2) ? e[0].toUpperCase() + e.slice(1) : e));
      const existing = new Set(accounts.map((u) => u.email));
      r.redUsers = r.redEmails.map((e) => e.toLowerCase()).filter((e) => existing.has(e));
    }
    r.raised = status !== 'DRAFT' && (tlp === 'AMBER' || tlp === 'AMBER_STRICT' || tlp === 'RED');
    r.raised &&= g.chance(0.35);
    r.edited = status !== 'DRAFT' && g.chance(0.25);

    // Links: to earlier reports the author can see (they are in their final marking and status
    // by then; retraction, which comes later, does not change who sees them).
    const prior = w.reports;
    const visible = prior.filter((p) => sees(w, readerOf(author), p)).map((p) => p.n - 1);
    if (visible.length && g.chance(0.45)) {
      r.links = g.sample(visible, g.int(1, Math.min(3, visible.length)));
      const ownDraft = visible.find(
        (j) => prior[j].status === 'DRAFT' && prior[j].owner === author.org,
      );
      if (ownDraft !== undefined && !r.links.includes(ownDraft) && g.chance(0.5))
        r.links.push(ownDraft);
    }
    const invisible = prior.filter((p) => !sees(w, readerOf(author), p)).map((p) => p.n - 1);
    if (invisible.length && g.chance(0.15)) r.refusedLink = g.pick(invisible);

    // Responses from users who can see the report (only while published: before retraction).
    if (status !== 'DRAFT') {
      const readers = accounts.filter((u) => sees(w, readerOf(u), r));
      if (g.chance(0.55)) {
        for (const u of g.sample(readers, g.int(1, 2))) {
          const marker2 = `remark-c${String(++responses).padStart(3, '0')}`;
          r.comments.push({ by: u.email, org: u.org, marker: marker2, id: '' });
        }
      }
      if (g.chance(0.45)) {
        const seenOrgs = new Set<number>();
        for (const u of g.shuffle(readers)) {
          if (seenOrgs.has(u.org) || seenOrgs.size >= 2) continue;
          seenOrgs.add(u.org);
          const marker2 = `sighted-s${String(++responses).padStart(3, '0')}`;
          r.sightings.push({ by: u.email, org: u.org, marker: marker2, id: '' });
        }
      }
    }
    w.reports.push(r);
  }
  return w;
}

/** The cases the test must contain, whatever the seed; each is a way a leak could hide. */
function coverage(w: World): Record<string, boolean> {
  const readers: Reader[] = [
    ...w.users.map((u) => ({ kind: 'user' as const, org: u.org, email: u.email })),
    ...w.tokenOrgs.map((org) => ({ kind: 'token' as const, org, email: null })),
  ];
  const any = (f: (p: Reader, r: ReportPlan) => boolean) =>
    readers.some((p) => w.reports.some((r) => f(p, r)));
  const as = (r: ReportPlan, tlp: Marking) => ({ ...r, tlp });
  const coordinator: Reader = { kind: 'user', org: 0, email: ADMIN_EMAIL };
  const published = (r: ReportPlan) => r.status !== 'DRAFT';
  return {
    everyMarkingInEveryStatus: MARKINGS.every((m) =>
      STATUSES.every((st) => w.reports.some((r) => r.tlp === m && r.status === st)),
    ),
    amberForwardedToAGroupCompany: any(
      (p, r) => r.tlp === 'AMBER' && sees(w, p, r) && !sees(w, p, as(r, 'AMBER_STRICT')),
    ),
    amberStrictNotForwarded: any(
      (p, r) => r.tlp === 'AMBER_STRICT' && !sees(w, p, r) && sees(w, p, as(r, 'AMBER')),
    ),
    redOwnedByATokenOrganisation: w.reports.some(
      (r) => r.tlp === 'RED' && w.tokenOrgs.includes(r.owner),
    ),
    draftOwnedByATokenOrganisation: w.reports.some(
      (r) => r.status === 'DRAFT' && r.tlp !== 'RED' && w.tokenOrgs.includes(r.owner),
    ),
    redNamingAnAddressWithoutAccount: w.reports.some((r) => r.redEmails.length > r.redUsers.length),
    redNamingTheLateJoiner: w.reports.some((r) =>
      r.redEmails.some((e) => e.toLowerCase() === w.users.find((u) => u.late)!.email),
    ),
    anonymousRevealedToCoordinators: w.reports.some(
      (r) => r.anonymous && r.reveal && r.owner !== 0 && published(r) && sees(w, coordinator, r),
    ),
    anonymousNotRevealedToCoordinators: w.reports.some(
      (r) => r.anonymous && !r.reveal && r.owner !== 0 && published(r) && sees(w, coordinator, r),
    ),
    notAnonymous: w.reports.some((r) => !r.anonymous && published(r)),
    linkHiddenFromAReader: any(
      (p, r) => sees(w, p, r) && r.links.some((j) => !sees(w, p, w.reports[j])),
    ),
    linkToAnOwnDraft: w.reports.some((r) =>
      r.links.some((j) => w.reports[j].status === 'DRAFT' && w.reports[j].owner === r.owner),
    ),
    responsesHiddenFromAReader: any(
      (p, r) => !sees(w, p, r) && r.comments.length > 0 && r.sightings.length > 0,
    ),
    raisedAfterPublication: w.reports.some((r) => r.raised),
  };
}

/** The world of a seed: the first of its sub-seeds whose world has every case of `coverage`. */
function generate(seed: number): { world: World; attempt: number } {
  for (let attempt = 0; ; attempt++) {
    const world = build(seed * 101 + attempt);
    if (Object.values(coverage(world)).every(Boolean)) return { world, attempt };
  }
}

// --- talking to the hub --------------------------------------------------------------------------

interface GqlError {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

interface Answer<T> {
  status: number;
  body: string;
  data?: T | null;
  errors?: GqlError[];
}

interface Viewer extends Reader {
  key: string;
  token: string;
  /** Every raw response body this principal received. */
  bodies: string[];
}

interface AuthorView {
  label: string;
  organisationId: string | null;
  own: boolean;
}

interface ResponseView {
  id: string;
  author: AuthorView;
}

interface ReportView {
  id: string;
  title: string;
  status: Status;
  tlp: Marking;
  revision: number;
  author: AuthorView;
  audience: {
    organisationIds: string[];
    sectorCodes: string[];
    groupIds: string[];
    redRecipientEmails: string[];
  } | null;
  comments: ResponseView[];
  sightings: ResponseView[];
  revisions?: { revision: number; title: string; tlp: Marking }[];
  linkedReports?: ReportView[];
}

interface ListPage {
  reports: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: ReportView }[];
  };
}

const AUTHOR = 'author { label organisationId own }';
const RESPONSES = `comments { id body ${AUTHOR} } sightings { id note ${AUTHOR} }`;
const AUDIENCE = 'audience { organisationIds sectorCodes groupIds redRecipientEmails }';
const NODE = `id title status tlp revision ${AUTHOR} ${AUDIENCE} ${RESPONSES}`;
const DETAIL = `query($id: ID!) { report(id: $id) { ${NODE} revisions { revision title tlp }
  linkedReports { ${NODE} } } }`;
const LIST = `query($first: Int, $after: String) { reports(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${NODE} } } } }`;
const SEARCH =
  'query($q: String!) { reports(first: 100, filter: { text: $q }) { totalCount edges { node { id title } } } }';
const STATS = `{ reportStatistics(period: MONTH) { period kind category sector count }
  reportFilterOptions { markings categories kinds sectors } }`;
const CREATE = 'mutation($i: ReportInput!) { createReport(input: $i) { id title status } }';
const UPDATE =
  'mutation($id: ID!, $i: ReportInput!) { updateReport(id: $id, input: $i) { id revision tlp } }';

async function inChunks<T, R>(items: T[], size: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

const sorted = (xs: Iterable<string>) => [...xs].sort();
const same = (a: Iterable<string>, b: Iterable<string>) =>
  JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

describe(`report leaks: every principal, every read path, against ADR 0006 (seed ${SEED})`, () => {
  const { world: w, attempt } = generate(SEED);
  let t: TestHub;
  let db: Client;
  const viewers: Viewer[] = [];
  const byEmail = new Map<string, Viewer>();

  const call = async <T>(
    v: Viewer,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<Answer<T>> => {
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${v.token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = withoutRequestIds(await res.text(), res);
    v.bodies.push(body);
    const parsed = JSON.parse(body) as { data?: T | null; errors?: GqlError[] };
    return { status: res.status, body, data: parsed.data, errors: parsed.errors };
  };
  const must = async <T>(v: Viewer, query: string, variables: Record<string, unknown> = {}) => {
    const r = await call<T>(v, query, variables);
    if (r.errors || !r.data)
      throw new Error(`${v.key}: ${query.slice(0, 60)} failed: ${r.body.slice(0, 500)}`);
    return r.data;
  };

  const orgName = (o: number) => w.orgs[o].name;
  const groupName = (gr: number | null) => (gr === null ? 'no group' : `group ${gr}`);
  const who = (v: Viewer) =>
    `${v.key} (${v.kind} of ${orgName(v.org)}, ${w.orgs[v.org].sector}, ${groupName(w.orgs[v.org].group)})`;
  const what = (r: ReportPlan) =>
    `${r.marker} [${r.tlp} ${r.status}${r.raised ? ' raised from GREEN' : ''}, owner ${orgName(r.owner)}` +
    `${r.audOrgs.length ? `, orgs ${r.audOrgs.map((o) => `${orgName(o)} (${groupName(w.orgs[o].group)})`).join(' ')}` : ''}` +
    `${r.audSectors.length ? `, sectors ${r.audSectors.join(' ')}` : ''}` +
    `${r.audGroups.length ? `, groups ${r.audGroups.join(' ')}` : ''}` +
    `${r.redEmails.length ? `, red ${r.redEmails.join(' ')}` : ''}]`;
  const reportById = new Map<string, ReportPlan>();

  /** The checks on one report as a principal sees it, wherever it appears. */
  const checkView = (v: Viewer, r: ReportPlan, view: ReportView, where: string): string[] => {
    const p: string[] = [];
    const fail = (m: string) => p.push(`${who(v)} ${where} ${what(r)}: ${m}`);
    const own = v.org === r.owner;
    if (view.title !== r.title) fail(`title ${JSON.stringify(view.title)}`);
    if (view.status !== r.status) fail(`status ${view.status}`);
    if (view.tlp !== r.tlp) fail(`tlp ${view.tlp}`);
    const expectAuthor =
      own || !r.anonymous || (w.orgs[v.org].coordinator && r.reveal) ? w.orgs[r.owner].id : null;
    if (view.author.organisationId !== expectAuthor)
      fail(
        `author.organisationId ${view.author.organisationId} (expected ${expectAuthor}; anonymous ${r.anonymous}, reveal ${r.reveal})`,
      );
    if (view.author.own !== own) fail(`author.own ${view.author.own}`);
    if (expectAuthor === null && view.author.label.includes(orgName(r.owner)))
      fail(`author.label names the organisation: ${view.author.label}`);
    if (!own && view.audience !== null)
      fail(`audience shown to a non-owner: ${JSON.stringify(view.audience)}`);
    if (own) {
      const a = view.audience;
      const expected = {
        organisationIds: r.audOrgs.map((o) => w.orgs[o].id),
        sectorCodes: r.audSectors,
        groupIds: r.audGroups.map((gr) => w.groupIds[gr]),
        redRecipientEmails: [...new Set(r.redEmails.map((e) => e.toLowerCase()))],
      };
      if (
        !a ||
        !same(a.organisationIds, expected.organisationIds) ||
        !same(a.sectorCodes, expected.sectorCodes) ||
        !same(a.groupIds, expected.groupIds) ||
        !same(a.redRecipientEmails, expected.redRecipientEmails)
      )
        fail(`owner's audience ${JSON.stringify(a)}, expected ${JSON.stringify(expected)}`);
    }
    for (const [field, plan] of [
      ['comments', r.comments],
      ['sightings', r.sightings],
    ] as const) {
      const got = view[field];
      if (
        !same(
          got.map((c) => c.id),
          plan.map((c) => c.id),
        )
      )
        fail(
          `${field} ${JSON.stringify(got.map((c) => c.id))}, expected ${JSON.stringify(plan.map((c) => c.id))}`,
        );
      for (const c of got) {
        const planned = plan.find((x) => x.id === c.id);
        if (!planned) continue;
        const mine = planned.org === v.org;
        if (
          c.author.organisationId !== (mine ? w.orgs[planned.org].id : null) ||
          c.author.own !== mine
        )
          fail(
            `${field} ${planned.marker} author ${JSON.stringify(c.author)} (by ${orgName(planned.org)})`,
          );
      }
    }
    return p;
  };

  const expectedRevisions = (r: ReportPlan) => {
    if (r.status === 'DRAFT') return [];
    const revs = [{ revision: 1, title: r.title, tlp: r.raised ? 'GREEN' : r.tlp }];
    if (r.raised) revs.push({ revision: revs.length + 1, title: r.title, tlp: r.tlp });
    if (r.edited) revs.push({ revision: revs.length + 1, title: r.title, tlp: r.tlp });
    if (r.status === 'RETRACTED')
      revs.push({ revision: revs.length + 1, title: r.title, tlp: r.tlp });
    return revs.reverse();
  };

  beforeAll(async () => {
    const started = Date.now();
    t = await startTestHub();
    const boot = await t.bootstrapAdmin();
    const admin: Viewer = {
      key: ADMIN_EMAIL,
      kind: 'user',
      org: 0,
      email: ADMIN_EMAIL,
      token: boot.token,
      bodies: [],
    };
    w.orgs[0].id = boot.organisationId;
    w.groupIds = [
      await createGroup(t, admin.token, 'Leak Group Zero'),
      await createGroup(t, admin.token, 'Leak Group One'),
    ];
    await Promise.all(
      w.orgs.slice(1).map(async (o) => {
        o.id = await createOrg(t, admin.token, {
          name: o.name,
          sectorCode: o.sector,
          ...(o.group === null ? {} : { groupId: w.groupIds[o.group] }),
        });
      }),
    );
    viewers.push(admin);
    byEmail.set(ADMIN_EMAIL, admin);
    const addUser = async (u: UserPlan) => {
      const m = await member(t, admin.token, w.orgs[u.org].id, u.email, u.role);
      const v: Viewer = {
        key: u.email,
        kind: 'user',
        org: u.org,
        email: u.email,
        token: m.token,
        bodies: [],
      };
      viewers.push(v);
      byEmail.set(u.email, v);
    };
    await inChunks(
      w.users.filter((u) => u.role !== 'HUB_ADMIN' && !u.late),
      10,
      addUser,
    );
    for (const o of w.tokenOrgs) {
      const orgAdmin = viewers.find((v) => v.org === o && v.key.startsWith('u1@'))!;
      const created = await must<{ createApiToken: { token: string } }>(
        orgAdmin,
        'mutation { createApiToken(input: { name: "leak test", scopes: ["reports:read"] }) { token } }',
      );
      viewers.push({
        key: `token of ${orgName(o)}`,
        kind: 'token',
        org: o,
        email: null,
        token: created.createApiToken.token,
        bodies: [],
      });
    }

    // Reports one after another: each is final (marking, status but retraction) before the
    // next links to it.
    for (const r of w.reports) {
      const author = byEmail.get(r.author)!;
      const audience =
        r.tlp === 'AMBER' || r.tlp === 'AMBER_STRICT'
          ? {
              organisationIds: r.audOrgs.map((o) => w.orgs[o].id),
              sectorCodes: r.audSectors,
              groupIds: r.audGroups.map((gr) => w.groupIds[gr]),
            }
          : r.tlp === 'RED'
            ? { redRecipientEmails: r.redEmails }
            : undefined;
      const input = {
        kind: r.kind,
        title: r.title,
        tlp: r.raised ? 'GREEN' : r.tlp,
        ...(audience && !r.raised ? { audience } : {}),
        anonymous: r.anonymous,
        revealToCoordinators: r.reveal,
        categories: r.categories,
        affectedSectors: r.affectedSectors,
        summary: 'Generated for the leak test; nothing to see here',
        linkedReportIds: r.links.map((j) => w.reports[j].id),
      };
      if (r.refusedLink !== null) {
        const refused = await call(author, CREATE, {
          i: { ...input, linkedReportIds: [...input.linkedReportIds, w.reports[r.refusedLink].id] },
        });
        if (refused.errors?.[0]?.extensions?.code !== 'BAD_USER_INPUT')
          throw new Error(
            `${who(author)} linked ${what(w.reports[r.refusedLink])}, which it cannot see: ${refused.body}`,
          );
      }
      const created = await must<{ createReport: { id: string } }>(author, CREATE, { i: input });
      r.id = created.createReport.id;
      reportById.set(r.id, r);
      if (r.status === 'DRAFT') continue;
      const preview = await must<{ previewReportRedactions: { previewHash: string } }>(
        author,
        'mutation($id: ID!) { previewReportRedactions(id: $id) { previewHash } }',
        { id: r.id },
      );
      await must(
        author,
        'mutation($id: ID!, $h: String!) { publishReport(id: $id, previewHash: $h) { id } }',
        { id: r.id, h: preview.previewReportRedactions.previewHash },
      );
      if (r.raised) await must(author, UPDATE, { id: r.id, i: { tlp: r.tlp, audience } });
      if (r.edited) await must(author, UPDATE, { id: r.id, i: { summary: 'Edited after review' } });
    }
    const responses = w.reports.flatMap((r) => [
      ...r.comments.map((c) => ({ r, c, comment: true })),
      ...r.sightings.map((c) => ({ r, c, comment: false })),
    ]);
    await inChunks(responses, 10, async ({ r, c, comment }) => {
      const data = await must<Record<string, { id: string }>>(
        byEmail.get(c.by)!,
        comment
          ? 'mutation($id: ID!, $b: String!) { addReportComment(reportId: $id, body: $b) { id } }'
          : 'mutation($id: ID!, $b: String!) { addReportSighting(reportId: $id, seenOn: "2026-01-15", note: $b) { id } }',
        { id: r.id, b: `${c.marker} from a reader` },
      );
      c.id = Object.values(data)[0].id;
    });
    await inChunks(
      w.reports.filter((r) => r.status === 'RETRACTED'),
      10,
      (r) =>
        must(
          byEmail.get(r.author)!,
          'mutation($id: ID!) { retractReport(id: $id, reason: "Withdrawn after review") { id } }',
          { id: r.id },
        ),
    );
    // An account for an address some RED reports named when it had none: still not a recipient.
    await addUser(w.users.find((u) => u.late)!);
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();

    const table = MARKINGS.map((m) => {
      const of = w.reports.filter((r) => r.tlp === m);
      const count = (s: Status) => of.filter((r) => r.status === s).length;
      return `${m.padEnd(12)} draft ${count('DRAFT')}  published ${count('PUBLISHED')}  retracted ${count('RETRACTED')}  raised ${of.filter((r) => r.raised).length}`;
    });
    const all = w.reports;
    console.log(
      [
        `seed ${SEED} (world ${attempt}): ${w.orgs.length} organisations (${w.orgs.map((o) => `${o.name}: ${o.sector}, ${groupName(o.group)}`).join('; ')})`,
        `${viewers.length} principals (${viewers.filter((v) => v.kind === 'token').length} tokens), token organisations ${w.tokenOrgs.map(orgName).join(', ')}`,
        ...table,
        `${all.reduce((a, r) => a + r.comments.length, 0)} comments, ${all.reduce((a, r) => a + r.sightings.length, 0)} sightings, ` +
          `${all.filter((r) => r.links.length).length} reports with links (${all.reduce((a, r) => a + r.links.length, 0)} links), ` +
          `${all.filter((r) => r.refusedLink !== null).length} refused links, ${all.filter((r) => r.edited).length} edited, ` +
          `${all.filter((r) => !r.anonymous).length} not anonymous, ${all.filter((r) => r.anonymous && r.reveal).length} anonymous revealed to coordinators`,
        `built in ${Date.now() - started} ms`,
      ].join('\n'),
    );
  }, 180_000);

  afterAll(async () => {
    await db?.end();
    await t?.stop();
  });

  const visibleTo = (v: Viewer) => w.reports.filter((r) => sees(w, v, r));

  it('generates every case, and principals that see different sets', () => {
    expect(Object.entries(coverage(w)).filter(([, ok]) => !ok)).toEqual([]);
    const sets = new Set(
      viewers.map((v) =>
        visibleTo(v)
          .map((r) => r.n)
          .join(','),
      ),
    );
    expect(sets.size).toBeGreaterThan(w.orgs.length / 2);
  });

  it('lists exactly the visible reports, each once, with totalCount, through cursors', async () => {
    const problems: string[] = [];
    await inChunks(viewers, 10, async (v) => {
      const visible = visibleTo(v);
      for (const first of [100, 7]) {
        const seen: string[] = [];
        let after: string | null = null;
        for (let page = 0; page < 50; page++) {
          const data: ListPage = await must<ListPage>(v, LIST, { first, after });
          if (data.reports.totalCount !== visible.length)
            problems.push(
              `${who(v)} reports(first: ${first}) totalCount ${data.reports.totalCount}, expected ${visible.length}`,
            );
          for (const e of data.reports.edges) {
            seen.push(e.node.id);
            const r = reportById.get(e.node.id);
            if (!r) problems.push(`${who(v)} reports: unknown id ${e.node.id}`);
            else if (!sees(w, v, r))
              problems.push(`${who(v)} reports LEAK ${what(r)}: ${JSON.stringify(e.node)}`);
            else if (first === 100) problems.push(...checkView(v, r, e.node, 'reports node'));
          }
          if (!data.reports.pageInfo.hasNextPage) break;
          after = data.reports.pageInfo.endCursor;
        }
        if (new Set(seen).size !== seen.length)
          problems.push(
            `${who(v)} reports(first: ${first}) returned an id twice: ${seen.join(' ')}`,
          );
        const expected = visible.map((r) => r.id);
        const missing = expected.filter((id) => !seen.includes(id));
        if (missing.length)
          problems.push(
            `${who(v)} reports(first: ${first}) misses ${missing.map((id) => what(reportById.get(id)!)).join('; ')}`,
          );
      }
    });
    expect(problems).toEqual([]);
  });

  it('answers report(id) for every id: visible in full, invisible exactly like an unknown id', async () => {
    const problems: string[] = [];
    await inChunks(viewers, 2, async (v) => {
      const unknown = await call(v, DETAIL, { id: randomUUID() });
      if (
        unknown.data !== null ||
        unknown.errors?.length !== 1 ||
        unknown.errors[0].message !== 'Report not found' ||
        unknown.errors[0].extensions?.code !== 'NOT_FOUND'
      )
        problems.push(`${who(v)} report(unknown uuid): ${unknown.body}`);
      let comments = 0;
      let sightings = 0;
      await inChunks(w.reports, 5, async (r) => {
        const a = await call<{ report: ReportView }>(v, DETAIL, { id: r.id });
        if (!sees(w, v, r)) {
          if (a.body !== unknown.body || a.status !== unknown.status)
            problems.push(`${who(v)} report(id) LEAK ${what(r)}: ${a.status} ${a.body}`);
          return;
        }
        if (!a.data?.report) {
          problems.push(`${who(v)} report(id) hides ${what(r)}: ${a.body}`);
          return;
        }
        const view = a.data.report;
        comments += view.comments.length;
        sightings += view.sightings.length;
        problems.push(...checkView(v, r, view, 'report(id)'));
        const revisions = expectedRevisions(r);
        if (JSON.stringify(view.revisions) !== JSON.stringify(revisions))
          problems.push(
            `${who(v)} report(id).revisions ${what(r)}: ${JSON.stringify(view.revisions)}, expected ${JSON.stringify(revisions)}`,
          );
        if (view.revision !== revisions.length)
          problems.push(`${who(v)} report(id).revision ${what(r)}: ${view.revision}`);
        const authorShown =
          v.org === r.owner || !r.anonymous || (w.orgs[v.org].coordinator && r.reveal);
        const shownLinks = expectedLinks(w, v, r, authorShown);
        const linked = view.linkedReports ?? [];
        if (
          !same(
            linked.map((l) => l.id),
            shownLinks.map((j) => w.reports[j].id),
          )
        )
          problems.push(
            `${who(v)} report(id).linkedReports ${what(r)}: ${linked.map((l) => reportById.get(l.id)?.marker ?? l.id).join(' ')}, ` +
              `expected ${shownLinks.map((j) => w.reports[j].marker).join(' ')} (links ${r.links.map((j) => what(w.reports[j])).join('; ')})`,
          );
        for (const l of linked) {
          const target = reportById.get(l.id);
          if (target && sees(w, v, target))
            problems.push(...checkView(v, target, l, `linkedReports of ${r.marker}`));
        }
      });
      const visible = visibleTo(v);
      const expectedComments = visible.reduce((n, r) => n + r.comments.length, 0);
      const expectedSightings = visible.reduce((n, r) => n + r.sightings.length, 0);
      if (comments !== expectedComments || sightings !== expectedSightings)
        problems.push(
          `${who(v)} comments/sightings over all reports ${comments}/${sightings}, expected ${expectedComments}/${expectedSightings}`,
        );
    });
    expect(problems).toEqual([]);
  });

  it('finds a visible report by its marker and never an invisible one', async () => {
    const problems: string[] = [];
    const g = prng(SEED + 1);
    await inChunks(viewers, 4, async (v) => {
      const visible = w.reports.filter((r) => sees(w, v, r));
      const invisible = w.reports.filter((r) => !sees(w, v, r));
      await inChunks([...g.sample(invisible, 6), ...g.sample(visible, 4)], 5, async (r) => {
        const data = await must<{
          reports: { totalCount: number; edges: { node: { id: string } }[] };
        }>(v, SEARCH, { q: r.marker });
        const ids = data.reports.edges.map((e) => e.node.id);
        const expected = sees(w, v, r) ? [r.id] : [];
        if (data.reports.totalCount !== expected.length || !same(ids, expected))
          problems.push(
            `${who(v)} search ${JSON.stringify(r.marker)} ${what(r)}: ${JSON.stringify(data.reports)}`,
          );
      });
    });
    expect(problems).toEqual([]);
  });

  it('counts statistics and filter options over the visible reports only', async () => {
    const problems: string[] = [];
    await inChunks(viewers, 10, async (v) => {
      const visible = visibleTo(v);
      const data = await must<{
        reportStatistics: { kind: string; category: string; sector: string; count: number }[];
        reportFilterOptions: {
          markings: string[];
          categories: string[];
          kinds: string[];
          sectors: string[];
        };
      }>(v, STATS);
      const got = new Map<string, number>();
      for (const s of data.reportStatistics) {
        const key = `${s.kind} ${s.category} ${s.sector}`;
        got.set(key, (got.get(key) ?? 0) + s.count);
      }
      // The hub unnests categories and affected sectors ('none' for an empty list): one count
      // per (report, category, sector), drafts excluded; a cell with some but fewer than K
      // anonymous authors other than the reader's organisation is left out (the small-cell rule).
      // (see below for the rest of its place)
      const expected = new Map<string, number>();
      const hidden = new Map<string, Set<number>>();
      for (const r of visible.filter((x) => x.status !== 'DRAFT')) {
        for (const c of r.categories.length ? r.categories : ['none'])
          for (const s of r.affectedSectors.length ? r.affectedSectors : ['none']) {
            const key = `${r.kind} ${c} ${s}`;
            expected.set(key, (expected.get(key) ?? 0) + 1);
            if (!hidden.has(key)) hidden.set(key, new Set());
            if (r.anonymous && r.owner !== v.org) hidden.get(key)!.add(r.owner);
          }
      }
      // With it goes every other kind of the same category and sector (all published this
      // quarter): subtracted from \`statistics\`' total they would give the hidden cell back.
      const place = (key: string) => key.split(' ').slice(1).join(' ');
      const withheld = new Set(
        [...hidden].filter(([, o]) => o.size > 0 && o.size < K).map(([key]) => place(key)),
      );
      for (const key of [...expected.keys()]) if (withheld.has(place(key))) expected.delete(key);
      const byCategory = (m: Map<string, number>) => {
        const out: Record<string, number> = {};
        for (const [k, n] of m) out[k.split(' ')[1]] = (out[k.split(' ')[1]] ?? 0) + n;
        return JSON.stringify(Object.entries(out).sort());
      };
      if (byCategory(got) !== byCategory(expected))
        problems.push(
          `${who(v)} reportStatistics per category ${byCategory(got)}, expected ${byCategory(expected)}`,
        );
      if (JSON.stringify([...got].sort()) !== JSON.stringify([...expected].sort()))
        problems.push(
          `${who(v)} reportStatistics per kind, category, sector ${JSON.stringify([...got].sort())}, expected ${JSON.stringify([...expected].sort())}`,
        );
      const o = data.reportFilterOptions;
      const markings = MARKINGS.filter((m) => visible.some((r) => r.tlp === m));
      if (JSON.stringify(o.markings) !== JSON.stringify(markings))
        problems.push(`${who(v)} reportFilterOptions.markings ${o.markings}, expected ${markings}`);
      const categories = new Set(visible.flatMap((r) => r.categories));
      if (!same(o.categories, categories))
        problems.push(
          `${who(v)} reportFilterOptions.categories ${sorted(o.categories)}, expected ${sorted(categories)}`,
        );
      if (!same(o.kinds, new Set(visible.map((r) => r.kind))))
        problems.push(`${who(v)} reportFilterOptions.kinds ${o.kinds}`);
      if (!same(o.sectors, new Set(visible.flatMap((r) => r.affectedSectors))))
        problems.push(`${who(v)} reportFilterOptions.sectors ${o.sectors}`);
    });
    expect(problems).toEqual([]);
  });

  it('filters in PostgreSQL: the application role sees exactly the visible rows', async () => {
    const ids = new Map<string, string>(
      (await db.query('SELECT id, email FROM hub_user')).rows.map(
        (u: { id: string; email: string }) => [u.email, u.id],
      ),
    );
    const users = viewers.filter((v) => v.kind === 'user' && v.key !== ADMIN_EMAIL);
    const redHeavy = [...users].sort(
      (a, b) =>
        visibleTo(b).filter((r) => r.tlp === 'RED').length -
        visibleTo(a).filter((r) => r.tlp === 'RED').length,
    )[0];
    const groupedUser = users.find(
      (v) => w.orgs[v.org].group !== null && !w.tokenOrgs.includes(v.org) && v !== redHeavy,
    )!;
    const token = viewers.find((v) => v.kind === 'token')!;
    const problems: string[] = [];
    for (const v of [redHeavy, groupedUser, token]) {
      const org = w.orgs[v.org];
      await db.query('BEGIN');
      try {
        await db.query('SET LOCAL ROLE renkei_app');
        await db.query(
          "SELECT set_config('renkei.kind', $1, true), set_config('renkei.user_id', $2, true), set_config('renkei.org_id', $3, true), set_config('renkei.sector', $4, true), set_config('renkei.group_id', $5, true)",
          [
            v.kind,
            v.email ? ids.get(v.email)! : '',
            org.id,
            org.sector,
            org.group === null ? '' : w.groupIds[org.group],
          ],
        );
        const { rows } = await db.query('SELECT id FROM report');
        const got = rows.map((x: { id: string }) => x.id);
        const visible = visibleTo(v);
        if (
          !same(
            got,
            visible.map((r) => r.id),
          )
        )
          problems.push(
            `${who(v)} SELECT id FROM report as renkei_app: ${got.map((id: string) => reportById.get(id)?.marker).join(' ')}, ` +
              `expected ${visible.map((r) => r.marker).join(' ')}`,
          );
        const { rows: c } = await db.query('SELECT count(*)::int AS n FROM report_comment');
        const expected = visible.reduce((n, r) => n + r.comments.length, 0);
        if (c[0].n !== expected)
          problems.push(`${who(v)} report_comment rows ${c[0].n}, expected ${expected}`);
      } finally {
        await db.query('ROLLBACK');
      }
    }
    expect(problems).toEqual([]);
  });

  it('never sends a principal the marker of a report, comment or sighting it may not see', () => {
    const problems: string[] = [];
    for (const v of viewers) {
      const all = v.bodies.join('\n');
      expect(v.bodies.length).toBeGreaterThan(w.reports.length);
      for (const r of w.reports.filter((x) => !sees(w, v, x))) {
        for (const marker of [
          r.marker,
          ...r.comments.map((c) => c.marker),
          ...r.sightings.map((c) => c.marker),
        ]) {
          const at = all.indexOf(marker);
          if (at >= 0)
            problems.push(
              `${who(v)} received ${marker === r.marker ? 'the title marker' : marker} of ${what(r)}: …${all.slice(Math.max(0, at - 300), at + 100)}…`,
            );
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
