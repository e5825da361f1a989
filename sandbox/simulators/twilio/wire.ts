import { createHmac, randomBytes } from 'node:crypto';
import type { SignatureMode } from '../shared/card-client.js';

/**
 * Twilio's Programmable Messaging wire format (API version 2010-04-01): the Message resource, the error envelope
 * `{code, message, more_info, status}`, and the `X-Twilio-Signature` every webhook carries: base64 HMAC-SHA1,
 * keyed with the account's auth token, over the full URL followed by each POST parameter's name and value in
 * name order.
 */

export const API_VERSION = '2010-04-01';

export type TwilioMessageStatus =
  | 'accepted'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'undelivered'
  | 'failed'
  | 'received';

export interface TwilioSimMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  status: TwilioMessageStatus;
  errorCode: number | null;
  statusCallback: string | null;
  dateCreated: Date;
  dateUpdated: Date;
  dateSent: Date | null;
  /** Every parameter of the create request, as received. */
  params: Record<string, string>;
}

export interface TwilioError {
  code: number;
  message: string;
  more_info: string;
  status: number;
  detail?: string;
}

export const twilioError = (status: number, code: number, message: string, detail?: string): TwilioError => ({
  code,
  message,
  more_info: `https://www.twilio.com/docs/errors/${code}`,
  status,
  ...(detail ? { detail } : {}),
});

export const E164 = /^\+[1-9]\d{1,14}$/;

/** Twilio's magic test numbers: sending to them fails the documented way. */
export const MAGIC_TO: Readonly<Record<string, [number, string]>> = {
  '+15005550001': [21211, "The 'To' number +15005550001 is not a valid phone number."],
  '+15005550002': [21612, "The 'To' phone number is not currently reachable via SMS."],
  '+15005550003': [
    21408,
    "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: +15005550003.",
  ],
  '+15005550004': [21610, 'Attempt to send to unsubscribed recipient'],
  '+15005550009': [21614, "'To' number is not a valid mobile number"],
};

/** Errors a delivery receipt can carry (undelivered / failed). */
export const DELIVERY_ERRORS: Readonly<Record<number, string>> = {
  30003: 'Unreachable destination handset',
  30004: 'Message blocked',
  30005: 'Unknown destination handset',
  30006: 'Landline or unreachable carrier',
  30007: 'Message filtered',
  30008: 'Unknown error',
};

// GSM 03.38 basic set (and the extension table, which costs two septets).
const GSM =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXT = '^{}\\[~]|€\f';

/** How many SMS segments a body needs (GSM-7: 160, or 153 when split; otherwise UCS-2: 70, or 67). */
export function segments(body: string): number {
  const chars = [...body];
  if (chars.every((c) => GSM.includes(c) || GSM_EXT.includes(c))) {
    const septets = chars.reduce((n, c) => n + (GSM_EXT.includes(c) ? 2 : 1), 0);
    return septets <= 160 ? 1 : Math.ceil(septets / 153);
  }
  const units = body.length;
  return units <= 70 ? 1 : Math.ceil(units / 67);
}

export const sid = (prefix: string): string => prefix + randomBytes(16).toString('hex');

const rfc2822 = (d: Date): string => d.toUTCString().replace('GMT', '+0000');

/** The Message resource as the API returns it (JSON). */
export function messageResource(m: TwilioSimMessage): Record<string, unknown> {
  const base = `/${API_VERSION}/Accounts/${m.accountSid}/Messages/${m.sid}`;
  return {
    account_sid: m.accountSid,
    api_version: API_VERSION,
    body: m.body,
    date_created: rfc2822(m.dateCreated),
    date_sent: m.dateSent ? rfc2822(m.dateSent) : null,
    date_updated: rfc2822(m.dateUpdated),
    direction: 'outbound-api',
    error_code: m.errorCode,
    error_message: m.errorCode ? (DELIVERY_ERRORS[m.errorCode] ?? null) : null,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: '0',
    num_segments: String(segments(m.body)),
    price: null,
    price_unit: 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: `${base}/Media.json` },
    to: m.to,
    uri: `${base}.json`,
  };
}

/** `X-Twilio-Signature` for a POST of `params` to `url`. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, k) => acc + k + params[k], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/**
 * Signature headers for a webhook the way a mode asks. Twilio signs no timestamp, so `stale` signs correctly;
 * `tampered` (applied by the sender) changes the body after signing.
 */
export function signatureHeaders(
  authToken: string,
  url: string,
  params: Record<string, string>,
  mode: SignatureMode,
): Record<string, string> {
  const key = mode === 'wrong_secret' ? `${authToken}x` : authToken;
  return { 'X-Twilio-Signature': twilioSignature(key, url, params) };
}

export const STOP_WORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'];
export const START_WORDS = ['START', 'YES', 'UNSTOP'];
export const HELP_WORDS = ['HELP', 'INFO'];

/** The `OptOutType` Twilio's Advanced Opt-Out adds to an inbound message, if its body is a keyword. */
export function optOutType(body: string): 'STOP' | 'START' | 'HELP' | null {
  const word = body.trim().toUpperCase();
  if (STOP_WORDS.includes(word)) return 'STOP';
  if (START_WORDS.includes(word)) return 'START';
  if (HELP_WORDS.includes(word)) return 'HELP';
  return null;
}
