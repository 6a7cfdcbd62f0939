/**
 * The five TLP 2.0 marking definitions of the OASIS extension
 * extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d
 * (oasis-open/cti-stix-common-objects, extension-definition-specifications/tlp-2.0).
 *
 * STIX 2.1 predefines only the TLP 1.0 markings (WHITE, GREEN, AMBER, RED), which cannot express
 * CLEAR or AMBER+STRICT; the hub shares under TLP 2.0, so it uses these objects and never the TLP
 * 1.0 ids. Because STIX does not predefine them, every bundle that references one must contain
 * it; they are constants here (not read from a file) since the hub needs them at run time. A spec
 * compares them with the copy in ../shared/stix2-json-schemas/tlp-2.0.
 */

import { isRaise, Tlp, TLP_MARKINGS as TLP_ORDER_OF_SHARING, tlpLabel } from '@renkei/sharing/tlp';

export type { Tlp };
export { tlpLabel };

export const TLP_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

export interface TlpMarkingDefinition {
  readonly type: 'marking-definition';
  readonly spec_version: '2.1';
  readonly id: string;
  readonly created: string;
  readonly name: string;
  readonly extensions: {
    readonly [TLP_EXTENSION_ID]: {
      readonly extension_type: 'property-extension';
      readonly tlp_2_0: 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';
    };
  };
}

/** The fixed ids, in the order of the shared file (CLEAR to RED). */
const TLP_IDS: Readonly<Record<Tlp, string>> = {
  CLEAR: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  GREEN: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  AMBER: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  AMBER_STRICT: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  RED: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

const TLP_LEVELS: readonly (readonly [Tlp, TlpMarkingDefinition['name'], TlpValue])[] = [
  ['CLEAR', 'TLP:CLEAR', 'clear'],
  ['GREEN', 'TLP:GREEN', 'green'],
  ['AMBER', 'TLP:AMBER', 'amber'],
  ['AMBER_STRICT', 'TLP:AMBER+STRICT', 'amber+strict'],
  ['RED', 'TLP:RED', 'red'],
];

type TlpValue = TlpMarkingDefinition['extensions'][typeof TLP_EXTENSION_ID]['tlp_2_0'];

/**
 * All five, frozen: the same objects are placed into every bundle, so a caller that modified one
 * would corrupt every later export.
 */
export const TLP_MARKINGS: readonly TlpMarkingDefinition[] = Object.freeze(
  TLP_LEVELS.map(([tlp, name, value]) => deepFreeze(marking(TLP_IDS[tlp], name, value))),
);

/** The id of the TLP 2.0 marking definition for `tlp`, for `object_marking_refs`. */
export function tlpMarkingId(tlp: Tlp): string {
  if (!Object.hasOwn(TLP_IDS, tlp)) {
    throw new RangeError(`unknown TLP level ${JSON.stringify(tlp)}`);
  }
  return TLP_IDS[tlp];
}

/** TLP levels from the least to the most restrictive (sharing's one order). */
export const TLP_ORDER: readonly Tlp[] = TLP_ORDER_OF_SHARING;

/** Whether `a` restricts sharing more than `b` (AMBER+STRICT is stricter than AMBER). */
export function stricter(a: Tlp, b: Tlp): boolean {
  return isRaise(b, a);
}

/**
 * The TLP 1.0 marking definitions that STIX 2.1 predefines (section 7.2.1.4). Producers that
 * have not moved to TLP 2.0 still write them, so an import must understand them: WHITE is
 * CLEAR under TLP 2.0, the others keep their names.
 */
export const TLP1_MARKING_IDS: Readonly<Record<string, Tlp>> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'CLEAR',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'GREEN',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'AMBER',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'RED',
};

/** The level of a TLP 2.0 or TLP 1.0 marking definition id, or undefined for any other id. */
export function tlpOfMarkingId(id: string): Tlp | undefined {
  for (const [tlp, known] of Object.entries(TLP_IDS) as [Tlp, string][]) {
    if (known === id) return tlp;
  }
  return Object.hasOwn(TLP1_MARKING_IDS, id) ? TLP1_MARKING_IDS[id] : undefined;
}

/**
 * The level a TLP word names, as STIX writes it in either version: "white" and "clear" are
 * CLEAR, "amber+strict" is AMBER_STRICT. Undefined for anything else.
 */
export function tlpOfWord(word: unknown): Tlp | undefined {
  if (typeof word !== 'string') return undefined;
  const w = word.trim().toLowerCase();
  if (w === 'white' || w === 'clear') return 'CLEAR';
  if (w === 'amber+strict') return 'AMBER_STRICT';
  if (w === 'green' || w === 'amber' || w === 'red') return w.toUpperCase() as Tlp;
  return undefined;
}

function marking(id: string, name: string, tlp: TlpValue): TlpMarkingDefinition {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id,
    created: '2022-10-01T00:00:00.000Z',
    name,
    extensions: {
      [TLP_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: tlp },
    },
  };
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child as object);
  }
  return Object.freeze(value);
}
