import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { Minor } from '../../../../kernel/money.js';
import type { FeeFacts } from '../context.js';
import { type RuleDefinition, type RuleResult, resultsFor } from '../rule.js';
import { dollars, nonNegativeMinorConfig, outcomeConfig, percentConfig, stateCodeConfig } from './common.js';

const CITATION = '12 CFR 1026.52(b) (open-end penalty fees); state late-charge statutes (closed-end)';

const stateCapSchema = z
  .strictObject({
    state: stateCodeConfig,
    /** A flat cap, and/or a percent of the installment the fee is about. */
    max_amount: nonNegativeMinorConfig.optional(),
    max_percent: percentConfig.optional(),
    /** With both: the lesser of the two (most statutes) or the greater. */
    combine: z.enum(['lesser', 'greater']).default('lesser'),
    /** No late fee before this many days after the due date. */
    min_days_late: z.number().int().min(0).max(365).optional(),
    citation: z.string().min(1).optional(),
  })
  .refine((c) => c.max_amount !== undefined || c.max_percent !== undefined || c.min_days_late !== undefined, {
    message: 'give max_amount, max_percent or min_days_late',
  });

export const lateFeeCapConfig = z.strictObject({
  state_caps: z.array(stateCapSchema).default([]),
  open_end: z
    .strictObject({
      /**
       * The 1026.52(b)(1)(ii) safe harbors: $30 for a first violation, $41 for a repeat within the next six
       * billing cycles (comment 52(b)(1)(ii)-2). The CFPB's 2024 amendment ($8 for larger issuers; $32 and $43 for
       * smaller ones) was vacated on 2025-04-15 (Chamber of Commerce v. CFPB, N.D. Tex.), leaving these amounts.
       * Update them when the Bureau publishes new ones.
       */
      first_violation: nonNegativeMinorConfig.default(3_000),
      repeat_violation: nonNegativeMinorConfig.default(4_100),
      /** A higher amount the issuer justified by a cost analysis (1026.52(b)(1)(i)). */
      cost_justified_amount: nonNegativeMinorConfig.optional(),
    })
    .prefault({}),
  /** Outcome of a closed-end late fee in a state with no row. */
  unlisted_state: outcomeConfig.default('pass'),
});
export type LateFeeCapConfig = z.output<typeof lateFeeCapConfig>;
type StateCap = LateFeeCapConfig['state_caps'][number];

function stateLimit(cap: StateCap, fee: FeeFacts): Minor | undefined {
  const percent =
    cap.max_percent === undefined
      ? undefined
      : new Decimal(fee.paymentDue)
          .times(cap.max_percent)
          .div(100)
          .toDecimalPlaces(0, Decimal.ROUND_DOWN)
          .toNumber();
  if (cap.max_amount === undefined) return percent;
  if (percent === undefined) return cap.max_amount;
  return cap.combine === 'lesser' ? Math.min(cap.max_amount, percent) : Math.max(cap.max_amount, percent);
}

function openEnd(fee: FeeFacts, config: LateFeeCapConfig, r: ReturnType<typeof resultsFor>): RuleResult {
  const harbor = fee.repeatWithinSixCycles
    ? config.open_end.repeat_violation
    : config.open_end.first_violation;
  const limit = config.open_end.cost_justified_amount ?? harbor;
  const basis =
    config.open_end.cost_justified_amount !== undefined ? 'the cost-justified amount' : 'the safe harbor';
  const facts = { fee: fee.amount, limit, payment_due: fee.paymentDue };
  const reasons: string[] = [];
  if (fee.amount > limit)
    reasons.push(`the ${fee.kind} fee ${dollars(fee.amount)} exceeds ${basis} of ${dollars(limit)}`);
  // 1026.52(b)(2)(i)(A): never more than the dollar amount associated with the violation.
  if (fee.kind !== 'over_limit' && fee.amount > fee.paymentDue)
    reasons.push(
      `the ${fee.kind} fee ${dollars(fee.amount)} exceeds the payment due ${dollars(fee.paymentDue)}`,
    );
  if (reasons.length > 0) return r.block(reasons, facts);
  return r.pass(
    [`the ${fee.kind} fee ${dollars(fee.amount)} is within ${basis} of ${dollars(limit)}`],
    facts,
  );
}

export const lateFeeCap: RuleDefinition<LateFeeCapConfig> = {
  key: 'late_fee_cap',
  displayName: 'Late fee cap',
  citation: CITATION,
  description: 'Late fees within the state cap (closed-end) or the Reg Z penalty-fee safe harbor (open-end).',
  hooks: ['fee_assessment'],
  configSchema: lateFeeCapConfig,
  evaluate(ctx, config) {
    const r = resultsFor(CITATION);
    if (ctx.hook !== 'fee_assessment') return r.pass(['not applicable: no fee at this hook']);
    const { fee, loan } = ctx;
    if (loan.creditType === 'open_end') return openEnd(fee, config, r);
    if (fee.kind !== 'late') return r.pass([`not applicable: a ${fee.kind} fee`]);
    const state = ctx.borrower.state;
    const cap = state ? config.state_caps.find((c) => c.state === state) : undefined;
    if (!cap)
      return r.of(config.unlisted_state, [
        `no late-fee cap is configured for ${state ?? 'an unknown state'}`,
      ]);
    const citation = cap.citation ?? `${cap.state} late-charge limit`;
    const limit = stateLimit(cap, fee);
    const facts = {
      state: cap.state,
      fee: fee.amount,
      limit: limit ?? null,
      days_late: fee.daysLate ?? null,
    };
    const reasons: string[] = [];
    if (limit !== undefined && fee.amount > limit)
      reasons.push(`the late fee ${dollars(fee.amount)} exceeds the ${cap.state} limit of ${dollars(limit)}`);
    if (cap.min_days_late !== undefined && (fee.daysLate ?? 0) < cap.min_days_late) {
      reasons.push(`${cap.state} allows a late fee only ${cap.min_days_late} days after the due date`);
    }
    if (reasons.length > 0) return { ...r.block(reasons, facts), citation };
    return {
      ...r.pass([`the late fee ${dollars(fee.amount)} is within the ${cap.state} limit`], facts),
      citation,
    };
  },
};
