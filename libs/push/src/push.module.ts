import { Module } from '@nestjs/common';
import { IdentityModule } from '@renkei/identity';
import { IndicatorsModule } from '@renkei/indicators';
import { ReportsModule } from '@renkei/reports';
import { ScopedDatabase } from '@renkei/sharing';
import { PushResolver } from './push.resolver';
import { EventIds } from './event-ids';
import { PushService } from './push.service';
import { WebhookResolver } from './webhooks/webhook.resolver';
import { WebhookService } from './webhooks/webhook.service';

export const PUSH_RESOLVERS = [PushResolver, WebhookResolver];

@Module({
  imports: [IdentityModule, ReportsModule, IndicatorsModule],
  providers: [ScopedDatabase, EventIds, PushService, WebhookService, ...PUSH_RESOLVERS],
  exports: [PushService],
})
export class PushModule {}
