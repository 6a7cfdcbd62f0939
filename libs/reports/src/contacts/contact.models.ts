import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Transform, Type } from 'class-transformer';
import { IsMailbox } from '@renkei/platform';
import { IsEnum, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { AudienceInput, ReportAudience, TlpMarking } from '../reports/report.models';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

@InputType({ description: "Your organisation's emergency points of contact." })
export class ContactInput {
  @Field(() => TlpMarking, {
    description: 'Who may read the entry: CLEAR, GREEN, AMBER or AMBER_STRICT (RED names people).',
  })
  @IsEnum(TlpMarking)
  tlp: TlpMarking;
  @Field(() => AudienceInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AudienceInput)
  audience?: AudienceInput;
  @Field({ nullable: true, description: 'Reachable 24/7.' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  phone?: string;
  @Field({ nullable: true })
  @IsOptional()
  @IsMailbox()
  email?: string;
  @Field({ nullable: true, description: 'ASCII-armoured OpenPGP public key.' })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  openpgpKey?: string;
  @Field({ nullable: true, description: 'e.g. "24/7; on-call engineer outside 9-18 JST".' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  hours?: string;
  @Field({ nullable: true, description: 'Whom to call next, and when.' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  escalation?: string;
}

@ObjectType({ description: "An organisation's emergency points of contact (顔の見える関係)." })
export class OrganisationContact {
  @Field(() => ID) organisationId: string;
  @Field() organisationName: string;
  @Field(() => TlpMarking) tlp: TlpMarking;
  @Field(() => String, { nullable: true }) phone: string | null;
  @Field(() => String, { nullable: true }) email: string | null;
  @Field(() => String, { nullable: true }) openpgpKey: string | null;
  @Field(() => String, { nullable: true }) hours: string | null;
  @Field(() => String, { nullable: true }) escalation: string | null;
  @Field() updatedAt: Date;
  @Field({ description: 'When the organisation last said the entry is still correct.' })
  lastConfirmedAt: Date;
  @Field({ description: 'Not confirmed for a year: treat with care, and ask.' })
  confirmationOverdue: boolean;
  @Field(() => ReportAudience, { nullable: true, description: 'Shown to the owner only.' })
  audience: ReportAudience | null;
}

@ObjectType({ description: 'An organisation that owes the yearly confirmation of its contacts.' })
export class ContactReminder {
  @Field(() => ID) organisationId: string;
  @Field() organisationName: string;
  @Field(() => Date, { nullable: true, description: 'Null: no entry yet.' })
  lastConfirmedAt: Date | null;
}
