import { Args, Int, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Principal, RequireRole, Role } from '@renkei/identity';
import { ExerciseService } from './exercise.service';

@Resolver()
export class ExerciseResolver {
  constructor(private readonly service: ExerciseService) {}

  @RequireRole(Role.ORG_ADMIN, Role.HUB_ADMIN)
  @Mutation(() => Int, {
    description:
      "Deletes a drill's reports and indicator lists after the exercise: your organisation's, or every organisation's " +
      'when you administer the coordinator. Returns how many were removed.',
  })
  removeExercise(@CurrentPrincipal() p: Principal, @Args('name') name: string): Promise<number> {
    return this.service.remove(p, name);
  }
}
