import {
  Args,
  Context,
  Field,
  ID,
  Int,
  Mutation,
  ObjectType,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { BadInputError, Connection, ForbiddenError, PageArgs } from '@renkei/platform';
import { CurrentPrincipal, Public, RequireRole } from '../auth/auth.decorators';
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

@ObjectType()
export class RecipientOrganisation {
  @Field({ description: 'The address as asked, trimmed and lower-cased.' })
  email: string;
  @Field(() => String, {
    nullable: true,
    description:
      'The organisation of the proven account with this address; null when no proven account has it (unknown and unproven addresses answer alike).',
  })
  organisationName: string | null;
}

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

  @Query(() => [RecipientOrganisation], {
    description:
      'For an author choosing RED recipients: the organisation behind each address (at most 50). Only proven addresses resolve; RED reaches nobody else.',
  })
  async redRecipientOrganisations(
    @CurrentPrincipal() principal: Principal,
    @Args('emails', { type: () => [String] }) emails: string[],
  ): Promise<RecipientOrganisation[]> {
    if (principal.kind !== 'user') {
      throw new ForbiddenError('RED names people; API tokens neither read nor address it');
    }
    if (emails.length > 50) {
      throw new BadInputError([{ path: 'emails', message: 'at most 50 addresses at a time' }]);
    }
    return this.service.recipientOrganisations(emails);
  }

  @RequireRole(Role.HUB_ADMIN, Role.ORG_ADMIN)
  @Mutation(() => User, {
    description:
      "Creates a user. An address outside the organisation's registered domains must be proven: the hub mails a one-time link to it (SMTP_URL; without it the link is printed on the server's console for the operator to forward) and the account cannot log in or receive RED until it is redeemed with verifyEmail.",
  })
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
      'A one-time password reset token for a user (1 hour); give it to them out of band. With resetSecondFactors (needs your recent second factor), redeeming it also removes all their second factors and recovery codes: for someone who lost them all, once you have made sure who they are.',
  })
  issuePasswordReset(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Context() ctx: GraphQLContext,
    @Args('resetSecondFactors', { nullable: true }) resetSecondFactors?: boolean,
  ): Promise<PasswordResetTicket> {
    return this.auth.issuePasswordReset(
      principal,
      id,
      clientOf(ctx.req),
      resetSecondFactors ?? false,
    );
  }

  @RequireRole(Role.HUB_ADMIN, Role.ORG_ADMIN)
  @Mutation(() => Boolean, {
    description:
      'Sends a new one-time link to prove an unproven address (earlier links stop working); false when the address is proven already.',
  })
  issueEmailVerification(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<boolean> {
    return this.service.reissueProof(principal, id);
  }

  @Public()
  @Mutation(() => Boolean, {
    description: 'Proves an e-mail address with the one-time link the hub sent to it.',
  })
  async verifyEmail(
    @Args('token') token: string,
    @Context() ctx: GraphQLContext,
  ): Promise<boolean> {
    await this.service.redeemProof(token, clientOf(ctx.req));
    return true;
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
