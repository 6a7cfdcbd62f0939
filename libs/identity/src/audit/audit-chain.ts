import { createHash } from 'node:crypto';

/**
 * The hash chain of the audit trail, free of any framework so it can be unit-tested and, later,
 * reimplemented by an auditor checking an export offline. Each entry's hash is
 *
 *   sha256(prev_hash || utf8(canonical(entry)))
 *
 * where prev_hash is the previous entry's hash (nothing for the first entry) and canonical is
 * JSON with keys sorted at every level, of every stored column but `hash` (the id and prev_hash
 * included). Values PostgreSQL re-renders are hashed in the form it renders them: see
 * ChainedFields.
 */

/** Every stored column but `hash`, in canonical text forms. */
export interface ChainedFields {
  /** The bigint id in decimal. Hashed so that renumbering rows is detected too. */
  id: string;
  /** UTC with microseconds, as PostgreSQL keeps it: `2025-11-22T00:00:00.123000Z`. */
  at: string;
  /** UUIDs in PostgreSQL's lower-case hyphenated form. */
  actorUserId: string | null;
  actorOrganisationId: string | null;
  organisationId: string | null;
  action: string;
  outcome: string;
  targetType: string | null;
  targetId: string | null;
  /** PostgreSQL's `inet::text` form, which always carries the mask: `192.0.2.1/32`. */
  clientAddress: string | null;
  /** A JSON value (what jsonb gives back); key order does not matter. */
  details: unknown;
  prevHash: Buffer | null;
}

export interface ChainedEntry extends ChainedFields {
  hash: Buffer;
}

/** A timestamp in the text form the chain hashes: ISO 8601 UTC with microseconds. */
export function canonicalTimestamp(at: Date): string {
  // JS dates have milliseconds; PostgreSQL renders the same instant with three more zeros.
  return at.toISOString().replace(/Z$/, '000Z');
}

/**
 * JSON with object keys sorted (by UTF-16 code unit, JavaScript's default) at every level and no
 * whitespace. Follows JSON.stringify for everything else: undefined members are dropped, toJSON
 * is honoured, non-finite numbers become null.
 */
export function canonicalJson(value: unknown): string {
  const plain: unknown = value === undefined ? null : JSON.parse(JSON.stringify(value) ?? 'null');
  return serialise(plain);
}

function serialise(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(serialise).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${serialise((value as Record<string, unknown>)[k])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The exact text that is hashed for an entry. */
export function canonicalEntry(e: ChainedFields): string {
  return canonicalJson({
    id: e.id,
    at: e.at,
    actorUserId: e.actorUserId,
    actorOrganisationId: e.actorOrganisationId,
    organisationId: e.organisationId,
    action: e.action,
    outcome: e.outcome,
    targetType: e.targetType,
    targetId: e.targetId,
    clientAddress: e.clientAddress,
    details: e.details ?? {},
    prevHash: e.prevHash ? e.prevHash.toString('hex') : null,
  });
}

export function entryHash(e: ChainedFields): Buffer {
  return createHash('sha256')
    .update(e.prevHash ?? Buffer.alloc(0))
    .update(canonicalEntry(e), 'utf8')
    .digest();
}

/** Where a walk along the chain stands: the hash of the last entry checked. */
export interface ChainPosition {
  lastHash: Buffer | null;
}

export const CHAIN_START: ChainPosition = { lastHash: null };

/**
 * Walks entries in id order from `from` (the start, or where the previous batch ended) and
 * returns the id of the first entry that does not fit: its stored hash is not the hash of its
 * contents (an edited row or an edited hash), or its prev_hash is not the previous entry's hash
 * (a deleted, inserted or reordered row before it; at the very start, a deleted head). Removing
 * the newest entries leaves a valid, shorter chain: only a copy of a recent hash kept elsewhere
 * (e.g. the audit.verified entries' details) shows that.
 */
export function checkChain(
  entries: Iterable<ChainedEntry>,
  from: ChainPosition = CHAIN_START,
): { firstBrokenId: string | null; position: ChainPosition } {
  let lastHash = from.lastHash;
  for (const e of entries) {
    const linked = e.prevHash === null ? lastHash === null : !!lastHash?.equals(e.prevHash);
    if (!linked || !entryHash(e).equals(e.hash)) {
      return { firstBrokenId: e.id, position: { lastHash } };
    }
    lastHash = e.hash;
  }
  return { firstBrokenId: null, position: { lastHash } };
}

/** The id of the first broken link of a whole chain given in id order, or null if intact. */
export function firstBrokenLink(entries: Iterable<ChainedEntry>): string | null {
  return checkChain(entries).firstBrokenId;
}
