import type { z } from 'zod';
import type { CalendarDate } from '../../../kernel/dates.js';
import { err, failure, ok, type Result } from '../../../kernel/result.js';
import { fieldIssues } from '../../../kernel/validation.js';
import type { ComplianceContext, HookPoint } from './context.js';
import type { AprAccuracyCheck, AprCalculator } from './lending-port.js';
import type { SdnIndex } from './ofac/sdn-index.js';

export const RULE_OUTCOMES = ['pass', 'warn', 'block'] as const;
export type RuleOutcome = (typeof RULE_OUTCOMES)[number];

/**
 * What lending must do to honour the SCRA cap: re-compute the loan from `effectiveDate` at no more than
 * `maxAnnualRatePercent`, fees included, and forgive the excess (50 U.S.C. 3937(a)(2)-(3), (c)).
 */
export interface RateReduction {
  kind: 'rate_reduction';
  effectiveDate: CalendarDate;
  maxAnnualRatePercent: string;
  /** The last day the cap applies; absent while service lasts (and a year after, for mortgages). */
  throughDate?: CalendarDate;
}

export type Remedy = RateReduction;

/** Figures the rule computed, kept with the evaluation for audit (an APR, a score, a count). */
export type RuleFacts = Record<string, string | number | boolean | null>;

export interface RuleResult {
  outcome: RuleOutcome;
  reasons: string[];
  citation: string;
  remedy?: Remedy;
  facts?: RuleFacts;
}

/** What a rule may use besides its context: lending's arithmetic and the loaded SDN list. */
export interface RuleDeps {
  apr: AprCalculator;
  /** The cheaper tolerance test of a disclosed APR; without it tila_apr_disclosure solves the APR (deps.apr). */
  aprAccuracy?: AprAccuracyCheck;
  /** The active OFAC list; absent until an operator loads one. */
  sdn?: SdnIndex;
}

export const RULE_KEYS = [
  'state_rate_cap',
  'military_lending_act',
  'scra',
  'tila_apr_disclosure',
  'late_fee_cap',
  'reg_f_contact_hours',
  'reg_f_call_frequency',
  'right_of_rescission',
  'ability_to_repay',
  'ofac_screening',
] as const;
export type RuleKey = (typeof RULE_KEYS)[number];

/**
 * A rule engine: stateless, pure, configured per tenant (and program) by a config its strict zod schema
 * validates and fills with defaults. `hooks` are the points it has something to say at; elsewhere it is not run.
 */
export interface RuleDefinition<C = unknown> {
  key: RuleKey;
  displayName: string;
  citation: string;
  description: string;
  hooks: readonly HookPoint[];
  configSchema: z.ZodType<C>;
  evaluate(ctx: ComplianceContext, config: C, deps: RuleDeps): RuleResult;
}

// biome-ignore lint/suspicious/noExplicitAny: a catalogue holds rules of every config type.
export type AnyRuleDefinition = RuleDefinition<any>;

/** A rule bound to one validated config: what the wiring keeps per resolved compliance_rule config. */
export interface ConfiguredRule {
  key: RuleKey;
  hooks: readonly HookPoint[];
  evaluate(ctx: ComplianceContext, deps: RuleDeps): RuleResult;
}

/** Validates a stored or submitted config; a failure names each field (a 422 at the API). */
export function configureRule<C>(def: RuleDefinition<C>, raw: unknown): Result<ConfiguredRule> {
  const parsed = def.configSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    return err(
      failure('unprocessable', 'invalid_rule_config', `invalid ${def.key} configuration`, {
        fields: fieldIssues(parsed.error, 'config'),
      }),
    );
  }
  const config = parsed.data;
  return ok({
    key: def.key,
    hooks: def.hooks,
    evaluate: (ctx, deps) => def.evaluate(ctx, config, deps),
  });
}

export interface Evaluation extends RuleResult {
  rule: RuleKey;
}

export interface EvaluationSummary {
  /** The worst outcome: block over warn over pass. */
  outcome: RuleOutcome;
  results: Evaluation[];
}

const RANK: Record<RuleOutcome, number> = { pass: 0, warn: 1, block: 2 };

export const worstOutcome = (outcomes: Iterable<RuleOutcome>): RuleOutcome => {
  let worst: RuleOutcome = 'pass';
  for (const o of outcomes) if (RANK[o] > RANK[worst]) worst = o;
  return worst;
};

/** Runs every rule that listens at the context's hook. Every rule runs, so the audit record is complete. */
export function evaluateRules(
  rules: readonly ConfiguredRule[],
  ctx: ComplianceContext,
  deps: RuleDeps,
): EvaluationSummary {
  const results = rules
    .filter((r) => r.hooks.includes(ctx.hook))
    .map((r) => ({ rule: r.key, ...r.evaluate(ctx, deps) }));
  return { outcome: worstOutcome(results.map((r) => r.outcome)), results };
}

/** Result builders, so each rule states its citation once. */
export function resultsFor(citation: string) {
  return {
    pass: (reasons: string[], facts?: RuleFacts): RuleResult => ({
      outcome: 'pass',
      reasons,
      citation,
      facts,
    }),
    warn: (reasons: string[], facts?: RuleFacts): RuleResult => ({
      outcome: 'warn',
      reasons,
      citation,
      facts,
    }),
    block: (reasons: string[], facts?: RuleFacts): RuleResult => ({
      outcome: 'block',
      reasons,
      citation,
      facts,
    }),
    of: (outcome: RuleOutcome, reasons: string[], facts?: RuleFacts): RuleResult => ({
      outcome,
      reasons,
      citation,
      facts,
    }),
  };
}
