import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ReportAuthor } from '@renkei/sharing';
import { IsEnum, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

export enum FeedReach {
  DIRECT = 'direct',
  REVIEW = 'review',
  NONE = 'none',
}
registerEnumType(FeedReach, {
  name: 'FeedReach',
  description: "Whether an organisation's lists reach blocklists, TAXII and push.",
  valuesMap: {
    DIRECT: { description: 'At once, unless a change is large enough to be held (the default).' },
    REVIEW: { description: 'Every change waits for a coordinator.' },
    NONE: { description: 'Never: its entries stay out of every feed.' },
  },
});

export enum FeedReviewState {
  HELD = 'held',
  APPROVED = 'approved',
  REFUSED = 'refused',
}
registerEnumType(FeedReviewState, { name: 'FeedReviewState' });

export enum FeedStopKind {
  VALUE = 'value',
  LIST = 'list',
  ORGANISATION = 'organisation',
}
registerEnumType(FeedStopKind, {
  name: 'FeedStopKind',
  description: 'What an emergency stop pulls out of every feed.',
});

@ObjectType({ description: 'A change held out of feeds until a coordinator approves it.' })
export class HeldChange {
  @Field(() => Int, { description: 'What a coordinator approves or refuses.' }) changeId: number;
  @Field({ description: 'Why it was held.' }) reason: string;
}

@ObjectType()
export class FeedReview {
  @Field(() => Int) changeId: number;
  @Field(() => FeedReviewState) state: FeedReviewState;
  @Field() reason: string;
  @Field(() => ReportAuthor, {
    description:
      'Who posted it, as everywhere else: a pseudonym unless the list reveals its author.',
  })
  author: ReportAuthor;
  @Field(() => ID, { nullable: true, description: 'Null when you may not see the list.' })
  listId: string | null;
  @Field(() => String, { nullable: true }) listName: string | null;
  @Field(() => Int, { description: 'Values the change added to the list.' }) added: number;
  @Field(() => [String], {
    description:
      'The broadest of the added values (at most 100), when you may see the list; else empty.',
  })
  values: string[];
  @Field() heldAt: Date;
  @Field(() => Date, { nullable: true }) reviewedAt: Date | null;
  @Field(() => String, { nullable: true }) note: string | null;
}

@ObjectType()
export class FeedStop {
  @Field(() => Int) id: number;
  @Field(() => FeedStopKind) kind: FeedStopKind;
  @Field(() => String, { nullable: true }) value: string | null;
  @Field(() => ID, { nullable: true }) listId: string | null;
  @Field(() => ID, { nullable: true }) organisationId: string | null;
  @Field() reason: string;
  @Field() stoppedAt: Date;
  @Field(() => Date, { nullable: true }) liftedAt: Date | null;
}

@ObjectType()
export class ProtectedRangeView {
  @Field() range: string;
  @Field() note: string;
}

@ObjectType()
export class FeedReachSetting {
  @Field(() => ID) organisationId: string;
  @Field(() => FeedReach) reach: FeedReach;
}

@InputType()
export class FeedStopInput {
  @Field(() => FeedStopKind) @IsEnum(FeedStopKind) kind: FeedStopKind;
  @Field({ nullable: true, description: 'kind VALUE: the indicator, in any form.' })
  @IsOptional()
  @IsString()
  @MaxLength(8192)
  value?: string;
  @Field(() => ID, { nullable: true, description: 'kind LIST.' })
  @IsOptional()
  @IsUUID()
  listId?: string;
  @Field(() => ID, { nullable: true, description: 'kind ORGANISATION.' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;
  @Field({ description: 'Why; kept in the audit log and shown to coordinators.' })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason: string;
}
