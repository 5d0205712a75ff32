// Sends escalation emails over SMTP_URL (smtp:// or smtps://, credentials in the URL) from ESCALATION_FROM.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Mailer } from '../../modules/replies/carePorts.js';

export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    timeoutMs = 10_000,
  ) {
    // Bounded waits: a stalled mail server must not hold the worker's lease.
    this.transport = nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
  }

  async send(mail: { to: string; subject: string; text: string }): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text });
  }

  close(): void {
    this.transport.close();
  }
}
