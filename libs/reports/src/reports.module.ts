import { Module } from '@nestjs/common';
import { IdentityModule } from '@renkei/identity';
import { ScopedDatabase } from '@renkei/sharing';
import { ContactResolver } from './contacts/contact.resolver';
import { ContactService } from './contacts/contact.service';
import { ExerciseResolver } from './exercises/exercise.resolver';
import { ExerciseService } from './exercises/exercise.service';
import { ReportResolver } from './reports/report.resolver';
import { ReportService } from './reports/report.service';
import { StatisticsResolver } from './statistics/statistics.resolver';
import { StatisticsService } from './statistics/statistics.service';

export const REPORTS_RESOLVERS = [
  ReportResolver,
  ContactResolver,
  ExerciseResolver,
  StatisticsResolver,
];

@Module({
  imports: [IdentityModule],
  providers: [
    ScopedDatabase,
    ReportService,
    ContactService,
    ExerciseService,
    StatisticsService,
    ...REPORTS_RESOLVERS,
  ],
  exports: [ReportService],
})
export class ReportsModule {}
