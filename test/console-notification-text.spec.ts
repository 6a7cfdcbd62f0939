import type { Tlp } from '../apps/console/src/gql/graphql';
import { notificationText } from '../apps/console/src/api/notification-text';

describe('browser notification text', () => {
  const withheld = (label: string) => `A new ${label} item on the hub`;
  const title = 'VPN appliance exploited at Higashi substation';

  it('names CLEAR and GREEN items by label and title', () => {
    for (const tlp of ['CLEAR', 'GREEN'] as Tlp[]) {
      expect(notificationText({ tlp, title }, `TLP:${tlp}`, withheld)).toBe(`TLP:${tlp} ${title}`);
    }
  });

  it('carries nothing of an AMBER, AMBER+STRICT or RED item but its label', () => {
    for (const [tlp, label] of [
      ['AMBER', 'TLP:AMBER'],
      ['AMBER_STRICT', 'TLP:AMBER+STRICT'],
      ['RED', 'TLP:RED'],
    ] as [Tlp, string][]) {
      const text = notificationText({ tlp, title }, label, withheld);
      expect(text).toBe(`A new ${label} item on the hub`);
      expect(text).not.toContain('VPN');
    }
  });
});
