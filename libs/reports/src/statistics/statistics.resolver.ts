import { Args, Query, Resolver } from '@nestjs/graphql';
import {
  AllowTokens,
  AnyPrincipal,
  CurrentCaller,
  CurrentPrincipal,
  Principal,
} from '@renkei/identity';
import { QuarterlySummary, StatisticsTable } from './statistics.models';
import { StatisticsService } from './statistics.service';

@Resolver()
export class StatisticsResolver {
  constructor(private readonly service: StatisticsService) {}

  @AllowTokens('reports:read')
  @Query(() => StatisticsTable, {
    description:
      'Reports by quarter (Japan time), category and affected sector over what the caller may see; ' +
      'exercises never count, and cells of fewer than ANONYMITY_K anonymous authors are suppressed.',
  })
  statistics(
    @CurrentCaller() caller: AnyPrincipal,
    @Args('from', { nullable: true, description: 'First quarter, e.g. 2026-Q1.' }) from?: string,
    @Args('to', { nullable: true, description: 'Last quarter, inclusive.' }) to?: string,
  ): Promise<StatisticsTable> {
    return this.service.table(caller, from, to);
  }

  @Query(() => QuarterlySummary, {
    description:
      "Coordinator only: the quarter's counts and lessons learned from CLEAR and GREEN reports, " +
      'anonymised as members read them, as data and as Markdown.',
  })
  quarterlySummary(
    @CurrentPrincipal() p: Principal,
    @Args('quarter', { description: 'e.g. 2026-Q4' }) quarter: string,
  ): Promise<QuarterlySummary> {
    return this.service.quarterly(p, quarter);
  }
}
