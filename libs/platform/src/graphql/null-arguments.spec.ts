import { withoutNulls } from './null-arguments';

describe('withoutNulls', () => {
  it('leaves out null fields of input objects at any depth, plain or without a prototype', () => {
    const inner = Object.assign(Object.create(null) as object, { a: null, b: 'x' });
    expect(withoutNulls({ after: null, first: 5, filter: { sectors: null, inner } })).toEqual({
      first: 5,
      filter: { inner: { b: 'x' } },
    });
  });

  it('turns a null argument into undefined, keeps null list items and other values', () => {
    expect(withoutNulls(null)).toBeUndefined();
    expect(withoutNulls([null, { a: null }, 'x'])).toEqual([null, {}, 'x']);
    expect(withoutNulls(0)).toBe(0);
    expect(withoutNulls('')).toBe('');
    expect(withoutNulls(false)).toBe(false);
  });

  it('does not touch class instances (dates, entities)', () => {
    class Entity {
      name = null;
    }
    const e = new Entity();
    const d = new Date();
    expect(withoutNulls({ e, d })).toEqual({ e, d });
    expect((withoutNulls({ e }) as { e: Entity }).e).toBe(e);
  });
});
