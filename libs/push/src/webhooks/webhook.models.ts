import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { Language, ListEventFilter, ReportEventFilter } from '../push.models';

export enum WebhookTopic {
  REPORTS = 'reports',
  LISTS = 'lists',
}
registerEnumType(WebhookTopic, { name: 'WebhookTopic' });

export enum WebhookFormat {
  GENERIC = 'generic',
  SLACK = 'slack',
  TEAMS = 'teams',
}
registerEnumType(WebhookFormat, {
  name: 'WebhookFormat',
  valuesMap: {
    GENERIC: {
      description: 'The event as JSON, for programs (every field a subscriber may select).',
    },
    SLACK: { description: 'A Slack incoming-webhook message ({text, blocks}).' },
    TEAMS: { description: 'A Microsoft Teams message with an Adaptive Card.' },
  },
});

@InputType()
export class CreateWebhookInput {
  @Field({ description: 'https://… (http only to localhost, outside production).' })
  @IsString()
  @MaxLength(2000)
  url: string;
  @Field(() => WebhookTopic) @IsEnum(WebhookTopic) topic: WebhookTopic;
  @Field(() => WebhookFormat, {
    nullable: true,
    description:
      'GENERIC by default. Chat formats carry the TLP label first, and for AMBER+STRICT a link and no content.',
  })
  @IsOptional()
  @IsEnum(WebhookFormat)
  format?: WebhookFormat;
  @Field(() => Language, { nullable: true, description: 'Of chat messages; EN by default.' })
  @IsOptional()
  @IsEnum(Language)
  language?: Language;
  @Field(() => ReportEventFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReportEventFilter)
  reportFilter?: ReportEventFilter;
  @Field(() => ListEventFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ListEventFilter)
  listFilter?: ListEventFilter;
}

@ObjectType()
export class Webhook {
  @Field(() => ID) id: string;
  @Field() url: string;
  @Field(() => WebhookTopic) topic: WebhookTopic;
  @Field(() => WebhookFormat) format: WebhookFormat;
  @Field(() => Language) language: Language;
  @Field({ description: 'active, or paused after failing for WEBHOOK_GIVE_UP_SECONDS' })
  status: string;
  @Field(() => String, { nullable: true }) pausedReason: string | null;
  @Field(() => Int, { description: 'Failed attempts in a row at the current event.' })
  attempts: number;
  @Field() nextAttemptAt: Date;
  @Field(() => Date, { nullable: true }) failingSince: Date | null;
  @Field() createdAt: Date;
}

@ObjectType()
export class WebhookCreated {
  @Field(() => Webhook) webhook: Webhook;
  @Field({ description: 'The signing secret, shown once: verify X-Renkei-Signature with it.' })
  secret: string;
}

@ObjectType()
export class WebhookDelivery {
  @Field(() => ID) eventId: string;
  @Field(() => Int) attempt: number;
  @Field(() => Int, { nullable: true }) statusCode: number | null;
  @Field(() => String, { nullable: true }) error: string | null;
  @Field(() => Int) durationMs: number;
  @Field() at: Date;
}
