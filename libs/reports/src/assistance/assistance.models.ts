import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  IsUUID,
  Length,
} from 'class-validator';
import { ReportAuthor } from '../reports/report.models';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export enum AssistanceStatus {
  OPEN = 'open',
  CLOSED = 'closed',
}
registerEnumType(AssistanceStatus, { name: 'AssistanceStatus' });

@InputType()
export class AssistanceRequestInput {
  @Field(() => ID, { description: 'The report the help is about (one you can see).' })
  @IsUUID('all')
  reportId: string;
  @Field(() => [ID], {
    nullable: true,
    description: 'Peer organisations to ask besides the coordinator, which is always asked.',
  })
  @IsOptional()
  @IsArray()
  @IsUUID('all', { each: true })
  @ArrayMaxSize(50)
  organisationIds?: string[];
  @Field({ description: 'What you need; scrubbed like report text before anyone else reads it.' })
  @Transform(trim)
  @IsString()
  @Length(1, 10000)
  body: string;
  @Field({
    nullable: true,
    description:
      'Default true: peers see "an operator in <sector>". Must stay true on your own anonymous report, which the request would otherwise name you as the author of.',
  })
  @IsOptional()
  @IsBoolean()
  anonymous?: boolean;
  @Field({ nullable: true, description: 'Let the coordinator see who asks.' })
  @IsOptional()
  @IsBoolean()
  revealToCoordinators?: boolean;
}

@ObjectType()
export class AssistanceResponse {
  @Field(() => ID) id: string;
  @Field() body: string;
  @Field(() => ReportAuthor, {
    description: 'Named to the requester, who chose whom to ask; a pseudonym to other peers.',
  })
  author: ReportAuthor;
  @Field() createdAt: Date;
}

@ObjectType({ description: 'A call for help on a report, tracked until the requester closes it.' })
export class AssistanceRequest {
  @Field(() => ID) id: string;
  @Field(() => ID, {
    nullable: true,
    description:
      'The report it is about: null to an asked organisation that cannot read that report (it ' +
      'is shown the request, not the report).',
  })
  reportId: string | null;
  @Field(() => ReportAuthor) requester: ReportAuthor;
  @Field(() => [ID], { nullable: true, description: 'Whom it asks: shown to the requester only.' })
  addressedOrganisationIds: string[] | null;
  @Field() body: string;
  @Field(() => AssistanceStatus) status: AssistanceStatus;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) closedAt: Date | null;
  @Field(() => [AssistanceResponse]) responses: AssistanceResponse[];
}
