import { z } from 'zod';
import { holdExpiryDaysField } from '../../domain/relay.js';
import { LITHIC_ASA_TIMEOUT_MS } from './relay.js';
import { standardWebhooksSecret } from './signature.js';

/**
 * Settings of a Lithic relay (a `card_issuing` ProviderConfig). Lithic signs ASA requests with the ASA HMAC
 * secret (`GET /v1/auth_stream/secret`) and event webhooks with the event subscription's secret; when both are
 * delivered to the relay, the route verifies each request against either. Both are Standard Webhooks secrets
 * (`whsec_` and 24 to 64 random bytes in base64); anything weaker is refused.
 */
export const lithicConfigSchema = z.strictObject({
  /** The ASA HMAC secret. */
  webhook_secret: standardWebhooksSecret,
  /** The secret of the event subscription delivering `card_transaction.updated`, if it points at the relay. */
  events_webhook_secret: standardWebhooksSecret.optional(),
  deadline_ms: z
    .number()
    .int()
    .min(100)
    .max(LITHIC_ASA_TIMEOUT_MS - 100)
    .default(1500),
  fallback: z.enum(['approve', 'decline']).default('decline'),
  hold_expiry_days: holdExpiryDaysField,
});
export type LithicConfig = z.infer<typeof lithicConfigSchema>;

export const LITHIC_SECRET_FIELDS = ['webhook_secret', 'events_webhook_secret'] as const;
