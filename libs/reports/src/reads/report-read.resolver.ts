import {
  Args,
  Context,
  ID,
  Int,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { AnyPrincipal, CurrentPrincipal, GraphQLContext, Principal } from '@renkei/identity';
import { Report } from '../reports/report.models';
import { ReportReadService } from './report-read.service';

/** A person's read marks on reports (ADR 0025): people only, never API tokens. */
@Resolver(() => Report)
export class ReportReadResolver {
  constructor(private readonly reads: ReportReadService) {}

  @ResolveField(() => Boolean, {
    nullable: true,
    description:
      'Published by someone else and not opened by you yet (markReportRead); null for API tokens.',
  })
  unread(@Parent() r: Report, @Context() ctx: GraphQLContext): Promise<boolean> | null {
    const caller = ctx.req.principal as AnyPrincipal;
    if (caller.kind !== 'user') return null;
    return this.reads.loader(ctx.req, caller).load(r.id);
  }

  @Query(() => Int, {
    description:
      "How many reports you may see are unread for you, up to the hub's cap (see unreadReportCountCapped).",
  })
  async unreadReportCount(
    @CurrentPrincipal() p: Principal,
    @Context() ctx: GraphQLContext,
  ): Promise<number> {
    return (await this.reads.unreadCount(ctx.req, p)).count;
  }

  @Query(() => Boolean, {
    description:
      "The unread count stopped at the hub's cap (REPORT_COUNT_CAP, default 1,000): there are more than unreadReportCount.",
  })
  async unreadReportCountCapped(
    @CurrentPrincipal() p: Principal,
    @Context() ctx: GraphQLContext,
  ): Promise<boolean> {
    return (await this.reads.unreadCount(ctx.req, p)).capped;
  }

  @Mutation(() => Boolean, {
    description:
      'Marks a report read for you (the console calls it when the report opens); one you may not see is NOT_FOUND.',
  })
  markReportRead(
    @CurrentPrincipal() p: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<boolean> {
    return this.reads.markRead(p, id);
  }

  @Mutation(() => Int, {
    description: 'Marks every report unread for you as read; returns how many it marked.',
  })
  markAllReportsRead(@CurrentPrincipal() p: Principal): Promise<number> {
    return this.reads.markAllRead(p);
  }
}
