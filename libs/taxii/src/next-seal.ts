import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { decodeNext, encodeNext, Position, TaxiiError } from './taxii-params';

const IV = 12;
const TAG = 16;

/** A page position sealed with AES-256-GCM, bound to its collection (see NextTokens). */
export function sealNext(key: Buffer, position: Position, collectionId: string): string {
  const iv = randomBytes(IV);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(collectionId));
  const body = Buffer.concat([cipher.update(encodeNext(position), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** The position `sealNext` sealed for this collection under this key, or a TAXII 400. */
export function openNext(key: Buffer, token: string, collectionId: string): Position {
  const raw = Buffer.from(token, 'base64url');
  // base64url decoding skips stray characters: only the exact text this server wrote.
  if (raw.length > IV + TAG && raw.toString('base64url') === token) {
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV));
      decipher.setAAD(Buffer.from(collectionId));
      decipher.setAuthTag(raw.subarray(raw.length - TAG));
      const text = Buffer.concat([
        decipher.update(raw.subarray(IV, raw.length - TAG)),
        decipher.final(),
      ]).toString('utf8');
      return decodeNext(text);
    } catch {
      // fall through: not sealed by this hub for this collection
    }
  }
  throw new TaxiiError(400, 'Malformed filter', 'next is not a value this server returned');
}
