import { Module } from '@nestjs/common';
import { IdentityModule } from '@renkei/identity';
import { ScopedDatabase } from '@renkei/sharing';
import { ReportResolver } from './reports/report.resolver';
import { ReportService } from './reports/report.service';

export const REPORTS_RESOLVERS = [ReportResolver];

@Module({
  imports: [IdentityModule],
  providers: [ScopedDatabase, ReportService, ...REPORTS_RESOLVERS],
  exports: [ReportService],
})
export class ReportsModule {}
