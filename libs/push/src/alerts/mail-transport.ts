import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { HUB_CONFIG, HubConfig } from '@renkei/platform';
import nodemailer, { Transporter } from 'nodemailer';
import { QueryRunner } from 'typeorm';

export interface OutgoingMail {
  sendId: string;
  userId: string;
  to: string;
  subject: string;
  text: string;
}

/**
 * Where mail goes: an SMTP server (nodemailer, SMTP_URL), or with none configured the local
 * mailbox the API shows its recipient (myMailbox), so `npm start` shows alerts without a mail
 * server. The mailbox row is written in the sender's transaction: stored once with the send's
 * status. Over SMTP the Message-ID is the send's, the same on every attempt, so a message sent
 * again after a crash between the server's answer and the commit is one message to a client.
 */
@Injectable()
export class MailTransport implements OnModuleDestroy {
  private readonly smtp: Transporter | null;
  private readonly domain: string;

  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {
    // The sender holds a database connection while the server answers: a silent server must
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

  onModuleDestroy(): void {
    this.smtp?.close();
  }

  async send(tx: QueryRunner, mail: OutgoingMail): Promise<void> {
    if (!this.smtp) {
      await tx.query(
        `INSERT INTO mailbox_message (user_id, send_id, subject, body) VALUES ($1, $2, $3, $4)`,
        [mail.userId, mail.sendId, mail.subject, mail.text],
      );
      return;
    }
    await this.smtp.sendMail({
      from: this.config.alerts.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      messageId: `<alert-${mail.sendId}@${this.domain}>`,
      headers: { 'X-Renkei-Alert': mail.sendId, 'Auto-Submitted': 'auto-generated' },
    });
  }
}
