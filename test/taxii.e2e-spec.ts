import { createHash } from 'node:crypto';
import * as http from 'node:http';
import { createOrg, member, Member, publishReport } from './support/community';
import { itIfSchemas, schemaErrors } from './support/stix-schemas';
import { startTestHub, TestHub } from './support/test-hub';

/*
 * TAXII 2.1 (read-only) and STIX 2.1 exports against the real server and database, walked the way
 * a TIP or SIEM would: discovery, API root, collections, objects page by page, manifest, one
 * object and its versions. The scene: operators in electric power share indicator lists and
 * reports; a gas operator shares an AMBER list with its own sector only, which must never reach
 * electric power through TAXII or an export. Exports are checked against the official OASIS STIX
 * 2.1 JSON schemas in the sibling folder ../shared (skipped where it is absent).
 */

jest.setTimeout(240_000);

// Answers are checked field by field; their full types would add nothing here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const TAXII = 'application/taxii+json;version=2.1';
const STIX = 'application/stix+json;version=2.1';
const MICROS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const MICROS_AT_END = / \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const TLP_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
/** The OASIS TLP 2.0 marking definitions (cti-stix-common-objects), written out independently. */
const TLP_MARKINGS: Record<string, { id: string; name: string; value: string }> = {
  CLEAR: {
    id: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
    name: 'TLP:CLEAR',
    value: 'clear',
  },
  GREEN: {
    id: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
    name: 'TLP:GREEN',
    value: 'green',
  },
  AMBER: {
    id: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
    name: 'TLP:AMBER',
    value: 'amber',
  },
  AMBER_STRICT: {
    id: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
    name: 'TLP:AMBER+STRICT',
    value: 'amber+strict',
  },
  RED: {
    id: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
    name: 'TLP:RED',
    value: 'red',
  },
};
const MARKING_IDS = Object.values(TLP_MARKINGS)
  .map((m) => m.id)
  .sort();

const itWithSchemas = itIfSchemas('taxii.e2e-spec');
const SCHEMA_FOR_TYPE: Record<string, string> = {
  'marking-definition': 'common/marking-definition.json',
  identity: 'sdos/identity.json',
  indicator: 'sdos/indicator.json',
  report: 'sdos/report.json',
};

const hex = (algorithm: string, text: string) => createHash(algorithm).update(text).digest('hex');

/**
 * One entry of every kind the hub stores, in canonical form, with the STIX pattern each must be
 * exported as (STIX 2.1 part 9; a hash name with a hyphen has to be quoted, MD5 may be).
 */
const MIXED: { value: string; patterns: string[] }[] = [
  { value: '45.10.20.30', patterns: ["[ipv4-addr:value = '45.10.20.30']"] },
  { value: '2a01:4f8:10:20::30', patterns: ["[ipv6-addr:value = '2a01:4f8:10:20::30']"] },
  { value: '91.200.12.0/24', patterns: ["[ipv4-addr:value = '91.200.12.0/24']"] },
  { value: '2a01:4f8:c0::/48', patterns: ["[ipv6-addr:value = '2a01:4f8:c0::/48']"] },
  { value: 'update-check.example', patterns: ["[domain-name:value = 'update-check.example']"] },
  {
    value: 'https://login-portal.example/session?id=7',
    patterns: ["[url:value = 'https://login-portal.example/session?id=7']"],
  },
  {
    value: 'payroll@invoice-update.example',
    patterns: ["[email-addr:value = 'payroll@invoice-update.example']"],
  },
  {
    value: hex('md5', 'renkei taxii md5'),
    patterns: [
      `[file:hashes.MD5 = '${hex('md5', 'renkei taxii md5')}']`,
      `[file:hashes.'MD5' = '${hex('md5', 'renkei taxii md5')}']`,
    ],
  },
  {
    value: hex('sha1', 'renkei taxii sha1'),
    patterns: [`[file:hashes.'SHA-1' = '${hex('sha1', 'renkei taxii sha1')}']`],
  },
  {
    value: hex('sha256', 'renkei taxii sha256'),
    patterns: [`[file:hashes.'SHA-256' = '${hex('sha256', 'renkei taxii sha256')}']`],
  },
];

/** The gas sector's AMBER values: nothing electric power receives may contain them. */
const GAS_ONLY = ['77.240.1.1', '77.240.1.2', 'gas-scada-c2.example'];
const GAS_LIST_NAME = 'Compressor station scans';
const GAS_REPORT_TITLE = 'Odorant pump controller tampering';

let t: TestHub;
let admin: string;
let kanto: {
  org: string;
  admin: Member;
  analyst: Member;
  feeds: string;
  reports: string;
  client: string;
};
let chubu: { org: string; feeds: string; reports: string };
let gas: { org: string; analyst: Member; feeds: string; reports: string };
let lists: { mixed: string; walk: string; gasAmber: string; red: string; retracted: string };
let reportIds: { green: string; sector: string; gasAmber: string; red: string };

/** Every response body (and header values) a token received, for the leak checks at the end. */
const received: { token: string; text: string }[] = [];

async function must<T>(query: string, variables: Record<string, unknown>, token: string) {
  const r = await t.gql<T>(query, variables, token);
  if (!r.data || r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
}

async function createList(token: string, input: Record<string, unknown>): Promise<string> {
  const r = await must<{ createIndicatorList: { id: string } }>(
    'mutation($i: IndicatorListInput!) { createIndicatorList(input: $i) { id } }',
    { i: input },
    token,
  );
  return r.createIndicatorList.id;
}

async function add(token: string, listId: string, input: Record<string, unknown>): Promise<Json> {
  const r = await must<{ addListEntries: Json }>(
    `mutation($l: ID!, $i: ListEntriesInput!) { addListEntries(listId: $l, input: $i) {
      applied added rejectedCount rejected { line input message } ignored { where input message } } }`,
    { l: listId, i: input },
    token,
  );
  if (!r.addListEntries.applied) throw new Error(JSON.stringify(r.addListEntries));
  return r.addListEntries;
}

async function listValues(listId: string, token: string): Promise<string[]> {
  const r = await must<{ indicatorList: { entries: { edges: { node: { value: string } }[] } } }>(
    'query($id: ID!) { indicatorList(id: $id) { entries(first: 50, filter: { includeExpired: true }) { edges { node { value } } } } }',
    { id: listId },
    token,
  );
  return r.indicatorList.entries.edges.map((e) => e.node.value).sort();
}

async function apiToken(
  orgAdmin: string,
  name: string,
  scopes: string[],
): Promise<{ token: string; id: string }> {
  const r = await must<{ createApiToken: { token: string; apiToken: { id: string } } }>(
    'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token apiToken { id } } }',
    { i: { name, scopes } },
    orgAdmin,
  );
  return { token: r.createApiToken.token, id: r.createApiToken.apiToken.id };
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: Json;
}

interface RequestOptions {
  accept?: string | null;
  basic?: boolean;
  headers?: Record<string, string>;
  method?: string;
  body?: string;
}

/**
 * A request as a TAXII client sends it (GET unless `method`); the token as Bearer, or as Basic
 * password when `basic`.
 */
async function get(
  pathOrUrl: string,
  token: string | null,
  options: RequestOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.accept !== null) headers.accept = options.accept ?? TAXII;
  if (token !== null) {
    headers.authorization = options.basic
      ? `Basic ${Buffer.from(`any-user:${token}`).toString('base64')}`
      : `Bearer ${token}`;
  }
  const url = /^https?:/.test(pathOrUrl) ? pathOrUrl : `${t.url}${pathOrUrl}`;
  const res = await fetch(url, { headers, method: options.method, body: options.body });
  const text = await res.text();
  if (token !== null) {
    received.push({ token, text: text + '\n' + [...res.headers.values()].join('\n') });
  }
  return { status: res.status, headers: res.headers, text, body: parseJson(text) };
}

function parseJson(text: string): Json {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** A GET with no Accept header at all (fetch always sends one). */
function getWithoutAccept(p: string, token: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      `${t.url}${p}`,
      { headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
          }
          received.push({ token, text: text + '\n' + [...headers.values()].join('\n') });
          resolve({ status: res.statusCode ?? 0, headers, text, body: parseJson(text) });
        });
      },
    );
    req.on('error', reject);
  });
}

/**
 * The media type exactly as the contract writes it, e.g. `application/taxii+json;version=2.1`:
 * no space and no charset, because some TAXII clients compare the header literally.
 */
function expectMedia(a: Answer, expected: string, where: string) {
  expect(`${where}: Content-Type ${a.headers.get('content-type')}`).toBe(
    `${where}: Content-Type ${expected}`,
  );
}

/** Whether a `next` token opens without the server's key (JSON, or a timestamp or number). */
function readable(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return /20\d\d-\d\d-\d\dT|\d{8,}/.test(text);
  }
}

function expectTaxii(a: Answer, status: number, where: string) {
  expect(`${where}: ${a.status}`).toBe(
    `${where}: ${status}${a.status === status ? '' : ` (${a.text.slice(0, 300)})`}`,
  );
  expectMedia(a, TAXII, where);
  expect(typeof a.body).toBe('object');
}

/** An answer's text without its request's own id, for comparing two answers. */
function answered(a: Answer): string {
  return a.text.replace(/"error_id":"[^"]*"/, '"error_id":"(this request)"');
}

/** A TAXII 2.1 error message (§3.6.1): title, and http_status as a string. */
function expectTaxiiError(a: Answer, status: number, where: string) {
  expectTaxii(a, status, where);
  expect(typeof a.body.title).toBe('string');
  expect(a.body.title.length).toBeGreaterThan(0);
  expect(a.body.http_status).toBe(String(status));
  for (const key of ['description', 'error_code', 'error_id']) {
    if (key in a.body) expect(typeof a.body[key]).toBe('string');
  }
  if ('details' in a.body) expect(typeof a.body.details).toBe('object');
}

/** The date-added headers of a 200 with objects: microseconds, first ≤ last. */
function dateAdded(a: Answer, where: string): { first: string; last: string } {
  const first = a.headers.get('x-taxii-date-added-first') ?? '(none)';
  const last = a.headers.get('x-taxii-date-added-last') ?? '(none)';
  expect(`${where}: X-TAXII-Date-Added-First ${first}`).toMatch(MICROS_AT_END);
  expect(`${where}: X-TAXII-Date-Added-Last ${last}`).toMatch(MICROS_AT_END);
  expect(first <= last).toBe(true);
  return { first, last };
}

/**
 * An empty page carries no date-added headers: they are the date added of its first and last
 * object (TAXII 2.1), and it has none (ADR 0009; medallion does the same).
 */
function expectNoDateAdded(a: Answer, where: string) {
  for (const name of ['x-taxii-date-added-first', 'x-taxii-date-added-last']) {
    expect(`${where}: ${name} ${a.headers.get(name)}`).toBe(`${where}: ${name} null`);
  }
}

function envelopeObjects(a: Answer): Json[] {
  // An empty result may be {} or {more: false} without objects.
  expect(a.body.objects === undefined || Array.isArray(a.body.objects)).toBe(true);
  return a.body.objects ?? [];
}

function collectionPath(id: string) {
  return `/taxii2/api/collections/${id}/`;
}

function query(params: Record<string, string>): string {
  const q = new URLSearchParams(params).toString();
  return q ? `?${q}` : '';
}

interface Walk {
  pages: Answer[];
  items: Json[];
  /** X-TAXII-Date-Added-Last of the last page that returned objects. */
  last?: string;
}

/**
 * Follows `next` until `more` is false, as a client does: the same filters on every request plus
 * the `next` of the previous page. Checks each page's envelope and headers; `between` runs after
 * each page (to add entries while paging).
 */
/**
 * A client polling while writers commit: pages of two with next, then again with added_after
 * from the last date added, until the writers are done and a poll brings nothing. Three bursts
 * of writes (`burst(k)`) are started by the client's own page requests (every other page), so
 * they commit while it pages. Every object received once: dates added are rounded, so a poll
 * from the last one gets that rounding step again (ADR 0018) and, like any client, this one drops
 * a version it already has; within one walk with next nothing may come twice.
 */
async function pollDuringBursts(
  endpoint: string,
  token: string,
  burst: (k: number) => Promise<unknown>,
  pending: () => number,
): Promise<Json[]> {
  const seen: Json[] = [];
  const had = new Set<string>();
  const bursts: Promise<unknown>[] = [];
  let pages = 0;
  const afterPage = async () => {
    if (pages++ % 2 === 0 && bursts.length < 3) bursts.push(burst(bursts.length));
  };
  let last: string | undefined;
  for (let polls = 0; polls < 500; polls++) {
    const writersDone = bursts.length === 3 && pending() === 0;
    const got = await walk(
      endpoint,
      token,
      { limit: '2', ...(last ? { added_after: last } : {}) },
      { limit: 2, between: afterPage },
    );
    await afterPage();
    const versions = got.items.map(versionOf);
    expect(versions.filter((v, k) => versions.indexOf(v) !== k)).toEqual([]);
    const fresh = got.items.filter((o) => !had.has(versionOf(o)));
    fresh.forEach((o) => had.add(versionOf(o)));
    seen.push(...fresh);
    if (got.last) last = got.last;
    if (writersDone && fresh.length === 0) break;
  }
  await Promise.all(bursts);
  return seen;
}

const versionOf = (o: Json) => `${o.id} ${o.modified ?? o.created}`;

async function walk(
  endpoint: string,
  token: string,
  params: Record<string, string>,
  options: {
    between?: (page: number) => Promise<void>;
    basic?: boolean;
    limit?: number;
    /** The `next` of a page already read, to walk the rest from there. */
    from?: string;
  } = {},
): Promise<Walk> {
  const out: Walk = { pages: [], items: [] };
  let next: string | undefined = options.from;
  for (let page = 0; page < 200; page++) {
    const a = await get(
      `${endpoint}${query({ ...params, ...(next ? { next } : {}) })}`,
      token,
      options,
    );
    const where = `${endpoint} page ${page + 1}`;
    expectTaxii(a, 200, where);
    const items = envelopeObjects(a);
    if (options.limit !== undefined) expect(items.length).toBeLessThanOrEqual(options.limit);
    if (items.length > 0) out.last = dateAdded(a, where).last;
    else expectNoDateAdded(a, where);
    expect(typeof (a.body.more ?? false)).toBe('boolean');
    out.pages.push(a);
    out.items.push(...items);
    if (a.body.more !== true) {
      expect(a.body.next === undefined || typeof a.body.next === 'string').toBe(true);
      break;
    }
    expect(`${where}: next ${typeof a.body.next}`).toBe(`${where}: next string`);
    // Sealed: neither the position's time nor its key (hub-wide batch numbers) readable.
    const opened = Buffer.from(a.body.next, 'base64url').toString('utf8');
    expect(`${where}: ${readable(opened) ? opened : 'sealed'}`).toBe(`${where}: sealed`);
    expect(items.length).toBeGreaterThan(0);
    next = a.body.next;
    await options.between?.(page);
  }
  expect(out.pages[out.pages.length - 1].body.more ?? false).toBe(false);
  return out;
}

function indicatorsOf(objects: Json[]): Json[] {
  return objects.filter((o) => o.type === 'indicator');
}

/** The value an indicator pattern of the form `[<path> = '<value>']` matches. */
function patternValue(pattern: string): string {
  const m = /^\[[a-z0-9-]+:[A-Za-z0-9_.'-]+ = '((?:[^'\\]|\\.)*)'\]$/.exec(pattern);
  if (!m) throw new Error(`not a simple equality pattern: ${pattern}`);
  return m[1].replace(/\\(.)/g, '$1');
}

function expectMarkings(objects: Json[]) {
  const markings = objects.filter((o) => o.type === 'marking-definition');
  expect(markings.map((m) => m.id).sort()).toEqual(MARKING_IDS);
  for (const tlp of Object.values(TLP_MARKINGS)) {
    const m = markings.find((o) => o.id === tlp.id);
    expect(m).toMatchObject({
      type: 'marking-definition',
      spec_version: '2.1',
      name: tlp.name,
      extensions: { [TLP_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: tlp.value } },
    });
  }
}

/** STIX rules the schemas cannot express: patterns, modified ≥ created, valid_until > valid_from. */
function expectConsistentTimes(objects: Json[]) {
  for (const o of objects) {
    if ('modified' in o) {
      expect(`${o.id} ${Date.parse(o.modified) >= Date.parse(o.created)}`).toBe(`${o.id} true`);
    }
    if (o.type === 'indicator') {
      expect(Number.isNaN(Date.parse(o.valid_from))).toBe(false);
      if ('valid_until' in o) {
        expect(`${o.id} ${Date.parse(o.valid_until) > Date.parse(o.valid_from)}`).toBe(
          `${o.id} true`,
        );
      }
      expect(o).toMatchObject({ spec_version: '2.1', pattern_type: 'stix' });
    }
  }
}

/** Every pattern of MIXED, exactly once: the indicators of a list holding MIXED. */
function expectMixedIndicators(indicators: Json[], tlp: string) {
  expect(indicators).toHaveLength(MIXED.length);
  for (const e of MIXED) {
    const matching = indicators.filter((i) => e.patterns.includes(i.pattern));
    expect(`${e.value}: ${matching.length}`).toBe(`${e.value}: 1`);
  }
  for (const i of indicators) expect(i.object_marking_refs).toContain(TLP_MARKINGS[tlp].id);
}

beforeAll(async () => {
  t = await startTestHub(process.env.SHOW_HUB_LOG ? { LOG_LEVEL: 'info' } : {});
  const boot = await t.bootstrapAdmin();
  admin = boot.token;
  // Three operators in electric power, so the sector is named in pseudonyms (k = 3).
  const kantoOrg = await createOrg(t, admin, {
    name: 'Kanto Electric',
    sectorCode: 'electric-power',
  });
  const chubuOrg = await createOrg(t, admin, { name: 'Chubu Power', sectorCode: 'electric-power' });
  await createOrg(t, admin, { name: 'Kansai Power', sectorCode: 'electric-power' });
  const gasOrg = await createOrg(t, admin, { name: 'Tokai Gas', sectorCode: 'gas' });
  const kantoAdmin = await member(t, admin, kantoOrg, 'admin@kanto-electric.example', 'ORG_ADMIN');
  const kantoAnalyst = await member(t, admin, kantoOrg, 'soc@kanto-electric.example');
  const chubuAdmin = await member(t, admin, chubuOrg, 'admin@chubu.example', 'ORG_ADMIN');
  const chubuAnalyst = await member(t, admin, chubuOrg, 'soc@chubu.example');
  const gasAdmin = await member(t, admin, gasOrg, 'admin@tokai-gas.example', 'ORG_ADMIN');
  const gasAnalyst = await member(t, admin, gasOrg, 'soc@tokai-gas.example');
  kanto = {
    org: kantoOrg,
    admin: kantoAdmin,
    analyst: kantoAnalyst,
    feeds: (await apiToken(kantoAdmin.token, 'misp feeds', ['feeds:read'])).token,
    reports: (await apiToken(kantoAdmin.token, 'misp reports', ['reports:read'])).token,
    client: (await apiToken(kantoAdmin.token, 'opencti taxii', ['feeds:read', 'reports:read']))
      .token,
  };
  chubu = {
    org: chubuOrg,
    feeds: (await apiToken(chubuAdmin.token, 'tip feeds', ['feeds:read'])).token,
    reports: (await apiToken(chubuAdmin.token, 'tip reports', ['reports:read'])).token,
  };
  gas = {
    org: gasOrg,
    analyst: gasAnalyst,
    feeds: (await apiToken(gasAdmin.token, 'gas tip feeds', ['feeds:read'])).token,
    reports: (await apiToken(gasAdmin.token, 'gas tip reports', ['reports:read'])).token,
  };

  // Kanto's anonymous GREEN list with one entry of every kind.
  const mixed = await createList(kantoAnalyst.token, {
    name: 'Substation sightings, all kinds',
    tlp: 'GREEN',
  });
  await add(kantoAnalyst.token, mixed, {
    text: MIXED.map((e) => e.value).join('\n'),
    confidence: 80,
  });
  // A coordinator's GREEN list to page through.
  const walkList = await createList(admin, { name: 'Sector-wide DoS sources', tlp: 'GREEN' });
  for (let i = 1; i <= 7; i++) await add(admin, walkList, { text: `45.50.0.${i}` });
  // Gas's AMBER list for its own sector: never electric power's.
  const gasAmber = await createList(gasAnalyst.token, {
    name: GAS_LIST_NAME,
    tlp: 'AMBER',
    audience: { sectorCodes: ['gas'] },
  });
  await add(gasAnalyst.token, gasAmber, { text: GAS_ONLY.join('\n') });
  // RED (never a token's) and a retracted list (served, its indicators revoked:
  // test/stix-content.e2e-spec.ts).
  const red = await createList(kantoAnalyst.token, {
    name: 'Named people only',
    tlp: 'RED',
    audience: { redRecipientEmails: ['soc@kanto-electric.example'] },
  });
  await add(kantoAnalyst.token, red, { text: '91.66.66.66' });
  const retracted = await createList(admin, { name: 'Withdrawn campaign', tlp: 'CLEAR' });
  await add(admin, retracted, { text: '91.77.77.77' });
  await must(
    'mutation($id: ID!) { retractIndicatorList(id: $id, reason: "false positives") { status } }',
    { id: retracted },
    admin,
  );
  lists = { mixed, walk: walkList, gasAmber, red, retracted };

  reportIds = {
    green: await publishReport(t, kantoAnalyst.token, {
      title: 'Phishing wave against control-room staff',
      tlp: 'GREEN',
      summary: 'Mails with a link to https://login-portal.example/session?id=7 reached operators.',
    }),
    sector: await publishReport(t, chubuAnalyst.token, {
      title: 'Scans of substation gateways',
      tlp: 'AMBER',
      audience: { sectorCodes: ['electric-power'] },
    }),
    gasAmber: await publishReport(t, gasAnalyst.token, {
      title: GAS_REPORT_TITLE,
      tlp: 'AMBER',
      audience: { sectorCodes: ['gas'] },
    }),
    red: await publishReport(t, kantoAnalyst.token, {
      title: 'Red for one analyst',
      tlp: 'RED',
      audience: { redRecipientEmails: ['soc@kanto-electric.example'] },
    }),
  };
});

afterAll(async () => {
  await t?.stop();
  if (process.env.SHOW_HUB_LOG)
    console.log(t.output.filter((l) => /error|Error/.test(l)).join('\n'));
});

/** Objects collected by the walk, validated against the schemas later. */
const fromTaxii: Json[] = [];

describe('TAXII 2.1, walked as a client does', () => {
  let apiRoot: string;
  let collectionsUrl: string;

  it('discovers the one API root, read-only', async () => {
    const a = await get('/taxii2/', kanto.client, { basic: true });
    expectTaxii(a, 200, 'discovery');
    expect(typeof a.body.title).toBe('string');
    expect(a.body.description).toMatch(/read-only/i);
    expect(a.body.default).toMatch(/\/taxii2\/api\/$/);
    expect(a.body.api_roots).toEqual([a.body.default]);
    apiRoot = new URL(a.body.default, `${t.url}/taxii2/`).href;
  });

  it('describes the API root: TAXII 2.1 only, with a maximum content length', async () => {
    collectionsUrl = new URL('collections/', apiRoot).href;
    const a = await get(apiRoot, kanto.client, { basic: true });
    expectTaxii(a, 200, 'api root');
    expect(typeof a.body.title).toBe('string');
    expect(a.body.versions).toEqual([TAXII]);
    // TAXII 2.1 §4.2.1: "MUST be a positive integer greater than zero", read-only server or not.
    expect(Number.isInteger(a.body.max_content_length)).toBe(true);
    expect(a.body.max_content_length).toBeGreaterThan(0);
  });

  it('lists the reports collection and one collection per list the organisation may see', async () => {
    const a = await get(collectionsUrl, kanto.client, { basic: true });
    expectTaxii(a, 200, 'collections');
    const collections: Json[] = a.body.collections;
    expect(Array.isArray(collections)).toBe(true);
    for (const c of collections) {
      expect(c).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
        title: expect.any(String),
        can_read: true,
        can_write: false,
        media_types: [STIX],
      });
      if ('description' in c) expect(typeof c.description).toBe('string');
    }
    const byTitle = new Map(collections.map((c) => [c.title, c.id]));
    expect(byTitle.get('Substation sightings, all kinds')).toBe(lists.mixed);
    expect(byTitle.get('Sector-wide DoS sources')).toBe(lists.walk);
    expect(byTitle.has('Reports')).toBe(true);
    const ids = collections.map((c) => c.id);
    for (const hidden of [lists.gasAmber, lists.red]) {
      expect(ids).not.toContain(hidden);
    }
    expect(byTitle.get('Withdrawn campaign')).toBe(lists.retracted);
    expect(new Set(ids).size).toBe(ids.length);

    const one = await get(new URL(`${lists.walk}/`, collectionsUrl).href, kanto.client, {
      basic: true,
    });
    expectTaxii(one, 200, 'collection');
    expect(one.body).toEqual(collections.find((c) => c.id === lists.walk));
  });

  it('gives a scope its collections only', async () => {
    const feeds = await get('/taxii2/api/collections/', kanto.feeds);
    expectTaxii(feeds, 200, 'collections (feeds:read)');
    const feedTitles = feeds.body.collections.map((c: Json) => c.title);
    expect(feedTitles).not.toContain('Reports');
    expect(feedTitles).toContain('Sector-wide DoS sources');
    const reports = await get('/taxii2/api/collections/', kanto.reports);
    expectTaxii(reports, 200, 'collections (reports:read)');
    expect(reports.body.collections.map((c: Json) => c.title)).toEqual(['Reports']);
    const reportsId = reports.body.collections[0].id;
    // The same fixed id for every organisation.
    const chubuReports = await get('/taxii2/api/collections/', chubu.reports);
    expect(chubuReports.body.collections[0].id).toBe(reportsId);
    expectTaxiiError(
      await get(collectionPath(reportsId), kanto.feeds),
      404,
      'reports collection, feeds:read',
    );
    expectTaxiiError(
      await get(`${collectionPath(reportsId)}objects/`, kanto.feeds),
      404,
      'reports objects, feeds:read',
    );
    expectTaxiiError(
      await get(collectionPath(lists.walk), kanto.reports),
      404,
      'list collection, reports:read',
    );
  });

  it('pages through a list collection with limit and next, in date-added order', async () => {
    const objects = `${collectionPath(lists.walk)}objects/`;
    const manifest = `${collectionPath(lists.walk)}manifest/`;
    const paged = await walk(objects, kanto.client, { limit: '3' }, { basic: true, limit: 3 });
    expect(paged.pages.length).toBeGreaterThanOrEqual(4); // 5 markings + 7 indicators
    const whole = await walk(objects, kanto.client, {});
    expect(paged.items.map((o) => o.id)).toEqual(whole.items.map((o) => o.id));
    expectMarkings(paged.items);
    const indicators = indicatorsOf(paged.items);
    expect(indicators.map((i) => patternValue(i.pattern)).sort()).toEqual(
      [1, 2, 3, 4, 5, 6, 7].map((i) => `45.50.0.${i}`).sort(),
    );
    expect(indicators.map((i) => i.pattern)).toContain("[ipv4-addr:value = '45.50.0.1']");
    for (const i of indicators) {
      expect(i).toMatchObject({ type: 'indicator', spec_version: '2.1', pattern_type: 'stix' });
      expect(i.object_marking_refs).toEqual([TLP_MARKINGS.GREEN.id]);
    }
    expect(new Set(paged.items.map((o) => o.id)).size).toBe(paged.items.length);
    expectConsistentTimes(paged.items);
    fromTaxii.push(...paged.items);

    // The manifest: the same objects in the same order, date_added ascending, and each page's
    // headers are its first and last date_added; the objects pages carry the same headers.
    const manifestPaged = await walk(manifest, kanto.client, { limit: '3' }, { limit: 3 });
    expect(manifestPaged.items.map((m) => m.id)).toEqual(paged.items.map((o) => o.id));
    const added = manifestPaged.items.map((m) => m.date_added);
    for (const d of added) expect(d).toMatch(MICROS);
    expect([...added].sort()).toEqual(added);
    manifestPaged.pages.forEach((page, k) => {
      const records = envelopeObjects(page);
      expect(records.length).toBeGreaterThan(0); // `more` promised them
      const { first, last } = dateAdded(page, `manifest page ${k + 1}`);
      expect(first).toBe(records[0].date_added);
      expect(last).toBe(records[records.length - 1].date_added);
      expect(paged.pages[k].headers.get('x-taxii-date-added-first')).toBe(first);
      expect(paged.pages[k].headers.get('x-taxii-date-added-last')).toBe(last);
    });
    for (const record of manifestPaged.items) {
      const object = paged.items.find((o) => o.id === record.id);
      expect(record).toMatchObject({ media_type: STIX, version: expect.any(String) });
      expect(Date.parse(record.version)).toBe(Date.parse(object.modified ?? object.created));
    }
  });

  it('serves one object, its versions, and the filters', async () => {
    const base = collectionPath(lists.walk);
    const all = (await walk(`${base}objects/`, kanto.client, {})).items;
    const indicator = indicatorsOf(all).find(
      (i) => i.pattern === "[ipv4-addr:value = '45.50.0.4']",
    );
    expect(indicator).toBeDefined();
    const one = await get(`${base}objects/${indicator.id}/`, kanto.client, { basic: true });
    expectTaxii(one, 200, 'object by id');
    expect(one.body.objects).toEqual([indicator]);
    expect(one.body.more ?? false).toBe(false);
    dateAdded(one, 'object by id');
    for (const version of ['first', 'last', 'all']) {
      const v = await get(
        `${base}objects/${indicator.id}/${query({ 'match[version]': version })}`,
        kanto.client,
      );
      expectTaxii(v, 200, `object by id, match[version]=${version}`);
      expect(v.body.objects.length).toBeGreaterThanOrEqual(1);
      expect(v.body.objects.every((o: Json) => o.id === indicator.id)).toBe(true);
    }

    const versions = await get(`${base}objects/${indicator.id}/versions/`, kanto.client, {
      basic: true,
    });
    expectTaxii(versions, 200, 'versions');
    expect(versions.body.more).toBe(false);
    expect(versions.body.versions).toHaveLength(1);
    expect(Date.parse(versions.body.versions[0])).toBe(Date.parse(indicator.modified));
    // The parameters of Get Object Versions (§5.8), honoured.
    const manifestRecord = (
      await walk(`${base}manifest/`, kanto.client, { 'match[id]': indicator.id })
    ).items[0];
    const filtered = await get(
      `${base}objects/${indicator.id}/versions/${query({
        limit: '1',
        added_after: '2020-01-01T00:00:00Z',
        'match[spec_version]': '2.1',
      })}`,
      kanto.client,
    );
    expectTaxii(filtered, 200, 'versions, with filters');
    expect(filtered.body.versions).toEqual(versions.body.versions);
    expect(dateAdded(filtered, 'versions, with filters').first).toBe(manifestRecord.date_added);
    // Dates added are rounded and added_after includes the step given (ADR 0018): after it, none.
    const afterStep = new Date(Date.parse(manifestRecord.date_added) + 1).toISOString();
    expectTaxiiError(
      await get(
        `${base}objects/${indicator.id}/versions/${query({ added_after: afterStep })}`,
        kanto.client,
      ),
      404,
      'versions, none added after',
    );

    // match[version]: lists of keywords and timestamps; a timestamp is an instant, whatever its
    // precision (STIX writes milliseconds, TAXII clients often send microseconds).
    const inMicros = indicator.modified.replace(/\.(\d{3})Z$/, '.$1000Z');
    expect(inMicros).toMatch(MICROS);
    const oneMicroLater = inMicros.replace(/000Z$/, '001Z');
    for (const version of [
      'first,last',
      'last, all',
      indicator.modified,
      inMicros,
      `${oneMicroLater},${indicator.modified}`,
      `first,${oneMicroLater}`,
    ]) {
      const v = await get(
        `${base}objects/${indicator.id}/${query({ 'match[version]': version })}`,
        kanto.client,
      );
      expectTaxii(v, 200, `object by id, match[version]=${version}`);
      expect(v.body.objects).toEqual([indicator]);
    }
    expectTaxiiError(
      await get(
        `${base}objects/${indicator.id}/${query({ 'match[version]': oneMicroLater })}`,
        kanto.client,
      ),
      404,
      'object by id, another version',
    );
    // On the collection: exactly the objects whose version is one of the instants named. The
    // markings' version is their creation, 2022-10-01T00:00:00.000Z.
    // (Date.parse would drop the microseconds that tell oneMicroLater apart.)
    const instant = (ts: string) => {
      const [whole, fraction = ''] = ts.slice(0, -1).split('.');
      return `${whole}.${fraction.padEnd(6, '0')}Z`;
    };
    const byInstants = (versions: string[]) =>
      all
        .filter((o) => versions.some((v) => instant(v) === instant(o.modified ?? o.created)))
        .map((o) => o.id)
        .sort();
    for (const wanted of [
      ['2022-10-01T00:00:00Z'],
      [oneMicroLater, '2022-10-01T00:00:00.000000Z'],
      [inMicros, '2022-10-01T00:00:00.0Z'],
    ]) {
      const byVersion = await walk(`${base}objects/`, kanto.client, {
        'match[version]': wanted.join(','),
      });
      expect(byVersion.items.map((o) => o.id).sort()).toEqual(byInstants(wanted));
    }
    expect(byInstants(['2022-10-01T00:00:00Z']).sort()).toEqual(MARKING_IDS);
    expect(byInstants([inMicros])).toContain(indicator.id);

    const byType = await walk(`${base}objects/`, kanto.client, {
      'match[type]': 'marking-definition',
    });
    expect(byType.items.map((o) => o.id).sort()).toEqual(MARKING_IDS);
    const indicatorsOnly = await walk(`${base}objects/`, kanto.client, {
      'match[type]': 'indicator',
    });
    expect(indicatorsOnly.items).toHaveLength(7);
    expect(indicatorsOnly.items.every((o) => o.type === 'indicator')).toBe(true);
    const both = await walk(`${base}objects/`, kanto.client, {
      'match[type]': 'indicator,marking-definition',
    });
    expect(both.items).toHaveLength(12);
    const twoIds = [indicator.id, TLP_MARKINGS.GREEN.id];
    const byId = await walk(`${base}objects/`, kanto.client, { 'match[id]': twoIds.join(',') });
    expect(byId.items.map((o) => o.id).sort()).toEqual([...twoIds].sort());
    const manifestById = await walk(`${base}manifest/`, kanto.client, {
      'match[id]': indicator.id,
    });
    expect(manifestById.items.map((m) => m.id)).toEqual([indicator.id]);
    for (const endpoint of ['objects', 'manifest']) {
      const none = await get(
        `${base}${endpoint}/${query({ 'match[type]': 'report' })}`,
        kanto.client,
      );
      expectTaxii(none, 200, `${endpoint}, no match`);
      expect(envelopeObjects(none)).toEqual([]);
      expect(none.body.more ?? false).toBe(false);
      expectNoDateAdded(none, `${endpoint}, no match`);
    }

    // added_after, by date added (rounded; the step given included, ADR 0018).
    const manifest = (await walk(`${base}manifest/`, kanto.client, {})).items;
    const cut = manifest[manifest.length - 3].date_added;
    const after = await walk(`${base}objects/`, kanto.client, { added_after: cut });
    // Dates added are rounded; added_after includes the step given (ADR 0018).
    expect(after.items.map((o) => o.id)).toEqual(
      manifest.filter((m) => m.date_added >= cut).map((m) => m.id),
    );
    expect(after.items.length).toBeGreaterThanOrEqual(1);
    const first = after.pages[0].headers.get('x-taxii-date-added-first')!;
    expect(first >= cut).toBe(true);
  });

  it('serves a list with every kind of entry, marked with its TLP', async () => {
    const items = (await walk(`${collectionPath(lists.mixed)}objects/`, chubu.feeds, {})).items;
    expectMarkings(items);
    expectMixedIndicators(indicatorsOf(items), 'GREEN');
    expectConsistentTimes(items);
    expect(JSON.stringify(items)).not.toContain('Kanto Electric');
    fromTaxii.push(...items);
  });

  it('serves the reports the caller may see, as report objects', async () => {
    const list = await get('/taxii2/api/collections/', kanto.reports);
    const id = list.body.collections[0].id;
    const items = (await walk(`${collectionPath(id)}objects/`, kanto.reports, { limit: '2' }))
      .items;
    expectMarkings(items);
    const reports = items.filter((o) => o.type === 'report');
    expect(reports.map((r) => r.name).sort()).toEqual(
      ['Phishing wave against control-room staff', 'Scans of substation gateways'].sort(),
    );
    for (const r of reports) {
      expect(r.spec_version).toBe('2.1');
      expect(Array.isArray(r.object_refs)).toBe(true);
      expect(r.object_marking_refs.length).toBeGreaterThan(0);
    }
    const sector = reports.find((r) => r.name === 'Scans of substation gateways');
    expect(sector.object_marking_refs).toEqual([TLP_MARKINGS.AMBER.id]);
    expect(JSON.stringify(items)).not.toContain('Chubu Power');
    expectConsistentTimes(items);
    fromTaxii.push(...items);

    const byType = await walk(`${collectionPath(id)}objects/`, kanto.reports, {
      'match[type]': 'report',
    });
    expect(byType.items).toHaveLength(2);
    const one = await get(`${collectionPath(id)}objects/${sector.id}/`, kanto.reports);
    expectTaxii(one, 200, 'report by id');
    expect(one.body.objects).toEqual([sector]);
    const versions = await get(
      `${collectionPath(id)}objects/${sector.id}/versions/`,
      kanto.reports,
    );
    expectTaxii(versions, 200, 'report versions');
    expect(versions.body).toMatchObject({ more: false });
    expect(versions.body.versions.map((v: string) => Date.parse(v))).toEqual([
      Date.parse(sector.modified),
    ]);
  });

  it('records TAXII pulls like feed pulls, for the organisation admin', async () => {
    const seen = await must<{
      feedPulls: { tokenName: string; lastPath: string; requests: number }[];
    }>('{ feedPulls { tokenName lastPath requests } }', {}, kanto.admin.token);
    const client = seen.feedPulls.filter((f) => f.tokenName === 'opencti taxii');
    expect(client.length).toBeGreaterThan(0);
    expect(client.reduce((n, f) => n + f.requests, 0)).toBeGreaterThan(10);
    for (const f of client) expect(f.lastPath).toMatch(/^\/taxii2\//);
  });
});

describe('TAXII refusals', () => {
  const objects = () => `${collectionPath(lists.walk)}objects/`;
  const manifest = () => `${collectionPath(lists.walk)}manifest/`;

  it('negotiates the media type: 406 for anything but TAXII 2.1 JSON', async () => {
    for (const p of ['/taxii2/', '/taxii2/api/collections/', objects()]) {
      for (const accept of [TAXII, 'application/taxii+json', '*/*']) {
        expectTaxii(await get(p, kanto.feeds, { accept }), 200, `${p} Accept: ${accept}`);
      }
      expectTaxii(await getWithoutAccept(p, kanto.feeds), 200, `${p} without Accept`);
    }
    for (const accept of ['application/xml', 'application/taxii+json;version=2.0']) {
      for (const p of [
        '/taxii2/',
        '/taxii2/api/',
        '/taxii2/api/collections/',
        objects(),
        manifest(),
      ]) {
        expectTaxiiError(await get(p, kanto.feeds, { accept }), 406, `${p} Accept: ${accept}`);
      }
    }
  });

  it('refuses each malformed filter with 400', async () => {
    const first = await get(`${objects()}?limit=2`, kanto.feeds);
    expectTaxii(first, 200, 'first page');
    expect(first.body.more).toBe(true);
    const bad: Record<string, string>[] = [
      { limit: '0' },
      { limit: '-2' },
      { limit: 'abc' },
      { added_after: 'yesterday' },
      { next: 'not-a-page-of-this-server' },
      // A real one with a character added, and one cut in half: not what the server issued.
      { next: `${first.body.next}x` },
      { next: first.body.next.slice(0, Math.floor(first.body.next.length / 2)) },
      { 'match[version]': 'sometimes' },
      { 'match[version]': 'first,sometimes' },
      { 'match[spec_version]': 'newest' },
      // Dates Date.parse takes and PostgreSQL refuses (they answered 500).
      { added_after: '2026-02-30T00:00:00Z' },
      { added_after: '0000-01-01T00:00:00Z' },
    ];
    for (const params of bad) {
      for (const endpoint of [objects(), manifest()]) {
        expectTaxiiError(
          await get(`${endpoint}${query(params)}`, kanto.feeds),
          400,
          `${endpoint}${query(params)}`,
        );
      }
    }
    // One object and its versions check their parameters too (versions ignored them).
    const id = envelopeObjects(first)[0].id;
    const badForOne: Record<string, string>[] = [
      { limit: 'abc' },
      { limit: '0' },
      { added_after: 'bad' },
      { added_after: '2026-02-30T00:00:00Z' },
      { next: 'not-a-page-of-this-server' },
      { 'match[spec_version]': 'newest' },
      { limit: 'abc', added_after: 'bad' },
    ];
    for (const params of badForOne) {
      for (const endpoint of [`${objects()}${id}/`, `${objects()}${id}/versions/`]) {
        expectTaxiiError(
          await get(`${endpoint}${query(params)}`, kanto.feeds),
          400,
          `${endpoint}${query(params)}`,
        );
      }
    }
  });

  /** Every endpoint of the server, with a real collection and object. */
  async function endpoints(): Promise<string[]> {
    const id = envelopeObjects(await get(`${objects()}?limit=1`, kanto.feeds))[0].id;
    return [
      '/taxii2/',
      '/taxii2/api/',
      '/taxii2/api/collections/',
      collectionPath(lists.walk),
      objects(),
      `${objects()}${id}/`,
      `${objects()}${id}/versions/`,
      manifest(),
    ];
  }

  it('answers unknown paths 404 and other methods 405, in TAXII', async () => {
    const base = collectionPath(lists.walk);
    for (const p of [
      '/taxii2/nothing-here/',
      '/taxii2/api/status/6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b/',
      '/taxii2/api2/collections/',
      `${base}objects/indicator--0b7e1d9a-3c4f-4e8b-9a6d-2f1e0c9b8a7d/versions/more/`,
      `${base}stix/`,
    ]) {
      for (const method of ['GET', 'POST', 'DELETE']) {
        expectTaxiiError(await get(p, kanto.feeds, { method }), 404, `${method} ${p}`);
      }
    }
    // An Add Objects request as a client sends it, and every other write: read-only (the
    // discovery and can_write: false say so).
    const envelope = JSON.stringify({
      objects: [{ type: 'indicator', spec_version: '2.1', id: `indicator--${lists.walk}` }],
    });
    for (const p of await endpoints()) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const a = await get(p, kanto.feeds, {
          method,
          headers: { 'content-type': TAXII },
          body: envelope,
        });
        expectTaxiiError(a, 405, `${method} ${p}`);
        expect(`${method} ${p}: Allow ${a.headers.get('allow')}`).toBe(
          `${method} ${p}: Allow GET, HEAD`,
        );
      }
    }
    // What fails before any route (a path that does not decode, a body that does not parse)
    // answers in TAXII too.
    expectTaxiiError(await get('/taxii2/%E0%A4%A/', kanto.feeds), 400, 'undecodable path');
    expectTaxiiError(
      await get(objects(), kanto.feeds, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"objects": [',
      }),
      400,
      'unparsable body',
    );
    // HEAD is GET without the body.
    const head = await get(objects(), kanto.feeds, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expectMedia(head, TAXII, 'HEAD objects');
  });

  it('asks for credentials everywhere: 401 with WWW-Authenticate Basic and a TAXII error', async () => {
    const paths = [...(await endpoints()), '/taxii2/nothing-here/'];
    for (const p of paths) {
      for (const [label, answer] of [
        ['none', await get(p, null)],
        ['unknown token', await get(p, 'rkt_thisisnotatokenofthishub0000000000')],
        [
          'unknown token as Basic',
          await get(p, 'rkt_thisisnotatokenofthishub0000000000', { basic: true }),
        ],
        ['none, POST', await get(p, null, { method: 'POST', body: '{}' })],
      ] as const) {
        expectTaxiiError(answer, 401, `${p} ${label}`);
        expect(answer.headers.get('www-authenticate')).toMatch(/Basic/);
        expect(answer.headers.get('www-authenticate')).toMatch(/Bearer/);
      }
    }
  });

  it('refuses a token without a TAXII scope: 403, in TAXII', async () => {
    const writer = await apiToken(kanto.admin.token, 'import script', ['indicators:write']);
    for (const p of [...(await endpoints()), '/taxii2/nothing-here/']) {
      const a = await get(p, writer.token);
      expectTaxiiError(a, 403, `${p} (indicators:write)`);
      expect(a.body.description).toMatch(/feeds:read|reports:read/);
    }
  });

  it('hides collections and objects the caller may not see: 404, like unknown ones', async () => {
    const unknown = '6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b';
    for (const id of [lists.gasAmber, lists.red, unknown]) {
      for (const p of [
        collectionPath(id),
        `${collectionPath(id)}objects/`,
        `${collectionPath(id)}manifest/`,
      ]) {
        expectTaxiiError(await get(p, kanto.client), 404, p);
      }
    }
    // The gas operator sees its list (so the 404 above is about visibility)...
    const gasItems = (await walk(`${collectionPath(lists.gasAmber)}objects/`, gas.feeds, {})).items;
    const gasIndicators = indicatorsOf(gasItems);
    expect(gasIndicators.map((i) => patternValue(i.pattern)).sort()).toEqual([...GAS_ONLY].sort());
    for (const i of gasIndicators) expect(i.object_marking_refs).toEqual([TLP_MARKINGS.AMBER.id]);
    // ...and electric power cannot reach its objects through a collection it can read.
    const hidden = gasIndicators[0].id;
    const base = collectionPath(lists.walk);
    expectTaxiiError(await get(`${base}objects/${hidden}/`, kanto.client), 404, 'hidden object');
    expectTaxiiError(
      await get(`${base}objects/${hidden}/versions/`, kanto.client),
      404,
      'hidden object versions',
    );
    expectTaxiiError(
      await get(`${base}objects/indicator--0b7e1d9a-3c4f-4e8b-9a6d-2f1e0c9b8a7d/`, kanto.client),
      404,
      'unknown object',
    );
    const matched = await get(`${base}objects/${query({ 'match[id]': hidden })}`, kanto.client);
    expectTaxii(matched, 200, 'match[id] of a hidden object');
    expect(envelopeObjects(matched)).toEqual([]);
    // Gas's collections do not include electric power's AMBER report either.
    const gasReports = await get('/taxii2/api/collections/', gas.reports);
    const gasReportItems = (
      await walk(`${collectionPath(gasReports.body.collections[0].id)}objects/`, gas.reports, {})
    ).items;
    expect(
      gasReportItems
        .filter((o) => o.type === 'report')
        .map((r) => r.name)
        .sort(),
    ).toEqual([GAS_REPORT_TITLE, 'Phishing wave against control-room staff'].sort());
  });
});

describe('exactly once, while entries are added', () => {
  it('delivers every object once to a client paging with next and polling with added_after', async () => {
    const live = await createList(admin, { name: 'Live DoS sources', tlp: 'GREEN' });
    await add(admin, live, { text: [1, 2, 3, 4, 5, 6].map((i) => `45.60.0.${i}`).join('\n') });
    const expected = new Set([1, 2, 3, 4, 5, 6].map((i) => `45.60.0.${i}`));
    let n = 0;
    const addTwo = async () => {
      const values = [++n, ++n].map((i) => `45.60.1.${i}`);
      values.forEach((v) => expected.add(v));
      await add(admin, live, { text: values.join('\n') });
    };
    const endpoint = `${collectionPath(live)}objects/`;
    const seen: Json[] = [];

    // The first page is asked for while entries are being added.
    const [firstPage] = await Promise.all([get(`${endpoint}?limit=2`, kanto.feeds), addTwo()]);
    expectTaxii(firstPage, 200, 'first page');
    seen.push(...envelopeObjects(firstPage));
    let last: string | undefined = dateAdded(firstPage, 'first page').last;
    if (firstPage.body.more) {
      let next: string = firstPage.body.next;
      for (let page = 2; page < 100; page++) {
        if (page <= 5) await addTwo();
        const [a] = await Promise.all([
          get(`${endpoint}${query({ limit: '2', next })}`, kanto.feeds),
          page === 3 ? addTwo() : Promise.resolve(),
        ]);
        expectTaxii(a, 200, `page ${page}`);
        const items = envelopeObjects(a);
        expect(items.length).toBeLessThanOrEqual(2);
        seen.push(...items);
        if (items.length) last = dateAdded(a, `page ${page}`).last;
        if (!a.body.more) break;
        next = a.body.next;
      }
    }
    // Later polls, from the last date added seen, pick up what was added meanwhile; that date
    // is rounded, so its step comes again (ADR 0018) and versions already had are dropped.
    const poll = async () => {
      const got = await walk(
        endpoint,
        kanto.feeds,
        { added_after: last!, limit: '2' },
        { limit: 2 },
      );
      const had = new Set(seen.map(versionOf));
      const fresh = got.items.filter((o) => !had.has(versionOf(o)));
      seen.push(...fresh);
      if (got.last) last = got.last;
      return fresh.length;
    };
    for (let i = 0; i < 10 && (await poll()) > 0; i++);
    await addTwo();
    expect(await poll()).toBe(2);
    expect(await poll()).toBe(0);

    const ids = seen.map((o) => o.id);
    const dupes = ids.filter((id, k) => ids.indexOf(id) !== k);
    expect(dupes).toEqual([]);
    expectMarkings(seen);
    const values = indicatorsOf(seen).map((i) => patternValue(i.pattern));
    expect(values.sort()).toEqual([...expected].sort());
    expect(expected.size).toBe(6 + n);
    const everything = await walk(endpoint, kanto.feeds, {});
    expect(everything.items.map((o) => o.id).sort()).toEqual([...ids].sort());
  });

  it('delivers every object once while many imports commit during the polls', async () => {
    const busy = await createList(admin, { name: 'Busy list', tlp: 'GREEN' });
    const endpoint = `${collectionPath(busy)}objects/`;
    const expected = new Set<string>();
    const seen: Json[] = [];
    // Three bursts of four imports at once (each its own transaction), started by the client's
    // own page requests, so that they commit while it pages with next and polls with added_after.
    let pending = 0;
    const burst = (b: number) =>
      Promise.all(
        [0, 1, 2, 3].map(async (i) => {
          const values = [1, 2, 3].map((j) => `77.${10 + 4 * b + i}.0.${j}`);
          values.forEach((v) => expected.add(v));
          pending++;
          try {
            await add(admin, busy, { text: values.join('\n') });
          } finally {
            pending--;
          }
        }),
      );
    seen.push(...(await pollDuringBursts(endpoint, kanto.feeds, burst, () => pending)));
    const ids = seen.map((o) => o.id);
    expect(ids.filter((id, k) => ids.indexOf(id) !== k)).toEqual([]);
    expectMarkings(seen);
    expect(
      indicatorsOf(seen)
        .map((i) => patternValue(i.pattern))
        .sort(),
    ).toEqual([...expected].sort());
    expect(expected.size).toBe(36);
  });

  it('serves every version once and none missing while entries are added, sighted again and removed between pages', async () => {
    const moving = await createList(admin, { name: 'Moving list', tlp: 'GREEN' });
    const endpoint = `${collectionPath(moving)}objects/`;
    const first = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `45.70.0.${i}`);
    await add(admin, moving, { text: first.join('\n') });
    const remove = (values: string[]) =>
      must(
        'mutation($l: ID!, $v: [String!]!) { removeListEntries(listId: $l, values: $v) { removed } }',
        { l: moving, v: values },
        admin,
      );
    // Between pages: new entries, entries already served and not yet served sighted again
    // (a new version, later), a removal (a revoked version), in separate commits.
    const changes = [
      () => add(admin, moving, { text: '45.70.1.1\n45.70.1.2' }),
      () => add(admin, moving, { text: '45.70.0.1\n45.70.0.9' }),
      () => remove(['45.70.0.5']),
      () => add(admin, moving, { text: '45.70.1.3\n45.70.1.1\n45.70.0.2' }),
      () => add(admin, moving, { text: '45.70.0.8' }),
    ];
    const paged = await walk(
      endpoint,
      kanto.feeds,
      { limit: '3' },
      {
        limit: 3,
        between: async (page) => {
          await changes[page]?.();
        },
      },
    );
    const seen = indicatorsOf(paged.items);
    const versions = seen.map((o) => `${o.id} ${o.modified}`);
    expect(versions.filter((v, k) => versions.indexOf(v) !== k)).toEqual([]);
    // Whatever a client walking afterwards gets, this one got too, in the same versions.
    const after = indicatorsOf((await walk(endpoint, kanto.feeds, {})).items);
    expect(after.length).toBe(9 + 3);
    expect(after.map((o) => `${o.id} ${o.modified}`).filter((v) => !versions.includes(v))).toEqual(
      [],
    );
    expect(new Set(seen.map((o) => o.id))).toEqual(new Set(after.map((o) => o.id)));
    expect(after.filter((o) => o.revoked).map((o) => patternValue(o.pattern))).toEqual([
      '45.70.0.5',
    ]);
  });

  it('checks the token again on every page: revoked between pages → 401', async () => {
    const r = await apiToken(kanto.admin.token, 'revoked mid-walk', ['feeds:read']);
    const endpoint = `${collectionPath(lists.walk)}objects/`;
    const first = await get(`${endpoint}?limit=2`, r.token, { basic: true });
    expectTaxii(first, 200, 'first page');
    expect(first.body.more).toBe(true);
    await must(
      'mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }',
      { id: r.id },
      kanto.admin.token,
    );
    for (const basic of [true, false]) {
      const next = await get(
        `${endpoint}${query({ limit: '2', next: first.body.next })}`,
        r.token,
        {
          basic,
        },
      );
      expectTaxiiError(next, 401, `next after revocation (basic ${basic})`);
      expect(next.headers.get('www-authenticate')).toMatch(/Basic/);
    }
  });
});

describe('asked again on every next', () => {
  const unknownCollection = () => collectionPath('6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b');

  async function reportsCollection(): Promise<string> {
    const a = await get('/taxii2/api/collections/', kanto.reports);
    return a.body.collections[0].id;
  }

  // A list retracted between pages stays, its indicators revoked (test/stix-content.e2e-spec.ts).
  it.each(['narrowed to another sector'])(
    'refuses the next page of a list %s between pages, exactly like an unknown collection',
    async (change) => {
      const unknown = {
        objects: await get(`${unknownCollection()}objects/`, kanto.feeds),
        manifest: await get(`${unknownCollection()}manifest/`, kanto.feeds),
        collection: await get(unknownCollection(), kanto.feeds),
      };
      expectTaxiiError(unknown.objects, 404, 'unknown collection');
      const octet = 72;
      const id = await createList(admin, { name: `Soon ${change}`, tlp: 'GREEN' });
      await add(admin, id, { text: [1, 2, 3].map((i) => `45.${octet}.0.${i}`).join('\n') });
      const objects = `${collectionPath(id)}objects/`;
      const manifest = `${collectionPath(id)}manifest/`;
      // The first page holds the five markings; the next one would hold the indicators.
      const first = await get(`${objects}?limit=5`, kanto.feeds);
      const firstManifest = await get(`${manifest}?limit=5`, kanto.feeds);
      for (const page of [first, firstManifest]) {
        expectTaxii(page, 200, 'first page');
        expect(page.body.more).toBe(true);
        expect(
          envelopeObjects(page)
            .map((o) => o.id)
            .sort(),
        ).toEqual(MARKING_IDS);
      }

      await must(
        'mutation($id: ID!, $i: IndicatorListInput!) { updateIndicatorList(id: $id, input: $i) { tlp } }',
        { id, i: { tlp: 'AMBER', audience: { sectorCodes: ['gas'] } } },
        admin,
      );

      const next = await get(
        `${objects}${query({ limit: '5', next: first.body.next })}`,
        kanto.feeds,
      );
      const nextManifest = await get(
        `${manifest}${query({ limit: '5', next: firstManifest.body.next })}`,
        kanto.feeds,
      );
      const collection = await get(collectionPath(id), kanto.feeds);
      for (const [label, got, expected] of [
        ['objects, next', next, unknown.objects],
        ['manifest, next', nextManifest, unknown.manifest],
        ['collection', collection, unknown.collection],
      ] as const) {
        expect(`${label}: ${got.status} ${answered(got)}`).toBe(
          `${label}: ${expected.status} ${answered(expected)}`,
        );
      }
      const collections = await get('/taxii2/api/collections/', kanto.feeds);
      expect(collections.body.collections.map((c: Json) => c.id)).not.toContain(id);
      // The sector it was narrowed to still reads it: the refusal is the audience's.
      const gasItems = (await walk(objects, gas.feeds, {})).items;
      expect(indicatorsOf(gasItems)).toHaveLength(3);
    },
  );

  it('leaves out a report raised beyond the caller between pages, like an unknown object', async () => {
    const author = await member(t, admin, chubu.org, 'shift-lead@chubu.example');
    const title = 'Relay misoperation after a firmware update';
    const reportId = await publishReport(t, author.token, { title, tlp: 'GREEN' });
    const base = collectionPath(await reportsCollection());
    const before = (await walk(`${base}objects/`, kanto.reports, {})).items;
    const report = before.find((o) => o.type === 'report' && o.name === title);
    expect(report).toBeDefined();
    expectTaxii(await get(`${base}objects/${report.id}/`, kanto.reports), 200, 'before');
    const first = await get(`${base}objects/?limit=2`, kanto.reports);
    const firstManifest = await get(`${base}manifest/?limit=2`, kanto.reports);
    for (const page of [first, firstManifest]) {
      expectTaxii(page, 200, 'first page');
      expect(page.body.more).toBe(true);
      expect(envelopeObjects(page).map((o) => o.id)).not.toContain(report.id);
    }

    await must(
      'mutation($id: ID!, $i: ReportInput!) { updateReport(id: $id, input: $i) { tlp } }',
      { id: reportId, i: { tlp: 'AMBER', audience: { organisationIds: [chubu.org] } } },
      author.token,
    );

    const rest = await walk(
      `${base}objects/`,
      kanto.reports,
      { limit: '2' },
      { from: first.body.next },
    );
    const restManifest = await walk(
      `${base}manifest/`,
      kanto.reports,
      { limit: '2' },
      { from: firstManifest.body.next },
    );
    expect(rest.items.length).toBeGreaterThan(0);
    for (const items of [rest.items, restManifest.items]) {
      expect(items.map((o) => o.id)).not.toContain(report.id);
    }
    const unknownId = 'report--6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b';
    for (const suffix of ['/', '/versions/']) {
      const unknown = await get(`${base}objects/${unknownId}${suffix}`, kanto.reports);
      expectTaxiiError(unknown, 404, `unknown report${suffix}`);
      const raised = await get(`${base}objects/${report.id}${suffix}`, kanto.reports);
      expect(`${raised.status} ${answered(raised)}`).toBe(`${unknown.status} ${answered(unknown)}`);
    }
    expect(JSON.stringify(rest.items)).not.toContain(title);
    // Its own organisation still reads it: what changed is the audience. (Under its own name,
    // so as another object than the pseudonymous one others saw: ADR 0009, one id one creator.)
    const own = (await walk(`${base}objects/`, chubu.reports, {})).items;
    expect(own.filter((o) => o.type === 'report' && o.name === title)).toHaveLength(1);
  });
});

describe('exactly once, while reports are published', () => {
  it('delivers every report once while two organisations publish during the polls', async () => {
    const authors = [kanto.analyst, await member(t, admin, chubu.org, 'duty@chubu.example')];
    const list = await get('/taxii2/api/collections/', kanto.reports);
    const endpoint = `${collectionPath(list.body.collections[0].id)}objects/`;
    const expected = new Set<string>();
    const seen: Json[] = [];
    // Three bursts, each of two publications by each organisation at once (every one its own
    // transactions), started by the client's page requests so they commit while it pages.
    let pending = 0;
    let n = 0;
    const burst = () =>
      Promise.all(
        authors.flatMap((author) =>
          [0, 1].map(async () => {
            const title = `Breaker trip, concurrent publication ${++n}`;
            expected.add(title);
            pending++;
            try {
              await publishReport(t, author.token, { title, tlp: 'GREEN' });
            } finally {
              pending--;
            }
          }),
        ),
      );
    seen.push(...(await pollDuringBursts(endpoint, kanto.reports, burst, () => pending)));
    const ids = seen.map((o) => o.id);
    expect(ids.filter((id, k) => ids.indexOf(id) !== k)).toEqual([]);
    expectMarkings(seen);
    const titles = seen.filter((o) => o.type === 'report').map((o) => o.name);
    expect(expected.size).toBe(12);
    for (const title of expected) {
      expect(`${title}: ${titles.filter((x) => x === title).length}`).toBe(`${title}: 1`);
    }
  });
});

describe('pull records', () => {
  it('records every answer to a token with its size, the refusals of the guard included', async () => {
    const meter = await apiToken(kanto.admin.token, 'pull meter', ['feeds:read']);
    const writer = await apiToken(kanto.admin.token, 'pull meter, no TAXII scope', [
      'indicators:write',
    ]);
    const base = collectionPath(lists.walk);
    const requests: [string, string, RequestOptions, number][] = [
      [meter.token, `${base}objects/?limit=3`, {}, 200],
      [meter.token, `${base}manifest/`, {}, 200],
      [meter.token, '/taxii2/', { basic: true }, 200],
      [meter.token, `${collectionPath(lists.gasAmber)}objects/`, {}, 404],
      [meter.token, `${base}objects/?limit=abc`, {}, 400],
      [meter.token, `${base}objects/`, { accept: 'application/xml' }, 406],
      [meter.token, `${base}objects/`, { method: 'POST', body: '{}' }, 405],
      [meter.token, '/taxii2/nothing-here/', {}, 404],
      [writer.token, `${base}objects/`, {}, 403],
      [writer.token, '/taxii2/', {}, 403],
    ];
    const bytes = new Map<string, number>();
    for (const [token, p, options, status] of requests) {
      const a = await get(p, token, options);
      expect(`${p}: ${a.status}`).toBe(`${p}: ${status}`);
      expect(a.headers.get('content-length')).toBe(String(Buffer.byteLength(a.text)));
      bytes.set(token, (bytes.get(token) ?? 0) + Buffer.byteLength(a.text));
    }
    const { feedPulls } = await must<{
      feedPulls: { tokenId: string; requests: number; bytes: string; lastPath: string }[];
    }>('{ feedPulls { tokenId requests bytes lastPath } }', {}, kanto.admin.token);
    for (const [token, r] of [
      [meter.token, meter],
      [writer.token, writer],
    ] as const) {
      // Sums over rows: the requests may straddle an hour.
      const rows = feedPulls.filter((f) => f.tokenId === r.id);
      expect({
        requests: rows.reduce((k, f) => k + f.requests, 0),
        bytes: rows.reduce((k, f) => k + Number(f.bytes), 0),
      }).toEqual({
        requests: requests.filter(([x]) => x === token).length,
        bytes: bytes.get(token),
      });
    }
    expect(bytes.get(meter.token)).toBeGreaterThan(1000);
  });
});

describe('STIX 2.1 exports', () => {
  const bundles: Record<string, Json> = {};

  async function exportOf(p: string, token: string, where: string): Promise<Json> {
    const a = await get(p, token, { accept: null });
    expect(`${where}: ${a.status}`).toBe(
      `${where}: 200${a.status === 200 ? '' : ` (${a.text.slice(0, 300)})`}`,
    );
    expectMedia(a, STIX, where);
    expect(a.body).toMatchObject({ type: 'bundle', id: expect.stringMatching(/^bundle--/) });
    return a.body;
  }

  beforeAll(async () => {
    bundles.listByToken = await exportOf(
      `/api/lists/${lists.mixed}/stix`,
      chubu.feeds,
      'list (token)',
    );
    bundles.listBySession = await exportOf(
      `/api/lists/${lists.mixed}/stix`,
      admin,
      'list (session)',
    );
    bundles.report = await exportOf(
      `/api/reports/${reportIds.green}/stix`,
      chubu.reports,
      'report (token)',
    );
    bundles.reportBySession = await exportOf(
      `/api/reports/${reportIds.green}/stix`,
      admin,
      'report (session)',
    );
  });

  it('exports a list: markings, the pseudonymous author, one indicator per entry', () => {
    // In this small community every reader's remainder is too small a class alone, so every
    // anonymous author is one class, "a member organisation" (ADR 0017).
    for (const [bundle, name] of [
      [bundles.listByToken, 'a member organisation'],
      [bundles.listBySession, 'a member organisation'],
    ] as const) {
      const objects: Json[] = bundle.objects;
      expectMarkings(objects);
      expectMixedIndicators(indicatorsOf(objects), 'GREEN');
      const identities = objects.filter((o) => o.type === 'identity');
      expect(identities).toHaveLength(1);
      expect(identities[0].name).toBe(name);
      expect(JSON.stringify(bundle)).not.toContain('Kanto Electric');
      for (const i of indicatorsOf(objects)) {
        expect(i.created_by_ref ?? identities[0].id).toBe(identities[0].id);
      }
      expectConsistentTimes(objects);
      expect(
        objects.filter((o) => !['marking-definition', 'identity', 'indicator'].includes(o.type)),
      ).toEqual([]);
    }
  });

  it('exports a report: markings, the pseudonymous author, the report with its references', () => {
    // In this small community every reader's remainder is too small a class alone, so every
    // anonymous author is one class, "a member organisation" (ADR 0017).
    for (const [bundle, name] of [
      [bundles.report, 'a member organisation'],
      [bundles.reportBySession, 'a member organisation'],
    ] as const) {
      const objects: Json[] = bundle.objects;
      expectMarkings(objects);
      const identities = objects.filter((o) => o.type === 'identity');
      expect(identities).toHaveLength(1);
      expect(identities[0].name).toBe(name);
      expect(JSON.stringify(bundle)).not.toContain('Kanto Electric');
      const reports = objects.filter((o) => o.type === 'report');
      expect(reports).toHaveLength(1);
      expect(reports[0].name).toBe('Phishing wave against control-room staff');
      expect(reports[0].object_refs.length).toBeGreaterThan(0);
      expect(reports[0].object_marking_refs).toEqual([TLP_MARKINGS.GREEN.id]);
      expectConsistentTimes(objects);
    }
  });

  it('refers only to objects in the bundle, each once', () => {
    for (const bundle of Object.values(bundles)) {
      const ids = bundle.objects.map((o: Json) => o.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const o of bundle.objects) {
        const refs = [
          ...(o.created_by_ref ? [o.created_by_ref] : []),
          ...(o.object_marking_refs ?? []),
          ...(o.type === 'report' ? o.object_refs : []),
        ];
        for (const ref of refs) expect(ids).toContain(ref);
      }
    }
  });

  it('answers 404 for lists and reports the caller may not see, as for unknown ones', async () => {
    const unknown = '6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b';
    for (const [p, token] of [
      [`/api/lists/${lists.gasAmber}/stix`, kanto.feeds],
      [`/api/lists/${lists.red}/stix`, kanto.feeds],
      [`/api/lists/${unknown}/stix`, kanto.feeds],
      [`/api/reports/${reportIds.gasAmber}/stix`, kanto.reports],
      [`/api/reports/${reportIds.red}/stix`, kanto.reports],
      [`/api/reports/${unknown}/stix`, kanto.reports],
    ] as const) {
      const a = await get(p, token, { accept: null });
      expect(`${p}: ${a.status}`).toBe(`${p}: 404`);
    }
    // Gas sees its own AMBER list, so the 404 is about visibility.
    const gasBundle = await exportOf(`/api/lists/${lists.gasAmber}/stix`, gas.feeds, 'gas list');
    expect(indicatorsOf(gasBundle.objects)).toHaveLength(GAS_ONLY.length);
  });

  it('re-imports into another list with the same values (REST and GraphQL)', async () => {
    const original = await listValues(lists.mixed, admin);
    expect(original).toEqual(MIXED.map((e) => e.value).sort());
    const viaRest = await createList(admin, { name: 'Re-imported over REST', tlp: 'GREEN' });
    const res = await fetch(`${t.url}/api/lists/${viaRest}/entries`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(bundles.listByToken),
    });
    const result = (await res.json()) as Json;
    expect(`${res.status} ${JSON.stringify(result.rejected ?? [])}`).toBe('200 []');
    expect(result).toMatchObject({ applied: true });
    expect(await listValues(viaRest, admin)).toEqual(original);

    const viaGraphql = await createList(admin, { name: 'Re-imported over GraphQL', tlp: 'GREEN' });
    const r = await add(admin, viaGraphql, {
      format: 'STIX',
      text: JSON.stringify(bundles.listBySession),
    });
    expect(r).toMatchObject({ applied: true, rejectedCount: 0 });
    expect(await listValues(viaGraphql, admin)).toEqual(original);
  });

  describe('against the OASIS STIX 2.1 schemas (skipped where ../shared is absent)', () => {
    const errors = schemaErrors;

    itWithSchemas('finds valid bundles, and every object valid for its type', () => {
      expect(Object.keys(bundles)).toHaveLength(4);
      for (const [name, bundle] of Object.entries(bundles)) {
        expect(`${name}: ${errors('common/bundle.json', bundle)}`).toBe(`${name}: `);
        for (const object of bundle.objects) {
          const schema = SCHEMA_FOR_TYPE[object.type];
          expect(`${name} ${object.type}`).toBe(schema ? `${name} ${object.type}` : 'a known type');
          expect(`${object.id}: ${errors(schema, object)}`).toBe(`${object.id}: `);
        }
      }
    });

    itWithSchemas('finds every object served over TAXII valid for its type', () => {
      expect(fromTaxii.length).toBeGreaterThan(20);
      for (const object of fromTaxii) {
        const schema = SCHEMA_FOR_TYPE[object.type];
        expect(`${object.id}: ${schema ? errors(schema, object) : 'no schema for its type'}`).toBe(
          `${object.id}: `,
        );
      }
    });

    itWithSchemas('rejects a broken indicator, so the checks above are live', () => {
      const indicator = indicatorsOf(bundles.listByToken.objects)[0];
      const broken = { ...indicator };
      delete broken.pattern;
      expect(errors('sdos/indicator.json', broken)).not.toBe('');
      expect(errors('common/bundle.json', { ...bundles.listByToken, id: 'bundle--1' })).not.toBe(
        '',
      );
    });
  });
});

describe('what electric power never receives', () => {
  it('holds none of the gas AMBER values, list name or report title in any answer', () => {
    const powerTokens = new Set([
      kanto.feeds,
      kanto.reports,
      kanto.client,
      chubu.feeds,
      chubu.reports,
    ]);
    const answers = received.filter((r) => powerTokens.has(r.token));
    // The recorder sees what gas received (so the absence below means something).
    expect(received.some((r) => r.token === gas.feeds && r.text.includes(GAS_ONLY[0]))).toBe(true);
    expect(answers.length).toBeGreaterThan(50);
    // (The gas list's id is not among them: a 404 may repeat the id the caller asked for.)
    for (const secret of [...GAS_ONLY, GAS_LIST_NAME, GAS_REPORT_TITLE]) {
      const leaks = answers.filter((r) => r.text.includes(secret));
      expect(`${secret}: ${leaks.length} answers`).toBe(`${secret}: 0 answers`);
    }
    // The RED list's value, too (tokens never see RED).
    expect(answers.filter((r) => r.text.includes('91.66.66.66'))).toEqual([]);
    expect(answers.filter((r) => r.text.includes('91.77.77.77'))).toEqual([]);
  });
});
