import { Reports1763769900000 } from './migrations/1763769900000-reports';
import { ReportStixAdded1763770100000 } from './migrations/1763770100000-report-stix-added';
import { ReportClientTimes1764900000100 } from './migrations/1764900000100-report-client-times';
import { SectorPractice1765150000000 } from './migrations/1765150000000-sector-practice';
import { Assistance1765150000100 } from './migrations/1765150000100-assistance';
import { ReportReadMarks1765180000000 } from './migrations/1765180000000-report-read-marks';
import { ScrubPeople1765120000000 } from './migrations/1765120000000-scrub-people';
import { ReportInboxOrder1765210000000 } from './migrations/1765210000000-report-inbox-order';
import { InlineTlpPolicy1765210000200 } from './migrations/1765210000200-inline-tlp-policy';
import { RedReaderOrgs1765240000000 } from './migrations/1765240000000-red-reader-orgs';
import { ReportRowsEach1765350000000 } from './migrations/1765350000000-report-rows-each';

export const REPORTS_MIGRATIONS = [
  Reports1763769900000,
  ReportStixAdded1763770100000,
  ReportClientTimes1764900000100,
  SectorPractice1765150000000,
  Assistance1765150000100,
  ScrubPeople1765120000000,
  ReportReadMarks1765180000000,
  ReportInboxOrder1765210000000,
  InlineTlpPolicy1765210000200,
  RedReaderOrgs1765240000000,
  ReportRowsEach1765350000000,
];
