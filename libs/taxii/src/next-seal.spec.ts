import { openNext, sealNext } from './next-seal';
import { TaxiiError } from './taxii-params';

const KEY = Buffer.alloc(32, 1);
const POSITION = { addedAt: '2026-11-22T09:00:00.123456Z', key: '45.1.2.3\u00010000000007' };
const LIST = '6b1f3c2a-1d2e-4f50-8a7b-9c0d1e2f3a4b';

describe('sealed next', () => {
  const tokens = {
    seal: async (p: typeof POSITION, c: string) => sealNext(KEY, p, c),
    open: async (t: string, c: string) => openNext(KEY, t, c),
  };

  it('opens what it sealed, for the same collection', async () => {
    const sealed = await tokens.seal(POSITION, LIST);
    expect(await tokens.open(sealed, LIST)).toEqual(POSITION);
  });

  it('says nothing of the position: no value, no batch number, a new text each time', async () => {
    const a = await tokens.seal(POSITION, LIST);
    const b = await tokens.seal(POSITION, LIST);
    expect(a).not.toBe(b);
    for (const text of [a, Buffer.from(a, 'base64url').toString('latin1')]) {
      expect(text).not.toContain('45.1.2.3');
      expect(text).not.toContain('0000000007');
      expect(text).not.toContain('2026');
    }
  });

  it.each([
    ['another collection', async (t: string) => tokens.open(t, 'reports')],
    ['another hub', async (t: string) => openNext(Buffer.alloc(32, 2), t, LIST)],
    [
      'a changed byte',
      async (t: string) => {
        const raw = Buffer.from(t, 'base64url');
        raw[raw.length - 20] ^= 1;
        return tokens.open(raw.toString('base64url'), LIST);
      },
    ],
    ['a stray character', async (t: string) => tokens.open(`${t}!`, LIST)],
    ['a plain position', async () => tokens.open('WyIyMDI2Il0', LIST)],
  ])('refuses %s as a malformed filter', async (_why, open) => {
    const sealed = await tokens.seal(POSITION, LIST);
    const error = await open(sealed).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaxiiError);
    expect((error as TaxiiError).status).toBe(400);
  });
});
