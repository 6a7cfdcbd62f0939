import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';

export interface SmtpMessage {
  to: string;
  subject: string;
  text: string;
  /** Without the angle brackets' domain: `<id@host>` is built here from the public address. */
  messageKey?: string;
  headers?: Record<string, string>;
}

/**
 * The hub's one SMTP client (nodemailer, SMTP_URL), for every kind of mail it sends: alerts and
 * e-mail address proofs. `enabled` is false without SMTP_URL; each sender decides what it does
 * then (alerts go to the local mailbox, address proofs to the operator's console).
 */
@Injectable()
export class SmtpMailer implements OnModuleDestroy {
  private readonly smtp: Transporter | null;
  private readonly domain: string;

  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {
    // A sender may hold a database connection while the server answers: a silent server must
    // not hold it for nodemailer's default two minutes.
    this.smtp = config.alerts.smtpUrl
      ? nodemailer.createTransport({
          url: config.alerts.smtpUrl,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 30_000,
        })
      : null;
    this.domain = new URL(config.alerts.publicUrl).hostname || 'renkei.invalid';
  }

  get enabled(): boolean {
    return this.smtp !== null;
  }

  /** Where links in mail point: the hub's public address, without a trailing slash. */
  get publicUrl(): string {
    return this.config.alerts.publicUrl.replace(/\/+$/, '');
  }

  onModuleDestroy(): void {
    this.smtp?.close();
  }

  async send(mail: SmtpMessage): Promise<void> {
    if (!this.smtp) throw new Error('SmtpMailer.send without SMTP_URL');
    await this.smtp.sendMail({
      from: this.config.alerts.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      ...(mail.messageKey ? { messageId: `<${mail.messageKey}@${this.domain}>` } : {}),
      headers: { 'Auto-Submitted': 'auto-generated', ...mail.headers },
    });
  }
}
