import { Indicators1763770000000 } from './migrations/1763770000000-indicators';
import { FeedVersions1764633600000 } from './migrations/1764633600000-feed-versions';
import { EntryOwnership1764633700000 } from './migrations/1764633700000-entry-ownership';

export const INDICATORS_MIGRATIONS = [
  Indicators1763770000000,
  FeedVersions1764633600000,
  EntryOwnership1764633700000,
];
