import { Module } from '@nestjs/common';
import { IdentityModule } from '@renkei/identity';
import { IndicatorsModule } from '@renkei/indicators';
import { ReportsModule } from '@renkei/reports';
import { NextTokens } from './next-tokens';
import { StixExportController } from './stix-export.controller';
import { TaxiiExceptionFilter } from './taxii-exception.filter';
import { TaxiiFallbackController } from './taxii-fallback.controller';
import { TaxiiReply } from './taxii-reply';
import { TaxiiController } from './taxii.controller';
import { TaxiiService } from './taxii.service';

/** In this order: TaxiiFallbackController answers what the others' routes do not match. */
export const TAXII_CONTROLLERS = [TaxiiController, StixExportController, TaxiiFallbackController];

@Module({
  imports: [IdentityModule, ReportsModule, IndicatorsModule],
  providers: [TaxiiService, NextTokens, TaxiiReply, TaxiiExceptionFilter],
  controllers: TAXII_CONTROLLERS,
})
export class TaxiiModule {}
