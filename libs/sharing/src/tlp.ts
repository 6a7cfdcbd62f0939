// Pure (no Nest): pure modules and their unit tests import it as '@renkei/sharing/tlp'.

/**
 * Traffic Light Protocol 2.0 markings, least to most restrictive. The order of this array is the
 * rank order, so it is the one place to change if FIRST ever adds a marking.
 */
export const TLP_MARKINGS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'] as const;

/**
 * The same markings as the GraphQL enum every item type uses (reports, lists, and whatever comes
 * next); its values are the strings above, so it is assignable to `Tlp`.
 */
export enum TlpMarking {
  CLEAR = 'CLEAR',
  GREEN = 'GREEN',
  AMBER = 'AMBER',
  AMBER_STRICT = 'AMBER_STRICT',
  RED = 'RED',
}

export type Tlp = (typeof TLP_MARKINGS)[number];

/**
 * The labels TLP 2.0 prescribes for display. Stored values use `AMBER_STRICT` because `+` is
 * awkward in enum names, GraphQL and URLs; people must see the standard's spelling.
 */
export const TLP_LABELS: Readonly<Record<Tlp, string>> = {
  CLEAR: 'TLP:CLEAR',
  GREEN: 'TLP:GREEN',
  AMBER: 'TLP:AMBER',
  AMBER_STRICT: 'TLP:AMBER+STRICT',
  RED: 'TLP:RED',
};

export function isTlp(value: string): value is Tlp {
  return (TLP_MARKINGS as readonly string[]).includes(value);
}

/** 0 for CLEAR up to 4 for RED: the only rank of markings in the hub. */
export function tlpRank(tlp: Tlp): number {
  return TLP_MARKINGS.indexOf(tlp);
}

/** Whether changing `from` to `to` restricts the item further (narrows who may see it). */
export function isRaise(from: Tlp, to: Tlp): boolean {
  return tlpRank(to) > tlpRank(from);
}

/** Whether changing `from` to `to` widens the audience, which callers may want to guard. */
export function isLowering(from: Tlp, to: Tlp): boolean {
  return tlpRank(to) < tlpRank(from);
}

export function tlpLabel(tlp: Tlp): string {
  return TLP_LABELS[tlp];
}

/** The less restrictive of two markings (what a merged feed line may be shown under). */
export function leastRestrictive<T extends Tlp>(a: T, b: T): T {
  return tlpRank(a) <= tlpRank(b) ? a : b;
}

/** The more restrictive of two markings. */
export function mostRestrictive<T extends Tlp>(a: T, b: T): T {
  return tlpRank(a) >= tlpRank(b) ? a : b;
}
