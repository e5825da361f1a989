import { createHmac, randomBytes } from 'node:crypto';
import type { SignatureMode } from '../shared/card-client.js';
import type { LetterSettings } from './validate.js';

/**
 * Lob's letter, address, tracking-event and event objects as the Print & Mail API returns them, and the webhook
 * signature: hex HMAC-SHA256 keyed with the webhook's secret over `${Lob-Signature-Timestamp}.${raw body}`,
 * the timestamp being Unix epoch milliseconds.
 */

export const lobId = (prefix: string): string => `${prefix}_${randomBytes(8).toString('hex')}`;

export type LobAddressInput = Record<string, unknown>;

/** A letter as the simulator keeps it: the request's settings plus what Lob adds. */
export interface LobSimLetter extends LetterSettings {
  id: string;
  description: string | null;
  metadata: Record<string, string>;
  to: Record<string, unknown>;
  from: Record<string, unknown>;
  /** `processed` until `letter.rendered_pdf`, then `rendered` (or `failed`). */
  status: 'processed' | 'rendered' | 'failed';
  trackingEvents: Record<string, unknown>[];
  sendDate: Date;
  dateCreated: Date;
  dateModified: Date;
  deleted: boolean;
  /** The PDF as received or downloaded; null when Lob renders it (HTML, template). */
  pdf: Buffer | null;
  pages: number | null;
  idempotencyKey: string | null;
  /** Where the simulator serves the letter's PDF (the object's `url` names lob-assets.com, as Lob's does). */
  assetUrl: string;
}

const iso = (d: Date) => d.toISOString();

/** An inline address as Lob stores it: an `adr_` id, upper-cased lines, the country spelled out. */
export function addressObject(input: LobAddressInput, now: Date): Record<string, unknown> {
  const upper = (v: unknown) => (typeof v === 'string' && v !== '' ? v.toUpperCase() : null);
  const country = String(input.address_country ?? 'US').toUpperCase();
  return {
    id: lobId('adr'),
    description: input.description ?? null,
    name: upper(input.name),
    company: upper(input.company),
    phone: input.phone ?? null,
    email: input.email ?? null,
    address_line1: upper(input.address_line1),
    address_line2: upper(input.address_line2),
    address_city: upper(input.address_city),
    address_state: upper(input.address_state),
    address_zip: input.address_zip ?? null,
    address_country: country === 'US' ? 'UNITED STATES' : country,
    metadata: input.metadata ?? {},
    date_created: iso(now),
    date_modified: iso(now),
    object: 'address',
  };
}

/** First-class letters: about five business days from the send date. */
export function expectedDeliveryDate(sendDate: Date, businessDays = 5): string {
  const d = new Date(Date.UTC(sendDate.getUTCFullYear(), sendDate.getUTCMonth(), sendDate.getUTCDate()));
  let left = businessDays;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) left--;
  }
  return d.toISOString().slice(0, 10);
}

export function letterObject(l: LobSimLetter): Record<string, unknown> {
  const expires = Math.floor(Date.now() / 1000) + 30 * 24 * 3600;
  // Lob's signed asset links; the SDK refuses any other host. The simulator serves the PDF at `assetUrl`.
  const signed = (suffix: string) =>
    `https://lob-assets.com/letters/${l.id}${suffix}?version=v1&expires=${expires}&signature=sim`;
  return {
    id: l.id,
    description: l.description,
    metadata: l.metadata,
    to: l.to,
    from: l.from,
    color: l.color,
    double_sided: l.doubleSided,
    address_placement: l.addressPlacement,
    return_envelope: false,
    perforated_page: null,
    custom_envelope: null,
    extra_service: l.extraService,
    mail_type: l.mailType,
    url: signed('.pdf'),
    carrier: 'USPS',
    tracking_number: null,
    tracking_events: l.trackingEvents,
    thumbnails: [1].map((n) => ({
      small: signed(`_thumb_small_${n}.png`),
      medium: signed(`_thumb_medium_${n}.png`),
      large: signed(`_thumb_large_${n}.png`),
    })),
    merge_variables: null,
    expected_delivery_date: expectedDeliveryDate(l.sendDate),
    date_created: iso(l.dateCreated),
    date_modified: iso(l.dateModified),
    send_date: iso(l.sendDate),
    use_type: l.useType,
    fsc: false,
    status: l.status,
    failure_reason: null,
    ...(l.deleted ? { deleted: true } : {}),
    object: 'letter',
  };
}

/** Letter event types in the order the mail stream produces them. */
export const LETTER_LIFECYCLE = [
  'letter.created',
  'letter.rendered_pdf',
  'letter.rendered_thumbnails',
  'letter.mailed',
  'letter.in_transit',
  'letter.in_local_area',
  'letter.processed_for_delivery',
  'letter.delivered',
] as const;

export type LetterEventType =
  | (typeof LETTER_LIFECYCLE)[number]
  | 'letter.re-routed'
  | 'letter.returned_to_sender'
  | 'letter.international_exit'
  | 'letter.failed'
  | 'letter.rejected'
  | 'letter.deleted';

/** The USPS scan each tracking event type records on the letter. */
export const TRACKING_NAMES: Partial<Record<LetterEventType, string>> = {
  'letter.mailed': 'Mailed',
  'letter.in_transit': 'In Transit',
  'letter.in_local_area': 'In Local Area',
  'letter.processed_for_delivery': 'Processed for Delivery',
  'letter.delivered': 'Delivered',
  'letter.re-routed': 'Re-Routed',
  'letter.returned_to_sender': 'Returned to Sender',
  'letter.international_exit': 'International Exit',
};

export function trackingEvent(name: string, zip: string | null, at: Date): Record<string, unknown> {
  return {
    id: lobId('evnt'),
    type: 'normal',
    name,
    details: null,
    location: name === 'Mailed' ? null : zip,
    time: iso(at),
    date_created: iso(at),
    date_modified: iso(at),
    object: 'tracking_event',
  };
}

export function eventObject(type: LetterEventType, letter: Record<string, unknown>): Record<string, unknown> {
  return {
    id: lobId('evt'),
    body: letter,
    reference_id: letter.id,
    event_type: { id: type, enabled_for_test: true, resource: 'letters', object: 'event_type' },
    date_created: new Date().toISOString(),
    object: 'event',
  };
}

export const SIGNATURE_HEADER = 'Lob-Signature';
export const TIMESTAMP_HEADER = 'Lob-Signature-Timestamp';

export function lobSignatureHeaders(
  secret: string,
  body: string,
  mode: SignatureMode,
): Record<string, string> {
  const timestamp = String(Date.now() - (mode === 'stale' ? 3_600_000 : 0));
  const key = mode === 'wrong_secret' ? `${secret}x` : secret;
  const signature = createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex');
  return { [SIGNATURE_HEADER]: signature, [TIMESTAMP_HEADER]: timestamp };
}

/** Lob's error envelope. */
export const lobError = (status: number, code: string, message: string) => ({
  error: { message, status_code: status, code },
});
