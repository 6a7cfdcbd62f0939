import { Field, ID, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsMailbox } from '@renkei/platform';
import { IsEnum, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { Role } from './user.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

@InputType()
export class CreateUserInput {
  @Field(() => ID) @IsUUID() organisationId: string;
  @Field()
  @MaxLength(320)
  @IsMailbox()
  email: string;
  @Field() @Transform(trim) @IsString() @Length(1, 200) displayName: string;
  @Field(() => Role) @IsEnum(Role) role: Role;
  @Field({ description: 'Initial password: at least 12 characters; no composition rules.' })
  @IsString()
  initialPassword: string;
}

@InputType()
export class UserFilter {
  @Field(() => ID, {
    nullable: true,
    description: 'Hub admins only; others always see their own organisation.',
  })
  @IsOptional()
  @IsUUID()
  organisationId?: string;
  @Field(() => Role, { nullable: true }) @IsOptional() @IsEnum(Role) role?: Role;
}
