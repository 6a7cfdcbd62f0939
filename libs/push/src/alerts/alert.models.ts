import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, ValidateNested } from 'class-validator';
import { ListEventFilter, ReportEventFilter } from '../push.models';
import { WebhookTopic } from '../webhooks/webhook.models';

export enum AlertDelivery {
  IMMEDIATE = 'immediate',
  DAILY = 'daily',
  WEEKLY = 'weekly',
}
registerEnumType(AlertDelivery, {
  name: 'AlertDelivery',
  valuesMap: {
    IMMEDIATE: { description: 'One message per event, as it happens.' },
    DAILY: { description: "One digest per day (ALERT_TIME_ZONE's calendar), after midnight." },
    WEEKLY: { description: 'One digest per week, Monday to Sunday, after Sunday midnight.' },
  },
});

@InputType()
export class AlertRuleInput {
  @Field(() => WebhookTopic) @IsEnum(WebhookTopic) topic: WebhookTopic;
  @Field(() => AlertDelivery) @IsEnum(AlertDelivery) delivery: AlertDelivery;
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

@ObjectType({ description: 'An e-mail alert rule of yours (ADR 0021).' })
export class AlertRule {
  @Field(() => ID) id: string;
  @Field(() => WebhookTopic) topic: WebhookTopic;
  @Field(() => AlertDelivery) delivery: AlertDelivery;
  @Field(() => ReportEventFilter, { nullable: true }) reportFilter: ReportEventFilter | null;
  @Field(() => ListEventFilter, { nullable: true }) listFilter: ListEventFilter | null;
  @Field({
    description:
      'Paused: nothing is recorded for it until resumed; resumed, it alerts from then on.',
  })
  paused: boolean;
  @Field() createdAt: Date;
}

@ObjectType({ description: 'One alert or digest of a rule of yours, and how sending it went.' })
export class AlertSend {
  @Field(() => ID) id: string;
  @Field(() => ID) ruleId: string;
  @Field({ description: 'event:<id>, daily:<date> or weekly:<Monday>' }) period: string;
  @Field(() => Int, { description: 'Events it holds.' }) events: number;
  @Field({
    description:
      'pending (waiting for its period to end, or retrying), sent, or skipped (nothing in it you may still read)',
  })
  status: string;
  @Field(() => Int, { description: 'Attempts to send it so far.' }) attempts: number;
  @Field(() => String, { nullable: true, description: 'Why the last attempt failed.' })
  lastError: string | null;
  @Field({ description: 'When it is due (a digest: the end of its period).' }) dueAt: Date;
  @Field() nextAttemptAt: Date;
  @Field(() => Date, { nullable: true }) sentAt: Date | null;
}

@ObjectType({ description: 'Mail the hub kept for you because no SMTP server is configured.' })
export class MailboxMessage {
  @Field(() => ID) id: string;
  @Field() subject: string;
  @Field() body: string;
  @Field() createdAt: Date;
}
