import type { ProviderDefinition } from '../../../providers/index.js';

/**
 * The three sending capabilities (the seed's EmailProviderProtocol, SMSProviderProtocol, LetterProviderProtocol).
 * A provider answers the vendor's id for the message, or throws a `ProviderError` (kernel/errors): `rejected`
 * for what retrying cannot fix (a bad address, an unsubscribed number), `rate_limited`/`unavailable` for what it
 * can. Status webhooks are verified and parsed by the provider that sent the message.
 */

export interface EmailAddress {
  email: string;
  name?: string | null;
}

export interface Attachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

export interface EmailMessage {
  /** Plinth's message id: carried to the provider (custom args, headers) so its events name the message. */
  messageId: string;
  to: EmailAddress;
  subject: string;
  html: string;
  text: string;
  attachments?: readonly Attachment[];
  /** Extra MIME headers (`X-Plinth-...`); the provider adds its own. */
  headers?: Readonly<Record<string, string>>;
}

export interface SmsMessage {
  messageId: string;
  /** E.164. */
  to: string;
  body: string;
  /** Where the provider posts this message's status changes (Plinth's webhook URL for the config). */
  statusCallback?: string;
}

export interface PostalAddress {
  name: string;
  lines: readonly string[];
  city: string;
  state: string | null;
  postal_code: string | null;
  country: string;
}

export interface LetterMessage {
  messageId: string;
  to: PostalAddress;
  /** The rendered letter (US Letter pages). */
  pdf: Uint8Array;
  /** Sent to providers that take one, so a retried send never mails twice. */
  idempotencyKey: string;
  description?: string;
}

export interface SendReceipt {
  /** The vendor's id for the message, which its status events name. */
  providerMessageId: string;
}

/** A delivery-status change a provider reported, in Plinth's terms. */
export interface DeliveryEvent {
  /** The vendor's event id (or a stable digest of the event), so a repeat is recorded once. */
  eventId: string;
  /** Plinth's message id when the event carries it (custom args), else the vendor's message id. */
  messageId?: string;
  providerMessageId?: string;
  status: 'sent' | 'delivered' | 'failed' | 'bounced';
  reason?: string;
  occurredAt: Date;
}

/** An address that asked not to be contacted (an SMS STOP, an e-mail unsubscribe or spam report). */
export interface OptOutEvent {
  channel: 'email' | 'sms';
  address: string;
  /** true for STOP and unsubscribe, false for START (the address opted back in). */
  optedOut: boolean;
  source: string;
}

export interface InboundWebhook {
  /** The raw body exactly as received (signatures cover the bytes). */
  body: Buffer;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The full URL the vendor called (Twilio signs it). */
  url: string;
  now: Date;
}

export interface WebhookResult {
  deliveries: DeliveryEvent[];
  optOuts: OptOutEvent[];
}

export interface WebhookReceiver {
  /** Verifies the vendor's signature; false means nothing is recorded (401). */
  verifyWebhook(req: InboundWebhook): boolean;
  parseWebhook(req: InboundWebhook): WebhookResult;
}

export interface EmailProvider extends Partial<WebhookReceiver> {
  sendEmail(message: EmailMessage): Promise<SendReceipt>;
}
export interface SmsProvider extends WebhookReceiver {
  sendSms(message: SmsMessage): Promise<SendReceipt>;
}
export interface LetterProvider extends WebhookReceiver {
  sendLetter(message: LetterMessage): Promise<SendReceipt>;
}

export type EmailDefinition<C = unknown> = ProviderDefinition<C, EmailProvider>;
export type SmsDefinition<C = unknown> = ProviderDefinition<C, SmsProvider>;
export type LetterDefinition<C = unknown> = ProviderDefinition<C, LetterProvider>;

/** One header's value, whatever Node made of it. */
export const header = (h: InboundWebhook['headers'], name: string): string | undefined => {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};
