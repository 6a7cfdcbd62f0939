import { STIX_SCO_NAMESPACE, assertHubNamespace, stixId, uuidv5 } from './ids';

const DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
const HUB = '5d0f2a43-8e0b-4c1e-9a37-2f6c1b7d9e10';

describe('uuidv5', () => {
  it.each([
    // RFC 9562 appendix A.4 and the Python documentation's uuid5 example.
    ['www.example.com', '2ed6657d-e927-568b-95e1-2665a8aea6a2'],
    ['python.org', '886313e1-3b8a-5372-9b90-0c9aee199e5d'],
  ])('gives the published UUID for %s in the DNS namespace', (name, expected) => {
    expect(uuidv5(name, DNS)).toBe(expected);
  });

  it('does not depend on the case of the namespace', () => {
    expect(uuidv5('www.example.com', DNS.toUpperCase())).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('hashes the name as UTF-8', () => {
    expect(uuidv5('münchen', HUB)).not.toBe(uuidv5('mnchen', HUB));
    expect(uuidv5('münchen', HUB)).toBe(uuidv5('m\u00fcnchen', HUB));
  });

  it('sets version 5 and the RFC variant', () => {
    for (const name of ['', 'a', 'indicator:ipv4:192.0.2.1', '例え']) {
      expect(uuidv5(name, HUB)).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    }
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidv5('x', 'not-a-uuid')).toThrow('is not a UUID');
    expect(() => uuidv5('x', `${DNS}0`)).toThrow('is not a UUID');
  });
});

describe('stixId', () => {
  it('prefixes the type to the name-based UUID', () => {
    expect(stixId('indicator', 'www.example.com', DNS)).toBe(
      'indicator--2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('refuses a type that STIX would not accept', () => {
    expect(() => stixId('Indicator', 'x', HUB)).toThrow('not a STIX object type');
    expect(() => stixId('x', 'x', HUB)).toThrow('not a STIX object type');
  });
});

describe('assertHubNamespace', () => {
  it('accepts a UUID of our own', () => {
    expect(() => assertHubNamespace(HUB)).not.toThrow();
  });

  it('refuses the namespace STIX reserves for cyber-observables, in any case', () => {
    expect(() => assertHubNamespace(STIX_SCO_NAMESPACE.toUpperCase())).toThrow('cyber-observable');
  });
});
