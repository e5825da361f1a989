import { cardIssuingDefinition } from '../relay-definition.js';
import { LITHIC_SECRET_FIELDS, lithicConfigSchema } from './config.js';
import { lithicRelay } from './relay.js';

/** Lithic: Auth Stream Access requests and `card_transaction.updated` events, both on the relay URL. */
export const lithicProvider = cardIssuingDefinition({
  key: 'lithic',
  displayName: 'Lithic',
  documentation: 'https://docs.lithic.com/docs/auth-stream-access-asa',
  testedWith: 'sandbox/simulators/lithic',
  configSchema: lithicConfigSchema,
  secretFields: LITHIC_SECRET_FIELDS,
  adapter: lithicRelay,
  secrets: (c) =>
    c.events_webhook_secret ? [c.webhook_secret, c.events_webhook_secret] : [c.webhook_secret],
  idScope: 'platform',
});
