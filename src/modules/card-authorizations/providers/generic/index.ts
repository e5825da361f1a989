import { cardIssuingDefinition } from '../relay-definition.js';
import { GENERIC_SECRET_FIELDS, genericConfigSchema } from './config.js';
import { genericRelay } from './relay.js';

/** Plinth's own relay contract (docs/card-relay-generic.md), for any other issuing platform. */
export const genericCardProvider = cardIssuingDefinition({
  key: 'generic',
  displayName: 'Generic card platform (Plinth relay contract)',
  documentation: 'docs/card-relay-generic.md',
  testedWith: 'sandbox/simulators/generic-card',
  configSchema: genericConfigSchema,
  secretFields: GENERIC_SECRET_FIELDS,
  adapter: genericRelay,
  secrets: (c) => [c.webhook_secret],
  // Each generic platform has its own id space: two of them may both send "auth_1".
  idScope: 'config',
});
