import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { headerValue, type RelayHeaders } from '../../domain/relay.js';
import { isFresh } from '../../domain/signature.js';

/**
 * Lithic signs ASA requests and event webhooks with the Standard Webhooks scheme: headers `webhook-id`,
 * `webhook-timestamp` (Unix seconds) and `webhook-signature` (space-separated `v1,<base64>` entries), each
 * signature being base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>")) where the key is the base64 part of the
 * `whsec_…` secret.
 *
 * Implemented here rather than through the `lithic` SDK's `webhooks.verifySignature`: that helper needs a full
 * API client (an API key the relay does not have), reads the clock itself (no injectable `now`), and throws
 * instead of answering yes/no. The tests check this implementation against `standardwebhooks`, the library the
 * SDK delegates to. The timestamp follows the rule every relay shares (domain/signature.ts).
 */
const SECRET_PREFIX = 'whsec_';
/** Standard Webhooks: a secret is 24 to 64 random bytes (192 to 512 bits), in base64 after `whsec_`. */
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;

function signingKey(secret: string): Buffer | undefined {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return undefined;
  const key = Buffer.from(encoded, 'base64');
  return key.length > 0 ? key : undefined;
}

/** A secret as Lithic issues them (the ASA HMAC secret, an event subscription's secret). */
export const standardWebhooksSecret = z.string().refine(
  (s) => {
    const key = s.startsWith(SECRET_PREFIX) ? signingKey(s) : undefined;
    return key !== undefined && key.length >= MIN_SECRET_BYTES && key.length <= MAX_SECRET_BYTES;
  },
  {
    message: `must be a Standard Webhooks secret: whsec_ and ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes in base64`,
  },
);

export function verifyStandardWebhook(
  rawBody: Buffer,
  headers: RelayHeaders,
  secret: string,
  now: Date,
): boolean {
  const id = headerValue(headers, 'webhook-id');
  const timestamp = headerValue(headers, 'webhook-timestamp');
  const signatures = headerValue(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures || !/^\d{1,12}$/.test(timestamp)) return false;

  const t = Number(timestamp);
  if (!isFresh(t, now)) return false;

  const key = signingKey(secret);
  if (!key) return false;
  const expected = createHmac('sha256', key).update(`${id}.${t}.`).update(rawBody).digest();

  for (const entry of signatures.split(' ')) {
    const [version, value] = entry.split(',');
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
  }
  return false;
}
