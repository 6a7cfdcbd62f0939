import { PasswordHasher } from './password-hasher';

const cheap = (memoryCost: number) =>
  new PasswordHasher({ memoryCost, timeCost: 1, parallelism: 1 });

describe('PasswordHasher', () => {
  const hasher = cheap(8192);

  it('stores argon2id and verifies the right password only', async () => {
    const stored = await hasher.hash('correct horse battery staple');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=8192,t=1,p=1\$/);
    await expect(hasher.verify(stored, 'correct horse battery staple')).resolves.toBe(true);
    await expect(hasher.verify(stored, 'correct horse battery stapler')).resolves.toBe(false);
  });

  it('compares after NFKC normalisation', async () => {
    const stored = await hasher.hash('ｐａｓｓｗｏｒｄ　全角の長い文');
    await expect(hasher.verify(stored, 'password 全角の長い文')).resolves.toBe(true);
  });

  it('answers false without a stored hash', async () => {
    await expect(hasher.verify(null, 'anything at all')).resolves.toBe(false);
  });

  it('asks for a rehash when the cost changed', async () => {
    const stored = await hasher.hash('correct horse battery staple');
    expect(hasher.needsRehash(stored)).toBe(false);
    expect(cheap(16384).needsRehash(stored)).toBe(true);
  });
});
