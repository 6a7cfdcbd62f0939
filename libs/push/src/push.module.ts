import { Module } from '@nestjs/common';
import { IdentityModule } from '@renkei/identity';
import { IndicatorsModule } from '@renkei/indicators';
import { ReportsModule } from '@renkei/reports';
import { ScopedDatabase } from '@renkei/sharing';
import { PushResolver } from './push.resolver';
import { PushService } from './push.service';

export const PUSH_RESOLVERS = [PushResolver];

@Module({
  imports: [IdentityModule, ReportsModule, IndicatorsModule],
  providers: [ScopedDatabase, PushService, ...PUSH_RESOLVERS],
  exports: [PushService],
})
export class PushModule {}
