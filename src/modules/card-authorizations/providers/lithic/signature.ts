import { createHmac, timingSafeEqual } from 'node:crypto';
import { headerValue, type RelayHeaders } from '../../domain/relay.js';

/**
 * Lithic signs ASA requests and event webhooks with the Standard Webhooks scheme: headers `webhook-id`,
 * `webhook-timestamp` (Unix seconds) and `webhook-signature` (space-separated `v1,<base64>` entries), each
 * signature being base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>")) where the key is the base64 part of the
 * `whsec_…` secret.
 *
 * Implemented here rather than through the `lithic` SDK's `webhooks.verifySignature`: that helper needs a full
 * API client (an API key the relay does not have), reads the clock itself (no injectable `now`), and throws
 * instead of answering yes/no. The tests check this implementation against `standardwebhooks`, the library the
 * SDK delegates to.
 */
export const STANDARD_WEBHOOKS_TOLERANCE_SECONDS = 300;

const SECRET_PREFIX = 'whsec_';

function signingKey(secret: string): Buffer | undefined {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return undefined;
  const key = Buffer.from(encoded, 'base64');
  return key.length > 0 ? key : undefined;
}

export function verifyStandardWebhook(
  rawBody: Buffer,
  headers: RelayHeaders,
  secret: string,
  now: Date,
  toleranceSeconds = STANDARD_WEBHOOKS_TOLERANCE_SECONDS,
): boolean {
  const id = headerValue(headers, 'webhook-id');
  const timestamp = headerValue(headers, 'webhook-timestamp');
  const signatures = headerValue(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures || !/^\d{1,12}$/.test(timestamp)) return false;

  // Both directions: a far-future timestamp is as suspicious as an old one.
  const t = Number(timestamp);
  if (Math.abs(Math.floor(now.getTime() / 1000) - t) > toleranceSeconds) return false;

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
