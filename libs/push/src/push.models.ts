import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { IndicatorList } from '@renkei/indicators';
import { Report, ReportComment, ReportKind, ReportSighting, TlpMarking } from '@renkei/reports';
import { IsArray, IsEnum, IsOptional, IsString, IsUUID } from 'class-validator';

@InputType()
export class ReportEventFilter {
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
export class ListEventFilter {
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsUUID('all', { each: true })
  listIds?: string[];
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
  @Field() at: Date;
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
  @Field() at: Date;
  @Field(() => IndicatorList) list: IndicatorList;
  @Field(() => [String], { description: 'Values added or sighted again (entries_added).' })
  added: string[];
  @Field(() => [String], { description: 'Values removed (entries_removed).' })
  removed: string[];
}
