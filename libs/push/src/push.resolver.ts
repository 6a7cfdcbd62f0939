import { Args, Context, ID, Resolver, Subscription } from '@nestjs/graphql';
import { AllowTokens } from '@renkei/identity';
import {
  FeedReviewEvent,
  ListEvent,
  ListEventFilter,
  ReportEvent,
  ReportEventFilter,
} from './push.models';
import { PushConnection, PushService } from './push.service';

interface SubscriptionContext {
  connection?: PushConnection;
}

/**
 * GraphQL subscriptions over graphql-ws (`/graphql`): authenticate in connection_init with
 * `{ "authorization": "Bearer rks_…|rkt_…" }`; a user session needs its second factor, a token
 * `reports:read` or `feeds:read`. Each event carries its cursor; `after` resumes (CURSOR_EXPIRED
 * when the events after it are no longer kept).
 */
@Resolver()
export class PushResolver {
  constructor(private readonly push: PushService) {}

  @AllowTokens('reports:read')
  @Subscription(() => ReportEvent, {
    resolve: (event: ReportEvent) => event,
    description:
      'Reports you may see: published, updated, retracted, commented on, sighted. after: resume after this cursor (CURSOR_EXPIRED once its events were deleted: resynchronise, then subscribe without after).',
  })
  reportEvents(
    @Context() ctx: SubscriptionContext,
    @Args('after', { type: () => ID, nullable: true }) after?: string,
    @Args('filter', { nullable: true }) filter?: ReportEventFilter,
  ): Promise<AsyncGenerator<ReportEvent>> {
    return this.push.reportEvents(this.connectionOf(ctx), after, filter);
  }

  @AllowTokens('feeds:read')
  @Subscription(() => ListEvent, {
    resolve: (event: ListEvent) => event,
    description:
      'Indicator lists you may see, with the values added and removed. after: as for reportEvents.',
  })
  listEvents(
    @Context() ctx: SubscriptionContext,
    @Args('after', { type: () => ID, nullable: true }) after?: string,
    @Args('filter', { nullable: true }) filter?: ListEventFilter,
  ): Promise<AsyncGenerator<ListEvent>> {
    return this.push.listEvents(this.connectionOf(ctx), after, filter);
  }

  @Subscription(() => FeedReviewEvent, {
    resolve: (event: FeedReviewEvent) => event,
    description:
      "Changes held out of blocklists for a coordinator's review, and the reviews: your organisation's; coordinators see every organisation's. Users only. after: as for reportEvents.",
  })
  feedReviewEvents(
    @Context() ctx: SubscriptionContext,
    @Args('after', { type: () => ID, nullable: true }) after?: string,
  ): Promise<AsyncGenerator<FeedReviewEvent>> {
    return this.push.feedReviewEvents(this.connectionOf(ctx), after);
  }

  private connectionOf(ctx: SubscriptionContext): PushConnection {
    if (!ctx.connection) throw new Error('subscriptions run over graphql-ws only');
    return ctx.connection;
  }
}
