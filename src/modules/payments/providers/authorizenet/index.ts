import { z } from 'zod';
import type { PaymentProcessorDefinition } from '../../domain/processor.js';
import { anetClient } from './client.js';
import { authorizeNetProcessor } from './processor.js';

export const authorizeNetConfigSchema = z.strictObject({
  api_login_id: z.string().min(1).max(25),
  transaction_key: z.string().regex(/^[A-Za-z0-9]{16}$/, 'must be the 16-character transaction key'),
  /** The signature key (128 hex characters) that signs webhooks; without it webhooks are refused. */
  signature_key: z
    .string()
    .regex(/^[0-9A-Fa-f]{128}$/, 'must be the 128-character hexadecimal signature key')
    .optional(),
  /** Authorize.Net's production or sandbox endpoint, or a simulator's. */
  endpoint: z.url({ protocol: /^https?$/ }).default('https://api.authorize.net/xml/v1/request.api'),
  timeout_ms: z.number().int().min(500).max(120_000).default(30_000),
  /** How long a re-sent charge or refund is recognized as a duplicate of the first (the gateway's maximum: 8 hours). */
  duplicate_window_seconds: z.number().int().min(120).max(28_800).default(28_800),
  currencies: z
    .array(z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in upper case'))
    .min(1)
    .default(['USD']),
});
export type AuthorizeNetConfig = z.infer<typeof authorizeNetConfigSchema>;

export const authorizeNetProvider: PaymentProcessorDefinition<AuthorizeNetConfig> = {
  serviceType: 'payment_processor',
  key: 'authorizenet',
  displayName: 'Authorize.Net',
  metadata: {
    documentation: 'https://developer.authorize.net/api/reference/index.html',
    requiredSettings: ['api_login_id', 'transaction_key'],
    testedWith: 'sandbox/simulators/authorizenet',
    category: 'payment_processor',
    authType: 'api_key',
    capabilities: ['authorize', 'capture', 'void', 'refund', 'retrieve', 'webhooks'],
    methods: ['card', 'bank_account'],
  },
  configSchema: authorizeNetConfigSchema,
  secretFields: ['transaction_key', 'signature_key'],
  // Production and the vendor's sandbox.
  endpoints: { endpoint: ['api.authorize.net', 'apitest.authorize.net'] },
  create: (c) =>
    authorizeNetProcessor({
      client: anetClient({
        endpoint: new URL(c.endpoint),
        credentials: { apiLoginId: c.api_login_id, transactionKey: c.transaction_key },
        timeoutMs: c.timeout_ms,
      }),
      signatureKey: c.signature_key ?? null,
      duplicateWindowSeconds: c.duplicate_window_seconds,
      currencies: c.currencies,
    }),
};
