import type { Tlp } from '../gql/graphql';

/**
 * Markings whose title may appear in a browser notification. A desktop notification is shown
 * outside the page (lock screens, mirrored phones, a shared screen), so it is treated like mail
 * that others may read (ADR 0021), one step stricter: only CLEAR and GREEN name the item; any
 * AMBER or RED item is announced by its label alone, and the reader comes to the console, where
 * the hub's policy decides (ADR 0025).
 */
const TITLE_MAY_SHOW: ReadonlySet<Tlp> = new Set<Tlp>(['CLEAR', 'GREEN'] as Tlp[]);

/** The one text a browser notification carries for a new item. */
export function notificationText(
  item: { tlp: Tlp; title: string },
  label: string,
  withheld: (label: string) => string,
): string {
  return TITLE_MAY_SHOW.has(item.tlp) ? `${label} ${item.title}` : withheld(label);
}
