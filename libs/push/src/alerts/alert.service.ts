import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Principal, Role } from '@renkei/identity';
import {
  BadInputError,
  DEFAULT_PAGE_SIZE,
  HUB_CONFIG,
  HubConfig,
  isUuid,
  NotFoundError,
} from '@renkei/platform';
import { ChangeNotifications } from '@renkei/platform';
import { DataSource, QueryRunner } from 'typeorm';
import { Language, ListEventFilter, ReportEventFilter } from '../push.models';
import { CursorExpiredError, HubEventRow, PushService } from '../push.service';
import { WebhookTopic } from '../webhooks/webhook.models';
import { AlertItem, alertItem, digestMail, immediateMail } from './alert-message';
import {
  AlertDelivery,
  AlertRule,
  AlertRuleInput,
  AlertSend,
  MailboxMessage,
} from './alert.models';
import { digestPeriod, sendKindOf } from './digest-period';
import { MailTransport } from './mail-transport';

interface RuleRow {
  id: string;
  user_id: string;
  topic: 'reports' | 'lists';
  filter: ReportEventFilter & ListEventFilter;
  delivery: AlertDelivery;
  cursor: string;
  paused_at: Date | null;
  created_at: Date;
}

/** The recipient as it is now: who it is decides what it may read (re-read at every step). */
interface RecipientRow {
  user_id: string;
  email: string;
  language: Language;
  role: Role;
  organisation_id: string;
  sector_code: string;
  group_id: string | null;
}

interface SendRow extends RecipientRow {
  id: string;
  rule_id: string;
  period: string;
  event_ids: string[];
  attempts: number;
  topic: RuleRow['topic'];
  filter: RuleRow['filter'];
}

/** Events a walker looks at per claim of a rule, so one busy rule does not hold the others. */
const WALK_BATCH = 100;
const WALK_BATCHES = 5;
const RECIPIENT = `u.id AS user_id, u.email, u.language, u.role, u.organisation_id, o.sector_code, o.group_id`;
/** A recipient who may receive mail now: active, address proven, organisation active. */
const RECIPIENT_JOIN = `JOIN hub_user u ON u.id = r.user_id AND u.status = 'active' AND u.email_verified_at IS NOT NULL
  JOIN organisation o ON o.id = u.organisation_id AND o.status = 'active'`;

/**
 * E-mail alerts (ADR 0021). Two steps, each a transaction that claims its row with SKIP LOCKED,
 * so several hub instances share the work and none does it twice:
 *
 * 1. A rule's walker reads the outbox after the rule's cursor, as the rule's user (push's
 *    reportFor/listFor: under row-level security, pseudonyms per reader, the rule's filter),
 *    and records what it finds in `alert_send` — one row per event, or per digest period —
 *    together with the new cursor. Once committed, the alert is acknowledged: it survives
 *    restarts, and the unique (rule, period) key means it is recorded once.
 * 2. A sender claims a due row, reads each of its events again as the user is now (a marking
 *    raised, an audience narrowed or an account suspended since: it is left out, and a send with
 *    nothing left is skipped), renders the message in the user's language and hands it to the
 *    transport. Success marks it sent in the same transaction; a failure is recorded on the row
 *    (shown in myAlertSends) and retried with doubling delays up to WEBHOOK_BACKOFF_MAX_SECONDS.
 */
@Injectable()
export class AlertService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('AlertService');
  private timers: NodeJS.Timeout[] = [];
  private walking: Promise<void> | null = null;
  private sending: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly push: PushService,
    private readonly changes: ChangeNotifications,
    private readonly transport: MailTransport,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timers.push(setInterval(() => this.tick(), 1000).unref());
    // After PushService has loaded the event (it listens too): a short delay, as webhooks do.
    this.changes.on('renkei_event', () => setTimeout(() => this.tick(), 100));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.timers.forEach(clearInterval);
    await Promise.all([this.walking, this.sending]);
  }

  // --- rules and what the user sees of them --------------------------------------------------

  async rules(p: Principal): Promise<AlertRule[]> {
    const rows: RuleRow[] = await this.db.query(
      `SELECT * FROM alert_rule WHERE user_id = $1 ORDER BY created_at, id`,
      [p.userId],
    );
    return rows.map(ruleView);
  }

  async create(p: Principal, input: AlertRuleInput): Promise<AlertRule> {
    const [row]: RuleRow[] = await this.db.query(
      `INSERT INTO alert_rule (user_id, topic, filter, delivery, cursor) VALUES ($1, $2, $3, $4, $5)
       RETURNING *`,
      [p.userId, input.topic, JSON.stringify(filterOf(input)), input.delivery, this.push.head],
    );
    return ruleView(row);
  }

  /** Changes what the rule asks for from now on; what it already recorded goes out as it is. */
  async update(p: Principal, id: string, input: AlertRuleInput): Promise<AlertRule> {
    await this.own(p, id);
    const [[row]]: [RuleRow[]] = await this.db.query(
      `UPDATE alert_rule SET topic = $2, filter = $3, delivery = $4 WHERE id = $1 RETURNING *`,
      [id, input.topic, JSON.stringify(filterOf(input)), input.delivery],
    );
    return ruleView(row);
  }

  /** What a paused rule would have found is passed over, not kept for later (ADR 0025). */
  async setPaused(p: Principal, id: string, paused: boolean): Promise<AlertRule> {
    await this.own(p, id);
    const [[row]]: [RuleRow[]] = await this.db.query(
      // Resuming moves the cursor past every event committed so far, whether or not a walker
      // has passed over them yet: the pause's events never become alerts.
      `UPDATE alert_rule SET paused_at = CASE WHEN $2 THEN coalesce(paused_at, now()) END,
          cursor = CASE WHEN $2 OR paused_at IS NULL THEN cursor
            ELSE greatest(cursor, (SELECT coalesce(max(id), 0) FROM hub_event)) END
        WHERE id = $1 RETURNING *`,
      [id, paused],
    );
    return ruleView(row);
  }

  async remove(p: Principal, id: string): Promise<boolean> {
    await this.own(p, id);
    await this.db.query(`DELETE FROM alert_rule WHERE id = $1`, [id]);
    return true;
  }

  async sends(p: Principal, ruleId?: string, first = DEFAULT_PAGE_SIZE): Promise<AlertSend[]> {
    if (ruleId !== undefined) await this.own(p, ruleId);
    const rows: AlertSend[] = await this.db.query(
      `SELECT id::text, rule_id AS "ruleId", period, cardinality(event_ids) AS events, status,
              attempts, last_error AS "lastError", due_at AS "dueAt",
              next_attempt_at AS "nextAttemptAt", sent_at AS "sentAt"
         FROM alert_send WHERE user_id = $1 AND ($2::uuid IS NULL OR rule_id = $2)
        ORDER BY id DESC LIMIT $3`,
      [p.userId, ruleId ?? null, Math.min(Math.max(first, 1), 500)],
    );
    return rows;
  }

  mailbox(p: Principal, first = DEFAULT_PAGE_SIZE): Promise<MailboxMessage[]> {
    return this.db.query(
      `SELECT id::text, subject, body, created_at AS "createdAt" FROM mailbox_message
        WHERE user_id = $1 ORDER BY id DESC LIMIT $2`,
      [p.userId, Math.min(Math.max(first, 1), 500)],
    );
  }

  async language(p: Principal): Promise<Language> {
    const [row] = await this.db.query(`SELECT language FROM hub_user WHERE id = $1`, [p.userId]);
    return row.language;
  }

  async setLanguage(p: Principal, language: Language): Promise<Language> {
    await this.db.query(`UPDATE hub_user SET language = $2 WHERE id = $1`, [p.userId, language]);
    return language;
  }

  /**
   * Your digests still collecting are due now. Each is renamed (`#sent-early-…`), so what
   * happens later in its period starts a new digest rather than finding this one sent.
   */
  async sendDigestsNow(p: Principal): Promise<number> {
    const [, count]: [unknown, number] = await this.db.query(
      `UPDATE alert_send SET due_at = now(),
              period = period || '#sent-early-' || to_char(now() AT TIME ZONE 'UTC', 'YYYYMMDD"T"HH24MISS.US')
        WHERE user_id = $1 AND status = 'pending' AND due_at > now() RETURNING id`,
      [p.userId],
    );
    this.tick();
    return count;
  }

  private async own(p: Principal, id: string): Promise<void> {
    const rows = isUuid(id)
      ? await this.db.query(`SELECT 1 FROM alert_rule WHERE id = $1 AND user_id = $2`, [
          id,
          p.userId,
        ])
      : [];
    if (!rows.length) throw new NotFoundError('Alert rule');
  }

  // --- work ----------------------------------------------------------------------------------

  /** Starts the walker and the sender unless they run; each goes on while it finds work. */
  tick(): void {
    if (this.stopped) return;
    this.walking ??= this.loop(() => this.walkNext(), 'walk').finally(() => (this.walking = null));
    this.sending ??= this.loop(() => this.sendNext(), 'send').finally(() => (this.sending = null));
  }

  private async loop(step: () => Promise<boolean>, what: string): Promise<void> {
    try {
      while (!this.stopped && (await step())) {
        // next rule or send
      }
    } catch (e) {
      this.log.warn(`alert ${what} stopped: ${(e as Error).message}`);
    }
  }

  private async inTransaction(work: (qr: QueryRunner) => Promise<boolean>): Promise<boolean> {
    const qr = this.db.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      const more = await work(qr);
      await qr.commitTransaction();
      return more;
    } catch (e) {
      if (qr.isTransactionActive) await qr.rollbackTransaction();
      throw e;
    } finally {
      await qr.release();
    }
  }

  /** One rule behind the outbox: records what its user may see and wants, moves its cursor. */
  private walkNext(): Promise<boolean> {
    return this.inTransaction(async (qr) => {
      const [rule]: (RuleRow & RecipientRow)[] = await qr.query(
        `SELECT r.*, ${RECIPIENT} FROM alert_rule r ${RECIPIENT_JOIN}
          WHERE r.cursor < $1 ORDER BY r.cursor LIMIT 1 FOR UPDATE OF r SKIP LOCKED`,
        [this.push.head],
      );
      if (!rule) return false;
      const p = principalOf(rule);
      let cursor = Number(rule.cursor);
      try {
        for (let n = 0; n < WALK_BATCHES; n++) {
          const batch = await this.push.after(cursor, WALK_BATCH);
          if (!batch.length) break;
          for (const e of batch) {
            if (!rule.paused_at && (await this.viewFor(p, e, rule))) await this.record(qr, rule, e);
            cursor = e.id;
          }
        }
      } catch (e) {
        if (!(e instanceof CursorExpiredError)) throw e;
        // The user's account was inactive longer than the outbox keeps events: those are gone
        // for everyone; carry on from the oldest kept rather than stop for good.
        this.log.warn(`alert rule ${rule.id} skipped deleted events after event ${cursor}`);
        cursor = e.horizon;
      }
      await qr.query(`UPDATE alert_rule SET cursor = $2 WHERE id = $1`, [rule.id, cursor]);
      return true;
    });
  }

  private viewFor(p: Principal, e: HubEventRow, rule: Pick<RuleRow, 'topic' | 'filter'>) {
    return rule.topic === WebhookTopic.REPORTS
      ? this.push.reportFor(p, e, rule.filter)
      : this.push.listFor(p, e, rule.filter);
  }

  /** Into its own send (immediate) or its digest; a digest already sent opens one for now. */
  private async record(qr: QueryRunner, rule: RuleRow, e: HubEventRow): Promise<void> {
    if (rule.delivery === AlertDelivery.IMMEDIATE) {
      await qr.query(
        `INSERT INTO alert_send (rule_id, user_id, period, event_ids, due_at)
         VALUES ($1, $2, $3, ARRAY[$4::bigint], now()) ON CONFLICT (rule_id, period) DO NOTHING`,
        [rule.id, rule.user_id, `event:${e.id}`, e.id],
      );
      return;
    }
    const zone = this.config.alerts.timeZone;
    for (const at of [e.created_at, new Date()]) {
      const period = digestPeriod(at, rule.delivery, zone);
      const rows = await qr.query(
        `INSERT INTO alert_send (rule_id, user_id, period, event_ids, due_at)
         VALUES ($1, $2, $3, ARRAY[$4::bigint], $5)
         ON CONFLICT (rule_id, period) DO UPDATE
           SET event_ids = CASE WHEN $4::bigint = ANY(alert_send.event_ids) THEN alert_send.event_ids
                                ELSE alert_send.event_ids || $4::bigint END
           WHERE alert_send.status = 'pending'
         RETURNING id`,
        [rule.id, rule.user_id, period.key, e.id, period.end],
      );
      if (rows.length) return;
    }
    this.log.warn(`alert rule ${rule.id}: no open digest for event ${e.id}`);
  }

  /** One due send: its events as the user may read them now, rendered and handed over. */
  private sendNext(): Promise<boolean> {
    return this.inTransaction(async (qr) => {
      const [s]: SendRow[] = await qr.query(
        `SELECT s.id::text, s.rule_id, s.period, s.event_ids, s.attempts, r.topic, r.filter,
                ${RECIPIENT}
           FROM alert_send s JOIN alert_rule r ON r.id = s.rule_id ${RECIPIENT_JOIN}
          WHERE s.status = 'pending' AND greatest(s.due_at, s.next_attempt_at) <= now()
          ORDER BY greatest(s.due_at, s.next_attempt_at) LIMIT 1 FOR UPDATE OF s SKIP LOCKED`,
      );
      if (!s) return false;
      const p = principalOf(s);
      const items: AlertItem[] = [];
      for (const e of await this.push.events(s.event_ids.map(Number))) {
        const v = await this.viewFor(p, e, s);
        if (v)
          items.push(
            alertItem(v, s.language, this.config.alerts.publicUrl, this.config.alerts.timeZone),
          );
      }
      if (!items.length) {
        await qr.query(`UPDATE alert_send SET status = 'skipped', last_error = $2 WHERE id = $1`, [
          s.id,
          'nothing in it may be read by you now (a marking or audience changed, or it was removed)',
        ]);
        return true;
      }
      const kind = sendKindOf(s.period);
      const mail =
        kind === 'immediate'
          ? immediateMail(items[0], s.language)
          : digestMail(items, s.language, kind, s.period.replace(/#.*$/, ''));
      try {
        await this.transport.send(qr, { sendId: s.id, userId: s.user_id, to: s.email, ...mail });
      } catch (e) {
        const backoff = Math.min(2 ** s.attempts, this.config.webhooks.backoffMaxSeconds);
        await qr.query(
          `UPDATE alert_send SET attempts = attempts + 1, last_error = $2,
                  next_attempt_at = now() + make_interval(secs => $3) WHERE id = $1`,
          [s.id, String((e as Error).message).slice(0, 500), backoff],
        );
        return true;
      }
      await qr.query(
        `UPDATE alert_send SET status = 'sent', attempts = attempts + 1, last_error = NULL, sent_at = now()
          WHERE id = $1`,
        [s.id],
      );
      return true;
    });
  }
}

/** The user as the hub would see them in a session now (pushed events are read as this). */
function principalOf(r: RecipientRow): Principal {
  return {
    kind: 'user',
    userId: r.user_id,
    organisationId: r.organisation_id,
    role: r.role,
    sectorCode: r.sector_code,
    groupId: r.group_id,
    sessionId: '',
    aal: 2,
    secondFactorAt: null,
    hasSecondFactor: true,
  };
}

function filterOf(input: AlertRuleInput): ReportEventFilter | ListEventFilter {
  if (input.topic === WebhookTopic.REPORTS && input.listFilter) {
    throw new BadInputError([{ path: 'input.listFilter', message: 'is for the lists topic' }]);
  }
  if (input.topic === WebhookTopic.LISTS && input.reportFilter) {
    throw new BadInputError([{ path: 'input.reportFilter', message: 'is for the reports topic' }]);
  }
  return (input.topic === WebhookTopic.REPORTS ? input.reportFilter : input.listFilter) ?? {};
}

function ruleView(r: RuleRow): AlertRule {
  return {
    id: r.id,
    topic: r.topic as WebhookTopic,
    delivery: r.delivery,
    reportFilter: r.topic === 'reports' ? r.filter : null,
    listFilter: r.topic === 'lists' ? r.filter : null,
    paused: r.paused_at !== null,
    createdAt: r.created_at,
  };
}
