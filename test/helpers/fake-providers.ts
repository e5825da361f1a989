import { z } from 'zod';
import type { ProviderDefinition } from '../../src/providers/types.js';

/**
 * Definitions the foundation tests register: a payment processor with secrets (the shape of the real Stripe or
 * Authorize.Net definitions to come) and a lending program type (until the lending module registers the real ones).
 */
export const fakePayConfig = z.strictObject({
  api_key: z.string().regex(/^sk_(test|live)_\w{8,}$/, 'must look like sk_test_…'),
  webhook_secret: z.string().min(8).optional(),
  region: z.enum(['us', 'eu']),
  timeout_ms: z.number().int().min(100).max(30_000).default(5000),
});

export let fakePayInstances = 0;

export const fakePay: ProviderDefinition<
  z.infer<typeof fakePayConfig>,
  { serial: number; region: string }
> = {
  serviceType: 'payment_processor',
  key: 'fakepay',
  displayName: 'FakePay (test)',
  metadata: {
    documentation: 'test/helpers/fake-providers.ts',
    requiredSettings: ['api_key', 'region'],
    testedWith: 'built-in',
  },
  configSchema: fakePayConfig,
  secretFields: ['api_key', 'webhook_secret'],
  create: (config) => ({ serial: ++fakePayInstances, region: config.region }),
};

export const otherPay: ProviderDefinition<{ token: string }, { name: string }> = {
  serviceType: 'payment_processor',
  key: 'otherpay',
  displayName: 'OtherPay (test)',
  metadata: { documentation: 'test', requiredSettings: ['token'], testedWith: 'built-in' },
  configSchema: z.strictObject({ token: z.string().min(12) }),
  secretFields: ['token'],
  create: () => ({ name: 'otherpay' }),
};

export const testLoan: ProviderDefinition<{ currency: string; max_principal: number }, object> = {
  serviceType: 'lending_program',
  key: 'test_loan',
  displayName: 'Test loan',
  metadata: { documentation: 'test', requiredSettings: ['currency'], testedWith: 'built-in' },
  configSchema: z.strictObject({ currency: z.string(), max_principal: z.number().int().positive() }),
  secretFields: [],
  create: () => ({}),
};

export const testProviders = [fakePay, otherPay, testLoan];
