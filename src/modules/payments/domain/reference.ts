import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A payment's (or refund's) reference at the processor: `P` or `R` and 19 Crockford base-32 characters (95 random
 * bits). It fits Authorize.Net's 20-character invoice number, which its duplicate check keys on, and it is the
 * base of Stripe's idempotency keys: whatever re-sends a call for the payment sends the same reference.
 */
export function newReference(prefix: 'P' | 'R' | 'M'): string {
  const bytes = randomBytes(19);
  let out = prefix;
  for (const b of bytes) out += ALPHABET[b & 31];
  return out;
}

export const isReference = (s: string): boolean => /^[PRM][0-9A-HJKMNP-TV-Z]{19}$/.test(s);
