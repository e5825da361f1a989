import nodemailer, { type Transporter } from 'nodemailer';
import type { EmailMessage, EmailProvider, SendReceipt } from '../../domain/channels.js';
import { smtpError } from './errors.js';

export interface SmtpOptions {
  host: string;
  port: number;
  /** Implicit TLS (port 465); otherwise STARTTLS when `requireTls`. */
  secure: boolean;
  requireTls: boolean;
  auth?: { user: string; pass: string };
  from: { address: string; name?: string };
  /** A CA to trust besides the system's (a private relay's certificate). */
  ca?: string;
  servername?: string;
  rejectUnauthorized: boolean;
  timeoutMs: number;
}

/** E-mail through any SMTP relay with nodemailer: one transport per config, TLS as configured. */
export class SmtpEmail implements EmailProvider {
  readonly #transport: Transporter;

  constructor(private readonly opts: SmtpOptions) {
    this.#transport = nodemailer.createTransport({
      host: opts.host,
      port: opts.port,
      secure: opts.secure,
      requireTLS: opts.requireTls,
      ...(opts.auth && { auth: opts.auth }),
      tls: {
        rejectUnauthorized: opts.rejectUnauthorized,
        ...(opts.ca && { ca: opts.ca }),
        ...(opts.servername && { servername: opts.servername }),
      },
      connectionTimeout: opts.timeoutMs,
      greetingTimeout: opts.timeoutMs,
      socketTimeout: opts.timeoutMs,
    });
  }

  async sendEmail(m: EmailMessage): Promise<SendReceipt> {
    try {
      const info = await this.#transport.sendMail({
        from: this.opts.from,
        to: { address: m.to.email, name: m.to.name ?? '' },
        subject: m.subject,
        text: m.text,
        html: m.html,
        headers: { ...m.headers, 'X-Plinth-Message-Id': m.messageId },
        attachments: (m.attachments ?? []).map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: Buffer.from(a.content),
        })),
      });
      const rejected = info.rejected ?? [];
      if (rejected.length > 0)
        throw smtpError(
          Object.assign(new Error(`recipient refused: ${rejected.join(', ')}`), { code: 'EENVELOPE' }),
        );
      // SMTP reports acceptance only: the Message-ID names it in bounces that come back by mail.
      return { providerMessageId: info.messageId };
    } catch (e) {
      throw smtpError(e);
    }
  }
}
