import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type {
  InboundWebhook,
  SendReceipt,
  SmsMessage,
  SmsProvider,
  WebhookResult,
} from '../../domain/channels.js';
import { twilioError } from './errors.js';
import { parseTwilio, verifyTwilio } from './webhook.js';

/** The SDK's HTTP client, sending to the configured origin (a Twilio edge or a simulator) instead of api.twilio.com. */
class RebasingRequestClient extends twilio.RequestClient {
  readonly #base: URL;
  constructor(baseUrl: string, opts: ConstructorParameters<typeof twilio.RequestClient>[0]) {
    super(opts);
    this.#base = new URL(baseUrl);
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

/** SMS through Twilio's official SDK, one client per config; the outbox retries, so the SDK does not. */
export class TwilioSms implements SmsProvider {
  readonly #client: ReturnType<typeof twilio>;

  constructor(private readonly opts: TwilioOptions) {
    this.#client = twilio(opts.accountSid, opts.authToken, {
      httpClient: new RebasingRequestClient(opts.baseUrl, { timeout: opts.timeoutMs, autoRetry: false }),
    });
  }

  async sendSms(m: SmsMessage): Promise<SendReceipt> {
    try {
      const msg = await this.#client.messages.create({
        to: m.to,
        body: m.body,
        ...(this.opts.messagingServiceSid
          ? { messagingServiceSid: this.opts.messagingServiceSid }
          : { from: this.opts.from }),
        ...(m.statusCallback && { statusCallback: m.statusCallback }),
      });
      return { providerMessageId: msg.sid };
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
