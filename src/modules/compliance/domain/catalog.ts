import type { AnyRuleDefinition, RuleKey } from './rule.js';
import { abilityToRepay } from './rules/ability-to-repay.js';
import { lateFeeCap } from './rules/late-fee-cap.js';
import { militaryLendingAct } from './rules/military-lending-act.js';
import { ofacScreening } from './rules/ofac-screening.js';
import { regFCallFrequency } from './rules/reg-f-call-frequency.js';
import { regFContactHours } from './rules/reg-f-contact-hours.js';
import { rightOfRescission } from './rules/right-of-rescission.js';
import { scra } from './rules/scra.js';
import { stateRateCap } from './rules/state-rate-cap.js';
import { tilaAprDisclosure } from './rules/tila-apr-disclosure.js';

/** The 10 built-in rule engines, in the order of issue 13. Each becomes one `compliance_rule` provider. */
export const BUILT_IN_RULES: readonly AnyRuleDefinition[] = [
  stateRateCap,
  militaryLendingAct,
  scra,
  tilaAprDisclosure,
  lateFeeCap,
  regFContactHours,
  regFCallFrequency,
  rightOfRescission,
  abilityToRepay,
  ofacScreening,
];

export const ruleByKey = (key: string): AnyRuleDefinition | undefined =>
  BUILT_IN_RULES.find((r) => r.key === (key as RuleKey));
