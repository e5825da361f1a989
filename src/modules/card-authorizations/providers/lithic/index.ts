import type { ProviderDefinition } from '../../../../providers/types.js';
import type { CardRelay } from '../../domain/relay.js';
import { LITHIC_SECRET_FIELDS, type LithicConfig, lithicConfigSchema } from './config.js';
import { lithicRelay } from './relay.js';

/** Lithic: Auth Stream Access requests and `card_transaction.updated` events, both on the relay URL. */
export const lithicProvider: ProviderDefinition<LithicConfig, CardRelay> = {
  serviceType: 'card_issuing',
  key: 'lithic',
  displayName: 'Lithic',
  metadata: {
    documentation: 'https://docs.lithic.com/docs/auth-stream-access-asa',
    requiredSettings: ['webhook_secret'],
    testedWith: 'sandbox/simulators/lithic',
    category: 'card_issuing',
    authType: 'webhook_signature',
    capabilities: [
      'real_time_authorization',
      'incremental_authorization',
      'partial_approval',
      'lifecycle_events',
    ],
  },
  configSchema: lithicConfigSchema,
  secretFields: LITHIC_SECRET_FIELDS,
  create: (c) => ({
    adapter: lithicRelay,
    secrets: c.events_webhook_secret ? [c.webhook_secret, c.events_webhook_secret] : [c.webhook_secret],
    deadlineMs: c.deadline_ms,
    fallback: c.fallback,
    holdExpiryDays: c.hold_expiry_days,
    idScope: 'platform',
  }),
};
