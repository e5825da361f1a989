import type { z } from 'zod';
import type { ProviderDefinition } from '../../../providers/index.js';
import type { CardRelay, RelayAdapter } from '../domain/relay.js';

/** The settings every relay config has (see each provider's config.ts). */
interface RelaySettings {
  deadline_ms: number;
  fallback: 'approve' | 'decline';
  hold_expiry_days: number;
}

/** A `card_issuing` provider definition: an adapter, its config schema, and how a config becomes a CardRelay. */
export function cardIssuingDefinition<C extends RelaySettings>(d: {
  key: string;
  displayName: string;
  documentation: string;
  testedWith: string;
  configSchema: z.ZodType<C>;
  secretFields: readonly string[];
  adapter: RelayAdapter;
  secrets: (config: C) => string[];
  idScope: CardRelay['idScope'];
}): ProviderDefinition<C, CardRelay> {
  return {
    serviceType: 'card_issuing',
    key: d.key,
    displayName: d.displayName,
    metadata: {
      documentation: d.documentation,
      requiredSettings: ['webhook_secret'],
      testedWith: d.testedWith,
      category: 'card_issuing',
      authType: 'webhook_signature',
      capabilities: [
        'real_time_authorization',
        'incremental_authorization',
        'partial_approval',
        'lifecycle_events',
      ],
    },
    configSchema: d.configSchema,
    secretFields: d.secretFields,
    create: (c) => ({
      adapter: d.adapter,
      secrets: d.secrets(c),
      deadlineMs: c.deadline_ms,
      fallback: c.fallback,
      holdExpiryDays: c.hold_expiry_days,
      idScope: d.idScope,
    }),
  };
}
