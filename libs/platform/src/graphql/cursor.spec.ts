import { decodeCursor, encodeCursor, toPage } from './cursor';

describe('cursors', () => {
  it('round-trip', () => {
    expect(decodeCursor(encodeCursor(['Acme', 'id-1']), 2)).toEqual(['Acme', 'id-1']);
  });

  it.each(['', 'not-base64!', encodeCursor(['a']), Buffer.from('{"x":1}').toString('base64url')])(
    'reject %p as BAD_USER_INPUT on after',
    (bad) => {
      expect(() => decodeCursor(bad, 2)).toThrow(
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
        }),
      );
    },
  );
});

describe('toPage', () => {
  const rows = [{ k: 'a' }, { k: 'b' }, { k: 'c' }];
  it('reports a next page when it fetched one row more than asked', () => {
    const page = toPage(rows, 2, 3, (r) => [r.k]);
    expect(page.edges.map((e) => e.node.k)).toEqual(['a', 'b']);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(decodeCursor(page.pageInfo.endCursor!, 1)).toEqual(['b']);
  });
  it('reports the last page', () => {
    const page = toPage(rows, 5, 3, (r) => [r.k]);
    expect(page.pageInfo).toEqual({ hasNextPage: false, endCursor: page.edges[2].cursor });
  });
  it('gives a null endCursor on an empty page', () => {
    expect(toPage([], 5, 0, () => ['x']).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });
});
