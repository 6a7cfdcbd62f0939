import { Webhooks1763770200000 } from './migrations/1763770200000-webhooks';

export const PUSH_MIGRATIONS = [Webhooks1763770200000];
