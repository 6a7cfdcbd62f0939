import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Principal, RequireRole, Role } from '@renkei/identity';
import {
  FeedReach,
  FeedReachSetting,
  FeedReview,
  FeedReviewState,
  FeedStop,
  FeedStopInput,
  ProtectedRangeView,
} from './feed-guard.models';
import { FeedGuardService } from './feed-guard.service';

/** The coordinator's guard-rails on blocklists (ADR 0012); coordinators are the hub admins. */
@Resolver()
export class FeedGuardResolver {
  constructor(private readonly guard: FeedGuardService) {}

  @Query(() => [FeedReview], {
    description:
      "Changes held out of feeds (or, with state, approved or refused ones): your organisation's; coordinators see every organisation's.",
  })
  feedReviews(
    @CurrentPrincipal() p: Principal,
    @Args('state', { type: () => FeedReviewState, nullable: true }) state?: FeedReviewState,
  ): Promise<FeedReview[]> {
    return this.guard.reviews(p, state ?? FeedReviewState.HELD);
  }

  @RequireRole(Role.HUB_ADMIN)
  @Mutation(() => FeedReview, {
    description: 'Coordinators: a held change reaches feeds, TAXII and push now.',
  })
  approveFeedChange(
    @CurrentPrincipal() p: Principal,
    @Args('changeId', { type: () => Int }) changeId: number,
    @Args('note', { defaultValue: '' }) note: string,
  ): Promise<FeedReview> {
    return this.guard.review(p, changeId, true, note.trim().slice(0, 500));
  }

  @RequireRole(Role.HUB_ADMIN)
  @Mutation(() => FeedReview, {
    description: 'Coordinators: a held change stays out of every feed; its owner may remove it.',
  })
  refuseFeedChange(
    @CurrentPrincipal() p: Principal,
    @Args('changeId', { type: () => Int }) changeId: number,
    @Args('note') note: string,
  ): Promise<FeedReview> {
    return this.guard.review(p, changeId, false, note.trim().slice(0, 500));
  }

  @RequireRole(Role.HUB_ADMIN)
  @Mutation(() => FeedReachSetting, {
    description:
      "Coordinators: whether an organisation's lists reach feeds directly, after review, or not at all.",
  })
  setFeedReach(
    @CurrentPrincipal() p: Principal,
    @Args('organisationId', { type: () => ID }) organisationId: string,
    @Args('reach', { type: () => FeedReach }) reach: FeedReach,
  ): Promise<FeedReachSetting> {
    return this.guard.setReach(p, organisationId, reach);
  }

  @RequireRole(Role.HUB_ADMIN)
  @Query(() => [FeedReachSetting], {
    description: 'Organisations whose reach is set; every other one reaches feeds directly.',
  })
  feedReaches(): Promise<FeedReachSetting[]> {
    return this.guard.reaches();
  }

  @Query(() => [ProtectedRangeView], {
    description: 'Ranges the coordinator protected: never blocked, entries overlapping refused.',
  })
  protectedRanges(): Promise<ProtectedRangeView[]> {
    return this.guard.protectedRanges();
  }

  @RequireRole(Role.HUB_ADMIN)
  @Mutation(() => Boolean, {
    description:
      'Coordinators: a range that must never be blocked (sector infrastructure, shared DNS, front doors the sector relies on).',
  })
  async addProtectedRange(
    @CurrentPrincipal() p: Principal,
    @Args('range') range: string,
    @Args('note', { defaultValue: '' }) note: string,
  ): Promise<boolean> {
    await this.guard.setRange('protected', p, range, note, true);
    return true;
  }

  @RequireRole(Role.HUB_ADMIN)
  @Mutation(() => Boolean)
  async removeProtectedRange(
    @CurrentPrincipal() p: Principal,
    @Args('range') range: string,
  ): Promise<boolean> {
    await this.guard.setRange('protected', p, range, '', false);
    return true;
  }

  @RequireRole(Role.HUB_ADMIN)
  @Mutation(() => FeedStop, {
    description:
      "Coordinators, in an emergency: one value, one list or one organisation's contributions out of every feed at once.",
  })
  stopInFeeds(
    @CurrentPrincipal() p: Principal,
    @Args('input') input: FeedStopInput,
  ): Promise<FeedStop> {
    return this.guard.stop(p, input);
  }

  @RequireRole(Role.HUB_ADMIN)
  @Mutation(() => FeedStop, { description: 'Coordinators: the stopped entries are served again.' })
  liftFeedStop(
    @CurrentPrincipal() p: Principal,
    @Args('id', { type: () => Int }) id: number,
  ): Promise<FeedStop> {
    return this.guard.lift(p, id);
  }

  @RequireRole(Role.HUB_ADMIN)
  @Query(() => [FeedStop], { description: 'Coordinators: emergency stops, the latest first.' })
  feedStops(): Promise<FeedStop[]> {
    return this.guard.stops();
  }
}
