import {
  Args,
  Context,
  ID,
  Int,
  Mutation,
  ObjectType,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { Connection, PageArgs } from '@renkei/platform';
import { CurrentPrincipal, RequireRole } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { clientOf, GraphQLContext } from '../auth/request-context';
import { AuthService } from '../auth/auth.service';
import { PasswordResetTicket } from '../mfa/mfa.resolver';
import { IdentityLoaders } from '../identity.loaders';
import { Organisation } from '../organisations/organisation.entity';
import { Role, User, UserStatus } from './user.entity';
import { CreateUserInput, UserFilter } from './user.inputs';
import { UserService } from './user.service';

@ObjectType()
export class UserConnection extends Connection(User, 'User') {}

@Resolver(() => User)
export class UserResolver {
  constructor(
    private readonly service: UserService,
    private readonly loaders: IdentityLoaders,
    private readonly auth: AuthService,
  ) {}

  @Query(() => UserConnection, {
    description: "Users of the caller's own organisation; hub admins may list any organisation.",
  })
  users(
    @CurrentPrincipal() principal: Principal,
    @Args() page: PageArgs,
    @Args('filter', { nullable: true }) filter?: UserFilter,
  ): Promise<UserConnection> {
    return this.service.list(principal, filter, page.first, page.after);
  }

  @Query(() => User)
  user(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<User> {
    return this.service.get(principal, id);
  }

  @RequireRole(Role.HUB_ADMIN, Role.ORG_ADMIN)
  @Mutation(() => User)
  createUser(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateUserInput,
  ): Promise<User> {
    return this.service.create(principal, input);
  }

  @RequireRole(Role.HUB_ADMIN, Role.ORG_ADMIN)
  @Mutation(() => User)
  setUserRole(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('role', { type: () => Role }) role: Role,
  ): Promise<User> {
    return this.service.setRole(principal, id, role);
  }

  @RequireRole(Role.HUB_ADMIN, Role.ORG_ADMIN)
  @Mutation(() => User, { description: 'Suspends the user: their sessions stop working at once.' })
  suspendUser(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<User> {
    return this.service.setStatus(principal, id, UserStatus.SUSPENDED);
  }

  @RequireRole(Role.HUB_ADMIN, Role.ORG_ADMIN)
  @Mutation(() => User)
  reactivateUser(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<User> {
    return this.service.setStatus(principal, id, UserStatus.ACTIVE);
  }

  @RequireRole(Role.HUB_ADMIN, Role.ORG_ADMIN)
  @Mutation(() => PasswordResetTicket, {
    description:
      'A one-time password reset token for a user (1 hour); give it to them out of band.',
  })
  issuePasswordReset(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Context() ctx: GraphQLContext,
  ): Promise<PasswordResetTicket> {
    return this.auth.issuePasswordReset(principal, id, clientOf(ctx.req));
  }

  @RequireRole(Role.HUB_ADMIN, Role.ORG_ADMIN)
  @Mutation(() => Int, { description: 'Ends every session of a user; returns how many.' })
  revokeUserSessions(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<number> {
    return this.auth.revokeUserSessions(principal, id);
  }

  @ResolveField(() => Organisation)
  organisation(@Parent() user: User, @Context() ctx: GraphQLContext): Promise<Organisation> {
    return this.loaders.of(ctx.req).organisation.load(user.organisationId);
  }
}
