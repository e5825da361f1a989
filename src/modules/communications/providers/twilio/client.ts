import { Agent as HttpAgent } from 'node:http';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { ProviderError } from '../../../../kernel/errors.js';
import type {
  InboundWebhook,
  SendReceipt,
  SmsMessage,
  SmsProvider,
  WebhookResult,
} from '../../domain/channels.js';
import { TCP_KEEPALIVE_MS } from '../keep-alive.js';
import { twilioError } from './errors.js';
import { parseTwilio, verifyTwilio } from './webhook.js';

/** The SDK's HTTP client, sending to the configured origin (a Twilio edge or a simulator) instead of api.twilio.com. */
class RebasingRequestClient extends twilio.RequestClient {
  readonly #base: URL;
  constructor(baseUrl: string, opts: ConstructorParameters<typeof twilio.RequestClient>[0]) {
    super({ ...opts, keepAliveMsecs: TCP_KEEPALIVE_MS });
    this.#base = new URL(baseUrl);
    // The SDK builds a keep-alive agent for https only; a plain-http origin (a simulator) gets its equal.
    if (this.#base.protocol === 'http:')
      this.axios.defaults.httpAgent = new HttpAgent({ keepAlive: true, keepAliveMsecs: TCP_KEEPALIVE_MS });
  }
  override request<T>(opts: RequestClient.RequestOptions<T>) {
    const u = new URL(opts.uri);
    u.protocol = this.#base.protocol;
    u.host = this.#base.host;
    return super.request<T>({ ...opts, uri: u.href });
  }
}

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  from?: string;
  messagingServiceSid?: string;
  baseUrl: string;
  timeoutMs: number;
}

/**
 * SMS through Twilio's official SDK, one client per config; the outbox retries, so the SDK does not. The message is
 * created through the SDK's API version (`api.v2010.create`: the request, authentication and error classes that
 * `messages.create` uses) with the Message resource's form fields, and only its `sid` is read: `messages.create`
 * would also build a `MessageInstance`, whose three RFC 2822 date parses (dayjs's customParseFormat) cost more
 * CPU than the rest of the send together.
 */
export class TwilioSms implements SmsProvider {
  readonly #client: ReturnType<typeof twilio>;
  readonly #messagesUri: string;

  constructor(private readonly opts: TwilioOptions) {
    this.#client = twilio(opts.accountSid, opts.authToken, {
      httpClient: new RebasingRequestClient(opts.baseUrl, { timeout: opts.timeoutMs, autoRetry: false }),
    });
    this.#messagesUri = `/Accounts/${encodeURIComponent(opts.accountSid)}/Messages.json`;
  }

  async sendSms(m: SmsMessage): Promise<SendReceipt> {
    try {
      const created: unknown = await this.#client.api.v2010.create({
        uri: this.#messagesUri,
        method: 'post',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        data: {
          To: m.to,
          Body: m.body,
          ...(this.opts.messagingServiceSid
            ? { MessagingServiceSid: this.opts.messagingServiceSid }
            : { From: this.opts.from }),
          ...(m.statusCallback && { StatusCallback: m.statusCallback }),
        },
      });
      const sid = (created as { sid?: unknown } | null)?.sid;
      if (typeof sid !== 'string' || !sid)
        throw new ProviderError('invalid_response', 'Twilio answered without a message sid', {
          provider: 'twilio',
        });
      return { providerMessageId: sid };
    } catch (e) {
      throw twilioError(e);
    }
  }

  verifyWebhook(req: InboundWebhook): boolean {
    return verifyTwilio(this.opts.authToken, req);
  }

  parseWebhook(req: InboundWebhook): WebhookResult {
    return parseTwilio(req);
  }
}
