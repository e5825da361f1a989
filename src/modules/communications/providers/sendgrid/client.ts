import type { KeyObject } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import type {
  EmailMessage,
  EmailProvider,
  InboundWebhook,
  SendReceipt,
  WebhookResult,
} from '../../domain/channels.js';
import { sendGridError } from './errors.js';
import { parseEvents, publicKey, verifyEventWebhook } from './webhook.js';

export interface SendGridOptions {
  apiKey: string;
  baseUrl: string;
  from: { email: string; name?: string };
  replyTo?: string;
  timeoutMs: number;
  /** The Event Webhook verification key (base64 DER); without it, events are refused. */
  eventWebhookPublicKey?: string;
}

/**
 * SendGrid v3 Mail Send through the official SDK, with a client of this config's own (never `sgMail.setApiKey`,
 * which is process-wide: two tenants would share one key). Plinth's message id travels as a custom arg, which
 * SendGrid copies onto every event of the message.
 */
export class SendGridEmail implements EmailProvider {
  readonly #mail: MailService;
  readonly #key: KeyObject | undefined;

  constructor(private readonly opts: SendGridOptions) {
    const client = new Client();
    client.setApiKey(opts.apiKey);
    // setApiKey resets the base URL to api.sendgrid.com: set ours after it. The config's own keep-alive
    // connections (the instance is cached per config, so its messages reuse them); Mail Send never redirects, so
    // axios goes straight to Node's http rather than through its redirect-following wrapper.
    client.setDefaultRequest('baseUrl', opts.baseUrl);
    client.setDefaultRequest('httpsAgent', new HttpsAgent({ keepAlive: true }));
    // The SDK hands its default request to axios as it is; its types name only `httpsAgent` of axios's options.
    const axiosOption = client.setDefaultRequest.bind(client) as (key: string, value: unknown) => Client;
    axiosOption('httpAgent', new HttpAgent({ keepAlive: true }));
    axiosOption('maxRedirects', 0);
    this.#mail = new MailService();
    this.#mail.setClient(client);
    this.#mail.setTimeout(opts.timeoutMs);
    this.#key = opts.eventWebhookPublicKey ? publicKey(opts.eventWebhookPublicKey) : undefined;
  }

  async sendEmail(m: EmailMessage): Promise<SendReceipt> {
    try {
      const [res] = await this.#mail.send({
        from: this.opts.from,
        ...(this.opts.replyTo && { replyTo: this.opts.replyTo }),
        to: { email: m.to.email, ...(m.to.name && { name: m.to.name }) },
        subject: m.subject,
        text: m.text,
        html: m.html,
        customArgs: { plinth_message_id: m.messageId },
        ...(m.headers && { headers: { ...m.headers } }),
        ...(m.attachments?.length && {
          attachments: m.attachments.map((a) => ({
            filename: a.filename,
            type: a.contentType,
            content: Buffer.from(a.content).toString('base64'),
            disposition: 'attachment',
          })),
        }),
      });
      const id = res.headers['x-message-id'];
      if (typeof id !== 'string' || !id)
        throw sendGridError(
          Object.assign(new Error('no X-Message-Id in the answer'), { code: 'no_message_id' }),
        );
      return { providerMessageId: id };
    } catch (e) {
      throw sendGridError(e);
    }
  }

  verifyWebhook(req: InboundWebhook): boolean {
    return this.#key !== undefined && verifyEventWebhook(this.#key, req);
  }

  parseWebhook(req: InboundWebhook): WebhookResult {
    return parseEvents(req.body);
  }
}
