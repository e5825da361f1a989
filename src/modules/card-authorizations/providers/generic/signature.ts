import { createHmac, timingSafeEqual } from 'node:crypto';
import { headerValue, type RelayHeaders } from '../../domain/relay.js';
import { isFresh } from '../../domain/signature.js';

/**
 * Plinth's own webhook signature (docs/card-relay-generic.md):
 *   Plinth-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>[,v1=<hex>…]
 * Several v1 entries let a platform sign with the old and the new secret during a rotation. The timestamp follows
 * the rule every relay shares (domain/signature.ts): within five minutes of our clock, in either direction.
 */
export const PLINTH_SIGNATURE_HEADER = 'Plinth-Signature';

export function plinthSignature(secret: string, timestamp: number, rawBody: Buffer | string): string {
  return signatureDigest(secret, timestamp, rawBody).toString('hex');
}

function signatureDigest(secret: string, timestamp: number, rawBody: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

/** The header a platform sends with `rawBody` (docs/card-relay-generic.md): `t=<unix seconds>,v1=<hex>`. */
export function plinthSignatureHeader(secret: string, rawBody: Buffer | string, now = Date.now()): string {
  const t = Math.floor(now / 1000);
  return `t=${t},v1=${plinthSignature(secret, t, rawBody)}`;
}

export function verifyPlinthSignature(
  rawBody: Buffer,
  headers: RelayHeaders,
  secret: string,
  now: Date,
): boolean {
  const header = headerValue(headers, PLINTH_SIGNATURE_HEADER);
  if (!header || !secret) return false;
  let timestamp: number | undefined;
  const candidates: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value.length === 64) {
      // Hex decoding stops at the first non-hex digit, so anything but 64 hex digits decodes short.
      const digest = Buffer.from(value, 'hex');
      if (digest.length === 32) candidates.push(digest);
    }
  }
  if (timestamp === undefined || candidates.length === 0) return false;
  if (!isFresh(timestamp, now)) return false;
  const expected = signatureDigest(secret, timestamp, rawBody);
  return candidates.some((c) => timingSafeEqual(c, expected));
}
