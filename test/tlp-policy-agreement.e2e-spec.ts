import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { Client } from 'pg';
import { Tlp, TLP_MARKINGS } from '../libs/sharing/src/tlp';
import { canSee, PolicyItem, PolicyPrincipal } from '../libs/sharing/src/tlp-policy';
import { principalSettings, TLP_POLICY_FUNCTION_SQL } from '../libs/sharing/src/tlp-policy.sql';
import { createTestDatabase } from './support/test-hub';

/*
 * ADR 0006 has two forms, `canSee` (TypeScript) and `renkei_can_see` (SQL, behind row-level
 * security). This test generates small worlds, principals and items and checks that both forms
 * give the same answer. Identifiers come from small fixed pools so that audiences, groups and
 * red_users actually match the principal often; a world is only which organisations exist and
 * how they are grouped, so every case can reuse the same ids inside its own rolled-back
 * transaction.
 */

const uuid = (prefix: string, n: number) =>
  `${prefix}-0000-4000-8000-${n.toString().padStart(12, '0')}`;
const ORG_IDS = [1, 2, 3, 4, 5, 6].map((n) => uuid('a0000000', n));
/** Named in audiences and as an owner but absent from `organisation` (deleted, say). */
const OUTSIDER_ORG = uuid('a0000000', 99);
/** The third group is never given to an organisation: an audience naming an empty group. */
const GROUP_IDS = [1, 2, 3].map((n) => uuid('b0000000', n));
const USER_IDS = [1, 2, 3, 4, 5].map((n) => uuid('c0000000', n));
/** A user of no organisation in the world, listed in red_users. */
const STRANGER = uuid('c0000000', 99);
const SECTORS = ['electric-power', 'finance', 'gas'];
/** A sector no organisation in the world is in. */
const EMPTY_SECTOR = 'water';

interface Org {
  id: string;
  sector: string;
  groupId: string | null;
}
interface World {
  sectors: string[];
  orgs: Org[];
  users: { id: string; orgId: string }[];
}
interface Case {
  world: World;
  principal: PolicyPrincipal;
  item: PolicyItem;
}

/** 3–6 organisations in 2–3 sectors and 0–2 corporate groups, with 1–5 users. */
const worldArb: fc.Arbitrary<World> = fc
  .record({
    orgCount: fc.integer({ min: 3, max: 6 }),
    sectorCount: fc.integer({ min: 2, max: 3 }),
    groupCount: fc.integer({ min: 0, max: 2 }),
  })
  .chain(({ orgCount, sectorCount, groupCount }) => {
    const sectors = SECTORS.slice(0, sectorCount);
    const groupId: fc.Arbitrary<string | null> =
      groupCount === 0
        ? fc.constant(null)
        : fc.option(fc.constantFrom(...GROUP_IDS.slice(0, groupCount)), { nil: null, freq: 3 });
    return fc.record({
      sectors: fc.constant(sectors),
      orgs: fc.tuple(
        ...ORG_IDS.slice(0, orgCount).map((id) =>
          fc.record({ id: fc.constant(id), sector: fc.constantFrom(...sectors), groupId }),
        ),
      ),
      userOrgs: fc.array(fc.nat({ max: orgCount - 1 }), {
        minLength: 1,
        maxLength: USER_IDS.length,
      }),
    });
  })
  .map(({ sectors, orgs, userOrgs }) => ({
    sectors,
    orgs,
    users: userOrgs.map((org, n) => ({ id: USER_IDS[n], orgId: orgs[org].id })),
  }));

/** A user of one of the world's organisations, or one of their API tokens. */
function principalArb(world: World, orgs: Org[]): fc.Arbitrary<PolicyPrincipal> {
  // The principal's sector and group are its organisation's, as the hub reads them per request.
  const token = fc.constantFrom(...orgs).map((org): PolicyPrincipal => ({
    kind: 'token',
    orgId: org.id,
    sector: org.sector,
    groupId: org.groupId,
  }));
  const users = world.users.filter((u) => orgs.some((o) => o.id === u.orgId));
  if (users.length === 0) return token;
  const user = fc.constantFrom(...users).map((u): PolicyPrincipal => {
    const org = orgs.find((o) => o.id === u.orgId)!;
    return { kind: 'user', userId: u.id, orgId: org.id, sector: org.sector, groupId: org.groupId };
  });
  return fc.oneof(user, token);
}

/** The other organisations of the principal's corporate group. */
const groupMates = (world: World, orgId: string, groupId: string | null) =>
  world.orgs.filter((o) => o.id !== orgId && groupId !== null && o.groupId === groupId);

/** Any item: every marking, status and audience mix, drawn from the world's pools. */
function anyItem(world: World): fc.Arbitrary<PolicyItem> {
  const orgIds = [...world.orgs.map((o) => o.id), OUTSIDER_ORG];
  return fc.record({
    ownerOrg: fc.constantFrom(...orgIds),
    tlp: fc.constantFrom(...TLP_MARKINGS),
    status: fc.constantFrom('draft' as const, 'published' as const, 'retracted' as const),
    audienceOrgs: fc.subarray(orgIds),
    audienceSectors: fc.subarray([...world.sectors, EMPTY_SECTOR]),
    audienceGroups: fc.subarray(GROUP_IDS),
    redUsers: fc.subarray([...world.users.map((u) => u.id), STRANGER]),
  });
}

/**
 * Someone else's published AMBER or AMBER+STRICT item that names a group company of the
 * principal's but not its organisation, sector or group, so the forwarding clause alone
 * decides. Independent random audiences leave that clause alone in about one case in 300.
 */
function forwardingItem(world: World, p: PolicyPrincipal): fc.Arbitrary<PolicyItem> {
  const mates = groupMates(world, p.orgId, p.groupId).map((o) => o.id);
  const strangers = [...world.orgs.map((o) => o.id), OUTSIDER_ORG].filter(
    (o) => o !== p.orgId && !mates.includes(o),
  );
  return fc.record({
    ownerOrg: fc.constantFrom(...strangers, ...mates),
    tlp: fc.constantFrom('AMBER' as const, 'AMBER_STRICT' as const),
    status: fc.constantFrom('published' as const, 'retracted' as const),
    audienceOrgs: fc
      .tuple(fc.subarray(mates, { minLength: 1 }), fc.subarray(strangers))
      .map(([a, b]) => [...a, ...b]),
    audienceSectors: fc.subarray([...world.sectors, EMPTY_SECTOR].filter((s) => s !== p.sector)),
    audienceGroups: fc.subarray(GROUP_IDS.filter((g) => g !== p.groupId)),
    redUsers: fc.subarray([...world.users.map((u) => u.id), STRANGER]),
  });
}

/**
 * A RED item that lists the principal (or, for a token, a user of its organisation), often the
 * principal's own: random cases list a user who asks, or reach a token's own RED, only a few
 * times in 300.
 */
function redItem(world: World, p: PolicyPrincipal): fc.Arbitrary<PolicyItem> {
  const listed =
    p.kind === 'user'
      ? [p.userId]
      : world.users.filter((u) => u.orgId === p.orgId).map((u) => u.id);
  return anyItem(world).chain((item) =>
    fc
      .record({
        ownerOrg: fc.oneof(fc.constant(p.orgId), fc.constant(item.ownerOrg)),
        redUsers: fc
          .subarray(listed, { minLength: p.kind === 'user' ? 1 : 0 })
          .map((l) => [...new Set([...item.redUsers, ...l])]),
      })
      .map((over): PolicyItem => ({ ...item, tlp: 'RED', ...over })),
  );
}

/** Mostly any case; a quarter aimed at the rare clauses (forwarding alone, RED listings). */
const caseArb: fc.Arbitrary<Case> = worldArb.chain((world) => {
  const withMates = world.orgs.filter((o) => groupMates(world, o.id, o.groupId).length > 0);
  const make = (
    orgs: Org[],
    item: (p: PolicyPrincipal) => fc.Arbitrary<PolicyItem>,
  ): fc.Arbitrary<Case> =>
    principalArb(world, orgs).chain((principal) =>
      item(principal).map((i) => ({ world, principal, item: i })),
    );
  const any = make(world.orgs, () => anyItem(world));
  const red = make(world.orgs, (p) => redItem(world, p));
  if (withMates.length === 0)
    return fc.oneof({ arbitrary: any, weight: 4 }, { arbitrary: red, weight: 1 });
  const forwarding = make(withMates, (p) => forwardingItem(world, p));
  return fc.oneof(
    { arbitrary: any, weight: 4 },
    { arbitrary: forwarding, weight: 1 },
    { arbitrary: red, weight: 1 },
  );
});

const groupOfIn = (world: World) => (orgId: string) =>
  world.orgs.find((o) => o.id === orgId)?.groupId ?? null;

/**
 * Only the forwarding clause opens the item: an AMBER/AMBER_STRICT item, published or
 * retracted, not the principal's own, naming neither its organisation, sector nor group, but an
 * organisation of its group. Counted to show the generator reaches the clause that tells the
 * two AMBERs apart.
 */
function forwardingOnly({ world, principal: p, item }: Case): boolean {
  const groupOf = groupOfIn(world);
  return (
    (item.tlp === 'AMBER' || item.tlp === 'AMBER_STRICT') &&
    item.status !== 'draft' &&
    item.ownerOrg !== p.orgId &&
    !item.audienceOrgs.includes(p.orgId) &&
    !item.audienceSectors.includes(p.sector) &&
    p.groupId !== null &&
    !item.audienceGroups.includes(p.groupId) &&
    item.audienceOrgs.some((o) => groupOf(o) === p.groupId)
  );
}

describe('the TLP policy: canSee and renkei_can_see agree', () => {
  // A restricted role like renkei_app (no superuser, no BYPASSRLS) that may only read
  // organisation: the function must work with exactly that. Roles are cluster-wide, so the name
  // is unique to this run and the role is dropped afterwards.
  const role = `renkei_policy_probe_${randomBytes(4).toString('hex')}`;
  let databaseUrl: string;
  let db: Client;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    await db.query('CREATE TABLE organisation (id uuid PRIMARY KEY, group_id uuid)');
    await db.query(TLP_POLICY_FUNCTION_SQL);
    await db.query(`CREATE ROLE ${role} NOLOGIN NOBYPASSRLS`);
    await db.query(`GRANT ${role} TO CURRENT_USER`);
    await db.query(`GRANT SELECT ON organisation TO ${role}`);
  });

  afterAll(async () => {
    if (!db) return;
    await db.query(`DROP OWNED BY ${role}`);
    await db.query(`DROP ROLE ${role}`);
    await db.end();
  });

  /** The SQL form's answer in the open transaction, as the restricted role, with `settings`. */
  async function sqlCanSee(
    client: Client,
    settings: [string, string][] | null,
    item: PolicyItem,
  ): Promise<boolean> {
    await client.query(`SET LOCAL ROLE ${role}`);
    if (settings) {
      await client.query(
        'SELECT set_config(n, v, true) FROM unnest($1::text[], $2::text[]) AS s(n, v)',
        [settings.map(([n]) => n), settings.map(([, v]) => v)],
      );
    }
    const r = await client.query<{ visible: boolean }>(
      `SELECT renkei_can_see($1::uuid, $2::text, $3::text, $4::uuid[], $5::text[], $6::uuid[],
         $7::uuid[]) AS visible`,
      [
        item.ownerOrg,
        item.tlp,
        item.status,
        item.audienceOrgs,
        item.audienceSectors,
        item.audienceGroups,
        item.redUsers,
      ],
    );
    return r.rows[0].visible;
  }

  it('on 300 generated worlds, principals and items', async () => {
    const stats = {
      visible: 0,
      hidden: 0,
      byTlp: Object.fromEntries(TLP_MARKINGS.map((t) => [t, { visible: 0, hidden: 0 }])) as Record<
        Tlp,
        { visible: number; hidden: number }
      >,
      forwardingOnly: { AMBER: 0, AMBER_STRICT: 0 },
      redByListing: 0,
      tokenOwnRed: 0,
    };
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const { world, principal, item } = c;
        const expected = canSee(principal, item, groupOfIn(world));
        await db.query('BEGIN');
        let actual: boolean;
        try {
          await db.query(
            'INSERT INTO organisation (id, group_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])',
            [world.orgs.map((o) => o.id), world.orgs.map((o) => o.groupId)],
          );
          actual = await sqlCanSee(db, principalSettings(principal), item);
        } finally {
          await db.query('ROLLBACK');
        }
        expect(actual).toBe(expected);

        stats[expected ? 'visible' : 'hidden']++;
        stats.byTlp[item.tlp][expected ? 'visible' : 'hidden']++;
        if (forwardingOnly(c)) stats.forwardingOnly[item.tlp as 'AMBER' | 'AMBER_STRICT']++;
        if (
          expected &&
          item.tlp === 'RED' &&
          principal.orgId !== item.ownerOrg &&
          principal.kind === 'user'
        )
          stats.redByListing++;
        if (principal.kind === 'token' && item.tlp === 'RED' && principal.orgId === item.ownerOrg)
          stats.tokenOwnRed++;
      }),
      { numRuns: 300 },
    );

    console.log(`TLP policy agreement: ${JSON.stringify(stats)}`);
    // Not vacuous: both answers are common, for every marking, and the rare clauses occur.
    const total = stats.visible + stats.hidden;
    expect(total).toBe(300);
    expect(stats.visible / total).toBeGreaterThan(0.25);
    expect(stats.hidden / total).toBeGreaterThan(0.25);
    for (const tlp of TLP_MARKINGS) {
      expect(stats.byTlp[tlp].visible).toBeGreaterThan(0);
      expect(stats.byTlp[tlp].hidden).toBeGreaterThan(0);
    }
    expect(stats.forwardingOnly.AMBER).toBeGreaterThan(0);
    expect(stats.forwardingOnly.AMBER_STRICT).toBeGreaterThan(0);
    expect(stats.redByListing).toBeGreaterThan(0);
    expect(stats.tokenOwnRed).toBeGreaterThan(0);
  });

  it('lets a system principal see everything and an unset or unknown kind nothing', async () => {
    const draftRed: PolicyItem = {
      ownerOrg: OUTSIDER_ORG,
      tlp: 'RED',
      status: 'draft',
      audienceOrgs: [],
      audienceSectors: [],
      audienceGroups: [],
      redUsers: [],
    };
    const clear: PolicyItem = { ...draftRed, tlp: 'CLEAR', status: 'published' };
    // A session of its own: settings never set read as NULL here, and as '' once a transaction
    // that set them locally has ended; both must mean "nobody".
    const fresh = new Client({ connectionString: databaseUrl });
    await fresh.connect();
    const inTx = async (settings: [string, string][] | null, item: PolicyItem) => {
      await fresh.query('BEGIN');
      try {
        return await sqlCanSee(fresh, settings, item);
      } finally {
        await fresh.query('ROLLBACK');
      }
    };
    try {
      expect(await inTx(null, clear)).toBe(false);
      expect(await inTx(principalSettings({ kind: 'system' }), draftRed)).toBe(true);
      expect(await inTx(null, clear)).toBe(false);
      const unknownKind = principalSettings({ kind: 'system' }).map(([n, v]): [string, string] => [
        n,
        n === 'renkei.kind' ? 'admin' : v,
      ]);
      expect(await inTx(unknownKind, clear)).toBe(false);
      // A user whose organisation was left unset is malformed: it sees nothing, not CLEAR.
      const noOrg = principalSettings({
        kind: 'user',
        userId: USER_IDS[0],
        orgId: '',
        sector: 'finance',
        groupId: null,
      });
      expect(await inTx(noOrg, clear)).toBe(false);
    } finally {
      await fresh.end();
    }
  });
});
