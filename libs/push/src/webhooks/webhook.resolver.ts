import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Principal, RequireRole, Role } from '@renkei/identity';
import { CreateWebhookInput, Webhook, WebhookCreated, WebhookDelivery } from './webhook.models';
import { WebhookService } from './webhook.service';

@Resolver(() => Webhook)
@RequireRole(Role.ORG_ADMIN, Role.HUB_ADMIN)
export class WebhookResolver {
  constructor(private readonly service: WebhookService) {}

  @Query(() => [Webhook], { description: "Your organisation's webhook endpoints." })
  webhooks(@CurrentPrincipal() p: Principal): Promise<Webhook[]> {
    return this.service.list(p);
  }

  @Query(() => [WebhookDelivery], { description: 'Delivery attempts, newest first.' })
  webhookDeliveries(
    @CurrentPrincipal() p: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('first', { type: () => Int, defaultValue: 25 }) first: number,
  ): Promise<WebhookDelivery[]> {
    return this.service.deliveries(p, id, first);
  }

  @Mutation(() => WebhookCreated, {
    description: 'Events from now on, signed with the returned secret (shown once).',
  })
  createWebhook(
    @CurrentPrincipal() p: Principal,
    @Args('input') input: CreateWebhookInput,
  ): Promise<WebhookCreated> {
    return this.service.create(p, input);
  }

  @Mutation(() => Webhook, { description: 'Resume a paused endpoint from where it stopped.' })
  resumeWebhook(@CurrentPrincipal() p: Principal, @Args('id', { type: () => ID }) id: string) {
    return this.service.resume(p, id);
  }

  @Mutation(() => Boolean)
  deleteWebhook(@CurrentPrincipal() p: Principal, @Args('id', { type: () => ID }) id: string) {
    return this.service.remove(p, id);
  }
}
