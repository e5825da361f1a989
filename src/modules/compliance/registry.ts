import type { ProviderDefinition } from '../../providers/index.js';
import { Registry } from '../../providers/index.js';
import { type AnyRuleDefinition, BUILT_IN_RULES, type ConfiguredRule } from './domain/index.js';

/**
 * The `compliance_rule` service type: each built-in rule engine is a provider whose config is the rule's own
 * strict schema (`{}` is a valid config of every rule), and whose instance is the rule bound to that config.
 * Several are active at once, so the gate resolves them with `resolver.resolveSet`.
 */
// biome-ignore lint/suspicious/noExplicitAny: definitions of every rule's config type.
export type ComplianceRuleDefinition = ProviderDefinition<any, ConfiguredRule>;

declare module '../../providers/index.js' {
  interface Capabilities {
    compliance_rule: ComplianceRuleDefinition;
  }
}

export function ruleProvider(rule: AnyRuleDefinition): ComplianceRuleDefinition {
  return {
    serviceType: 'compliance_rule',
    key: rule.key,
    displayName: rule.displayName,
    metadata: {
      documentation: 'src/modules/compliance/README.md',
      requiredSettings: [],
      testedWith: 'built-in',
      category: 'compliance',
      citation: rule.citation,
      description: rule.description,
      hooks: rule.hooks,
    },
    configSchema: rule.configSchema,
    secretFields: [],
    // The resolver validated the config with the same schema (defaults filled in).
    create: (config) => ({
      key: rule.key,
      hooks: rule.hooks,
      evaluate: (ctx, deps) => rule.evaluate(ctx, config, deps),
    }),
  };
}

export const RULE_PROVIDERS: readonly ComplianceRuleDefinition[] = BUILT_IN_RULES.map(ruleProvider);

export function complianceRuleRegistry(): Registry<ComplianceRuleDefinition> {
  return new Registry<ComplianceRuleDefinition>('compliance_rule').registerAll(RULE_PROVIDERS);
}
