import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  AllowTokens,
  AnyPrincipal,
  CurrentCaller,
  CurrentPrincipal,
  Principal,
  RequireRole,
  Role,
} from '@renkei/identity';
import { PageArgs, Page } from '@renkei/platform';
import { PUBLIC_RESOLVERS, SPECIAL_PURPOSE } from '../feeds/allow-list';
import { FeedPullRecorder } from '../feeds/feed.service';
import { readEntries } from '../imports/read-entries';
import {
  AllowedRangeView,
  EntryFormat,
  EntryImportResult,
  FeedPull,
  Indicator,
  IndicatorList,
  IndicatorListConnection,
  IndicatorListFilter,
  IndicatorListInput,
  ListEntriesInput,
  ListEntry,
  ListEntryConnection,
  ListEntryFilter,
  RemoveEntriesResult,
} from './list.models';
import { ListService } from './list.service';

@Resolver(() => IndicatorList)
export class ListResolver {
  constructor(
    private readonly service: ListService,
    private readonly pulls: FeedPullRecorder,
  ) {}

  @AllowTokens('feeds:read')
  @Query(() => IndicatorListConnection, {
    description: 'Indicator lists the caller may see, by name.',
  })
  indicatorLists(
    @CurrentCaller() caller: AnyPrincipal,
    @Args() page: PageArgs,
    @Args('filter', { nullable: true }) filter?: IndicatorListFilter,
  ): Promise<Page<IndicatorList>> {
    return this.service.list(caller, filter, page.first, page.after);
  }

  @AllowTokens('feeds:read')
  @Query(() => IndicatorList, {
    description: 'One the caller may not see is NOT_FOUND, like a missing one.',
  })
  indicatorList(
    @CurrentCaller() caller: AnyPrincipal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<IndicatorList> {
    return this.service.get(caller, id);
  }

  @AllowTokens('feeds:read')
  @Query(() => Indicator, {
    nullable: true,
    description:
      'A value (any form: defanged, upper case, IDN) and its sightings the caller may see.',
  })
  indicator(
    @CurrentCaller() caller: AnyPrincipal,
    @Args('value') value: string,
  ): Promise<Indicator | null> {
    return this.service.indicator(caller, value);
  }

  @ResolveField(() => ListEntryConnection)
  entries(
    @Parent() list: IndicatorList,
    @CurrentCaller() caller: AnyPrincipal,
    @Args() page: PageArgs,
    @Args('filter', { nullable: true }) filter?: ListEntryFilter,
  ): Promise<Page<ListEntry>> {
    return this.service.entries(caller, list.id, filter, page.first, page.after);
  }

  @Query(() => [AllowedRangeView], {
    description:
      'What no blocklist served to your organisation ever contains: special-purpose ranges, public resolvers, the hub-wide list, your own ranges.',
  })
  async feedAllowList(@CurrentPrincipal() p: Principal): Promise<AllowedRangeView[]> {
    const extra = await this.service.extraAllowed(p.organisationId);
    return [
      ...SPECIAL_PURPOSE.map((r) => ({ ...r, source: 'special-purpose' })),
      ...PUBLIC_RESOLVERS.map((r) => ({ ...r, source: 'public-resolver' })),
      ...extra,
    ];
  }

  @RequireRole(Role.ORG_ADMIN, Role.HUB_ADMIN)
  @Query(() => [FeedPull], {
    description:
      "Feed pulls per token and hour since a time (default: the last 24 hours): your organisation's tokens; hub admins see all.",
  })
  async feedPulls(
    @CurrentPrincipal() p: Principal,
    @Args('since', { nullable: true }) since?: Date,
  ): Promise<FeedPull[]> {
    await this.pulls.flush(); // up to the last pull, not the last minute
    return this.service.feedPulls(p, since ?? new Date(Date.now() - 86_400_000));
  }

  @RequireRole(Role.HUB_ADMIN)
  @Mutation(() => Boolean, { description: 'Hub admins: never serve this range in any blocklist.' })
  async addFeedAllowRange(
    @CurrentPrincipal() p: Principal,
    @Args('range') range: string,
    @Args('note', { defaultValue: '' }) note: string,
  ): Promise<boolean> {
    await this.service.setHubAllowed(p, range, note, true);
    return true;
  }

  @RequireRole(Role.HUB_ADMIN)
  @Mutation(() => Boolean)
  async removeFeedAllowRange(
    @CurrentPrincipal() p: Principal,
    @Args('range') range: string,
  ): Promise<boolean> {
    await this.service.setHubAllowed(p, range, '', false);
    return true;
  }

  @Mutation(() => IndicatorList, {
    description: 'A new list of your organisation, published at once.',
  })
  createIndicatorList(
    @CurrentPrincipal() p: Principal,
    @Args('input') input: IndicatorListInput,
  ): Promise<IndicatorList> {
    return this.service.create(p, input);
  }

  @Mutation(() => IndicatorList, {
    description: 'Raise the marking or narrow the audience, rename, describe; never widens.',
  })
  updateIndicatorList(
    @CurrentPrincipal() p: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: IndicatorListInput,
  ): Promise<IndicatorList> {
    return this.service.update(p, id, input);
  }

  @Mutation(() => IndicatorList, {
    description: 'Out of every feed at once; readers see it retracted.',
  })
  retractIndicatorList(
    @CurrentPrincipal() p: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('reason') reason: string,
  ): Promise<IndicatorList> {
    return this.service.retract(p, id, reason);
  }

  @Mutation(() => IndicatorList, { description: 'Every entry of the list expires now.' })
  expireIndicatorList(
    @CurrentPrincipal() p: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<IndicatorList> {
    return this.service.expire(p, id);
  }

  @AllowTokens('indicators:write')
  @Mutation(() => EntryImportResult, {
    description:
      'Adds entries (text, CSV or STIX) as one batch; all-or-nothing unless partial. For large inputs use POST /api/lists/{id}/entries.',
  })
  async addListEntries(
    @CurrentCaller() caller: AnyPrincipal,
    @Args('listId', { type: () => ID }) listId: string,
    @Args('input') input: ListEntriesInput,
  ): Promise<EntryImportResult> {
    const format = input.format ?? EntryFormat.TEXT;
    const listTlp =
      format === EntryFormat.STIX ? await this.service.stixImportTlp(caller, listId) : undefined;
    const normalise = input.normalise ?? false;
    const entries = await readEntries(format, input.text, { listTlp, normalise });
    return this.service.addEntries(caller, listId, entries, {
      source: format,
      partial: input.partial ?? false,
      confidence: input.confidence,
      seenAt: input.seenAt,
      paths: { seenAt: 'input.seenAt', validityDays: 'input.validityDays' },
      validityDays: input.validityDays,
      tags: input.tags,
      note: input.note,
      reportId: input.reportId,
    });
  }

  @AllowTokens('indicators:write')
  @Mutation(() => RemoveEntriesResult)
  removeListEntries(
    @CurrentCaller() caller: AnyPrincipal,
    @Args('listId', { type: () => ID }) listId: string,
    @Args('values', { type: () => [String] }) values: string[],
  ): Promise<RemoveEntriesResult> {
    return this.service.removeEntries(caller, listId, values);
  }
}
