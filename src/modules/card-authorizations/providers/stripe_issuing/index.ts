import type { ProviderDefinition } from '../../../../providers/types.js';
import type { CardRelay } from '../../domain/relay.js';
import {
  STRIPE_ISSUING_SECRET_FIELDS,
  type StripeIssuingConfig,
  stripeIssuingConfigSchema,
} from './config.js';
import { stripeIssuingRelay } from './relay.js';

/** Stripe Issuing: `issuing_authorization.request` answered in real time, lifecycle webhooks on the same URL. */
export const stripeIssuingProvider: ProviderDefinition<StripeIssuingConfig, CardRelay> = {
  serviceType: 'card_issuing',
  key: 'stripe_issuing',
  displayName: 'Stripe Issuing',
  metadata: {
    documentation: 'https://docs.stripe.com/issuing/controls/real-time-authorizations',
    requiredSettings: ['webhook_secret'],
    testedWith: 'sandbox/simulators/stripe-issuing',
    category: 'card_issuing',
    authType: 'webhook_signature',
    capabilities: [
      'real_time_authorization',
      'incremental_authorization',
      'partial_approval',
      'lifecycle_events',
    ],
  },
  configSchema: stripeIssuingConfigSchema,
  secretFields: STRIPE_ISSUING_SECRET_FIELDS,
  create: (c) => ({
    adapter: stripeIssuingRelay,
    secrets: [c.webhook_secret],
    deadlineMs: c.deadline_ms,
    fallback: c.fallback,
    holdExpiryDays: c.hold_expiry_days,
    idScope: 'platform',
  }),
};
