import {
  Args,
  Context,
  Field,
  ID,
  Mutation,
  ObjectType,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import {
  AllowTokens,
  AnyPrincipal,
  CurrentCaller,
  CurrentPrincipal,
  GraphQLContext,
  Principal,
  RequireRole,
  Role,
} from '@renkei/identity';
import { Connection, PageArgs } from '@renkei/platform';
import {
  AudienceInput,
  RedactionKeepInput,
  RedactionPreview,
  Report,
  ReportCategory,
  ReportComment,
  ReportCount,
  ReportFilter,
  ReportFilterOptions,
  ReportInput,
  ReportRevision,
  ReportSighting,
  StatisticsPeriod,
  TlpMarking,
} from './report.models';
import { ReportService } from './report.service';

@ObjectType()
export class ReportConnection extends Connection(Report, 'Report') {
  @Field({
    description:
      "The count stopped at the hub's cap (REPORT_COUNT_CAP, default 1,000): there are more than totalCount.",
  })
  totalCountCapped: boolean;
}

const callerOf = (ctx: GraphQLContext) => ctx.req.principal as AnyPrincipal;

@Resolver(() => Report)
export class ReportResolver {
  constructor(private readonly service: ReportService) {}

  @Query(() => [ReportCategory], { description: 'The report category taxonomy (data, not code).' })
  reportCategories(): Promise<ReportCategory[]> {
    return this.service.categories();
  }

  @AllowTokens('reports:read')
  @Query(() => ReportConnection, { description: 'Reports the caller may see, newest first.' })
  reports(
    @CurrentCaller() caller: AnyPrincipal,
    @Args() page: PageArgs,
    @Args('filter', { nullable: true }) filter?: ReportFilter,
  ): Promise<ReportConnection> {
    return this.service.list(caller, filter, page.first, page.after);
  }

  @AllowTokens('reports:read')
  @Query(() => Report, {
    description: 'A report; one the caller may not see is NOT_FOUND, like a missing one.',
  })
  report(
    @CurrentCaller() caller: AnyPrincipal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Report> {
    return this.service.get(caller, id);
  }

  @AllowTokens('reports:read')
  @Query(() => [ReportCount], {
    description:
      'Counts by period, kind, category and affected sector over what the caller may see.',
  })
  reportStatistics(
    @CurrentCaller() caller: AnyPrincipal,
    @Args('period', { type: () => StatisticsPeriod }) period: StatisticsPeriod,
    @Args('from', { nullable: true }) from?: Date,
    @Args('to', { nullable: true }) to?: Date,
  ): Promise<ReportCount[]> {
    return this.service.statistics(caller, period, from, to);
  }

  @AllowTokens('reports:read')
  @Query(() => ReportFilterOptions)
  reportFilterOptions(@CurrentCaller() caller: AnyPrincipal): Promise<ReportFilterOptions> {
    return this.service.filterOptions(caller);
  }

  @Mutation(() => Report, {
    description: 'A new draft, visible to your organisation only until published.',
  })
  createReport(
    @CurrentPrincipal() p: Principal,
    @Args('input') input: ReportInput,
  ): Promise<Report> {
    return this.service.create(p, input);
  }

  @Mutation(() => Report, {
    description: 'Edits a report of your organisation; a published one gets a new revision.',
  })
  updateReport(
    @CurrentPrincipal() p: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: ReportInput,
  ) {
    return this.service.update(p, id, input);
  }

  @Mutation(() => RedactionPreview, { description: 'What others would read, with each redaction.' })
  previewReportRedactions(
    @CurrentPrincipal() p: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('keep', { type: () => [RedactionKeepInput], nullable: true }) keep?: RedactionKeepInput[],
  ) {
    return this.service.preview(p, id, keep ?? []);
  }

  @Mutation(() => Report, {
    description:
      'Publishes the scrubbed text you previewed (pass its previewHash, and the same keep as the preview).',
  })
  publishReport(
    @CurrentPrincipal() p: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('previewHash') previewHash: string,
    @Args('keep', { type: () => [RedactionKeepInput], nullable: true }) keep?: RedactionKeepInput[],
  ): Promise<Report> {
    return this.service.publish(p, id, previewHash, keep ?? []);
  }

  @Mutation(() => Report, {
    description:
      'Shows a report to more readers: an explicit, audited act of the owner. Refused when it shows the report to nobody new (a raise, the same or a narrower audience: use updateReport) or takes it from a reader who has it (except from RED).',
  })
  lowerReportMarking(
    @CurrentPrincipal() p: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('tlp', { type: () => TlpMarking }) tlp: TlpMarking,
    @Args('reason') reason: string,
    @Args('audience', { nullable: true }) audience?: AudienceInput,
  ): Promise<Report> {
    return this.service.lowerMarking(p, id, tlp, audience, reason);
  }

  @Mutation(() => Report, {
    description: 'Retracts a published report; it stays visible, marked retracted.',
  })
  retractReport(
    @CurrentPrincipal() p: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('reason') reason: string,
  ) {
    return this.service.retract(p, id, reason);
  }

  @Mutation(() => ReportComment)
  addReportComment(
    @CurrentPrincipal() p: Principal,
    @Args('reportId', { type: () => ID }) reportId: string,
    @Args('body') body: string,
  ) {
    return this.service.comment(p, reportId, body);
  }

  @Mutation(() => ReportSighting, {
    description: '"We saw this too", optionally with a date (YYYY-MM-DD) and a note.',
  })
  addReportSighting(
    @CurrentPrincipal() p: Principal,
    @Args('reportId', { type: () => ID }) reportId: string,
    @Args('seenOn', { nullable: true }) seenOn?: string,
    @Args('note', { nullable: true }) note?: string,
  ) {
    return this.service.sighting(p, reportId, seenOn, note);
  }

  @RequireRole(Role.ORG_ADMIN, Role.HUB_ADMIN)
  @Mutation(() => [String], {
    description: "Extra terms scrubbed from your organisation's reports (product names, sites, …).",
  })
  setScrubTerms(
    @CurrentPrincipal() p: Principal,
    @Args('terms', { type: () => [String] }) terms: string[],
  ) {
    return this.service.setScrubTerms(p, terms);
  }

  @RequireRole(Role.ORG_ADMIN, Role.HUB_ADMIN)
  @Query(() => [String])
  scrubTerms(@CurrentPrincipal() p: Principal) {
    return this.service.scrubTerms(p);
  }

  @ResolveField(() => [ReportComment])
  comments(@Parent() r: Report, @Context() ctx: GraphQLContext) {
    return this.service.comments(callerOf(ctx), r.id);
  }

  @ResolveField(() => [ReportSighting])
  sightings(@Parent() r: Report, @Context() ctx: GraphQLContext) {
    return this.service.sightings(callerOf(ctx), r.id);
  }

  @ResolveField(() => [ReportRevision], { description: 'Published revisions, newest first.' })
  revisions(@Parent() r: Report, @Context() ctx: GraphQLContext) {
    return this.service.revisions(callerOf(ctx), r.id);
  }

  @ResolveField(() => [Report], { description: 'Linked reports the caller can see.' })
  linkedReports(@Parent() r: Report, @Context() ctx: GraphQLContext) {
    return this.service.linked(callerOf(ctx), r.linkedReportIds);
  }
}
