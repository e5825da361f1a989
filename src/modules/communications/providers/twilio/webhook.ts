import twilio from 'twilio';
import {
  type DeliveryEvent,
  header,
  type InboundWebhook,
  type OptOutEvent,
  type WebhookResult,
} from '../../domain/channels.js';

/**
 * Twilio's status callbacks and inbound messages: form-encoded, signed `X-Twilio-Signature` = base64
 * HMAC-SHA1(auth token, the full URL + the sorted name/value pairs), checked with the SDK's validator.
 */
export const form = (body: Buffer): Record<string, string> =>
  Object.fromEntries(new URLSearchParams(body.toString('utf8')));

export function verifyTwilio(authToken: string, req: InboundWebhook): boolean {
  const signature = header(req.headers, 'x-twilio-signature');
  if (!signature) return false;
  return twilio.validateRequest(authToken, signature, req.url, form(req.body));
}

const STATUS: Record<string, DeliveryEvent['status']> = {
  sent: 'sent',
  delivered: 'delivered',
  undelivered: 'failed',
  failed: 'failed',
};
const STOP = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
const START = new Set(['START', 'YES', 'UNSTOP']);

export function parseTwilio(req: InboundWebhook): WebhookResult {
  const f = form(req.body);
  const deliveries: DeliveryEvent[] = [];
  const optOuts: OptOutEvent[] = [];
  const status = f.MessageStatus ? STATUS[f.MessageStatus] : undefined;
  if (f.MessageSid && status)
    deliveries.push({
      // One event per message and status: Twilio repeats a status with the same idempotency token.
      eventId: `${f.MessageSid}:${f.MessageStatus}`,
      providerMessageId: f.MessageSid,
      status,
      reason: f.ErrorCode ? `twilio error ${f.ErrorCode}` : undefined,
      occurredAt: req.now,
    });
  // An inbound message: Twilio's own opt-out handling names the keyword in OptOutType; older accounts do not.
  if (f.From && f.Body !== undefined && !f.MessageStatus) {
    const keyword = (f.OptOutType ?? f.Body).trim().toUpperCase();
    if (STOP.has(keyword))
      optOuts.push({ channel: 'sms', address: f.From, optedOut: true, source: 'twilio.stop' });
    if (START.has(keyword))
      optOuts.push({ channel: 'sms', address: f.From, optedOut: false, source: 'twilio.start' });
  }
  return { deliveries, optOuts };
}
