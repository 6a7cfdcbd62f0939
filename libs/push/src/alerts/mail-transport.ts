import { Injectable } from '@nestjs/common';
import { SmtpMailer } from '@renkei/platform';
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
export class MailTransport {
  constructor(private readonly smtp: SmtpMailer) {}

  async send(tx: QueryRunner, mail: OutgoingMail): Promise<void> {
    if (!this.smtp.enabled) {
      await tx.query(
        `INSERT INTO mailbox_message (user_id, send_id, subject, body) VALUES ($1, $2, $3, $4)`,
        [mail.userId, mail.sendId, mail.subject, mail.text],
      );
      return;
    }
    await this.smtp.send({
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      messageKey: `alert-${mail.sendId}`,
      headers: { 'X-Renkei-Alert': mail.sendId },
    });
  }
}
