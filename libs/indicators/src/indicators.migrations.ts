import { Indicators1763770000000 } from './migrations/1763770000000-indicators';
import { FeedVersions1764633600000 } from './migrations/1764633600000-feed-versions';
import { EntryOwnership1764633700000 } from './migrations/1764633700000-entry-ownership';
import { StixNamespace1764633800000 } from './migrations/1764633800000-stix-namespace';
import { StixVersions1764633900000 } from './migrations/1764633900000-stix-versions';
import { FeedGuard1764634000000 } from './migrations/1764634000000-feed-guard';
import { ClientTimes1764900000000 } from './migrations/1764900000000-client-times';
import { ListExercises1765150000200 } from './migrations/1765150000200-list-exercises';
import { EntryRetention1765130000000 } from './migrations/1765130000000-entry-retention';
import { EntryFillfactor1765220000000 } from './migrations/1765220000000-entry-fillfactor';
import { EntryCheckOnce1765280000000 } from './migrations/1765280000000-entry-check-once';
import { FeedLockFirst1765360000000 } from './migrations/1765360000000-feed-lock-first';

export const INDICATORS_MIGRATIONS = [
  Indicators1763770000000,
  FeedVersions1764633600000,
  EntryOwnership1764633700000,
  StixNamespace1764633800000,
  StixVersions1764633900000,
  FeedGuard1764634000000,
  ClientTimes1764900000000,
  ListExercises1765150000200,
  EntryRetention1765130000000,
  EntryFillfactor1765220000000,
  EntryCheckOnce1765280000000,
  FeedLockFirst1765360000000,
];
