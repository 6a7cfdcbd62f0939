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
import { Transform } from 'class-transformer';
import { IsString, MaxLength } from 'class-validator';
import { UnauthenticatedError } from '@renkei/platform';
import { User } from '../users/user.entity';
import { CurrentPrincipal, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { Principal } from './principal';
import { GraphQLContext } from './request-context';

@InputType()
export class LoginInput {
  @Field()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(320)
  email: string;

  @Field() @IsString() @MaxLength(4096) password: string;
}

@ObjectType()
export class LoginPayload {
  @Field({ description: 'Opaque session token: send it as `Authorization: Bearer <token>`.' })
  token: string;
  @Field() expiresAt: Date;
  @Field(() => User) user: User;
}

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Mutation(() => LoginPayload, { description: 'Password login; returns a new session token.' })
  login(@Args('input') input: LoginInput, @Context() ctx: GraphQLContext): Promise<LoginPayload> {
    return this.auth.login(input.email, input.password, ctx.req.ip);
  }

  @Mutation(() => Boolean, { description: 'Ends the current session.' })
  async logout(@CurrentPrincipal() principal: Principal): Promise<boolean> {
    await this.auth.logout(principal);
    return true;
  }

  @Query(() => User, { description: 'The calling user.' })
  async me(@CurrentPrincipal() principal: Principal): Promise<User> {
    const user = await this.auth.currentUser(principal);
    if (!user) throw new UnauthenticatedError();
    return user;
  }
}
