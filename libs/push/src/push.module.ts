import { Module } from '@nestjs/common';
import { IdentityModule } from '@renkei/identity';
import { IndicatorsModule } from '@renkei/indicators';
import { ReportsModule } from '@renkei/reports';
import { ScopedDatabase } from '@renkei/sharing';
import { AlertResolver } from './alerts/alert.resolver';
import { AlertService } from './alerts/alert.service';
import { MailTransport } from './alerts/mail-transport';
import { PushResolver } from './push.resolver';
import { EventIds } from './event-ids';
import { PushService } from './push.service';
import { WebhookResolver } from './webhooks/webhook.resolver';
import { WebhookService } from './webhooks/webhook.service';

export const PUSH_RESOLVERS = [PushResolver, WebhookResolver, AlertResolver];

@Module({
  imports: [IdentityModule, ReportsModule, IndicatorsModule],
  providers: [
    ScopedDatabase,
    EventIds,
    PushService,
    WebhookService,
    MailTransport,
    AlertService,
    ...PUSH_RESOLVERS,
  ],
  exports: [PushService],
})
export class PushModule {}
