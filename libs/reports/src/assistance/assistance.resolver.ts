import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Principal } from '@renkei/identity';
import { AssistanceRequest, AssistanceRequestInput } from './assistance.models';
import { AssistanceService } from './assistance.service';

@Resolver(() => AssistanceRequest)
export class AssistanceResolver {
  constructor(private readonly service: AssistanceService) {}

  @Query(() => [AssistanceRequest], {
    description: 'Requests for assistance your organisation made or was asked, newest first.',
  })
  assistanceRequests(@CurrentPrincipal() p: Principal): Promise<AssistanceRequest[]> {
    return this.service.list(p);
  }

  @Query(() => AssistanceRequest, {
    description: 'One you made or were asked; any other is NOT_FOUND, like a missing one.',
  })
  assistanceRequest(
    @CurrentPrincipal() p: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<AssistanceRequest> {
    return this.service.get(p, id);
  }

  @Mutation(() => AssistanceRequest, {
    description: 'Asks the coordinator and the peers you name for help on a report.',
  })
  requestAssistance(
    @CurrentPrincipal() p: Principal,
    @Args('input') input: AssistanceRequestInput,
  ): Promise<AssistanceRequest> {
    return this.service.request(p, input);
  }

  @Mutation(() => AssistanceRequest, { description: 'Answers an open request you were asked.' })
  respondToAssistance(
    @CurrentPrincipal() p: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('body') body: string,
  ): Promise<AssistanceRequest> {
    return this.service.respond(p, id, body);
  }

  @Mutation(() => AssistanceRequest, { description: 'Closes a request your organisation made.' })
  closeAssistanceRequest(
    @CurrentPrincipal() p: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<AssistanceRequest> {
    return this.service.close(p, id);
  }
}
