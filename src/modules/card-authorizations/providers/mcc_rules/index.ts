import type { ProviderDefinition } from '../../../../providers/index.js';
import { compileMccRules, type MccRulesConfig, mccRulesConfigSchema } from '../../domain/mcc-rules.js';
import type { ExpenseCategoryResolver } from '../../domain/resolvers.js';

/** Built-in expense-category resolver: merchant category codes (and optionally countries, merchants) → codes. */
export const mccRulesResolver: ProviderDefinition<MccRulesConfig, ExpenseCategoryResolver> = {
  serviceType: 'expense_category_resolver',
  key: 'mcc_rules',
  displayName: 'MCC rules',
  metadata: {
    documentation: 'src/modules/card-authorizations/README.md#resolvers',
    requiredSettings: ['rules'],
    testedWith: 'built-in',
    category: 'card_authorization',
  },
  configSchema: mccRulesConfigSchema,
  secretFields: [],
  create: (config) => compileMccRules(config),
};
