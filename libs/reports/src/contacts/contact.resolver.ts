import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import {
  AllowTokens,
  AnyPrincipal,
  CurrentCaller,
  CurrentPrincipal,
  Principal,
  RequireRole,
  Role,
} from '@renkei/identity';
import { ContactInput, ContactReminder, OrganisationContact } from './contact.models';
import { ContactService } from './contact.service';

@Resolver(() => OrganisationContact)
export class ContactResolver {
  constructor(private readonly service: ContactService) {}

  @AllowTokens('reports:read')
  @Query(() => [OrganisationContact], {
    description:
      "Emergency points of contact the caller may see under each entry's marking (the coordinator sees all).",
  })
  contactDirectory(@CurrentCaller() caller: AnyPrincipal): Promise<OrganisationContact[]> {
    return this.service.directory(caller);
  }

  @RequireRole(Role.ORG_ADMIN, Role.HUB_ADMIN)
  @Mutation(() => OrganisationContact, {
    description: "Sets your organisation's contact entry; saving it also confirms it.",
  })
  setContact(
    @CurrentPrincipal() p: Principal,
    @Args('input') input: ContactInput,
  ): Promise<OrganisationContact> {
    return this.service.set(p, input);
  }

  @RequireRole(Role.ORG_ADMIN, Role.HUB_ADMIN)
  @Mutation(() => OrganisationContact, {
    description: 'The yearly "still correct?": confirms your entry as it stands.',
  })
  confirmContact(@CurrentPrincipal() p: Principal): Promise<OrganisationContact> {
    return this.service.confirm(p);
  }

  @Query(() => [ContactReminder], {
    description:
      'Coordinator only: organisations with no contact entry or none confirmed in the last year.',
  })
  contactReminders(@CurrentPrincipal() p: Principal): Promise<ContactReminder[]> {
    return this.service.reminders(p);
  }
}
