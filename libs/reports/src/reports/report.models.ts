import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { AudienceInput, ReportAudience, ReportAuthor, TlpMarking } from '@renkei/sharing';

// Shared by every item type (libs/sharing); re-exported so report code reads as before.
export { AudienceInput, ReportAudience, ReportAuthor, TlpMarking };

export enum ReportKind {
  INCIDENT = 'incident',
  NEAR_MISS = 'near_miss',
  /** 注意喚起: issued by the coordinator only, always named (ADR 0022). */
  ADVISORY = 'advisory',
}
registerEnumType(ReportKind, { name: 'ReportKind' });

export enum ReportStatus {
  DRAFT = 'draft',
  PUBLISHED = 'published',
  RETRACTED = 'retracted',
}
registerEnumType(ReportStatus, { name: 'ReportStatus' });

export enum StatisticsPeriod {
  MONTH = 'month',
  QUARTER = 'quarter',
}
registerEnumType(StatisticsPeriod, { name: 'StatisticsPeriod' });

/** The free-text sections of a report, in the shape incident reviews are written in. */
export const SECTION_FIELDS = [
  'summary',
  'background',
  'detection',
  'response',
  'cause',
  'countermeasures',
  'lessonsLearned',
] as const;
export type SectionField = (typeof SECTION_FIELDS)[number];

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

@InputType()
export class TimelineInput {
  @Field({ nullable: true }) @IsOptional() @Type(() => Date) @IsDate() occurredAt?: Date;
  @Field({ nullable: true }) @IsOptional() @Type(() => Date) @IsDate() detectedAt?: Date;
  @Field({ nullable: true }) @IsOptional() @Type(() => Date) @IsDate() containedAt?: Date;
  @Field({ nullable: true }) @IsOptional() @Type(() => Date) @IsDate() recoveredAt?: Date;
}

@InputType()
export class ImpactInput {
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(2000) servicesAffected?: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) durationMinutes?: number;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(2000) scope?: string;
}

@InputType()
export class ReportInput {
  @Field(() => ReportKind, { nullable: true }) @IsOptional() @IsEnum(ReportKind) kind?: ReportKind;
  @Field({ nullable: true })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(3, 300)
  title?: string;
  @Field(() => TlpMarking, { nullable: true }) @IsOptional() @IsEnum(TlpMarking) tlp?: TlpMarking;
  @Field(() => AudienceInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AudienceInput)
  audience?: AudienceInput;
  @Field({ nullable: true, description: 'Default true: others see "an operator in <sector>".' })
  @IsOptional()
  @IsBoolean()
  anonymous?: boolean;
  @Field({
    nullable: true,
    description: 'Let coordinators see the author organisation of this anonymous report.',
  })
  @IsOptional()
  @IsBoolean()
  revealToCoordinators?: boolean;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(20000) summary?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(20000) background?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(20000) detection?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(20000) response?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(20000) cause?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(20000) countermeasures?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(20000) lessonsLearned?: string;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @ArrayMaxSize(20)
  categories?: string[];
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @ArrayMaxSize(20)
  affectedSectors?: string[];
  @Field(() => TimelineInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => TimelineInput)
  timeline?: TimelineInput;
  @Field(() => ImpactInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ImpactInput)
  impact?: ImpactInput;
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsUUID('all', { each: true })
  @ArrayMaxSize(50)
  linkedReportIds?: string[];
  @Field({
    nullable: true,
    description:
      'The drill (訓練) this report belongs to, e.g. "2026 sector DoS drill"; set at creation only. ' +
      'Exercises never reach TAXII, feeds or statistics, and removeExercise deletes them after the drill.',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(3, 100)
  exercise?: string;
}

@InputType()
export class ReportFilter {
  @Field(() => ReportKind, { nullable: true }) @IsOptional() @IsEnum(ReportKind) kind?: ReportKind;
  @Field({ nullable: true }) @IsOptional() @IsString() category?: string;
  @Field({ nullable: true, description: 'An affected sector code.' })
  @IsOptional()
  @IsString()
  sector?: string;
  @Field(() => TlpMarking, { nullable: true }) @IsOptional() @IsEnum(TlpMarking) tlp?: TlpMarking;
  @Field(() => ReportStatus, { nullable: true })
  @IsOptional()
  @IsEnum(ReportStatus)
  status?: ReportStatus;
  @Field({ nullable: true }) @IsOptional() @Type(() => Date) @IsDate() publishedAfter?: Date;
  @Field({ nullable: true }) @IsOptional() @Type(() => Date) @IsDate() publishedBefore?: Date;
  @Field({ nullable: true, description: 'Free text, Japanese or English (substring match).' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  text?: string;
}

@ObjectType()
export class ReportCategory {
  @Field() code: string;
  @Field(() => String, { nullable: true }) parentCode: string | null;
  @Field() nameEn: string;
  @Field() nameJa: string;
}

@ObjectType()
export class ReportTimeline {
  @Field(() => Date, { nullable: true }) occurredAt: Date | null;
  @Field(() => Date, { nullable: true }) detectedAt: Date | null;
  @Field(() => Date, { nullable: true }) containedAt: Date | null;
  @Field(() => Date, { nullable: true }) recoveredAt: Date | null;
}

@ObjectType()
export class ReportImpact {
  @Field(() => String, { nullable: true }) servicesAffected: string | null;
  @Field(() => Int, { nullable: true }) durationMinutes: number | null;
  @Field(() => String, { nullable: true }) scope: string | null;
}

@ObjectType()
export class ReportComment {
  @Field(() => ID) id: string;
  @Field() body: string;
  @Field(() => ReportAuthor) author: ReportAuthor;
  @Field() createdAt: Date;
}

@ObjectType({ description: '"We saw this too."' })
export class ReportSighting {
  @Field(() => ID) id: string;
  @Field(() => String, { nullable: true }) seenOn: string | null;
  @Field(() => String, { nullable: true }) note: string | null;
  @Field(() => ReportAuthor) author: ReportAuthor;
  @Field() createdAt: Date;
}

@ObjectType()
export class ReportRevision {
  @Field(() => Int) revision: number;
  @Field() title: string;
  @Field(() => TlpMarking) tlp: TlpMarking;
  @Field() createdAt: Date;
}

@ObjectType()
export class Report {
  @Field(() => ID) id: string;
  @Field(() => ReportKind) kind: ReportKind;
  @Field(() => ReportStatus) status: ReportStatus;
  @Field(() => TlpMarking) tlp: TlpMarking;
  @Field() title: string;
  @Field(() => String, { nullable: true }) summary: string | null;
  @Field(() => String, { nullable: true }) background: string | null;
  @Field(() => String, { nullable: true }) detection: string | null;
  @Field(() => String, { nullable: true }) response: string | null;
  @Field(() => String, { nullable: true }) cause: string | null;
  @Field(() => String, { nullable: true }) countermeasures: string | null;
  @Field(() => String, { nullable: true }) lessonsLearned: string | null;
  @Field(() => [String]) categories: string[];
  @Field(() => [String]) affectedSectors: string[];
  @Field(() => ReportTimeline) timeline: ReportTimeline;
  @Field(() => ReportImpact) impact: ReportImpact;
  @Field() anonymous: boolean;
  @Field(() => ReportAuthor) author: ReportAuthor;
  @Field(() => Int) revision: number;
  @Field(() => String, { nullable: true }) retractionReason: string | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
  @Field(() => Date, { nullable: true }) publishedAt: Date | null;
  @Field(() => ReportAudience, { nullable: true }) audience: ReportAudience | null;
  @Field({ description: 'Part of a drill (訓練): show it with an exercise banner.' })
  exercise: boolean;
  @Field(() => String, { nullable: true, description: 'The drill it belongs to.' })
  exerciseName: string | null;
  /** Kept for field resolvers: never exposed. */
  ownerOrgId: string;
  linkedReportIds: string[];
}

@ObjectType()
export class RedactionView {
  @Field(() => Int) start: number;
  @Field(() => Int) end: number;
  @Field() kind: string;
  @Field() original: string;
  @Field() replacement: string;
  @Field({
    description:
      'Whether you may keep it as written (an attacker address, say); never for your organisation’s own names, users, domains or ranges.',
  })
  keepable: boolean;
}

@ObjectType()
export class SectionPreview {
  @Field() field: string;
  @Field() text: string;
  @Field(() => [RedactionView]) redactions: RedactionView[];
  @Field(() => [RedactionView], { description: 'Redactions you chose to keep as written.' })
  kept: RedactionView[];
}

@InputType({ description: 'A redaction of the preview to keep as written: its field and start.' })
export class RedactionKeepInput {
  @Field() @IsString() @MaxLength(100) field: string;
  @Field(() => Int) @IsInt() @Min(0) start: number;
}

@ObjectType({ description: 'How readers in other organisations will be shown the author.' })
export class AuthorPreview {
  @Field(() => [String], {
    description:
      'Your organisation’s name when the report is not anonymous; otherwise every pseudonym a reader may be shown.',
  })
  labels: string[];
  @Field({
    description:
      'The report is anonymous, but the hub has too few member organisations like yours for some readers: they are told it is not anonymous, and may guess who wrote it.',
  })
  tooFewToHideIn: boolean;
}

@ObjectType({ description: 'What others would read; publish with its previewHash to confirm it.' })
export class RedactionPreview {
  @Field() previewHash: string;
  @Field(() => [SectionPreview]) sections: SectionPreview[];
  @Field(() => AuthorPreview) author: AuthorPreview;
}

@ObjectType()
export class ReportCount {
  @Field() period: string;
  @Field(() => ReportKind) kind: ReportKind;
  @Field() category: string;
  @Field() sector: string;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'Values present among the reports the caller can see.' })
export class ReportFilterOptions {
  @Field(() => [TlpMarking]) markings: TlpMarking[];
  @Field(() => [String]) categories: string[];
  @Field(() => [String]) sectors: string[];
  @Field(() => [ReportKind]) kinds: ReportKind[];
}
