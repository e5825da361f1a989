import { z } from 'zod';
import type { Scope } from '../../../kernel/audit.js';
import type { CalendarDate } from '../../../kernel/dates.js';
import { calendarDate } from '../../../kernel/responses.js';
import type { Result } from '../../../kernel/result.js';
import type {
  BorrowerFacts,
  HookContexts,
  HookPoint,
  Remedy,
  RuleFacts,
  RuleKey,
  RuleOutcome,
} from '../domain/index.js';
import { RULE_OUTCOMES } from '../domain/index.js';
import type { PendingCheck } from './attached.js';

/**
 * The port a gated module calls at a hook point (lending at quote, approval, disbursement, fee assessment and rate
 * change; payments at payment collection; communications before a send; tenancy at onboarding). Compliance is
 * created before them and hands each this interface; they import its type from compliance's index.ts.
 */
export interface ComplianceGate {
  /**
   * Evaluates the tenant's active rules (with the program's overrides) that listen at `request.hook`, stores every
   * evaluation (compliance_checks), and answers the decision: `pass` or `warn` (proceed; report the warnings), or an
   * error `compliance_blocked` (422) naming the rule and its citation: the caller must write nothing.
   */
  check<H extends HookPoint>(
    scope: Scope,
    request: GateRequest<H>,
    options?: GateOptions,
  ): Promise<Result<GateDecision>>;
  /** `check` at several hooks of one operation on one borrower and program, decided and stored together. */
  checkAll(
    scope: Scope,
    requests: readonly GateRequest[],
    options?: GateOptions,
  ): Promise<Result<GateDecision>>;
}

export interface GateOptions {
  /**
   * Where a pass or warn is stored: `here` (default), or by the `caller`, who writes the decision's `pending` rows
   * in its own write statement (`checkRows`), so the evaluation costs no statement of its own and is recorded
   * with the operation it decided. A block is always stored here: the caller then writes nothing.
   */
  store?: 'here' | 'caller';
}

/** What the evaluation is about, for the audit record. */
export interface GateSubject {
  type: 'loan' | 'program' | 'quote' | 'customer' | 'message' | 'payment';
  id: string | null;
}

/** The facts of a hook, without the borrower (the gate finds it from the customer, or takes it as given). */
export type HookFacts<H extends HookPoint> = Omit<HookContexts[H], 'borrower'>;

export interface GateRequest<H extends HookPoint = HookPoint> {
  hook: H;
  subject: GateSubject;
  /** The lending program the operation is under: its overrides of the tenant's rule configs apply. */
  programId?: string | null;
  /** The borrower as a tenancy customer: the gate reads name, date of birth, state, time zone, military facts. */
  customerId?: string | null;
  /** The borrower's facts as the caller has them (a customer not stored yet, at onboarding); wins over customerId. */
  borrower?: BorrowerFacts;
  facts: HookFacts<H>;
  /** The tenant's business date; default: today in the tenant's time zone. */
  asOf?: CalendarDate;
}

/** One stored evaluation of one rule. */
export interface CheckView {
  id: string;
  rule: RuleKey;
  outcome: RuleOutcome;
  reasons: string[];
  citation: string;
  facts: RuleFacts | null;
  remedy: Remedy | null;
}

export interface GateDecision {
  /** Shared by the checks of this call; null when no rule listens at the hook (nothing was stored). */
  evaluationId: string | null;
  outcome: Exclude<RuleOutcome, 'block'>;
  checks: CheckView[];
  /** What the rules ask of the caller besides proceeding (SCRA: re-compute the loan at the cap from a date). */
  remedies: Remedy[];
  /** With `store: 'caller'`: the evaluations the caller must write (checkRows); empty otherwise. */
  pending: readonly PendingCheck[];
}

/** The wire JSON of a decision, for the responses of gated operations. */
export const factsOut = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .describe('figures the rule computed (an APR, a score, a count)');

export const remedyOut = z.object({
  kind: z.literal('rate_reduction'),
  effective_date: calendarDate,
  max_annual_rate_percent: z.string(),
  through_date: calendarDate.nullable(),
});

export const checkViewOut = z.object({
  id: z.string(),
  rule: z.string(),
  outcome: z.enum(RULE_OUTCOMES),
  reasons: z.array(z.string()),
  citation: z.string(),
  facts: factsOut.nullable(),
  remedy: remedyOut.nullable(),
});

/** The compliance gate's decision as a gated route answers it (`compliance` in a quote or a loan action). */
export const decisionOut = z.object({
  evaluation_id: z.string().nullable(),
  outcome: z.enum(['pass', 'warn']),
  checks: z.array(checkViewOut),
});

export const decisionJson = (d: GateDecision) => ({
  evaluation_id: d.evaluationId,
  outcome: d.outcome,
  checks: d.checks.map(checkViewJson),
});

export const checkViewJson = (c: CheckView) => ({
  id: c.id,
  rule: c.rule,
  outcome: c.outcome,
  reasons: c.reasons,
  citation: c.citation,
  facts: c.facts,
  remedy: c.remedy && remedyJson(c.remedy),
});

export const remedyJson = (r: Remedy) => ({
  kind: r.kind,
  effective_date: r.effectiveDate,
  max_annual_rate_percent: r.maxAnnualRatePercent,
  through_date: r.throughDate ?? null,
});
