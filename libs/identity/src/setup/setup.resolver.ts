import { Args, Field, InputType, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsMailbox } from '@renkei/platform';
import { IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { Public } from '../auth/auth.decorators';
import { Organisation } from '../organisations/organisation.entity';
import { User } from '../users/user.entity';
import { SetupService } from './setup.service';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

@InputType()
export class CompleteSetupInput {
  @Field({ description: 'The one-time token the hub printed at its first start.' })
  @IsString()
  @MaxLength(200)
  token: string;
  @Field()
  @MaxLength(320)
  @IsMailbox()
  email: string;
  @Field() @IsString() password: string;
  @Field() @Transform(trim) @IsString() @Length(1, 200) displayName: string;
  @Field({
    description: 'Name of the coordinating organisation (the sector CSIRT running the hub).',
  })
  @Transform(trim)
  @IsString()
  @Length(2, 200)
  coordinatorName: string;
  @Field({ nullable: true, description: 'Its sector code; default `other`.' })
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,64}$/, { message: 'must be a sector code such as electric-power' })
  coordinatorSectorCode?: string;
}

@ObjectType()
export class SetupPayload {
  @Field(() => User) user: User;
  @Field(() => Organisation) organisation: Organisation;
}

@ObjectType()
export class HubStatus {
  @Field({ description: 'True until the first hub administrator has been created.' })
  setupRequired: boolean;
}

@Resolver()
export class SetupResolver {
  constructor(private readonly setup: SetupService) {}

  @Public()
  @Query(() => HubStatus)
  async hubStatus(): Promise<HubStatus> {
    return { setupRequired: !(await this.setup.isComplete()) };
  }

  @Public()
  @Mutation(() => SetupPayload, {
    description:
      'Creates the coordinator organisation and the first hub admin with the one-time setup token.',
  })
  completeSetup(@Args('input') input: CompleteSetupInput): Promise<SetupPayload> {
    return this.setup.complete(input.token, {
      email: input.email,
      password: input.password,
      displayName: input.displayName,
      coordinatorName: input.coordinatorName,
      coordinatorSectorCode: input.coordinatorSectorCode ?? 'other',
    });
  }
}
