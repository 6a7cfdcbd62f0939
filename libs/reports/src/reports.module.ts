import { Module } from '@nestjs/common';
import { IdentityModule } from '@renkei/identity';
import { ScopedDatabase } from '@renkei/sharing';
import { AssistanceResolver } from './assistance/assistance.resolver';
import { AssistanceService } from './assistance/assistance.service';
import { ContactResolver } from './contacts/contact.resolver';
import { ContactService } from './contacts/contact.service';
import { ExerciseResolver } from './exercises/exercise.resolver';
import { ExerciseService } from './exercises/exercise.service';
import { ReportReadResolver } from './reads/report-read.resolver';
import { ReportReadService } from './reads/report-read.service';
import { ReportResolver } from './reports/report.resolver';
import { ReportService } from './reports/report.service';
import { StatisticsResolver } from './statistics/statistics.resolver';
import { StatisticsService } from './statistics/statistics.service';

export const REPORTS_RESOLVERS = [
  ReportResolver,
  ContactResolver,
  ExerciseResolver,
  StatisticsResolver,
  AssistanceResolver,
  ReportReadResolver,
];

@Module({
  imports: [IdentityModule],
  providers: [
    ScopedDatabase,
    ReportService,
    ContactService,
    ExerciseService,
    StatisticsService,
    AssistanceService,
    ReportReadService,
    ...REPORTS_RESOLVERS,
  ],
  exports: [ReportService],
})
export class ReportsModule {}
