import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import {
  type DeliveryEvent,
  header,
  type InboundWebhook,
  type OptOutEvent,
  type WebhookResult,
} from '../../domain/channels.js';

/**
 * SendGrid's signed Event Webhook: ECDSA P-256 with SHA-256 over `timestamp + raw body`, the signature (base64
 * DER) and timestamp (Unix seconds) in the `X-Twilio-Email-Event-Webhook-*` headers, verified with the public
 * key the tenant copies from SendGrid's settings (base64 DER SubjectPublicKeyInfo).
 */
export const SIGNATURE = 'x-twilio-email-event-webhook-signature';
export const TIMESTAMP = 'x-twilio-email-event-webhook-timestamp';
/** Older deliveries are refused, so a captured batch cannot be replayed later. */
const TOLERANCE_SECONDS = 300;

export function publicKey(base64Der: string): KeyObject {
  return createPublicKey({ key: Buffer.from(base64Der, 'base64'), format: 'der', type: 'spki' });
}

export function verifyEventWebhook(key: KeyObject, req: InboundWebhook): boolean {
  const signature = header(req.headers, SIGNATURE);
  const timestamp = header(req.headers, TIMESTAMP);
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(req.now.getTime() / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return false;
  try {
    return verify(
      'sha256',
      Buffer.concat([Buffer.from(timestamp), req.body]),
      key,
      Buffer.from(signature, 'base64'),
    );
  } catch {
    return false;
  }
}

const STATUS: Record<string, DeliveryEvent['status']> = {
  processed: 'sent',
  delivered: 'delivered',
  bounce: 'bounced',
  dropped: 'failed',
};
const OPT_OUTS = new Set(['unsubscribe', 'group_unsubscribe', 'spamreport']);

/** The batch's status events and opt-outs; opens, clicks and deferrals change nothing. */
export function parseEvents(body: Buffer): WebhookResult {
  const batch = JSON.parse(body.toString('utf8')) as unknown;
  if (!Array.isArray(batch)) throw new SyntaxError('the Event Webhook body is not an array');
  const deliveries: DeliveryEvent[] = [];
  const optOuts: OptOutEvent[] = [];
  for (const raw of batch) {
    if (raw === null || typeof raw !== 'object') continue;
    const e = raw as Record<string, unknown>;
    const kind = String(e.event ?? '');
    const email = typeof e.email === 'string' ? e.email.toLowerCase() : undefined;
    if (OPT_OUTS.has(kind) && email)
      optOuts.push({ channel: 'email', address: email, optedOut: true, source: `sendgrid.${kind}` });
    const status = STATUS[kind];
    if (!status) continue;
    const sgMessageId = typeof e.sg_message_id === 'string' ? e.sg_message_id : undefined;
    deliveries.push({
      eventId:
        typeof e.sg_event_id === 'string'
          ? e.sg_event_id
          : createHash('sha256').update(JSON.stringify(e)).digest('hex'),
      messageId: typeof e.plinth_message_id === 'string' ? e.plinth_message_id : undefined,
      // sg_message_id is the X-Message-Id the send answered, a dot, then SendGrid's suffix.
      providerMessageId: sgMessageId?.split('.')[0],
      status,
      reason:
        typeof e.reason === 'string' ? e.reason : kind === 'bounce' ? String(e.type ?? 'bounce') : undefined,
      occurredAt: new Date(Number(e.timestamp) * 1000 || Date.now()),
    });
  }
  return { deliveries, optOuts };
}
