import { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  messageId: string;
  headers: Map<string, unknown>;
}

/**
 * A real SMTP server in the test process (smtp-server), each message parsed with mailparser. It
 * can be stopped (connections then refused) and started again on the same port. Plain SMTP on
 * loopback without STARTTLS, as a relay inside one host would be.
 */
export class SmtpSink {
  mails: ReceivedMail[] = [];
  port = 0;
  private server: SMTPServer | null = null;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((m) => {
            this.mails.push({
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              subject: m.subject ?? '',
              text: m.text ?? '',
              messageId: m.messageId ?? '',
              headers: m.headers,
            });
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
    RUNNING_SINKS.add(this);
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    RUNNING_SINKS.delete(this);
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Mail to the address other than e-mail address proofs (alerts, digests). */
  to(email: string): ReceivedMail[] {
    return this.mails.filter((m) => m.to.includes(email.toLowerCase()) && !isProof(m));
  }

  /** The address proofs sent to the address, oldest first. */
  proofs(email: string): ReceivedMail[] {
    return this.mails.filter((m) => m.to.includes(email.toLowerCase()) && isProof(m));
  }
}

const isProof = (m: ReceivedMail) => m.headers.get('x-renkei-email-proof') === 'true';

/** Sinks started in this test file: where a hub with SMTP_URL mails its address proofs. */
export const RUNNING_SINKS = new Set<SmtpSink>();

/** The token of the newest proof link any running sink received for the address. */
export function proofTokenInSinks(email: string): string | undefined {
  for (const sink of RUNNING_SINKS) {
    const mail = sink.proofs(email).at(-1);
    const token = mail && /\/verify-email#token=(rkv_[\w-]+)/.exec(mail.text)?.[1];
    if (token) return token;
  }
  return undefined;
}
