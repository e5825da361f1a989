import { cardIssuingDefinition } from '../relay-definition.js';
import { STRIPE_ISSUING_SECRET_FIELDS, stripeIssuingConfigSchema } from './config.js';
import { stripeIssuingRelay } from './relay.js';

/** Stripe Issuing: `issuing_authorization.request` answered in real time, lifecycle webhooks on the same URL. */
export const stripeIssuingProvider = cardIssuingDefinition({
  key: 'stripe_issuing',
  displayName: 'Stripe Issuing',
  documentation: 'https://docs.stripe.com/issuing/controls/real-time-authorizations',
  testedWith: 'sandbox/simulators/stripe-issuing',
  configSchema: stripeIssuingConfigSchema,
  secretFields: STRIPE_ISSUING_SECRET_FIELDS,
  adapter: stripeIssuingRelay,
  secrets: (c) => [c.webhook_secret],
  idScope: 'platform',
});
