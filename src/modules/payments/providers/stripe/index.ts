import { z } from 'zod';
import type { PaymentProcessorDefinition } from '../../domain/processor.js';
import { stripeProcessor } from './client.js';

export const stripeConfigSchema = z.strictObject({
  secret_key: z
    .string()
    .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$/, 'must be a Stripe secret key (sk_test_… or sk_live_…)'),
  /** The signing secret of the webhook endpoint Stripe calls (`whsec_…`); without it webhooks are refused. */
  webhook_secret: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/=]{8,}$/, 'must be a Stripe endpoint secret (whsec_…)')
    .optional(),
  /** Stripe's API, or a simulator's (`http://127.0.0.1:4020`). */
  api_base_url: z.url({ protocol: /^https?$/ }).default('https://api.stripe.com'),
  timeout_ms: z.number().int().min(500).max(80_000).default(20_000),
  /** Retries of a request that got no answer (each with the same idempotency key). */
  network_retries: z.number().int().min(0).max(3).default(1),
  currencies: z
    .array(z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in upper case'))
    .min(1)
    .default(['USD']),
});
export type StripeConfig = z.infer<typeof stripeConfigSchema>;

export const stripeProvider: PaymentProcessorDefinition<StripeConfig> = {
  serviceType: 'payment_processor',
  key: 'stripe',
  displayName: 'Stripe',
  metadata: {
    documentation: 'https://docs.stripe.com/api/payment_intents',
    requiredSettings: ['secret_key'],
    testedWith: 'sandbox/simulators/stripe',
    category: 'payment_processor',
    authType: 'api_key',
    capabilities: ['authorize', 'capture', 'void', 'refund', 'retrieve', 'webhooks'],
    methods: ['card', 'bank_account'],
  },
  configSchema: stripeConfigSchema,
  secretFields: ['secret_key', 'webhook_secret'],
  endpoints: { api_base_url: ['api.stripe.com'] },
  create: (c) =>
    stripeProcessor({
      secretKey: c.secret_key,
      webhookSecret: c.webhook_secret ?? null,
      apiBase: new URL(c.api_base_url),
      timeoutMs: c.timeout_ms,
      networkRetries: c.network_retries,
      currencies: c.currencies,
    }),
};
