import {
  Args,
  Context,
  Field,
  ID,
  InputType,
  Mutation,
  ObjectType,
  Query,
  Resolver,
} from '@nestjs/graphql';
import { IsArray, IsDate, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Type } from 'class-transformer';
import { AllowTokens, CurrentCaller, CurrentPrincipal, RequireRole } from '../auth/auth.decorators';
import { AnyPrincipal, Principal } from '../auth/principal';
import { clientOf, GraphQLContext } from '../auth/request-context';
import { Role } from '../users/user.entity';
import { ApiToken } from './api-token.entity';
import { ApiTokenService, TOKEN_SCOPES } from './api-token.service';

@InputType()
export class CreateApiTokenInput {
  @Field({ description: 'What it is for, e.g. "PA-3220 EDL pull".' })
  @IsString()
  @MaxLength(100)
  name: string;
  @Field(() => [String], { description: `Scopes: ${TOKEN_SCOPES.join(', ')}.` })
  @IsArray()
  @IsString({ each: true })
  scopes: string[];
  @Field(() => ID, {
    nullable: true,
    description:
      'Your own organisation (the default); any other is refused: a token acts as its organisation.',
  })
  @IsOptional()
  @IsUUID()
  organisationId?: string;
  @Field({ nullable: true }) @IsOptional() @Type(() => Date) @IsDate() expiresAt?: Date;
  @Field(() => [String], {
    nullable: true,
    description: 'Client address ranges allowed to use it.',
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  allowedRanges?: string[];
}

@ObjectType()
export class CreatedApiToken {
  @Field({ description: 'The token, shown once: only its hash is kept.' }) token: string;
  @Field(() => ApiToken) apiToken: ApiToken;
}

@ObjectType()
export class CallerInfo {
  @Field() kind: string;
  @Field(() => ID) organisationId: string;
  @Field(() => [String]) scopes: string[];
}

@Resolver(() => ApiToken)
export class ApiTokenResolver {
  constructor(private readonly tokens: ApiTokenService) {}

  @RequireRole(Role.HUB_ADMIN, Role.ORG_ADMIN)
  @Mutation(() => CreatedApiToken, { description: 'Needs a recent second-factor check.' })
  async createApiToken(
    @CurrentPrincipal() p: Principal,
    @Args('input') input: CreateApiTokenInput,
    @Context() ctx: GraphQLContext,
  ): Promise<CreatedApiToken> {
    return this.tokens.create(p, input, clientOf(ctx.req).address);
  }

  @RequireRole(Role.HUB_ADMIN, Role.ORG_ADMIN)
  @Query(() => [ApiToken], {
    description: "An organisation's API tokens (default: your own organisation's).",
  })
  apiTokens(
    @CurrentPrincipal() p: Principal,
    @Args('organisationId', { type: () => ID, nullable: true }) organisationId?: string,
  ): Promise<ApiToken[]> {
    return this.tokens.list(p, organisationId);
  }

  @RequireRole(Role.HUB_ADMIN, Role.ORG_ADMIN)
  @Mutation(() => ApiToken)
  revokeApiToken(
    @CurrentPrincipal() p: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ApiToken> {
    return this.tokens.revoke(p, id);
  }

  @AllowTokens(...TOKEN_SCOPES)
  @Query(() => CallerInfo, {
    description: 'Who the caller is: a user session or an API token and its scopes.',
  })
  whoami(@CurrentCaller() caller: AnyPrincipal): CallerInfo {
    return caller.kind === 'token'
      ? { kind: 'token', organisationId: caller.organisationId, scopes: caller.scopes }
      : { kind: 'user', organisationId: caller.organisationId, scopes: [] };
  }
}
