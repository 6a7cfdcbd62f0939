import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Principal } from '@renkei/identity';
import { Language } from '../push.models';
import { AlertRule, AlertRuleInput, AlertSend, MailboxMessage } from './alert.models';
import { AlertService } from './alert.service';

/** A user's own e-mail alerts (ADR 0021): people only, never API tokens. */
@Resolver(() => AlertRule)
export class AlertResolver {
  constructor(private readonly alerts: AlertService) {}

  @Query(() => [AlertRule], { description: 'Your e-mail alert rules.' })
  myAlertRules(@CurrentPrincipal() p: Principal): Promise<AlertRule[]> {
    return this.alerts.rules(p);
  }

  @Query(() => [AlertSend], {
    description: 'Your alerts and digests, newest first, with how sending them went.',
  })
  myAlertSends(
    @CurrentPrincipal() p: Principal,
    @Args('ruleId', { type: () => ID, nullable: true }) ruleId?: string,
    @Args('first', { type: () => Int, defaultValue: 25 }) first?: number,
  ): Promise<AlertSend[]> {
    return this.alerts.sends(p, ruleId, first);
  }

  @Query(() => [MailboxMessage], {
    description: 'Mail kept for you on the hub (when it has no SMTP server), newest first.',
  })
  myMailbox(
    @CurrentPrincipal() p: Principal,
    @Args('first', { type: () => Int, defaultValue: 25 }) first?: number,
  ): Promise<MailboxMessage[]> {
    return this.alerts.mailbox(p, first);
  }

  @Query(() => Language, { description: 'The language the hub writes to you in.' })
  myLanguage(@CurrentPrincipal() p: Principal): Promise<Language> {
    return this.alerts.language(p);
  }

  @Mutation(() => Language)
  setMyLanguage(
    @CurrentPrincipal() p: Principal,
    @Args('language', { type: () => Language }) language: Language,
  ): Promise<Language> {
    return this.alerts.setLanguage(p, language);
  }

  @Mutation(() => AlertRule, {
    description: 'Alerts from now on for what you may see and the filter asks for.',
  })
  createAlertRule(
    @CurrentPrincipal() p: Principal,
    @Args('input') input: AlertRuleInput,
  ): Promise<AlertRule> {
    return this.alerts.create(p, input);
  }

  @Mutation(() => AlertRule)
  updateAlertRule(
    @CurrentPrincipal() p: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: AlertRuleInput,
  ): Promise<AlertRule> {
    return this.alerts.update(p, id, input);
  }

  @Mutation(() => AlertRule, {
    description:
      'Pauses or resumes a rule of yours; resumed, it alerts about what happens from then on.',
  })
  pauseAlertRule(
    @CurrentPrincipal() p: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('paused') paused: boolean,
  ): Promise<AlertRule> {
    return this.alerts.setPaused(p, id, paused);
  }

  @Mutation(() => Boolean)
  deleteAlertRule(
    @CurrentPrincipal() p: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<boolean> {
    return this.alerts.remove(p, id);
  }

  @Mutation(() => Int, {
    description: 'Sends your digests collecting now instead of at the end of their period.',
  })
  sendMyDigestsNow(@CurrentPrincipal() p: Principal): Promise<number> {
    return this.alerts.sendDigestsNow(p);
  }
}
