import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { IsMailbox } from '@renkei/platform';
import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUUID } from 'class-validator';
import { TlpMarking } from '../tlp';

@InputType({ description: 'Who may read an AMBER, AMBER_STRICT or RED report.' })
export class AudienceInput {
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsUUID('all', { each: true })
  @ArrayMaxSize(500)
  organisationIds?: string[];
  @Field(() => [String], {
    nullable: true,
    description: 'Sector codes: every member of the sector, now and later.',
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  sectorCodes?: string[];
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsUUID('all', { each: true })
  groupIds?: string[];
  @Field(() => [String], {
    nullable: true,
    description: 'RED only: recipients by exact e-mail address.',
  })
  @IsOptional()
  @IsArray()
  @IsMailbox({ each: true })
  @ArrayMaxSize(200)
  redRecipientEmails?: string[];
}

@ObjectType({ description: 'Shown to the owner organisation only.' })
export class ReportAudience {
  @Field(() => [ID]) organisationIds: string[];
  @Field(() => [String]) sectorCodes: string[];
  @Field(() => [ID]) groupIds: string[];
  @Field(() => [String]) redRecipientEmails: string[];
}

/** An audience as stored: what the policy columns of every shareable row hold. */
export interface ResolvedAudience {
  orgs: string[];
  sectors: string[];
  groups: string[];
  redEmails: string[];
  redUsers: string[];
}

/** The policy columns of a stored item, as both reports and lists name them. */
export interface StoredAudience {
  tlp: TlpMarking;
  audience_orgs: string[];
  audience_sectors: string[];
  audience_groups: string[];
  red_recipient_emails: string[];
}
