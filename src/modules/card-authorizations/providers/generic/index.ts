import type { ProviderDefinition } from '../../../../providers/types.js';
import type { CardRelay } from '../../domain/relay.js';
import { GENERIC_SECRET_FIELDS, type GenericConfig, genericConfigSchema } from './config.js';
import { genericRelay } from './relay.js';

/** Plinth's own relay contract (docs/card-relay-generic.md), for any other issuing platform. */
export const genericCardProvider: ProviderDefinition<GenericConfig, CardRelay> = {
  serviceType: 'card_issuing',
  key: 'generic',
  displayName: 'Generic card platform (Plinth relay contract)',
  metadata: {
    documentation: 'docs/card-relay-generic.md',
    requiredSettings: ['webhook_secret'],
    testedWith: 'sandbox/simulators/generic-card',
    category: 'card_issuing',
    authType: 'webhook_signature',
    capabilities: [
      'real_time_authorization',
      'incremental_authorization',
      'partial_approval',
      'lifecycle_events',
    ],
  },
  configSchema: genericConfigSchema,
  secretFields: GENERIC_SECRET_FIELDS,
  create: (c) => ({
    adapter: genericRelay,
    secrets: [c.webhook_secret],
    deadlineMs: c.deadline_ms,
    fallback: c.fallback,
    holdExpiryDays: c.hold_expiry_days,
    // Each generic platform has its own id space: two of them may both send "auth_1".
    idScope: 'config',
  }),
};
