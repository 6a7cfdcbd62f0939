export * from './reports.module';
export * from './reports.migrations';
export * from './reports/report.service';
export * from './reports/report.models';
