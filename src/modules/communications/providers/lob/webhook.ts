import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  type DeliveryEvent,
  header,
  type InboundWebhook,
  type WebhookResult,
} from '../../domain/channels.js';

/**
 * Lob's webhooks: `Lob-Signature` = hex HMAC-SHA256(webhook secret, `${Lob-Signature-Timestamp}.${raw body}`),
 * the timestamp in Unix milliseconds. Deliveries older than five minutes are refused (replay).
 */
const TOLERANCE_MS = 5 * 60_000;

export function verifyLob(secret: string, req: InboundWebhook): boolean {
  const signature = header(req.headers, 'lob-signature');
  const timestamp = header(req.headers, 'lob-signature-timestamp');
  if (!signature || !timestamp || !/^\d{1,15}$/.test(timestamp) || !/^[0-9a-f]+$/i.test(signature))
    return false;
  if (Math.abs(req.now.getTime() - Number(timestamp)) > TOLERANCE_MS) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(req.body).digest();
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const STATUS: Record<string, DeliveryEvent['status']> = {
  'letter.mailed': 'sent',
  'letter.delivered': 'delivered',
  'letter.returned_to_sender': 'bounced',
  'letter.failed': 'failed',
};

export function parseLob(req: InboundWebhook): WebhookResult {
  const e = JSON.parse(req.body.toString('utf8')) as {
    id?: string;
    event_type?: { id?: string };
    body?: { id?: string; metadata?: Record<string, string> };
    date_created?: string;
  };
  const type = e.event_type?.id ?? '';
  const status = STATUS[type];
  if (!status || !e.id || !e.body?.id) return { deliveries: [], optOuts: [] };
  return {
    deliveries: [
      {
        eventId: e.id,
        messageId: e.body.metadata?.plinth_message_id,
        providerMessageId: e.body.id,
        status,
        reason: status === 'sent' ? undefined : type,
        occurredAt: e.date_created ? new Date(e.date_created) : req.now,
      },
    ],
    optOuts: [],
  };
}
