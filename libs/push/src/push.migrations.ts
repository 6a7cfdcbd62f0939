import { EventHorizon1763770300000 } from './migrations/1763770300000-event-horizon';
import { Webhooks1763770200000 } from './migrations/1763770200000-webhooks';
import { Alerts1765140000000 } from './migrations/1765140000000-alerts';
import { AlertRulePause1765180000100 } from './migrations/1765180000100-alert-rule-pause';

export const PUSH_MIGRATIONS = [
  Webhooks1763770200000,
  EventHorizon1763770300000,
  Alerts1765140000000,
  AlertRulePause1765180000100,
];
