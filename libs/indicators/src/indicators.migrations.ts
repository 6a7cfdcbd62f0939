import { Indicators1763770000000 } from './migrations/1763770000000-indicators';

export const INDICATORS_MIGRATIONS = [Indicators1763770000000];
