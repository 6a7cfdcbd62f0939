import {
  canonicalEntry,
  canonicalJson,
  canonicalTimestamp,
  ChainedEntry,
  ChainedFields,
  checkChain,
  entryHash,
  firstBrokenLink,
} from './audit-chain';

/** A valid chain of n entries with ids 1..n, built the way the service appends. */
function chain(n: number): ChainedEntry[] {
  const out: ChainedEntry[] = [];
  for (let i = 1; i <= n; i++) {
    const fields: ChainedFields = {
      id: String(i),
      at: canonicalTimestamp(new Date(Date.UTC(2025, 10, 22, 9, 0, i))),
      actorUserId: '6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab',
      actorOrganisationId: '0a1b2c3d-4e5f-4a6b-8c7d-9e8f7a6b5c4d',
      organisationId: i % 2 ? '11111111-2222-4333-8444-555555555555' : null,
      action: i % 2 ? 'user.created' : 'user.suspended',
      outcome: 'success',
      targetType: 'user',
      targetId: `target-${i}`,
      clientAddress: i % 3 ? '192.0.2.7/32' : null,
      details: { role: 'analyst', n: i, nested: { b: 2, a: [1, 'x'] } },
      prevHash: out.length ? out[out.length - 1].hash : null,
    };
    out.push({ ...fields, hash: entryHash(fields) });
  }
  return out;
}

/** A copy with entry `id` changed by `edit` (its stored hash left as it was). */
function tamper(entries: ChainedEntry[], id: string, edit: Partial<ChainedEntry>): ChainedEntry[] {
  return entries.map((e) => (e.id === id ? { ...e, ...edit } : e));
}

describe('canonical forms', () => {
  it('renders timestamps as PostgreSQL does, with microseconds', () => {
    expect(canonicalTimestamp(new Date('2025-11-22T01:02:03.456Z'))).toBe(
      '2025-11-22T01:02:03.456000Z',
    );
  });

  it('sorts keys at every level and follows JSON.stringify otherwise', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"z":1}]},"b":1}',
    );
    expect(canonicalJson({ x: Number.NaN, t: new Date(0) })).toBe(
      '{"t":"1970-01-01T00:00:00.000Z","x":null}',
    );
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('hashes details independently of key order (jsonb reorders keys)', () => {
    const [e] = chain(1);
    const reordered = { ...e, details: { nested: { a: [1, 'x'], b: 2 }, n: 1, role: 'analyst' } };
    expect(canonicalEntry(reordered)).toBe(canonicalEntry(e));
    expect(entryHash(reordered).equals(e.hash)).toBe(true);
  });
});

describe('firstBrokenLink', () => {
  it('finds nothing wrong in a valid chain, or an empty one', () => {
    expect(firstBrokenLink(chain(7))).toBeNull();
    expect(firstBrokenLink([])).toBeNull();
  });

  it.each<[string, Partial<ChainedFields>]>([
    ['at (by a microsecond)', { at: '2025-11-22T09:00:04.000001Z' }],
    ['actorUserId', { actorUserId: null }],
    ['actorOrganisationId', { actorOrganisationId: '0a1b2c3d-4e5f-4a6b-8c7d-9e8f7a6b5c4e' }],
    ['organisationId', { organisationId: '11111111-2222-4333-8444-555555555555' }],
    ['action', { action: 'user.reactivated' }],
    ['outcome', { outcome: 'denied' }],
    ['targetType', { targetType: 'organisation' }],
    ['targetId', { targetId: 'someone-else' }],
    ['clientAddress', { clientAddress: '192.0.2.8/32' }],
    ['details value', { details: { role: 'hub_admin', n: 4, nested: { b: 2, a: [1, 'x'] } } }],
    ['details key', { details: { role: 'analyst', n: 4, nested: { b: 2, a: [1, 'x'] }, x: 1 } }],
  ])('detects an edited %s of a middle entry at that entry', (_, edit) => {
    expect(firstBrokenLink(tamper(chain(7), '4', edit))).toBe('4');
  });

  it('detects a renumbered entry under its new id', () => {
    expect(firstBrokenLink(tamper(chain(7), '4', { id: '40' }))).toBe('40');
  });

  it('detects a changed prev_hash at that entry', () => {
    const entries = chain(7);
    expect(firstBrokenLink(tamper(entries, '4', { prevHash: entries[1].hash }))).toBe('4');
    expect(firstBrokenLink(tamper(entries, '1', { prevHash: entries[6].hash }))).toBe('1');
  });

  it('detects a changed stored hash at that entry', () => {
    expect(firstBrokenLink(tamper(chain(7), '4', { hash: Buffer.alloc(32, 7) }))).toBe('4');
  });

  it('detects an edit whose hash was recomputed at the next entry', () => {
    const entries = chain(7);
    const edited = { ...entries[3], targetId: 'covered-up' };
    const forged = tamper(entries, '4', { targetId: 'covered-up', hash: entryHash(edited) });
    expect(firstBrokenLink(forged)).toBe('5');
  });

  it('detects a deleted middle entry at the entry after it', () => {
    expect(firstBrokenLink(chain(7).filter((e) => e.id !== '4'))).toBe('5');
  });

  it('detects deleted first entries at the new first entry', () => {
    expect(firstBrokenLink(chain(7).slice(2))).toBe('3');
  });

  it('detects reordered entries at the first one out of place', () => {
    const [e1, e2, e3, e4, e5] = chain(5);
    expect(firstBrokenLink([e1, e2, e4, e3, e5])).toBe('4');
    // Swapping the ids too (rows renumbered in place) changes what was hashed.
    expect(firstBrokenLink([e1, e2, { ...e4, id: '3' }, { ...e3, id: '4' }, e5])).toBe('3');
  });

  it('cannot see newest entries removed: the chain is shorter but valid', () => {
    // Documented limitation; the audit.verified entries record the head hash for this reason.
    expect(firstBrokenLink(chain(7).slice(0, 5))).toBeNull();
  });
});

describe('checkChain in batches', () => {
  it('carries the position from one batch to the next', () => {
    const entries = chain(9);
    const first = checkChain(entries.slice(0, 4));
    expect(first.firstBrokenId).toBeNull();
    expect(first.position.lastHash!.equals(entries[3].hash)).toBe(true);
    expect(checkChain(entries.slice(4), first.position).firstBrokenId).toBeNull();
    const broken = tamper(entries, '6', { outcome: 'failure' });
    expect(checkChain(broken.slice(4), first.position).firstBrokenId).toBe('6');
    // A batch on its own does not link to the start of the chain.
    expect(checkChain(entries.slice(4)).firstBrokenId).toBe('5');
  });
});
