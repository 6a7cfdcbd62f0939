import { Field, ID, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
} from 'class-validator';
import { OrganisationKind, OrganisationStatus } from './organisation.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

@InputType()
export class CreateOrganisationInput {
  @Field() @Transform(trim) @IsString() @Length(2, 200) name: string;
  @Field(() => OrganisationKind) @IsEnum(OrganisationKind) kind: OrganisationKind;
  @Field({ description: 'A sector code from `sectors`.' })
  @IsString()
  @Matches(/^[a-z0-9-]{1,64}$/, { message: 'must be a sector code such as electric-power' })
  sectorCode: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() groupId?: string;
  @Field(() => [String], { nullable: true, description: 'Owned CIDR ranges or addresses.' })
  @IsOptional()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  addressRanges?: string[];
  @Field(() => [String], { nullable: true, description: 'Owned domain names (IDN allowed).' })
  @IsOptional()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  domains?: string[];
}

@InputType()
export class UpdateOrganisationInput {
  @Field({ nullable: true })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(2, 200)
  name?: string;
  @Field(() => OrganisationKind, { nullable: true })
  @IsOptional()
  @IsEnum(OrganisationKind)
  kind?: OrganisationKind;
  @Field({ nullable: true })
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,64}$/, { message: 'must be a sector code such as electric-power' })
  sectorCode?: string;
  @Field(() => ID, { nullable: true, description: 'A group id; use clearGroup to leave a group.' })
  @IsOptional()
  @IsUUID()
  groupId?: string;
  @Field({ nullable: true }) @IsOptional() clearGroup?: boolean;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  addressRanges?: string[];
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  domains?: string[];
}

@InputType()
export class OrganisationFilter {
  @Field({ nullable: true }) @IsOptional() @IsString() sectorCode?: string;
  @Field(() => OrganisationKind, { nullable: true })
  @IsOptional()
  @IsEnum(OrganisationKind)
  kind?: OrganisationKind;
  @Field(() => OrganisationStatus, { nullable: true })
  @IsOptional()
  @IsEnum(OrganisationStatus)
  status?: OrganisationStatus;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() groupId?: string;
  @Field({ nullable: true, description: 'Case-insensitive substring of the name.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  nameContains?: string;
  @Field(() => [ID], {
    nullable: true,
    description: 'Only these organisations (at most 100): the names of ids a client already holds.',
  })
  @IsOptional()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  ids?: string[];
}
