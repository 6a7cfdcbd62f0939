import {
  Args,
  Context,
  Field,
  InputType,
  Mutation,
  ObjectType,
  Query,
  Resolver,
} from '@nestjs/graphql';
import { Inject } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, MaxLength } from 'class-validator';
import { HUB_CONFIG, HubConfig, UnauthenticatedError } from '@renkei/platform';
import { User } from '../users/user.entity';
import { AllowWithoutSecondFactor, CurrentPrincipal, Public } from './auth.decorators';
import { AuthService, SessionGrant } from './auth.service';
import { Principal } from './principal';
import { clientOf, GraphQLContext, SESSION_COOKIE } from './request-context';

@InputType()
export class LoginInput {
  @Field()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(320)
  email: string;

  @Field() @IsString() @MaxLength(4096) password: string;
}

@ObjectType({ description: 'A new session. Every authentication step issues a new token.' })
export class AuthPayload {
  @Field({
    description:
      'Opaque session token: send it as `Authorization: Bearer <token>`; browsers also get it as an HttpOnly cookie.',
  })
  token: string;
  @Field() expiresAt: Date;
  @Field(() => User) user: User;
  @Field({
    description:
      'False after a password: verify a second factor (verifyTotp, passkey, recovery code) next.',
  })
  secondFactorVerified: boolean;
  @Field({
    description: 'True when the user has no second factor yet: enrol one (it is mandatory).',
  })
  enrolmentRequired: boolean;
}

/** Sets the session cookie for the browser pages beside returning the token. */
export function issue(ctx: GraphQLContext, config: HubConfig, grant: SessionGrant): AuthPayload {
  ctx.res.cookie(SESSION_COOKIE, grant.token, {
    httpOnly: true,
    secure: config.sessions.cookieSecure,
    sameSite: 'strict',
    path: '/',
    expires: grant.expiresAt,
  });
  return grant;
}

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  @Public()
  @Mutation(() => AuthPayload, { description: 'Password login; a second factor must follow.' })
  async login(
    @Args('input') input: LoginInput,
    @Context() ctx: GraphQLContext,
  ): Promise<AuthPayload> {
    return issue(
      ctx,
      this.config,
      await this.auth.login(input.email, input.password, clientOf(ctx.req)),
    );
  }

  @AllowWithoutSecondFactor()
  @Mutation(() => Boolean, { description: 'Ends the current session.' })
  async logout(
    @CurrentPrincipal() principal: Principal,
    @Context() ctx: GraphQLContext,
  ): Promise<boolean> {
    await this.auth.logout(principal);
    ctx.res.clearCookie(SESSION_COOKIE, { path: '/' });
    return true;
  }

  @AllowWithoutSecondFactor()
  @Query(() => User, { description: 'The calling user.' })
  async me(@CurrentPrincipal() principal: Principal): Promise<User> {
    const user = await this.auth.currentUser(principal);
    if (!user) throw new UnauthenticatedError();
    return user;
  }
}
