import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface SealedSecret {
  keyId: string;
  /** iv (12 bytes) | tag (16 bytes) | ciphertext */
  sealed: Buffer;
}

/**
 * AES-256-GCM for secrets the hub must read back (TOTP seeds). Several keys may be loaded: the
 * first seals, any opens, so keys rotate by putting a new one first and re-sealing at leisure.
 * The key id is stored beside each secret and bound as associated data, so a row cannot be
 * made to decrypt under another key id.
 */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;
  private readonly activeId: string;

  constructor(keys: { id: string; key: Buffer }[]) {
    if (!keys.length) throw new Error('SecretBox needs at least one key');
    for (const k of keys) {
      if (k.key.length !== 32) throw new Error(`key ${k.id} is not 32 bytes`);
    }
    this.keys = new Map(keys.map((k) => [k.id, k.key]));
    this.activeId = keys[0].id;
  }

  seal(plaintext: string, context: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.activeId)!, iv);
    cipher.setAAD(Buffer.from(`${this.activeId}|${context}`));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: this.activeId, sealed: Buffer.concat([iv, cipher.getAuthTag(), body]) };
  }

  open(secret: SealedSecret, context: string): string {
    const key = this.keys.get(secret.keyId);
    if (!key) throw new Error(`no key "${secret.keyId}" is configured to open this secret`);
    const decipher = createDecipheriv('aes-256-gcm', key, secret.sealed.subarray(0, 12));
    decipher.setAAD(Buffer.from(`${secret.keyId}|${context}`));
    decipher.setAuthTag(secret.sealed.subarray(12, 28));
    return Buffer.concat([decipher.update(secret.sealed.subarray(28)), decipher.final()]).toString(
      'utf8',
    );
  }

  needsResealing(secret: SealedSecret): boolean {
    return secret.keyId !== this.activeId;
  }
}
