import {
  createPrivateKey,
  createPublicKey,
  createSign,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { nowSeconds, randomAlnum, type SignatureMode } from '../shared/card-client.js';
import type { Recipient } from './validate.js';

/**
 * SendGrid's Event Webhook: events are POSTed in batches as a JSON array, signed with ECDSA (P-256, SHA-256)
 * over `timestamp + raw body`. The signature (base64 DER) and the timestamp (Unix seconds) travel in the
 * `X-Twilio-Email-Event-Webhook-Signature` / `-Timestamp` headers; the tenant verifies with the public key
 * SendGrid shows in its mail settings (base64 DER SubjectPublicKeyInfo, no PEM framing).
 */

export const SIGNATURE_HEADER = 'X-Twilio-Email-Event-Webhook-Signature';
export const TIMESTAMP_HEADER = 'X-Twilio-Email-Event-Webhook-Timestamp';

export type SendGridEventType =
  | 'processed'
  | 'deferred'
  | 'delivered'
  | 'bounce'
  | 'dropped'
  | 'open'
  | 'click'
  | 'spamreport'
  | 'unsubscribe'
  | 'group_unsubscribe';

export interface SendGridEventSpec {
  event: SendGridEventType;
  /** Which recipient (default: the message's first). */
  email?: string;
  /** Unix seconds (default now). */
  timestamp?: number;
  /** Fields to add or override (e.g. `reason`, `status`, `type` on a bounce). */
  fields?: Record<string, unknown>;
}

export type SendGridEvent = Record<string, unknown> & { event: SendGridEventType; sg_event_id: string };

// The fields SendGrid documents for each kind, with typical values.
const DEFAULT_FIELDS: Record<SendGridEventType, Record<string, unknown>> = {
  processed: {},
  deferred: { response: '400 try again later', attempt: '1' },
  delivered: { response: '250 OK', ip: '168.1.1.1', tls: 1 },
  bounce: {
    reason: '550 5.1.1 The email account that you tried to reach does not exist.',
    status: '5.1.1',
    type: 'bounce',
    bounce_classification: 'Invalid Address',
    ip: '168.1.1.1',
    tls: 1,
  },
  dropped: { reason: 'Bounced Address', status: '5.0.0' },
  open: {
    useragent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
    ip: '255.255.255.255',
    sg_machine_open: false,
  },
  click: {
    useragent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
    ip: '255.255.255.255',
    url: 'https://example.com',
  },
  spamreport: {},
  unsubscribe: {},
  group_unsubscribe: { asm_group_id: 1 },
};

export interface EventSource {
  messageId: string;
  recipients: Recipient[];
  categories: string[];
}

/** One event for one recipient, shaped as SendGrid posts it (custom args appear as top-level fields). */
export function buildEvent(msg: EventSource, spec: SendGridEventSpec): SendGridEvent {
  const recipient = spec.email
    ? msg.recipients.find((r) => r.email.toLowerCase() === spec.email!.toLowerCase())
    : msg.recipients[0];
  if (!recipient) throw new Error(`message ${msg.messageId} has no recipient ${spec.email ?? ''}`);
  const index = msg.recipients.indexOf(recipient);
  const event: SendGridEvent = {
    ...recipient.customArgs,
    email: recipient.email,
    timestamp: spec.timestamp ?? nowSeconds(),
    'smtp-id': `<${msg.messageId}@ismtpd0001p1sim.sendgrid.net>`,
    event: spec.event,
    sg_event_id: randomBytes(16).toString('base64url'),
    sg_message_id: `${msg.messageId}.recvd-sim-${index}-${randomAlnum(6)}.0`,
    ...DEFAULT_FIELDS[spec.event],
    ...spec.fields,
  };
  if (msg.categories.length > 0)
    event.category = msg.categories.length === 1 ? msg.categories[0] : msg.categories;
  return event;
}

export interface EventSigner {
  /** What the tenant configures: base64 DER SubjectPublicKeyInfo. */
  publicKey: string;
  sign(payload: string, mode: SignatureMode): Record<string, string>;
}

function keyPair(pem?: string): { privateKey: KeyObject; publicKey: string } {
  const privateKey = pem
    ? createPrivateKey(pem)
    : generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('base64');
  return { privateKey, publicKey };
}

/**
 * A fresh key pair per simulator, as SendGrid generates one when signing is enabled, or the P-256 key given
 * (PKCS#8 PEM), so a standalone simulator keeps the verification key a tenant configured across restarts.
 */
export function createEventSigner(privateKeyPem?: string): EventSigner {
  const { privateKey, publicKey } = keyPair(privateKeyPem);
  const stranger = keyPair().privateKey;
  return {
    publicKey,
    sign(payload, mode) {
      const timestamp = String(nowSeconds() - (mode === 'stale' ? 3600 : 0));
      const signature = createSign('sha256')
        .update(timestamp + payload)
        .sign(mode === 'wrong_secret' ? stranger : privateKey)
        .toString('base64');
      return { [SIGNATURE_HEADER]: signature, [TIMESTAMP_HEADER]: timestamp };
    },
  };
}

/** A batch body as SendGrid sends it: a JSON array followed by CRLF. */
export const batchBody = (events: SendGridEvent[]): string => `${JSON.stringify(events)}\r\n`;
