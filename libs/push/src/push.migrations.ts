import { EventHorizon1763770300000 } from './migrations/1763770300000-event-horizon';
import { Webhooks1763770200000 } from './migrations/1763770200000-webhooks';

export const PUSH_MIGRATIONS = [Webhooks1763770200000, EventHorizon1763770300000];
