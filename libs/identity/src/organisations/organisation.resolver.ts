import {
  Args,
  Context,
  ID,
  Mutation,
  ObjectType,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { Connection, PageArgs } from '@renkei/platform';
import { CurrentPrincipal, RequireRole } from '../auth/auth.decorators';
import { isHubAdmin, Principal } from '../auth/principal';
import { CorporateGroup } from '../groups/corporate-group.entity';
import { Sector } from '../sectors/sector.entity';
import { Role } from '../users/user.entity';
import { IdentityLoaders } from '../identity.loaders';
import { GraphQLContext } from '../auth/request-context';
import { Organisation, OrganisationStatus } from './organisation.entity';
import {
  CreateOrganisationInput,
  OrganisationFilter,
  UpdateOrganisationInput,
} from './organisation.inputs';
import { OrganisationService } from './organisation.service';

@ObjectType()
export class OrganisationConnection extends Connection(Organisation, 'Organisation') {}

/** Address ranges and domains are the organisation's own business: its members and hub admins. */
const mayReadOwnership = (p: Principal, org: Organisation) =>
  isHubAdmin(p) || p.organisationId === org.id;

@Resolver(() => Organisation)
export class OrganisationResolver {
  constructor(
    private readonly service: OrganisationService,
    private readonly loaders: IdentityLoaders,
  ) {}

  @Query(() => OrganisationConnection, {
    description: 'The member directory: every organisation on the hub (name, kind, sector).',
  })
  organisations(
    @Args() page: PageArgs,
    @Args('filter', { nullable: true }) filter?: OrganisationFilter,
  ): Promise<OrganisationConnection> {
    return this.service.list(filter, page.first, page.after);
  }

  @Query(() => Organisation)
  organisation(@Args('id', { type: () => ID }) id: string): Promise<Organisation> {
    return this.service.get(id);
  }

  @RequireRole(Role.HUB_ADMIN)
  @Mutation(() => Organisation)
  createOrganisation(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateOrganisationInput,
  ): Promise<Organisation> {
    return this.service.create(input, undefined, principal);
  }

  @RequireRole(Role.HUB_ADMIN)
  @Mutation(() => Organisation)
  updateOrganisation(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateOrganisationInput,
  ): Promise<Organisation> {
    return this.service.update(id, input);
  }

  @RequireRole(Role.HUB_ADMIN)
  @Mutation(() => Organisation, {
    description: "Suspends the organisation: its users' sessions stop working.",
  })
  suspendOrganisation(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Organisation> {
    return this.service.setStatus(id, OrganisationStatus.SUSPENDED, principal);
  }

  @RequireRole(Role.HUB_ADMIN)
  @Mutation(() => Organisation)
  reactivateOrganisation(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Organisation> {
    return this.service.setStatus(id, OrganisationStatus.ACTIVE, principal);
  }

  @ResolveField(() => Sector)
  sector(@Parent() org: Organisation, @Context() ctx: GraphQLContext): Promise<Sector> {
    return this.loaders.of(ctx.req).sector.load(org.sectorCode);
  }

  @ResolveField(() => CorporateGroup, { nullable: true })
  async group(
    @Parent() org: Organisation,
    @Context() ctx: GraphQLContext,
  ): Promise<CorporateGroup | null> {
    return org.groupId ? this.loaders.of(ctx.req).group.load(org.groupId) : null;
  }

  @ResolveField(() => [String], {
    nullable: true,
    description:
      "Owned CIDR ranges. Only the organisation's members and hub admins see them; null for others.",
  })
  addressRanges(@Parent() org: Organisation, @CurrentPrincipal() p: Principal): string[] | null {
    return mayReadOwnership(p, org) ? org.addressRanges : null;
  }

  @ResolveField(() => [String], {
    nullable: true,
    description:
      "Owned domain names. Only the organisation's members and hub admins see them; null for others.",
  })
  domains(@Parent() org: Organisation, @CurrentPrincipal() p: Principal): string[] | null {
    return mayReadOwnership(p, org) ? org.domains : null;
  }
}
