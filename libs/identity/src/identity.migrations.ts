import { Identity1763769600000 } from './migrations/1763769600000-identity';
import { Audit1763769700000 } from './migrations/1763769700000-audit';
import { Accounts1763769800000 } from './migrations/1763769800000-accounts';
import { EmailProof1764960000000 } from './migrations/1764960000000-email-proof';
import { ResetFactors1765210000100 } from './migrations/1765210000100-reset-factors';
import { CanonicalMailboxes1765340000000 } from './migrations/1765340000000-canonical-mailboxes';

/** In order; the hub applies them at start under an advisory lock. */
export const IDENTITY_MIGRATIONS = [
  Identity1763769600000,
  Audit1763769700000,
  Accounts1763769800000,
  EmailProof1764960000000,
  ResetFactors1765210000100,
  CanonicalMailboxes1765340000000,
];
