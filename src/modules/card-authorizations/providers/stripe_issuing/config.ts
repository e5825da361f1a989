import { z } from 'zod';
import { holdExpiryDaysField } from '../../domain/relay.js';
import { STRIPE_TIMEOUT_MS } from './relay.js';

/**
 * Settings of a Stripe Issuing relay (a `card_issuing` ProviderConfig). `webhook_secret` is the signing secret
 * of the endpoint Stripe calls; it is the only secret field. Stripe's endpoint secrets are `whsec_` and 32 letters
 * and digits (the Dashboard's), or 64 hex digits (the Stripe CLI's): anything shorter is refused.
 */
export const stripeIssuingConfigSchema = z.strictObject({
  webhook_secret: z.string().regex(/^whsec_[A-Za-z0-9]{32,128}$/, {
    message: 'must be a Stripe endpoint signing secret: whsec_ and at least 32 letters or digits',
  }),
  /** Our budget for deciding; must leave room before Stripe's own 2 s timeout. */
  deadline_ms: z
    .number()
    .int()
    .min(100)
    .max(STRIPE_TIMEOUT_MS - 100)
    .default(1500),
  /** What to answer when the decision engine misses the deadline. */
  fallback: z.enum(['approve', 'decline']).default('decline'),
  hold_expiry_days: holdExpiryDaysField,
});
export type StripeIssuingConfig = z.infer<typeof stripeIssuingConfigSchema>;

export const STRIPE_ISSUING_SECRET_FIELDS = ['webhook_secret'] as const;
