import * as fs from 'node:fs';
import * as path from 'node:path';
import { TLP_EXTENSION_ID, TLP_MARKINGS, Tlp, tlpMarkingId } from './tlp-markings';

// The repository's sibling folder ../shared; absent on users' machines and in some CI checkouts.
const SHARED_MARKINGS = path.resolve(
  __dirname,
  '../../../../../shared/stix2-json-schemas/tlp-2.0/marking-definitions.json',
);
const itIfShared = fs.existsSync(SHARED_MARKINGS) ? it : it.skip;

// STIX 2.1's predefined TLP 1.0 markings (WHITE, GREEN, AMBER, RED), which the hub never uses.
const TLP_1_IDS = [
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
];

describe('TLP 2.0 marking definitions (compared with ../shared, skipped where ../shared is absent)', () => {
  itIfShared('are exactly the objects of the OASIS TLP 2.0 extension', () => {
    const shared: unknown = JSON.parse(fs.readFileSync(SHARED_MARKINGS, 'utf8'));
    expect(TLP_MARKINGS).toEqual(shared);
  });
});

describe('TLP 2.0 marking definitions', () => {
  const levels: [Tlp, string][] = [
    ['CLEAR', 'TLP:CLEAR'],
    ['GREEN', 'TLP:GREEN'],
    ['AMBER', 'TLP:AMBER'],
    ['AMBER_STRICT', 'TLP:AMBER+STRICT'],
    ['RED', 'TLP:RED'],
  ];

  it.each(levels)('tlpMarkingId(%s) is the id of the %s definition', (tlp, name) => {
    const marking = TLP_MARKINGS.find((m) => m.id === tlpMarkingId(tlp));
    expect(marking?.name).toBe(name);
    expect(marking?.extensions[TLP_EXTENSION_ID].extension_type).toBe('property-extension');
  });

  it('has five distinct ids, none of them a TLP 1.0 id', () => {
    const ids = TLP_MARKINGS.map((m) => m.id);
    expect(new Set(ids).size).toBe(5);
    for (const id of ids) expect(TLP_1_IDS).not.toContain(id);
  });

  it('cannot be modified by a caller', () => {
    const green = TLP_MARKINGS[1] as { name: string };
    expect(() => {
      green.name = 'TLP:WHITE';
    }).toThrow(TypeError);
    expect(Object.isFrozen(TLP_MARKINGS[1].extensions[TLP_EXTENSION_ID])).toBe(true);
  });

  it('refuses an unknown level', () => {
    expect(() => tlpMarkingId('WHITE' as Tlp)).toThrow('unknown TLP level "WHITE"');
  });
});
