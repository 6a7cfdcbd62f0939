import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { FeedReview, IndicatorList } from '@renkei/indicators';
import { Report, ReportComment, ReportKind, ReportSighting, TlpMarking } from '@renkei/reports';
import { IsArray, IsEnum, IsOptional, IsString, IsUUID } from 'class-validator';

/** The language the hub writes to a person (alerts) or a chat channel in. */
export enum Language {
  JA = 'ja',
  EN = 'en',
}
registerEnumType(Language, { name: 'Language' });

/** What happened to a report (the `kind` of a ReportEvent). */
export enum ReportEventKind {
  PUBLISHED = 'report.published',
  UPDATED = 'report.updated',
  RETRACTED = 'report.retracted',
  COMMENT_ADDED = 'report.comment_added',
  SIGHTING_ADDED = 'report.sighting_added',
}
registerEnumType(ReportEventKind, { name: 'ReportEventKind' });

/** What happened to a list (the `kind` of a ListEvent). */
export enum ListEventKind {
  CREATED = 'list.created',
  UPDATED = 'list.updated',
  RETRACTED = 'list.retracted',
  EXPIRED = 'list.expired',
  ENTRIES_ADDED = 'list.entries_added',
  ENTRIES_REMOVED = 'list.entries_removed',
}
registerEnumType(ListEventKind, { name: 'ListEventKind' });

@InputType()
@ObjectType('ReportEventFilterView', { description: 'A report filter as it was given.' })
export class ReportEventFilter {
  @Field(() => [ReportEventKind], { nullable: true, description: 'Any of these changes.' })
  @IsOptional()
  @IsArray()
  @IsEnum(ReportEventKind, { each: true })
  events?: ReportEventKind[];
  @Field(() => [ReportKind], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(ReportKind, { each: true })
  kinds?: ReportKind[];
  @Field(() => [String], { nullable: true, description: 'Any of these categories.' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  categories?: string[];
  @Field(() => [String], { nullable: true, description: 'Any of these affected sectors.' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  sectors?: string[];
  @Field(() => [TlpMarking], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(TlpMarking, { each: true })
  markings?: TlpMarking[];
}

@InputType()
@ObjectType('ListEventFilterView', { description: 'A list filter as it was given.' })
export class ListEventFilter {
  @Field(() => [ListEventKind], { nullable: true, description: 'Any of these changes.' })
  @IsOptional()
  @IsArray()
  @IsEnum(ListEventKind, { each: true })
  events?: ListEventKind[];
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsUUID('all', { each: true })
  listIds?: string[];
  @Field(() => [String], {
    nullable: true,
    description: 'Lists about any of these sectors (IndicatorList.sectors).',
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  sectors?: string[];
  @Field(() => [TlpMarking], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(TlpMarking, { each: true })
  markings?: TlpMarking[];
}

@ObjectType({ description: 'A change to a report you may see, as you would read it now.' })
export class ReportEvent {
  @Field(() => ID, { description: 'Store it; subscribe with after: it to resume.' }) cursor: string;
  @Field({
    description:
      'report.published, report.updated, report.retracted, report.comment_added or report.sighting_added',
  })
  kind: string;
  @Field({
    description: 'When it happened (rounded when the author is shown as a pseudonym, ADR 0017).',
  })
  at: Date;
  @Field(() => Report) report: Report;
  @Field(() => ReportComment, { nullable: true }) comment: ReportComment | null;
  @Field(() => ReportSighting, { nullable: true }) sighting: ReportSighting | null;
}

@ObjectType({ description: 'A change to an indicator list you may see.' })
export class ListEvent {
  @Field(() => ID, { description: 'Store it; subscribe with after: it to resume.' }) cursor: string;
  @Field({
    description:
      'list.created, list.updated, list.retracted, list.expired, list.entries_added or list.entries_removed',
  })
  kind: string;
  @Field({
    description: 'When it happened (rounded when the author is shown as a pseudonym, ADR 0017).',
  })
  at: Date;
  @Field(() => IndicatorList) list: IndicatorList;
  @Field(() => [String], { description: 'Values added or sighted again (entries_added).' })
  added: string[];
  @Field(() => [String], { description: 'Values removed (entries_removed).' })
  removed: string[];
}

@ObjectType({
  description:
    "A change held out of blocklists for review, or its review: told to the author's organisation and to coordinators (ADR 0012).",
})
export class FeedReviewEvent {
  @Field(() => ID, { description: 'Store it; subscribe with after: it to resume.' }) cursor: string;
  @Field({ description: 'feed.change_held or feed.change_reviewed' })
  kind: string;
  @Field({
    description: 'When it happened (rounded when the author is shown as a pseudonym, ADR 0017).',
  })
  at: Date;
  @Field(() => FeedReview, { description: 'The change as feedReviews shows it to you now.' })
  review: FeedReview;
}
