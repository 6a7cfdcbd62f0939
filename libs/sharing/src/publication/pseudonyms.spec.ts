import fc from 'fast-check';
import type { PolicyPrincipal } from '../tlp-policy';
import {
  AuthorContext,
  authorOf,
  candidateCounts,
  NOT_ANONYMOUS_LABEL,
  OrgInfo,
  pseudonymOf,
  pseudonymsForEveryReader,
} from './pseudonyms';

type Kind = 'coordinator' | 'sector_csirt' | 'operator' | 'vendor';
interface Org {
  id: string;
  kind: Kind;
  sector: string;
}

const SECTORS: Record<string, string> = { power: 'Electric Power', gas: 'Gas', water: 'Water' };

function info(o: Org): OrgInfo {
  return {
    id: o.id,
    name: `Org ${o.id}`,
    kind: o.kind,
    sector_code: o.sector,
    sector_name: SECTORS[o.sector],
  };
}

/** The counts as PublicationBoundary reads them: active organisations other than the reader. */
function countsFor(community: Org[], readerId: string) {
  const n = new Map<string, { kind: string; sector_code: string; n: number }>();
  for (const o of community) {
    if (o.id === readerId) continue;
    const key = `${o.kind}|${o.sector}`;
    const row = n.get(key) ?? { kind: o.kind, sector_code: o.sector, n: 0 };
    row.n += 1;
    n.set(key, row);
  }
  return candidateCounts([...n.values()]);
}

function ctxFor(community: Org[], readerId: string, k: number): AuthorContext {
  const reader: PolicyPrincipal = { kind: 'token', orgId: readerId, sector: 'x', groupId: null };
  return {
    reader,
    readerIsCoordinator: community.find((o) => o.id === readerId)?.kind === 'coordinator',
    orgs: new Map(community.map((o) => [o.id, info(o)])),
    others: countsFor(community, readerId),
    couldSee: new Map(),
    couldSeeOrgs: community.map((o) => o.id),
    readersOf: new Map(),
    k,
  };
}

/**
 * Written apart from pseudonyms.ts: which organisations other than the reader a label could
 * mean, read from its words.
 */
function fits(label: string, community: Org[], readerId: string): Org[] {
  const others = community.filter((o) => o.id !== readerId);
  const sectorOf = (name: string) =>
    Object.keys(SECTORS).find((c) => SECTORS[c].toLowerCase() === name);
  let m = /^an operator in (.+)$/.exec(label);
  if (m) return others.filter((o) => o.kind === 'operator' && o.sector === sectorOf(m![1]));
  m = /^a sector CSIRT for (.+)$/.exec(label);
  if (m) return others.filter((o) => o.kind === 'sector_csirt' && o.sector === sectorOf(m![1]));
  if (label === 'a critical-infrastructure operator')
    return others.filter((o) => o.kind === 'operator');
  if (label === 'a sector CSIRT') return others.filter((o) => o.kind === 'sector_csirt');
  if (label === 'a vendor') return others.filter((o) => o.kind === 'vendor');
  if (label === 'a coordinator') return others.filter((o) => o.kind === 'coordinator');
  if (label === 'a member organisation') return others;
  throw new Error(`unknown label ${label}`);
}

/** A generated member: any kind in one of three sectors. */
const ORG = fc.record({
  kind: fc.constantFrom<Kind>('coordinator', 'sector_csirt', 'operator', 'vendor'),
  sector: fc.constantFrom('power', 'gas', 'water'),
});

const orgs = (spec: [string, Kind, string][]): Org[] =>
  spec.map(([id, kind, sector]) => ({ id, kind, sector }));

describe('pseudonyms and their k rule', () => {
  it('does not name the sector to a reader that leaves fewer than k other operators in it', () => {
    // Three operators in electric power: to one of them, a fellow's report has two candidates.
    const community = orgs([
      ['a', 'operator', 'power'],
      ['b', 'operator', 'power'],
      ['c', 'operator', 'power'],
      ['g1', 'operator', 'gas'],
      ['g2', 'operator', 'gas'],
    ]);
    const fromA = (reader: string) => authorOf(ctxFor(community, reader, 3), 'a', true, false);
    expect(fromA('b').label).toBe('a critical-infrastructure operator');
    // To g1 the other gas operator would be alone in any narrower class, so it and the power
    // operators share "a member organisation" (were power named, g2 would be the only rest).
    expect(fromA('g1').label).toBe('a member organisation');
  });

  it('counts only organisations of the kind the label claims', () => {
    // Electric power has one CSIRT, one vendor and two operators: four members, but "an
    // operator in electric power" fits two and "a sector CSIRT for electric power" one.
    const community = orgs([
      ['csirt', 'sector_csirt', 'power'],
      ['vendor', 'vendor', 'power'],
      ['op1', 'operator', 'power'],
      ['op2', 'operator', 'power'],
      ['w1', 'operator', 'water'],
      ['coord', 'coordinator', 'power'],
    ]);
    const ctx = ctxFor(community, 'w1', 3);
    expect(authorOf(ctx, 'op1', true, false).label).toBe('a member organisation');
    expect(authorOf(ctx, 'csirt', true, false).label).toBe('a member organisation');
    expect(authorOf(ctx, 'vendor', true, false).label).toBe('a member organisation');
    expect(authorOf(ctx, 'coord', true, false).label).toBe('a member organisation');
  });

  it('says so when not even "a member organisation" reaches k', () => {
    const community = orgs([
      ['a', 'operator', 'power'],
      ['b', 'operator', 'power'],
      ['c', 'vendor', 'gas'],
    ]);
    expect(authorOf(ctxFor(community, 'c', 3), 'a', true, false).label).toBe(NOT_ANONYMOUS_LABEL);
  });

  it('names the author to its own organisation, when not anonymous, and to coordinators it allowed', () => {
    const community = orgs([
      ['a', 'operator', 'power'],
      ['coord', 'coordinator', 'power'],
      ['b', 'operator', 'gas'],
    ]);
    const named = { label: 'Org a', organisationId: 'a' };
    expect(authorOf(ctxFor(community, 'a', 3), 'a', true, false)).toEqual({ ...named, own: true });
    expect(authorOf(ctxFor(community, 'b', 3), 'a', false, false)).toEqual({
      ...named,
      own: false,
    });
    expect(authorOf(ctxFor(community, 'coord', 3), 'a', true, true)).toEqual({
      ...named,
      own: false,
    });
    expect(authorOf(ctxFor(community, 'coord', 3), 'a', true, false).organisationId).toBeNull();
  });

  it('never gives a label that fewer than k organisations other than the reader fit (generated communities)', () => {
    fc.assert(
      fc.property(
        fc.array(ORG, { minLength: 1, maxLength: 14 }),
        fc.integer({ min: 1, max: 5 }),
        fc.nat(),
        fc.nat(),
        (raw, k, authorPick, readerPick) => {
          const community = raw.map((o, i) => ({ ...o, id: `o${i}` }));
          const author = community[authorPick % community.length];
          const reader = community[readerPick % community.length];
          fc.pre(author.id !== reader.id);
          const label = pseudonymOf(info(author), countsFor(community, reader.id), k);
          if (label === NOT_ANONYMOUS_LABEL) {
            expect(community.length - 1).toBeLessThan(k);
            return;
          }
          const candidates = fits(label, community, reader.id);
          expect(candidates.map((c) => c.id)).toContain(author.id);
          expect(candidates.length).toBeGreaterThanOrEqual(k);
          // A reader who knows the rule narrows a label to its class: the organisations it would
          // be shown that same label for. The class must hold k too.
          const counts = countsFor(community, reader.id);
          const klass = community.filter(
            (o) => o.id !== reader.id && pseudonymOf(info(o), counts, k) === label,
          );
          expect(klass.map((c) => c.id)).toContain(author.id);
          expect(klass.length).toBeGreaterThanOrEqual(k);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('a label does not depend on the order the counts arrive in', () => {
  it('gives the same label for any order of the same counts (generated communities)', () => {
    fc.assert(
      fc.property(
        fc.array(ORG, { minLength: 2, maxLength: 14 }),
        fc.integer({ min: 1, max: 5 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (raw, k, authorPick, readerPick, seed) => {
          const community = raw.map((o, i) => ({ ...o, id: `o${i}` }));
          const author = community[authorPick % community.length];
          const reader = community[readerPick % community.length];
          fc.pre(author.id !== reader.id);
          const counts = countsFor(community, reader.id);
          const rows = [...counts.byKindSector].map(([cell, n]) => {
            const [kind, sector_code] = cell.split('|');
            return { kind, sector_code, n };
          });
          // The database groups in any order: rotate the rows.
          const turned = rows.map((_, i) => rows[(i + seed) % rows.length]);
          expect(pseudonymOf(info(author), candidateCounts(turned), k)).toBe(
            pseudonymOf(info(author), candidateCounts([...turned].reverse()), k),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('the labels an author is warned of before publishing', () => {
  const cells = (community: Org[]) => {
    const n = new Map<string, { kind: string; sector_code: string; n: number }>();
    for (const o of community) {
      const key = `${o.kind}|${o.sector}`;
      const row = n.get(key) ?? { kind: o.kind, sector_code: o.sector, n: 0 };
      row.n += 1;
      n.set(key, row);
    }
    return [...n.values()];
  };

  it('are exactly the labels the readers are given (generated communities)', () => {
    fc.assert(
      fc.property(
        fc.array(ORG, { minLength: 1, maxLength: 14 }),
        fc.integer({ min: 1, max: 5 }),
        fc.nat(),
        (raw, k, authorPick) => {
          const community = raw.map((o, i) => ({ ...o, id: `o${i}` }));
          const author = community[authorPick % community.length];
          // Every other organisation as the reader, as authorOf labels it (no coordinator reveal).
          const given = new Set(
            community
              .filter((o) => o.id !== author.id)
              .map((o) => authorOf(ctxFor(community, o.id, k), author.id, true, false).label),
          );
          expect(pseudonymsForEveryReader(info(author), cells(community), k)).toEqual(
            [...given].sort(),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('include the not-anonymous label in a small community', () => {
    const community = orgs([
      ['a', 'operator', 'power'],
      ['b', 'operator', 'power'],
      ['c', 'operator', 'gas'],
    ]);
    expect(pseudonymsForEveryReader(info(community[0]), cells(community), 3)).toEqual([
      NOT_ANONYMOUS_LABEL,
    ]);
  });
});

describe('the author of something attached to a report (restricted candidates)', () => {
  // Six operators in power, three coordinators: "an operator in electric power" hides among
  // five others for any operator reader. Report R is read by its owner o0, by o1 and by c1 only.
  const community: Org[] = [
    ...[0, 1, 2, 3, 4, 5].map((i) => ({ id: `o${i}`, kind: 'operator' as Kind, sector: 'power' })),
    ...[1, 2, 3].map((i) => ({ id: `c${i}`, kind: 'coordinator' as Kind, sector: 'power' })),
  ];
  const withReaders = (readerId: string, readers: string[] | null) => {
    const ctx = ctxFor(community, readerId, 3);
    ctx.readersOf.set('R', readers && new Set(readers));
    return ctx;
  };

  it('is judged among the organisations that read the report, not all that fit the label', () => {
    const ctx = withReaders('o0', ['o0', 'o1', 'c1']);
    // A report's own author is any organisation: the label hides it among all.
    expect(authorOf(ctx, 'o1', true, false).label).toBe('an operator in electric power');
    // A comment on R can only be o1's or the coordinator's: two candidates, fewer than k.
    expect(authorOf(ctx, 'o1', true, false, 'R')).toEqual({
      label: NOT_ANONYMOUS_LABEL,
      organisationId: null,
      own: false,
    });
  });

  it('keeps the pseudonym when k organisations besides the reader read the report', () => {
    const readers = ['o0', 'o1', 'o2', 'o3', 'c1', 'c2', 'c3'];
    const ctx = withReaders('o0', readers);
    expect(authorOf(ctx, 'o1', true, false, 'R').label).toBe('an operator in electric power');
    // Inactive organisations (not among couldSeeOrgs) are no candidates: two operators left
    // fall short of their label and hide among the coordinators.
    const narrower = withReaders('o0', readers);
    narrower.couldSeeOrgs = narrower.couldSeeOrgs.filter((id) => id !== 'o3');
    expect(authorOf(narrower, 'o1', true, false, 'R').label).toBe('a member organisation');
  });

  it('narrows nothing for a reader that cannot read the report, and names its own as ever', () => {
    expect(authorOf(withReaders('o5', null), 'o1', true, false, 'R').label).toBe(
      'an operator in electric power',
    );
    expect(authorOf(withReaders('o1', ['o0', 'o1']), 'o1', true, false, 'R')).toEqual({
      label: 'Org o1',
      organisationId: 'o1',
      own: true,
    });
  });

  it('refuses a report whose readers were not loaded', () => {
    expect(() => authorOf(ctxFor(community, 'o0', 3), 'o1', true, false, 'R')).toThrow(
      /not loaded/,
    );
  });
});
