import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '@renkei/platform';
import { HeldChange } from '../feeds/feed-guard.models';
import { IsTag } from '../imports/entry-input';
import { AudienceInput, ReportAudience, ReportAuthor, TlpMarking } from '@renkei/sharing';
import { Type } from 'class-transformer';
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
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export enum ListStatus {
  PUBLISHED = 'published',
  RETRACTED = 'retracted',
}
registerEnumType(ListStatus, { name: 'ListStatus' });

export enum IndicatorKind {
  IPV4 = 'ipv4',
  IPV6 = 'ipv6',
  IPV4_CIDR = 'ipv4-cidr',
  IPV6_CIDR = 'ipv6-cidr',
  DOMAIN = 'domain',
  URL = 'url',
  EMAIL = 'email',
  MD5 = 'md5',
  SHA1 = 'sha1',
  SHA256 = 'sha256',
}
registerEnumType(IndicatorKind, {
  name: 'IndicatorType',
  description: 'ipv4-cidr and ipv6-cidr are written IPV4_CIDR and IPV6_CIDR here.',
});

export enum EntryFormat {
  TEXT = 'text',
  CSV = 'csv',
  STIX = 'stix',
}
registerEnumType(EntryFormat, {
  name: 'EntryFormat',
  description:
    'TEXT: one value per line, # comments. CSV: header with value and optional type, confidence, ' +
    'first_seen, last_seen, valid_until, tags (separated by ;), note. STIX: a STIX 2.1 bundle.',
});

@InputType()
export class IndicatorListInput {
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, 200) name?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(4000) description?: string;
  @Field(() => TlpMarking, { nullable: true }) @IsOptional() @IsEnum(TlpMarking) tlp?: TlpMarking;
  @Field(() => AudienceInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AudienceInput)
  audience?: AudienceInput;
  @Field({ nullable: true, description: 'Default true: others see a pseudonym.' })
  @IsOptional()
  @IsBoolean()
  anonymous?: boolean;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() revealToCoordinators?: boolean;
  @Field(() => [String], {
    nullable: true,
    description: 'Sectors the indicators were seen against; feeds filter on them.',
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @ArrayMaxSize(20)
  sectors?: string[];
  @Field(() => Int, {
    nullable: true,
    description: 'Days a new entry stays live; default per type from INDICATOR_VALIDITY_DAYS.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  defaultValidityDays?: number;
  @Field(() => ID, { nullable: true, description: 'The report these indicators come from.' })
  @IsOptional()
  @IsUUID()
  reportId?: string;
  @Field({
    nullable: true,
    description:
      'The drill (訓練) this list belongs to; set at creation only. Exercise lists never reach ' +
      'feeds or TAXII, and removeExercise deletes them after the drill.',
  })
  @IsOptional()
  @IsString()
  @Length(3, 100)
  exercise?: string;
}

@InputType()
export class ListEntriesInput {
  @Field({ description: 'The entries, in `format`.' }) @IsString() text: string;
  @Field(() => EntryFormat, { nullable: true, defaultValue: EntryFormat.TEXT })
  @IsOptional()
  @IsEnum(EntryFormat)
  format?: EntryFormat;
  @Field({
    nullable: true,
    description:
      'false (default): one bad line rejects the whole input. true: add the good lines, return the rest.',
  })
  @IsOptional()
  @IsBoolean()
  partial?: boolean;
  @Field(() => Int, { nullable: true, description: 'For lines that give none; default 50.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  confidence?: number;
  @Field(() => Date, { nullable: true, description: 'When these were seen; default now.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  seenAt?: Date;
  @Field(() => Int, { nullable: true, description: "Default: the list's validity." })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  validityDays?: number;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @IsTag({ each: true })
  @ArrayMaxSize(20)
  tags?: string[];
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() reportId?: string;
  @Field({
    nullable: true,
    description:
      'true: a text or CSV range with host bits set (10.1.2.3/8) is taken as its network, with a warning. false (default): such a line is refused, naming the network and the single address.',
  })
  @IsOptional()
  @IsBoolean()
  normalise?: boolean;
}

@ObjectType({ description: 'A line (or STIX object) that was refused, or that needs attention.' })
export class EntryProblem {
  @Field(() => Int, { description: 'Line number (text, CSV) or object index (STIX).' })
  line: number;
  @Field({ description: 'e.g. "line 12" or "objects[3].pattern".' }) where: string;
  @Field() input: string;
  @Field() message: string;
}

@ObjectType()
export class EntryImportResult {
  @Field() applied: boolean;
  @Field(() => Int, { description: 'New values in the list.' }) added: number;
  @Field(() => Int, { description: 'Values already in the list, sighted again (expiry extended).' })
  resighted: number;
  @Field(() => Int) rejectedCount: number;
  @Field(() => [EntryProblem], { description: 'Refused lines (at most 1,000 listed).' })
  rejected: EntryProblem[];
  @Field(() => [EntryProblem], {
    description:
      'Accepted, but never served in blocklists: allow-listed (private, resolver, hub-wide, your own ranges).',
  })
  suppressed: EntryProblem[];
  @Field(() => [EntryProblem], { description: 'Accepted with a change, e.g. host bits masked.' })
  warnings: EntryProblem[];
  @Field(() => [EntryProblem], {
    description:
      'STIX objects not imported (not indicators of a supported kind, revoked, expired, older versions) and what imported objects say that the hub does not keep (properties, markings other than TLP), each with its path and the reason; at most 1,000 listed.',
  })
  ignored: EntryProblem[];
  @Field(() => Int, { description: 'How many were ignored, including those not listed.' })
  ignoredCount: number;
  @Field(() => HeldChange, {
    nullable: true,
    description:
      'Set when the change is held out of feeds, TAXII and push until a coordinator approves it.',
  })
  held?: HeldChange | null;
}

@ObjectType()
export class RemoveEntriesResult {
  @Field(() => Int) removed: number;
  @Field(() => [String], { description: 'Values that were not in the list.' }) notFound: string[];
}

@ObjectType()
export class ListEntry {
  @Field() value: string;
  @Field(() => IndicatorKind) type: IndicatorKind;
  @Field(() => Int) confidence: number;
  @Field() firstSeen: Date;
  @Field() lastSeen: Date;
  @Field() validUntil: Date;
  @Field() expired: boolean;
  @Field(() => [String]) tags: string[];
  @Field(() => String, { nullable: true }) note: string | null;
  @Field(() => ID, { nullable: true }) reportId: string | null;
}

@ObjectType()
export class ListEntryConnection extends Connection(ListEntry, 'ListEntry') {}

@InputType()
export class ListEntryFilter {
  @Field(() => IndicatorKind, { nullable: true })
  @IsOptional()
  @IsEnum(IndicatorKind)
  type?: IndicatorKind;
  @Field({ nullable: true, description: 'Substring of the value.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  text?: string;
  @Field({ nullable: true, description: 'Default false: live entries only.' })
  @IsOptional()
  @IsBoolean()
  includeExpired?: boolean;
}

@ObjectType()
export class IndicatorList {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() description: string;
  @Field(() => ListStatus) status: ListStatus;
  @Field(() => TlpMarking) tlp: TlpMarking;
  @Field(() => ReportAudience, { nullable: true, description: 'Owner only.' })
  audience: ReportAudience | null;
  @Field() anonymous: boolean;
  @Field(() => ReportAuthor) author: ReportAuthor;
  @Field(() => [String]) sectors: string[];
  @Field(() => Int, { nullable: true }) defaultValidityDays: number | null;
  @Field(() => ID, { nullable: true }) reportId: string | null;
  @Field(() => Int) revision: number;
  @Field(() => String, { nullable: true }) retractionReason: string | null;
  @Field(() => Int, { description: 'Entries not yet expired.' }) liveEntries: number;
  @Field({ description: 'Part of a drill (訓練): show it with an exercise banner.' })
  exercise: boolean;
  @Field(() => String, { nullable: true }) exerciseName: string | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
  /** Internal: entries resolve through it. */
  seq: number;
  ownerOrgId: string;
}

@ObjectType()
export class IndicatorListConnection extends Connection(IndicatorList, 'IndicatorList') {}

@ObjectType({ description: "One list's sighting of an indicator." })
export class IndicatorSighting {
  @Field(() => ID) listId: string;
  @Field() listName: string;
  @Field(() => TlpMarking) tlp: TlpMarking;
  @Field(() => ReportAuthor) author: ReportAuthor;
  @Field(() => Int) confidence: number;
  @Field() firstSeen: Date;
  @Field() lastSeen: Date;
  @Field() validUntil: Date;
  @Field(() => [String]) tags: string[];
  @Field(() => String, { nullable: true }) note: string | null;
}

@ObjectType({ description: 'A value with every sighting the caller may see.' })
export class Indicator {
  @Field() value: string;
  @Field(() => IndicatorKind) type: IndicatorKind;
  @Field(() => Int, { description: 'The highest confidence of the visible sightings.' })
  confidence: number;
  @Field() firstSeen: Date;
  @Field() lastSeen: Date;
  @Field({ description: 'The latest expiry of the visible sightings.' }) validUntil: Date;
  @Field(() => [IndicatorSighting]) sightings: IndicatorSighting[];
}

@ObjectType()
export class AllowedRangeView {
  @Field() range: string;
  @Field() reason: string;
  @Field({ description: 'special-purpose, public-resolver, hub or own' }) source: string;
}

@InputType()
export class IndicatorListFilter {
  @Field(() => ListStatus, { nullable: true })
  @IsOptional()
  @IsEnum(ListStatus)
  status?: ListStatus;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() ownOnly?: boolean;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) text?: string;
  @Field(() => ID, {
    nullable: true,
    description:
      'Lists naming this report, as each reader is shown the link: a link withheld from you (ADR 0018) does not match.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  reportId?: string;
}

@ObjectType({ description: "One API token's feed pulls in one hour (written once a minute)." })
export class FeedPull {
  @Field(() => ID) tokenId: string;
  @Field() tokenName: string;
  @Field() hour: Date;
  @Field(() => Int) requests: number;
  @Field(() => Int, { description: 'Answered 304: unchanged since the last pull.' })
  notModified: number;
  @Field({ description: 'Bytes of the feeds served (before compression), as text.' }) bytes: string;
  @Field(() => String, { nullable: true }) lastAddress: string | null;
  @Field() lastPath: string;
  @Field() lastAt: Date;
}
