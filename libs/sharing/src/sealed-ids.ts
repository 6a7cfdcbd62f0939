import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  timingSafeEqual,
} from 'node:crypto';

/**
 * Outbox ids as one reader sees them (ADR 0018). Event ids are hub-wide and grow by one per
 * event, so in clear the gap between two ids a reader is given counts the events it was not
 * shown. Sealed, an id is one AES-256 block holding the id and a 64-bit tag of the reader it
 * was sealed for: the same event reads differently to every reader, the text reveals nothing
 * about the id (a pseudorandom permutation of the block), and only this hub can open it, and
 * only for that reader (a forged or borrowed value passes the tag with probability 2^-64).
 * Deterministic on purpose: a webhook receiver de-duplicates on the value, so a retry must
 * carry the same one. 16 bytes, 22 characters: short enough for a WebSocket close reason.
 */
export interface SealKeys {
  block: Buffer;
  tag: Buffer;
}

/** Two keys from one secret of the hub's (every instance derives the same). */
export function sealKeys(secret: Buffer, purpose: string): SealKeys {
  const derive = (what: string) =>
    Buffer.from(hkdfSync('sha256', secret, '', `renkei ${purpose} ${what}`, 32));
  return { block: derive('block'), tag: derive('tag') };
}

function readerTag(keys: SealKeys, reader: string): Buffer {
  return createHmac('sha256', keys.tag).update(reader).digest().subarray(0, 8);
}

export function sealId(keys: SealKeys, id: number, reader: string): string {
  const block = Buffer.alloc(16);
  block.writeBigUInt64BE(BigInt(id), 0);
  readerTag(keys, reader).copy(block, 8);
  const cipher = createCipheriv('aes-256-ecb', keys.block, null).setAutoPadding(false);
  return Buffer.concat([cipher.update(block), cipher.final()]).toString('base64url');
}

/** The id `sealId` sealed for this reader, or null for anything else. */
export function openId(keys: SealKeys, text: string, reader: string): number | null {
  const raw = Buffer.from(text, 'base64url');
  // base64url decoding skips stray characters: only the exact text this hub wrote.
  if (raw.length !== 16 || raw.toString('base64url') !== text) return null;
  const decipher = createDecipheriv('aes-256-ecb', keys.block, null).setAutoPadding(false);
  const block = Buffer.concat([decipher.update(raw), decipher.final()]);
  if (!timingSafeEqual(block.subarray(8), readerTag(keys, reader))) return null;
  const id = block.readBigUInt64BE(0);
  return id <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(id) : null;
}
