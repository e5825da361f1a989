import nodemailer, { type Transporter } from 'nodemailer';
import { publicOnlyLookup } from '../../../../kernel/network.js';
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
  /**
   * Production: connect only to a public address. The host is resolved here (kernel/network.ts
   * `publicOnlyLookup`) and the connection made to the address checked, with the host name kept for TLS, so a
   * name whose answer changes after the check (DNS rebinding) cannot lead the connection elsewhere.
   */
  publicAddressesOnly: boolean;
}

/** E-mail through any SMTP relay with nodemailer: one transport per config, TLS as configured. */
export class SmtpEmail implements EmailProvider {
  readonly #transport: Transporter | undefined;

  constructor(private readonly opts: SmtpOptions) {
    if (!opts.publicAddressesOnly) this.#transport = this.#connect(opts.host);
  }

  /** A transport to `address` (the host itself, or the public address it resolved to). */
  #connect(address: string): Transporter {
    const opts = this.opts;
    const servername = opts.servername ?? (address === opts.host ? undefined : opts.host);
    return nodemailer.createTransport({
      host: address,
      port: opts.port,
      secure: opts.secure,
      requireTLS: opts.requireTls,
      ...(opts.auth && { auth: opts.auth }),
      tls: {
        rejectUnauthorized: opts.rejectUnauthorized,
        ...(opts.ca && { ca: opts.ca }),
        ...(servername && { servername }),
      },
      connectionTimeout: opts.timeoutMs,
      greetingTimeout: opts.timeoutMs,
      socketTimeout: opts.timeoutMs,
    });
  }

  async #transportNow(): Promise<Transporter> {
    if (this.#transport) return this.#transport;
    const address = await new Promise<string>((resolve, reject) =>
      publicOnlyLookup(this.opts.host, {}, (e, a) => (e ? reject(e) : resolve(String(a)))),
    );
    return this.#connect(address);
  }

  async sendEmail(m: EmailMessage): Promise<SendReceipt> {
    try {
      const transport = await this.#transportNow();
      const info = await transport.sendMail({
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
