import { LinkScope, shownLinks } from './link-anonymity';

const sector: Record<string, string> = { a: 'power', b: 'power', c: 'power', d: 'power', g: 'gas' };
const scope = (couldSee: Record<string, string[]>, over: Partial<LinkScope> = {}): LinkScope => ({
  readerOrg: 'a',
  authorShown: false,
  authorLabel: 'an operator in power',
  labelOf: (org) => `an operator in ${sector[org]}`,
  couldSee: new Map(Object.entries(couldSee).map(([id, orgs]) => [id, new Set(orgs)])),
  orgs: Object.keys(sector),
  k: 3,
  ...over,
});

describe('links from anonymous items', () => {
  it('withholds a link to an item that fewer than k others under the same label could see', () => {
    // The owner a of the linked report and one named recipient b: b wrote it, and a would know.
    expect(shownLinks(scope({ narrow: ['a', 'b'] }), ['narrow'])).toEqual([]);
    expect(shownLinks(scope({ wide: ['a', 'b', 'c', 'd', 'g'] }), ['wide'])).toEqual(['wide']);
  });

  it('counts only organisations the label fits, and never the reader', () => {
    // Five could see it, but only b and c are "an operator in power" besides the reader.
    const s = scope({ x: ['a', 'b', 'c', 'g'] });
    expect(shownLinks(s, ['x'])).toEqual([]);
    expect(shownLinks({ ...s, k: 2 }, ['x'])).toEqual(['x']);
  });

  it('narrows across links: each shown link must leave k candidates with the ones before it', () => {
    const s = scope({ one: ['a', 'b', 'c', 'd'], two: ['a', 'b', 'c', 'd'], three: ['b', 'c'] });
    expect(shownLinks(s, ['one', 'two', 'three'])).toEqual(['one', 'two']);
  });

  it('shows a link that narrows nothing the label did not already say', () => {
    // Only b and c are operators in power besides the reader: the label alone leaves two.
    const few: Record<string, string> = { ...sector, d: 'gas' };
    const s = scope({ x: ['a', 'b', 'c'] }, { labelOf: (org) => `an operator in ${few[org]}` });
    expect(shownLinks(s, ['x'])).toEqual(['x']);
    expect(shownLinks(scope({ y: ['a', 'b'] }, s), ['y'])).toEqual([]);
  });

  it('shows every link when the reader is shown the author, none whose audience is unknown', () => {
    expect(
      shownLinks(scope({ narrow: ['a', 'b'] }, { authorShown: true }), ['narrow', 'unknown']),
    ).toEqual(['narrow', 'unknown']);
    expect(shownLinks(scope({}), ['unknown'])).toEqual([]);
  });
});
