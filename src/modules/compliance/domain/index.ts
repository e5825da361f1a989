// The compliance domain's public surface: the rule contract, the context types, the 10 engines, the OFAC list.

export {
  addRescissionBusinessDays,
  type HolidayObservance,
  isRescissionBusinessDay,
} from './calendar/business-days.js';
export { type FederalHoliday, federalHolidays } from './calendar/federal-holidays.js';
export { BUILT_IN_RULES, ruleByKey } from './catalog.js';
export * from './context.js';
export type {
  AprAccuracy,
  AprAccuracyCheck,
  AprCalculator,
  AprComputation,
  AprFlowInput,
} from './lending-port.js';
export type { BirthDate } from './ofac/dob.js';
export { parseSdnFiles, type SdnAlias, type SdnEntry, type SdnList, type SdnType } from './ofac/sdn-file.js';
export { type ScreenMatch, type ScreenOptions, SdnIndex } from './ofac/sdn-index.js';
export {
  type AnyRuleDefinition,
  type ConfiguredRule,
  configureRule,
  type Evaluation,
  type EvaluationSummary,
  evaluateRules,
  type RateReduction,
  type Remedy,
  RULE_KEYS,
  RULE_OUTCOMES,
  type RuleDefinition,
  type RuleDeps,
  type RuleFacts,
  type RuleKey,
  type RuleOutcome,
  type RuleResult,
  worstOutcome,
} from './rule.js';
