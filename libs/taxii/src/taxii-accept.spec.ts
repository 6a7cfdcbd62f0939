import { acceptable } from './taxii-media';

describe('acceptable', () => {
  it.each([
    [undefined, true],
    ['application/taxii+json;version=2.1', true],
    ['application/taxii+json; version=2.1', true],
    ['application/taxii+json', true],
    ['*/*', true],
    ['application/xml, application/taxii+json;version=2.1', true],
    ['application/taxii+json;version=2.0', false],
    ['application/xml', false],
    ['application/stix+json;version=2.1', false],
  ])('%s → %s', (accept, ok) => expect(acceptable(accept)).toBe(ok));
});
