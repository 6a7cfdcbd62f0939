import { Module } from '@nestjs/common';
import { IdentityModule } from '@renkei/identity';
import { IndicatorsModule } from '@renkei/indicators';
import { ReportsModule } from '@renkei/reports';
import { StixExportController } from './stix-export.controller';
import { TaxiiController } from './taxii.controller';
import { TaxiiService } from './taxii.service';

export const TAXII_CONTROLLERS = [TaxiiController, StixExportController];

@Module({
  imports: [IdentityModule, ReportsModule, IndicatorsModule],
  providers: [TaxiiService],
  controllers: TAXII_CONTROLLERS,
})
export class TaxiiModule {}
