import type { KeyObject } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Client } from '@sendgrid/client';
import type {
  EmailMessage,
  EmailProvider,
  InboundWebhook,
  SendReceipt,
  WebhookResult,
} from '../../domain/channels.js';
import { TCP_KEEPALIVE_MS } from '../keep-alive.js';
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

/** What axios reads to pick a proxy (proxy-from-env); when none is set, the per-request environment reads are skipped. */
const PROXY_VARIABLES = [
  'https_proxy',
  'http_proxy',
  'all_proxy',
  'npm_config_https_proxy',
  'npm_config_http_proxy',
  'npm_config_proxy',
];
const proxyConfigured = () => PROXY_VARIABLES.some((v) => process.env[v] || process.env[v.toUpperCase()]);

/**
 * SendGrid v3 Mail Send through the official SDK's client, one of this config's own (never `sgMail.setApiKey`,
 * which is process-wide: two tenants would share one key). The v3 JSON body is built here rather than by
 * `@sendgrid/mail`'s helpers, which clone the message through JSON and convert every key's case on each send
 * (a fifth of the process's time per message in the outbox benchmark) to produce the same body. Plinth's
 * message id travels as a custom arg, which SendGrid copies onto every event of the message.
 */
export class SendGridEmail implements EmailProvider {
  readonly #client: Client;
  readonly #key: KeyObject | undefined;

  constructor(private readonly opts: SendGridOptions) {
    const client = new Client();
    client.setApiKey(opts.apiKey);
    // setApiKey resets the base URL to api.sendgrid.com: set ours after it. The config's own keep-alive
    // connections (the instance is cached per config, so its messages reuse them); Mail Send never redirects, so
    // axios goes straight to Node's http rather than through its redirect-following wrapper.
    client.setDefaultRequest('baseUrl', opts.baseUrl);
    client.setDefaultRequest(
      'httpsAgent',
      new HttpsAgent({ keepAlive: true, keepAliveMsecs: TCP_KEEPALIVE_MS }),
    );
    // The SDK hands its default request to axios as it is; its types name only `httpsAgent` of axios's options.
    const axiosOption = client.setDefaultRequest.bind(client) as (key: string, value: unknown) => Client;
    axiosOption('httpAgent', new HttpAgent({ keepAlive: true, keepAliveMsecs: TCP_KEEPALIVE_MS }));
    axiosOption('maxRedirects', 0);
    axiosOption('timeout', opts.timeoutMs);
    if (!proxyConfigured()) axiosOption('proxy', false);
    this.#client = client;
    this.#key = opts.eventWebhookPublicKey ? publicKey(opts.eventWebhookPublicKey) : undefined;
  }

  async sendEmail(m: EmailMessage): Promise<SendReceipt> {
    try {
      const [res] = await this.#client.request({
        method: 'POST',
        url: '/v3/mail/send',
        body: this.#body(m),
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

  /** The v3 Mail Send body: one personalization, text before HTML (SendGrid's required order). */
  #body(m: EmailMessage) {
    return {
      personalizations: [{ to: [{ email: m.to.email, ...(m.to.name && { name: m.to.name }) }] }],
      from: this.opts.from,
      ...(this.opts.replyTo && { reply_to: { email: this.opts.replyTo } }),
      subject: m.subject,
      content: [
        { type: 'text/plain', value: m.text },
        { type: 'text/html', value: m.html },
      ],
      ...(m.attachments?.length && {
        attachments: m.attachments.map((a) => ({
          content: Buffer.from(a.content).toString('base64'),
          filename: a.filename,
          type: a.contentType,
          disposition: 'attachment',
        })),
      }),
      ...(m.headers && { headers: { ...m.headers } }),
      custom_args: { plinth_message_id: m.messageId },
    };
  }

  verifyWebhook(req: InboundWebhook): boolean {
    return this.#key !== undefined && verifyEventWebhook(this.#key, req);
  }

  parseWebhook(req: InboundWebhook): WebhookResult {
    return parseEvents(req.body);
  }
}
