import { createHash } from 'node:crypto';

/**
 * Deterministic STIX identifiers. STIX 2.1 (section 2.9) lets producers use UUIDv5 instead of
 * UUIDv4 as long as the namespace keeps them unique; we do, so that rendering the same data twice
 * gives the same ids and a consumer sees a new version of an object rather than a new object.
 *
 * UUIDv5 is computed here with node:crypto because the `uuid` package is ESM-only and cannot be
 * loaded by the CommonJS test runner.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The namespace STIX reserves for the ids of cyber-observable objects (SCOs). The specification
 * forbids it for anything else, so a hub namespace equal to it is refused.
 */
export const STIX_SCO_NAMESPACE = '00abedb4-aa42-52fd-a99b-95add8b4c5ef';

/** The name-based UUID (version 5, SHA-1) of `name` in `namespace`, per RFC 9562 section 5.5. */
export function uuidv5(name: string, namespace: string): string {
  if (!UUID.test(namespace)) {
    throw new TypeError(`namespace ${JSON.stringify(namespace)} is not a UUID`);
  }
  const digest = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // variant 10 (RFC 9562)
  const hex = bytes.toString('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20),
  ].join('-');
}

/**
 * A STIX id `type--uuid` whose UUID is derived from `name` in `namespace`. The type is not part of
 * the hashed name: ids of different types never clash because the type prefix differs.
 */
export function stixId(type: string, name: string, namespace: string): string {
  if (!/^[a-z][a-z0-9-]+[a-z0-9]$/.test(type)) {
    throw new TypeError(`${JSON.stringify(type)} is not a STIX object type`);
  }
  return `${type}--${uuidv5(name, namespace)}`;
}

/**
 * Throws unless `namespace` may name the hub's own objects (indicators, identities, reports,
 * bundles): a UUID, and not the one STIX reserves for cyber-observables.
 */
export function assertHubNamespace(namespace: string): void {
  if (!UUID.test(namespace)) {
    throw new TypeError(`namespace ${JSON.stringify(namespace)} is not a UUID`);
  }
  if (namespace.toLowerCase() === STIX_SCO_NAMESPACE) {
    throw new RangeError(
      'the STIX cyber-observable namespace must not be used for domain objects or bundles',
    );
  }
}

/**
 * The namespace of the blocklist feed's indicators, derived from the hub's: a feed merges a
 * value across lists under the hub as author, so its ids derive from the value alone, and
 * keeping them in a namespace of their own means they can never equal a list's indicator id.
 */
export function blocklistNamespace(hubNamespace: string): string {
  return uuidv5('renkei blocklist feed', hubNamespace);
}
