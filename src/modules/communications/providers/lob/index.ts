import { z } from 'zod';
import type { LetterDefinition } from '../../domain/channels.js';
import { LobLetters } from './client.js';

const returnAddress = z.strictObject({
  name: z.string().trim().min(1).max(40),
  lines: z.array(z.string().trim().min(1).max(64)).min(1).max(2),
  city: z.string().trim().min(1).max(200),
  state: z.string().trim().min(1).max(200).nullable(),
  postal_code: z.string().trim().min(1).max(40).nullable(),
  // Lob mails only from US return addresses (foreign_return_address).
  country: z.literal('US'),
});

export const lobConfigSchema = z.strictObject({
  api_key: z.string().regex(/^(test|live)_[A-Za-z0-9]{10,}$/, 'must be a Lob API key (test_... or live_...)'),
  from: returnAddress,
  color: z.boolean().default(false),
  use_type: z.enum(['operational', 'marketing']).default('operational'),
  base_url: z.url({ protocol: /^https?$/ }).default('https://api.lob.com'),
  /** The secret Lob shows for the webhook subscription; without it, events are refused. */
  webhook_secret: z.string().min(8).max(200).optional(),
  timeout_ms: z.number().int().min(100).max(120_000).default(30_000),
});
export type LobConfig = z.infer<typeof lobConfigSchema>;

export const lobLetterProvider: LetterDefinition<LobConfig> = {
  serviceType: 'letter',
  key: 'lob',
  displayName: 'Lob',
  metadata: {
    documentation: 'https://docs.lob.com/#tag/Letters/operation/letter_create',
    requiredSettings: ['api_key', 'from'],
    testedWith: 'sandbox/simulators/lob',
    category: 'print_and_mail',
    authType: 'basic',
    capabilities: ['pdf', 'idempotency_key', 'signed_webhooks', 'tracking_events'],
  },
  configSchema: lobConfigSchema,
  secretFields: ['api_key', 'webhook_secret'],
  endpoints: { base_url: ['api.lob.com'] },
  create: (c) =>
    new LobLetters({
      apiKey: c.api_key,
      baseUrl: c.base_url,
      from: c.from,
      color: c.color,
      useType: c.use_type,
      webhookSecret: c.webhook_secret,
      timeoutMs: c.timeout_ms,
    }),
};
