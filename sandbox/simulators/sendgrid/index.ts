import { isPlainObject, randomAlnum } from '../shared/card-client.js';
import {
  type DeliverOptions,
  deliverWebhook,
  type FaultControls,
  faultControls,
  later,
  type WebhookDelivery,
} from '../shared/comms.js';
import { json, type SimRequest, type SimResponse, type SimServer, startSimServer } from '../shared/server.js';
import {
  batchBody,
  buildEvent,
  createEventSigner,
  type SendGridEvent,
  type SendGridEventSpec,
  type SendGridEventType,
} from './events.js';
import { type Recipient, recipientsOf, type SendGridError, validateMailSend } from './validate.js';

/**
 * A wire-compatible stand-in for SendGrid's v3 Mail Send API (`POST /v3/mail/send`, Bearer API key) and its
 * signed Event Webhook. Accepted messages get an `X-Message-Id` and are kept for assertions; delivery events
 * (processed, delivered, deferred, bounce, dropped, open...) are POSTed to the configured URL when a test asks,
 * in any order and as often as it likes, or automatically (`lifecycle: 'auto'`).
 */

export type { SendGridError, SendGridEvent, SendGridEventSpec, SendGridEventType };
export { SIGNATURE_HEADER, TIMESTAMP_HEADER } from './events.js';

export const DEFAULT_SENDGRID_API_KEY = 'SG.plinthsimulator000001.sendgrid0simulator0key0for0plinth000000';

/** SendGrid's own ceiling for a whole Mail Send request. */
const MAX_REQUEST_BYTES = 30 * 1024 * 1024;

export interface SendGridSimulatorOptions {
  port?: number;
  /** Accepted API keys (default: `DEFAULT_SENDGRID_API_KEY`). */
  apiKeys?: string[];
  /** Where the Event Webhook posts (can be set later with `setEventWebhookUrl`). */
  eventWebhookUrl?: string;
  /** `auto`: every accepted recipient gets `processed` then `delivered` (or `dropped` when suppressed). */
  lifecycle?: 'manual' | 'auto';
  /** Delay before automatic events (default 0). */
  autoDelayMs?: number;
  /** Request size answered with 413 (default 30 MB, SendGrid's limit). */
  maxRequestBytes?: number;
  /** The Event Webhook signing key (P-256, PKCS#8 PEM); default a fresh one, so `publicKey` changes per start. */
  eventSigningKeyPem?: string;
}

export interface SendGridSimMessage {
  messageId: string;
  receivedAt: string;
  apiKey: string;
  /** The v3 JSON body as received. */
  request: Record<string, unknown>;
  recipients: Recipient[];
  categories: string[];
}

export interface SendGridSimulator extends SimServer, FaultControls {
  readonly apiKey: string;
  /** The Event Webhook verification key a tenant configures: base64 DER SubjectPublicKeyInfo (P-256). */
  readonly publicKey: string;
  readonly messages: SendGridSimMessage[];
  readonly webhookDeliveries: WebhookDelivery[];
  message(messageId: string): SendGridSimMessage | undefined;
  setEventWebhookUrl(url: string | undefined): void;
  /** Later sends to this address are accepted but `dropped` (reason as SendGrid words it). */
  suppress(email: string, reason?: string): void;
  /** Events for a message, built but not sent (send them with `sendEvents`, in any order, any number of times). */
  buildEvents(messageId: string, specs: SendGridEventSpec | SendGridEventSpec[]): SendGridEvent[];
  /** POSTs one signed batch to the Event Webhook URL. */
  sendEvents(events: SendGridEvent[], opts?: DeliverOptions): Promise<WebhookDelivery>;
  /** `buildEvents` then `sendEvents` in one batch. */
  emit(
    messageId: string,
    specs: SendGridEventSpec | SendGridEventSpec[],
    opts?: DeliverOptions,
  ): Promise<WebhookDelivery>;
}

const errors = (...list: SendGridError[]) => ({ errors: list });
const plain = (message: string) => errors({ message, field: null, help: null });

function errorBody(status: number): unknown {
  if (status === 429) return plain('too many requests');
  if (status === 413)
    return plain(
      'The JSON payload you have included in your request is too large. Please limit your request.',
    );
  return plain('internal error');
}

export async function startSendGridSimulator(
  opts: SendGridSimulatorOptions = {},
): Promise<SendGridSimulator> {
  const apiKeys = opts.apiKeys ?? [DEFAULT_SENDGRID_API_KEY];
  const signer = createEventSigner(opts.eventSigningKeyPem);
  const messages: SendGridSimMessage[] = [];
  const webhookDeliveries: WebhookDelivery[] = [];
  const suppressed = new Map<string, string>();
  let webhookUrl = opts.eventWebhookUrl;
  const byId = (id: string) => messages.find((m) => m.messageId === id);

  const buildEvents = (messageId: string, specs: SendGridEventSpec | SendGridEventSpec[]) => {
    const msg = byId(messageId);
    if (!msg) throw new Error(`no SendGrid message ${messageId}`);
    return (Array.isArray(specs) ? specs : [specs]).map((s) => {
      const event = buildEvent(msg, s);
      const reason = suppressed.get(String(event.email).toLowerCase());
      return event.event === 'dropped' && reason && !s.fields?.reason ? { ...event, reason } : event;
    });
  };
  const sendEvents = (events: SendGridEvent[], deliver: DeliverOptions = {}) => {
    if (!webhookUrl) throw new Error('no Event Webhook URL configured');
    return deliverWebhook(webhookDeliveries, webhookUrl, batchBody(events), {
      ...deliver,
      contentType: 'application/json',
      extraHeaders: { 'user-agent': 'SendGrid Event API' },
      sign: signer.sign,
    });
  };

  const autoEvents = (msg: SendGridSimMessage) => {
    if (opts.lifecycle !== 'auto' || !webhookUrl) return;
    const isSuppressed = (email: string) => suppressed.has(email.toLowerCase());
    later(opts.autoDelayMs ?? 0, async () => {
      const first = msg.recipients.map((r) => ({
        event: isSuppressed(r.email) ? ('dropped' as const) : ('processed' as const),
        email: r.email,
      }));
      await sendEvents(buildEvents(msg.messageId, first));
      const delivered = msg.recipients
        .filter((r) => !isSuppressed(r.email))
        .map((r) => ({ event: 'delivered' as const, email: r.email }));
      if (delivered.length > 0) await sendEvents(buildEvents(msg.messageId, delivered));
    });
  };

  const mailSend = (req: SimRequest): SimResponse => {
    const auth = req.headers.authorization;
    if (!auth) return json(401, plain('authorization required'));
    const key = auth.replace(/^Bearer\s+/i, '');
    if (!apiKeys.includes(key))
      return json(401, plain('The provided authorization grant is invalid, expired, or revoked'));
    if (req.body.length > (opts.maxRequestBytes ?? MAX_REQUEST_BYTES)) return json(413, errorBody(413));
    let body: unknown;
    try {
      body = JSON.parse(req.body.toString('utf8'));
    } catch {
      return json(400, plain('Bad Request'));
    }
    if (!isPlainObject(body)) return json(400, plain('Bad Request'));
    const problems = validateMailSend(body);
    if (problems.length > 0) return json(400, errors(...problems));
    const mailSettings = isPlainObject(body.mail_settings) ? body.mail_settings : {};
    // Sandbox mode validates and answers 200 without sending anything.
    if (isPlainObject(mailSettings.sandbox_mode) && mailSettings.sandbox_mode.enable === true)
      return { status: 200, body: '' };
    const messageId = randomAlnum(22);
    const categories = Array.isArray(body.categories) ? body.categories.map(String) : [];
    const msg: SendGridSimMessage = {
      messageId,
      receivedAt: new Date().toISOString(),
      apiKey: key,
      request: body,
      recipients: recipientsOf(body),
      categories,
    };
    messages.push(msg);
    autoEvents(msg);
    return { status: 202, headers: { 'x-message-id': messageId }, body: '' };
  };

  const server = await startSimServer([{ method: 'POST', path: '/v3/mail/send', handler: mailSend }], {
    port: opts.port,
  });

  return {
    ...server,
    ...faultControls(server, errorBody),
    apiKey: apiKeys[0]!,
    publicKey: signer.publicKey,
    messages,
    webhookDeliveries,
    message: byId,
    setEventWebhookUrl: (url) => {
      webhookUrl = url;
    },
    suppress: (email, reason = 'Bounced Address') => {
      suppressed.set(email.toLowerCase(), reason);
    },
    buildEvents,
    sendEvents,
    emit: (messageId, specs, deliver) => sendEvents(buildEvents(messageId, specs), deliver),
  };
}
