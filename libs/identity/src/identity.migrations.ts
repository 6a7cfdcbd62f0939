import { Identity1763769600000 } from './migrations/1763769600000-identity';

/** In order; the hub applies them at start under an advisory lock. */
export const IDENTITY_MIGRATIONS = [Identity1763769600000];
