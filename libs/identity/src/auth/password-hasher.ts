import { Algorithm, hash, verify } from '@node-rs/argon2';

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/**
 * argon2id with the configured cost; knows when a stored hash was made with other costs.
 * Framework-free (provided by a factory in IdentityModule), so its tests need no Nest.
 */
export class PasswordHasher {
  private dummy?: Promise<string>;

  constructor(private readonly params: Argon2Params) {}

  hash(password: string): Promise<string> {
    return hash(normalise(password), { algorithm: Algorithm.Argon2id, ...this.params });
  }

  async verify(stored: string | null, password: string): Promise<boolean> {
    // Without a stored hash we still spend the same work, so timing does not reveal the account.
    if (!stored) {
      this.dummy ??= this.hash('renkei-timing-equaliser');
      await verify(await this.dummy, normalise(password)).catch(() => false);
      return false;
    }
    return verify(stored, normalise(password)).catch(() => false);
  }

  needsRehash(stored: string): boolean {
    const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
    return (
      !m ||
      Number(m[1]) !== this.params.memoryCost ||
      Number(m[2]) !== this.params.timeCost ||
      Number(m[3]) !== this.params.parallelism
    );
  }
}

/** NIST SP 800-63B: passwords are compared after Unicode NFKC normalisation. */
export const normalise = (password: string) => password.normalize('NFKC');
