import { Field, ID, ObjectType } from '@nestjs/graphql';

/** How the author of any shareable item (report, list, comment, sighting, review) is shown. */
@ObjectType({ description: 'Who wrote it, as the reader may know it.' })
export class ReportAuthor {
  @Field({
    description:
      'e.g. "an operator in electric power", or the organisation name when not anonymous. A label ' +
      'is used only when at least ANONYMITY_K organisations other than the reader fit it; else a ' +
      'wider one, down to "a member organisation (not anonymous: too few members)".',
  })
  label: string;
  @Field(() => ID, {
    nullable: true,
    description: 'Only when the reader may know the organisation.',
  })
  organisationId: string | null;
  @Field({ description: 'The reader belongs to the author organisation.' }) own: boolean;
}
