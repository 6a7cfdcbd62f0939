import { suppressedFor, suppressedForEveryone } from './small-cell';

describe('the small-cell rule', () => {
  it('withholds some but fewer than k anonymous authors other than the reader', () => {
    expect([0, 1, 2, 3, 4].map((n) => suppressedFor(n, 3))).toEqual([
      false,
      true,
      true,
      false,
      false,
    ]);
  });

  it('needs k + 1 anonymous authors in a table every member reads, contributors included', () => {
    expect([0, 1, 2, 3, 4].map((n) => suppressedForEveryone(n, 3))).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
  });
});
