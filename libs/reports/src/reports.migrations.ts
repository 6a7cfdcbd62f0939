import { Reports1763769900000 } from './migrations/1763769900000-reports';

export const REPORTS_MIGRATIONS = [Reports1763769900000];
