import { z } from 'zod';
import type { ChargeKind } from '../context.js';
import { militaryApr } from '../figures.js';
import { type RuleDefinition, type RuleFacts, resultsFor } from '../rule.js';
import { exceeds, hasLoan, outcomeConfig, pct, percentConfig } from './common.js';

const CITATION = '10 U.S.C. 987; 32 CFR 232.4(b)-(c), 232.8(c), 232.8(f)';

const CHARGE_KINDS = [
  'origination',
  'application',
  'participation',
  'credit_insurance',
  'debt_cancellation',
  'ancillary_product',
  'documentation',
  'other',
] as const satisfies readonly ChargeKind[];

export const militaryLendingActConfig = z.strictObject({
  max_mapr_percent: percentConfig.default('36'),
  /**
   * Charges 232.4(c)(1) puts in the MAPR besides Reg Z finance charges: credit insurance premiums, debt
   * cancellation and suspension fees, credit-related ancillary products, application and participation fees.
   * Finance charges always count.
   */
  counted_charges: z
    .array(z.enum(CHARGE_KINDS))
    .default(['application', 'participation', 'credit_insurance', 'debt_cancellation', 'ancillary_product']),
  /** Outcome of a violation when the covered-borrower status was not established (232.5). */
  unknown_status: outcomeConfig.default('warn'),
});
export type MilitaryLendingActConfig = z.output<typeof militaryLendingActConfig>;

export const militaryLendingAct: RuleDefinition<MilitaryLendingActConfig> = {
  key: 'military_lending_act',
  displayName: 'Military Lending Act',
  citation: CITATION,
  description:
    'For covered borrowers: Military APR (with the fees MLA counts) at most 36%, no prepayment penalty, no mandatory arbitration.',
  hooks: ['quote', 'approval', 'disbursement', 'rate_change'],
  configSchema: militaryLendingActConfig,
  evaluate(ctx, config, deps) {
    const r = resultsFor(CITATION);
    if (!hasLoan(ctx)) return r.pass(['not applicable: no loan at this hook']);
    const covered = ctx.borrower?.military?.mlaCovered ?? 'unknown';
    if (covered === false) return r.pass(['not a covered borrower (32 CFR 232.3(g))']);
    const { loan } = ctx;

    const violations: string[] = [];
    const facts: RuleFacts = { covered: covered === true };
    if (ctx.hook === 'rate_change') {
      const rate = ctx.rateChange.newAnnualRatePercent;
      facts.rate_percent = rate;
      if (exceeds(rate, config.max_mapr_percent))
        violations.push(`the new rate ${pct(rate)} exceeds the ${pct(config.max_mapr_percent)} MAPR limit`);
    } else {
      const mapr = militaryApr(loan, deps.apr, new Set(config.counted_charges));
      if (!mapr.ok) return r.block([`the Military APR could not be computed: ${mapr.error.message}`], facts);
      facts.mapr_percent = mapr.value.mapr;
      facts.counted_charges = mapr.value.countedCharges;
      if (exceeds(mapr.value.mapr, config.max_mapr_percent)) {
        violations.push(
          `the Military APR ${pct(mapr.value.mapr)} exceeds ${pct(config.max_mapr_percent)} (232.4(b))`,
        );
      }
    }
    if (loan.hasPrepaymentPenalty) violations.push('the contract has a prepayment penalty (232.8(f))');
    if (loan.hasMandatoryArbitration) violations.push('the contract requires arbitration (232.8(c))');

    if (violations.length === 0) {
      const status = covered === true ? 'covered borrower' : 'covered-borrower status not established';
      return r.pass([`${status}: the MLA limits are met`], facts);
    }
    if (covered === 'unknown') {
      return r.of(
        config.unknown_status,
        ['covered-borrower status not established (232.5); the loan would violate the MLA:', ...violations],
        facts,
      );
    }
    return r.block(violations, facts);
  },
};
