import { FeedEntry } from './feed-render';

const T = new Date('2026-11-01T00:00:00Z');

/** A feed entry for the value, its type read from how it is written; for the feed specs. */
export const feedEntry = (value: string, extra: Partial<FeedEntry> = {}): FeedEntry => ({
  value,
  type: value.includes(':')
    ? value.includes('/')
      ? 'ipv6-cidr'
      : 'ipv6'
    : /^[\d.]+(\/\d+)?$/.test(value)
      ? value.includes('/')
        ? 'ipv4-cidr'
        : 'ipv4'
      : 'domain',
  confidence: 50,
  firstSeen: T,
  lastSeen: T,
  validUntil: new Date('2027-01-01T00:00:00Z'),
  tags: [],
  tlp: 'GREEN',
  ...extra,
});
