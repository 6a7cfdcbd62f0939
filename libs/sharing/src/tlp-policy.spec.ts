import { isLowering, isRaise, isTlp, TLP_MARKINGS, tlpLabel, Tlp } from './tlp';
import { alikeKey, canSee, PolicyItem, PolicyPrincipal, seenAlike } from './tlp-policy';
import { principalSettings } from './tlp-policy.sql';

// A small community: Tokyo Power and Osaka Power (electric power), Chiyoda Bank (finance). Tokyo
// Power and its subsidiary Tokyo Grid Services (also finance, to tell group from sector) form
// the Tokyo group; Osaka Power has no group.
const TOKYO = 'org-tokyo-power';
const TOKYO_GRID = 'org-tokyo-grid';
const OSAKA = 'org-osaka-power';
const BANK = 'org-chiyoda-bank';
const TOKYO_GROUP = 'group-tokyo';
const GROUPS: Record<string, string | null> = {
  [TOKYO]: TOKYO_GROUP,
  [TOKYO_GRID]: TOKYO_GROUP,
  [OSAKA]: null,
  [BANK]: null,
};
const groupOf = (org: string) => GROUPS[org] ?? null;

const ALICE = 'user-alice'; // Osaka Power
const BOB = 'user-bob'; // Tokyo Grid Services
const CAROL = 'user-carol'; // Tokyo Power

const sectorOf = (org: string) =>
  org === BANK || org === TOKYO_GRID ? 'finance' : 'electric-power';
const user = (userId: string, orgId: string): PolicyPrincipal => ({
  kind: 'user',
  userId,
  orgId,
  sector: sectorOf(orgId),
  groupId: groupOf(orgId),
});
const token = (orgId: string): PolicyPrincipal => ({
  kind: 'token',
  orgId,
  sector: sectorOf(orgId),
  groupId: groupOf(orgId),
});
const alice = user(ALICE, OSAKA);
const bob = user(BOB, TOKYO_GRID);
const carol = user(CAROL, TOKYO);

/** Owned by Tokyo Power, published, shared with nobody in particular. */
const item = (overrides: Partial<PolicyItem>): PolicyItem => ({
  ownerOrg: TOKYO,
  tlp: 'CLEAR',
  status: 'published',
  audienceOrgs: [],
  audienceSectors: [],
  audienceGroups: [],
  redUsers: [],
  ...overrides,
});
const sees = (p: PolicyPrincipal, overrides: Partial<PolicyItem>) =>
  canSee(p, item(overrides), groupOf);

describe('canSee: the rows of ADR 0006', () => {
  it.each(['CLEAR', 'GREEN'] as const)('%s: any principal, users and tokens', (tlp) => {
    for (const p of [alice, bob, token(BANK), token(OSAKA)]) expect(sees(p, { tlp })).toBe(true);
  });

  describe.each(['AMBER', 'AMBER_STRICT'] as const)('%s', (tlp) => {
    it('nobody outside the owner without an audience', () => {
      expect(sees(alice, { tlp })).toBe(false);
      expect(sees(token(BANK), { tlp })).toBe(false);
    });

    it('an organisation in audience_orgs, users and tokens alike', () => {
      expect(sees(alice, { tlp, audienceOrgs: [OSAKA] })).toBe(true);
      expect(sees(token(OSAKA), { tlp, audienceOrgs: [OSAKA] })).toBe(true);
      expect(sees(token(BANK), { tlp, audienceOrgs: [OSAKA] })).toBe(false);
    });

    it('an organisation whose sector is in audience_sectors (its sector now, per principal)', () => {
      expect(sees(alice, { tlp, audienceSectors: ['electric-power'] })).toBe(true);
      expect(sees(token(BANK), { tlp, audienceSectors: ['electric-power'] })).toBe(false);
      expect(sees(token(BANK), { tlp, audienceSectors: ['finance', 'gas'] })).toBe(true);
      // Osaka Power moved to gas: the principal carries the current sector.
      expect(sees({ ...alice, sector: 'gas' }, { tlp, audienceSectors: ['electric-power'] })).toBe(
        false,
      );
    });

    it('an organisation whose group is in audience_groups', () => {
      expect(sees(bob, { tlp, audienceGroups: [TOKYO_GROUP] })).toBe(true);
      expect(sees(token(TOKYO_GRID), { tlp, audienceGroups: [TOKYO_GROUP] })).toBe(true);
      expect(sees(alice, { tlp, audienceGroups: [TOKYO_GROUP] })).toBe(false);
      expect(sees(bob, { tlp, audienceGroups: ['group-other'] })).toBe(false);
    });

    it('a principal without a group matches no group', () => {
      expect(sees(alice, { tlp, audienceGroups: [] })).toBe(false);
    });
  });

  it('AMBER: forwarded to group companies of an organisation in audience_orgs', () => {
    const shared = { tlp: 'AMBER' as Tlp, ownerOrg: BANK, audienceOrgs: [TOKYO] };
    expect(sees(bob, shared)).toBe(true);
    expect(sees(token(TOKYO_GRID), shared)).toBe(true);
    expect(sees(alice, shared)).toBe(false);
  });

  it('AMBER_STRICT: not forwarded to group companies', () => {
    const shared = { tlp: 'AMBER_STRICT' as Tlp, ownerOrg: BANK, audienceOrgs: [TOKYO] };
    expect(sees(carol, shared)).toBe(true);
    expect(sees(bob, shared)).toBe(false);
    expect(sees(token(TOKYO_GRID), shared)).toBe(false);
  });

  it('AMBER: no forwarding for a principal without a group, even to ungrouped organisations', () => {
    // Both Osaka Power and Chiyoda Bank have no group: null is not a shared group.
    expect(sees(alice, { tlp: 'AMBER', audienceOrgs: [BANK] })).toBe(false);
  });

  it('RED: only users listed in red_users', () => {
    expect(sees(alice, { tlp: 'RED', redUsers: [ALICE] })).toBe(true);
    expect(sees(bob, { tlp: 'RED', redUsers: [ALICE] })).toBe(false);
    // The audience fields open AMBER, not RED.
    expect(
      sees(bob, {
        tlp: 'RED',
        audienceOrgs: [TOKYO_GRID],
        audienceSectors: ['finance'],
        audienceGroups: [TOKYO_GROUP],
      }),
    ).toBe(false);
  });

  it("RED: never a token, not even one of a listed user's organisation", () => {
    expect(sees(token(OSAKA), { tlp: 'RED', redUsers: [ALICE], audienceOrgs: [OSAKA] })).toBe(
      false,
    );
  });
});

describe('canSee: owner, drafts and retraction', () => {
  it.each(TLP_MARKINGS)('the owner sees its own %s item in every status', (tlp) => {
    for (const status of ['draft', 'published', 'retracted'] as const) {
      expect(sees(carol, { tlp, status })).toBe(true);
    }
  });

  it('the owner sees its own RED item without being in red_users', () => {
    expect(sees(carol, { tlp: 'RED', redUsers: [] })).toBe(true);
  });

  it.each(TLP_MARKINGS.filter((t) => t !== 'RED'))("the owner's tokens see its %s items", (tlp) => {
    for (const status of ['draft', 'published', 'retracted'] as const) {
      expect(sees(token(TOKYO), { tlp, status })).toBe(true);
    }
  });

  it("tokens never see RED, not even their own organisation's", () => {
    for (const status of ['draft', 'published', 'retracted'] as const) {
      expect(sees(token(TOKYO), { tlp: 'RED', status })).toBe(false);
    }
  });

  it('a group company of the owner is not the owner', () => {
    expect(sees(bob, { tlp: 'AMBER_STRICT' })).toBe(false);
    expect(sees(bob, { tlp: 'CLEAR', status: 'draft' })).toBe(false);
  });

  it.each(TLP_MARKINGS)('drafts (%s) are the owner organisation’s only', (tlp) => {
    const everyone = {
      tlp,
      status: 'draft' as const,
      audienceOrgs: [OSAKA, TOKYO_GRID, BANK],
      audienceSectors: ['electric-power', 'finance'],
      audienceGroups: [TOKYO_GROUP],
      redUsers: [ALICE, BOB],
    };
    for (const p of [alice, bob, token(BANK)]) expect(sees(p, everyone)).toBe(false);
  });

  it('retracted items stay visible to those who saw them published', () => {
    expect(sees(alice, { tlp: 'GREEN', status: 'retracted' })).toBe(true);
    expect(sees(alice, { tlp: 'AMBER', status: 'retracted', audienceOrgs: [OSAKA] })).toBe(true);
    expect(sees(alice, { tlp: 'RED', status: 'retracted', redUsers: [ALICE] })).toBe(true);
    expect(sees(token(BANK), { tlp: 'AMBER', status: 'retracted' })).toBe(false);
  });

  it('a principal without an organisation sees nothing', () => {
    expect(sees({ ...alice, orgId: '' }, { tlp: 'CLEAR', ownerOrg: '' })).toBe(false);
  });
});

describe('alikeKey: readers who see every row that is not RED alike', () => {
  // Every principal of the community, two users per organisation, against every item the rows
  // above can make: two principals with one key disagree only on RED items.
  const principals = [OSAKA, TOKYO, TOKYO_GRID, BANK].flatMap((org) => [
    user(`${org}-user-1`, org),
    user(`${org}-user-2`, org),
    token(org),
    { ...user(`${org}-moved`, org), sector: 'gas' },
  ]);
  const someone = (org: string) => [`${org}-user-1`];
  const items = (['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'] as const).flatMap((tlp) =>
    (['draft', 'published', 'retracted'] as const).flatMap((status) =>
      [TOKYO, BANK].flatMap((ownerOrg) =>
        [
          {},
          { audienceOrgs: [OSAKA] },
          { audienceOrgs: [TOKYO] },
          { audienceSectors: ['finance'] },
          { audienceGroups: [TOKYO_GROUP] },
          { redUsers: someone(OSAKA) },
          { redUsers: someone(TOKYO_GRID) },
        ].map((o) => item({ tlp, status, ownerOrg, ...o })),
      ),
    ),
  );

  it('gives principals that differ in the user only one key, and others different keys', () => {
    expect(alikeKey(user('a', OSAKA))).toBe(alikeKey(user('b', OSAKA)));
    expect(alikeKey(user('a', OSAKA))).not.toBe(alikeKey(token(OSAKA)));
    expect(alikeKey(user('a', OSAKA))).not.toBe(alikeKey({ ...user('a', OSAKA), sector: 'gas' }));
    expect(alikeKey(user('a', TOKYO))).not.toBe(alikeKey({ ...user('a', TOKYO), groupId: null }));
  });

  it('never parts two principals of one key on a row that is not RED', () => {
    let compared = 0;
    for (const it of items.filter((i) => seenAlike(i.tlp))) {
      for (const p of principals) {
        for (const q of principals.filter((x) => alikeKey(x) === alikeKey(p))) {
          expect([p, q, canSee(q, it, groupOf)]).toEqual([p, q, canSee(p, it, groupOf)]);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('does part them on RED: the marking that names people', () => {
    expect(seenAlike('RED')).toBe(false);
    const red = item({ tlp: 'RED', ownerOrg: BANK, redUsers: someone(OSAKA) });
    expect(canSee(user(`${OSAKA}-user-1`, OSAKA), red, groupOf)).toBe(true);
    expect(canSee(user(`${OSAKA}-user-2`, OSAKA), red, groupOf)).toBe(false);
  });
});

describe('TLP markings', () => {
  it('ranks CLEAR < GREEN < AMBER < AMBER_STRICT < RED', () => {
    expect(isRaise('CLEAR', 'GREEN')).toBe(true);
    expect(isRaise('AMBER', 'AMBER_STRICT')).toBe(true);
    expect(isRaise('AMBER_STRICT', 'RED')).toBe(true);
    expect(isRaise('RED', 'AMBER')).toBe(false);
    expect(isLowering('RED', 'AMBER')).toBe(true);
    expect(isLowering('AMBER_STRICT', 'AMBER')).toBe(true);
    expect(isLowering('GREEN', 'CLEAR')).toBe(true);
    for (const t of TLP_MARKINGS) {
      expect(isRaise(t, t)).toBe(false);
      expect(isLowering(t, t)).toBe(false);
    }
  });

  it('uses the TLP 2.0 labels', () => {
    expect(TLP_MARKINGS.map(tlpLabel)).toEqual([
      'TLP:CLEAR',
      'TLP:GREEN',
      'TLP:AMBER',
      'TLP:AMBER+STRICT',
      'TLP:RED',
    ]);
  });

  it('recognises stored values only', () => {
    expect(isTlp('AMBER_STRICT')).toBe(true);
    expect(isTlp('AMBER+STRICT')).toBe(false);
    expect(isTlp('WHITE')).toBe(false);
  });
});

describe('principalSettings', () => {
  it('writes every setting, empty for none', () => {
    expect(principalSettings(token(OSAKA))).toEqual([
      ['renkei.kind', 'token'],
      ['renkei.user_id', ''],
      ['renkei.org_id', OSAKA],
      ['renkei.sector', 'electric-power'],
      ['renkei.group_id', ''],
    ]);
    expect(principalSettings(bob)).toEqual([
      ['renkei.kind', 'user'],
      ['renkei.user_id', BOB],
      ['renkei.org_id', TOKYO_GRID],
      ['renkei.sector', 'finance'],
      ['renkei.group_id', TOKYO_GROUP],
    ]);
    expect(principalSettings({ kind: 'system' }).map(([, v]) => v)).toEqual([
      'system',
      '',
      '',
      '',
      '',
    ]);
  });
});
