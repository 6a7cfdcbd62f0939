import { createGroup, createOrg, member, Member, publishReport } from './support/community';
import { startTestHub, TestHub } from './support/test-hub';

/*
 * Identifiability (issue 12, "Done when"; ADR 0018). A generated community — sectors with one,
 * two and many members, every organisation kind, corporate groups across sectors — publishes
 * anonymous reports and lists; some link narrowly shared reports, some carry entries in their
 * author's own address range. For every item and every reader, an oracle written here, from
 * DESIGN.md and not from the hub's code, narrows the organisations that could have written the
 * item by everything the reader observes: the label (and the STIX identity) of the author, the
 * linked reports and which organisations could see them, the sectors a list is served with when
 * its author gave none (the author's, issue 12 item 2), entries inside an organisation's own
 * address ranges (the hub shows ranges to their owners only, but allocations are public). It must leave at least ANONYMITY_K organisations other than the reader, unless
 * the item says it is not anonymous to that reader (author.organisationId set).
 *
 * The oracle failed before the publication boundary for 180 of 333 pairs: labels that ignored
 * k, list sectors defaulted to the author's, entries in the author's own ranges, and links to
 * narrowly shared reports.
 */

jest.setTimeout(300_000);

const K = 3;
const SEED = Number(process.env.IDENTIFIABILITY_SEED ?? 20261205);

interface OrgPlan {
  key: string;
  name: string;
  kind: 'COORDINATOR' | 'OPERATOR' | 'SECTOR_CSIRT' | 'VENDOR';
  sector: string;
  group: number | null;
  range: string;
  id: string;
  member?: Member;
}

interface ReportPlan {
  id: string;
  owner: string;
  tlp: string;
  audienceOrgs: string[];
  audienceSectors: string[];
}

interface Item {
  kind: 'report' | 'list';
  id: string;
  owner: string;
  what: string;
}

/** mulberry32: the same community for a seed everywhere. */
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
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: T[]) => xs[Math.floor(next() * xs.length)],
  };
}

let t: TestHub;
let admin: string;
let coordinatorId: string;
const orgs: OrgPlan[] = [];
const reports = new Map<string, ReportPlan>();
const items: Item[] = [];
const sectorNames = new Map<string, string>();

const byId = (id: string) => orgs.find((o) => o.id === id)!;

/**
 * The organisations a label stands for to this reader, read as ADR 0017 publishes the rule: a
 * reader who knows it narrows a label to its class, the organisations other than itself that it
 * would be shown that same label for. Narrowest first: an operator (or a sector CSIRT) of a
 * sector with at least K of that kind besides the reader; a vendor, a coordinator when there
 * are K of them; what falls short pools as "a critical-infrastructure operator" / "a sector
 * CSIRT" if the pool holds K; the rest is "a member organisation", which takes in the smallest
 * classes until it holds K. Any other label is an organisation's name.
 */
function labelled(label: string, reader: OrgPlan): Set<string> {
  const others = orgs.filter((o) => o.id !== reader.id);
  const count = (f: (o: OrgPlan) => boolean) => others.filter(f).length;
  const sectorName = (o: OrgPlan) => (sectorNames.get(o.sector) ?? o.sector).toLowerCase();
  const narrow = new Map<string, string>();
  for (const o of others) {
    if (o.kind === 'OPERATOR' || o.kind === 'SECTOR_CSIRT') {
      if (count((x) => x.kind === o.kind && x.sector === o.sector) >= K)
        narrow.set(
          o.id,
          o.kind === 'OPERATOR'
            ? `an operator in ${sectorName(o)}`
            : `a sector CSIRT for ${sectorName(o)}`,
        );
    } else if (o.kind === 'VENDOR' && count((x) => x.kind === 'VENDOR') >= K) {
      narrow.set(o.id, 'a vendor');
    } else if (o.kind === 'COORDINATOR' && count((x) => x.kind === 'COORDINATOR') >= K) {
      narrow.set(o.id, 'a coordinator');
    }
  }
  const shown = new Map(narrow);
  for (const kind of ['OPERATOR', 'SECTOR_CSIRT'] as const) {
    const rest = others.filter((o) => o.kind === kind && !narrow.has(o.id));
    if (rest.length >= K)
      for (const o of rest)
        shown.set(
          o.id,
          kind === 'OPERATOR' ? 'a critical-infrastructure operator' : 'a sector CSIRT',
        );
  }
  for (const o of others) if (!shown.has(o.id)) shown.set(o.id, 'a member organisation');
  const classes = () => {
    const by = new Map<string, string[]>();
    for (const [id, l] of shown) by.set(l, [...(by.get(l) ?? []), id]);
    return by;
  };
  let members = classes().get('a member organisation')?.length ?? 0;
  while (members > 0 && members < K) {
    const [smallest] = [...classes()]
      .filter(([l]) => l !== 'a member organisation')
      .sort((a, b) => a[1].length - b[1].length);
    if (!smallest) break;
    for (const id of smallest[1]) shown.set(id, 'a member organisation');
    members += smallest[1].length;
  }
  const fit = new Set([...shown].filter(([, l]) => l === label).map(([id]) => id));
  return fit.size ? fit : new Set(orgs.filter((o) => o.name === label).map((o) => o.id));
}

/** Who could see a report: its owner and its audience (AMBER+STRICT here: no forwarding). */
function couldSee(r: ReportPlan): Set<string> {
  if (r.tlp === 'GREEN' || r.tlp === 'CLEAR') return new Set(orgs.map((o) => o.id));
  return new Set(
    orgs
      .filter(
        (o) =>
          o.id === r.owner || r.audienceOrgs.includes(o.id) || r.audienceSectors.includes(o.sector),
      )
      .map((o) => o.id),
  );
}

function inRange(value: string, range: string): boolean {
  const [net, bits] = range.split('/');
  const n = (ip: string) => ip.split('.').reduce((a, x) => a * 256 + Number(x), 0);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(n(value) / size) === Math.floor(n(net) / size);
}

async function must<T>(q: string, v: Record<string, unknown>, token: string): Promise<T> {
  const r = await t.gql<T>(q, v, token);
  if (!r.data || r.errors) throw new Error(`${q}: ${JSON.stringify(r.errors)}`);
  return r.data;
}

beforeAll(async () => {
  t = await startTestHub({ ANONYMITY_K: String(K) });
  admin = (await t.bootstrapAdmin()).token;
  const g = prng(SEED);
  const groups = [
    await createGroup(t, admin, 'Group East'),
    await createGroup(t, admin, 'Group West'),
  ];
  const who = await must<{ whoami: { organisationId: string } }>(
    '{ whoami { organisationId } }',
    {},
    admin,
  );
  coordinatorId = who.whoami.organisationId;
  const sectors = await must<{ sectors: { code: string; nameEn: string }[] }>(
    '{ sectors { code nameEn } }',
    {},
    admin,
  );
  sectors.sectors.forEach((s) => sectorNames.set(s.code, s.nameEn));
  const coordinatorSector = (
    await must<{ organisation: { sector: { code: string }; name: string } }>(
      'query($id: ID!) { organisation(id: $id) { sector { code } name } }',
      { id: coordinatorId },
      admin,
    )
  ).organisation;

  // One member (water), two (gas), many (electric power: operators and its CSIRT), a vendor.
  const plan: Omit<OrgPlan, 'id' | 'range' | 'key' | 'name'>[] = [
    { kind: 'OPERATOR', sector: 'water', group: g.pick([0, 1, null]) },
    { kind: 'OPERATOR', sector: 'gas', group: 0 },
    { kind: 'OPERATOR', sector: 'gas', group: null },
    ...Array.from({ length: g.int(4, 6) }, (_, i) => ({
      kind: 'OPERATOR' as const,
      sector: 'electric-power',
      group: i === 0 ? 0 : i === 1 ? 1 : g.pick([1, null]),
    })),
    { kind: 'SECTOR_CSIRT', sector: 'electric-power', group: null },
    { kind: 'VENDOR', sector: 'other', group: 1 },
  ];
  orgs.push({
    key: 'o0',
    name: coordinatorSector.name,
    kind: 'COORDINATOR',
    sector: coordinatorSector.sector.code,
    group: null,
    range: '',
    id: coordinatorId,
  });
  for (const [i, p] of plan.entries()) {
    const key = `o${i + 1}`;
    const name = `Kaisha ${key}`;
    const range = `10.${i + 1}.0.0/16`;
    const id = await createOrg(t, admin, {
      name,
      kind: p.kind,
      sectorCode: p.sector,
      addressRanges: [range],
      domains: [`${key}.example`],
      ...(p.group === null ? {} : { groupId: groups[p.group] }),
    });
    orgs.push({ ...p, key, name, range, id });
  }
  for (const o of orgs) {
    o.member =
      o.id === coordinatorId
        ? { orgId: o.id, email: 'admin', token: admin }
        : await member(t, admin, o.id, `soc@${o.key}.example`);
  }

  // Every organisation shares one report with exactly one other (the narrow links) and one with
  // everybody (the wide ones), then publishes anonymous items.
  for (const [i, o] of orgs.entries()) {
    const peer = orgs[(i + 1) % orgs.length];
    const narrow = await publishReport(t, o.member!.token, {
      title: `narrow from ${o.key}`,
      tlp: 'AMBER_STRICT',
      anonymous: false,
      audience: { organisationIds: [peer.id] },
    });
    reports.set(narrow, {
      id: narrow,
      owner: o.id,
      tlp: 'AMBER_STRICT',
      audienceOrgs: [peer.id],
      audienceSectors: [],
    });
    const wide = await publishReport(t, o.member!.token, {
      title: `wide from ${o.key}`,
      tlp: 'GREEN',
      anonymous: false,
    });
    reports.set(wide, {
      id: wide,
      owner: o.id,
      tlp: 'GREEN',
      audienceOrgs: [],
      audienceSectors: [],
    });
  }
  const narrowTo = (o: OrgPlan) =>
    [...reports.values()].filter((r) => r.tlp === 'AMBER_STRICT' && r.audienceOrgs.includes(o.id));
  const wideOf = [...reports.values()].filter((r) => r.tlp === 'GREEN');
  for (const o of orgs) {
    const token = o.member!.token;
    const plain = await publishReport(t, token, {
      title: `plain by ${o.key}`,
      tlp: 'GREEN',
      anonymous: true,
    });
    items.push({ kind: 'report', id: plain, owner: o.id, what: 'anonymous report' });
    const links = [narrowTo(o)[0].id, g.pick(wideOf).id];
    const linking = await publishReport(t, token, {
      title: `linking by ${o.key}`,
      tlp: 'GREEN',
      anonymous: true,
      linkedReportIds: links,
    });
    items.push({ kind: 'report', id: linking, owner: o.id, what: 'anonymous report with links' });
    const amber = await publishReport(t, token, {
      title: `amber by ${o.key}`,
      tlp: 'AMBER',
      anonymous: true,
      audience: { sectorCodes: ['electric-power', 'gas'] },
    });
    items.push({ kind: 'report', id: amber, owner: o.id, what: 'anonymous AMBER report' });

    const list = await must<{ createIndicatorList: { id: string } }>(
      'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
      {
        i: { name: `list by ${o.key}`, tlp: 'GREEN', anonymous: true, reportId: narrowTo(o)[0].id },
      },
      token,
    );
    const own = o.range ? `\n${o.range.replace('0.0/16', '7.7')}` : '';
    await must(
      'mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) { applied } }',
      {
        l: list.createIndicatorList.id,
        i: { text: `198.51.100.${10 + orgs.indexOf(o)}${own}`, confidence: 60 },
      },
      token,
    );
    items.push({
      kind: 'list',
      id: list.createIndicatorList.id,
      owner: o.id,
      what: 'anonymous list',
    });
  }
  const summary = orgs.map((o) => `${o.key} ${o.kind} ${o.sector} group ${o.group ?? '-'}`);
  console.log(
    `seed ${SEED}: ${orgs.length} organisations (${summary.join('; ')}), ${items.length} anonymous items`,
  );
});

afterAll(async () => {
  await t?.stop();
});

const REPORT = `query($id: ID!) { report(id: $id) { anonymous author { label organisationId } linkedReports { id } } }`;
const LIST = `query($id: ID!) { indicatorList(id: $id) { anonymous author { label organisationId } reportId sectors
  entries(first: 100) { edges { node { value } } } } }`;

interface Seen {
  anonymous: boolean;
  author: { label: string; organisationId: string | null };
  linked: string[];
  sectors: string[] | null;
  values: string[];
  identities: string[];
}

async function observe(item: Item, token: string): Promise<Seen | null> {
  if (item.kind === 'report') {
    const r = await t.gql<{
      report: { anonymous: boolean; author: Seen['author']; linkedReports: { id: string }[] };
    }>(REPORT, { id: item.id }, token);
    if (!r.data?.report) return null;
    const res = await fetch(`${t.url}/api/reports/${item.id}/stix`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const bundle = (await res.json()) as { objects?: { type: string; name?: string }[] };
    return {
      anonymous: r.data.report.anonymous,
      author: r.data.report.author,
      linked: r.data.report.linkedReports.map((x) => x.id),
      sectors: null,
      values: [],
      identities: (bundle.objects ?? [])
        .filter((o) => o.type === 'identity')
        .map((o) => o.name ?? ''),
    };
  }
  const l = await t.gql<{
    indicatorList: {
      anonymous: boolean;
      author: Seen['author'];
      reportId: string | null;
      sectors: string[];
      entries: { edges: { node: { value: string } }[] };
    };
  }>(LIST, { id: item.id }, token);
  if (!l.data?.indicatorList) return null;
  const v = l.data.indicatorList;
  return {
    anonymous: v.anonymous,
    author: v.author,
    linked: v.reportId ? [v.reportId] : [],
    sectors: v.sectors,
    values: v.entries.edges.map((e) => e.node.value),
    identities: [],
  };
}

it('leaves every reader at least ANONYMITY_K organisations that could have written each anonymous item', async () => {
  const problems: string[] = [];
  let checked = 0;
  for (const reader of orgs) {
    for (const item of items) {
      if (item.owner === reader.id) continue;
      const seen = await observe(item, reader.member!.token);
      if (!seen) continue;
      // The item says it is not anonymous to this reader.
      if (!seen.anonymous || seen.author.organisationId !== null) continue;
      checked++;
      const reasons: string[] = [`label "${seen.author.label}"`];
      // The label itself says the item is not anonymous to this reader.
      if (seen.author.label.includes('(not anonymous')) continue;
      let candidates = labelled(seen.author.label, reader);
      const narrow = (by: string, keep: (o: OrgPlan) => boolean) => {
        const before = candidates.size;
        candidates = new Set([...candidates].filter((id) => keep(byId(id))));
        if (candidates.size < before) reasons.push(by);
      };
      for (const name of seen.identities)
        narrow(`STIX identity "${name}"`, (o) => labelled(name, reader).has(o.id));
      for (const id of seen.linked) {
        const target = reports.get(id);
        if (target) narrow(`link to ${id.slice(0, 8)}`, (o) => couldSee(target).has(o.id));
      }
      if (seen.sectors?.length)
        narrow(`sectors ${seen.sectors.join(',')} given by default`, (o) =>
          seen.sectors!.includes(o.sector),
        );
      for (const value of seen.values) {
        const owner = orgs.find((o) => o.range && inRange(value, o.range));
        if (owner) narrow(`entry ${value} in ${owner.key}'s range`, (o) => o.id === owner.id);
      }
      candidates.delete(reader.id);
      if (candidates.size < K)
        problems.push(
          `${reader.key} (${reader.kind} ${reader.sector}) reading ${item.what} by ${byId(item.owner).key}: ` +
            `${candidates.size} candidates [${[...candidates].map((id) => byId(id).key).join(' ')}] after ${reasons.join('; ') || 'nothing'}`,
        );
    }
  }
  console.log(
    `${checked} (reader, item) pairs checked, ${problems.length} leave fewer than ${K}:\n${problems.join('\n')}`,
  );
  expect(checked).toBeGreaterThan(0);
  expect(problems).toEqual([]);
});
