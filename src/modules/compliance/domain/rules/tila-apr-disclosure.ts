import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { Minor } from '../../../../kernel/money.js';
import { ok, type Result } from '../../../../kernel/result.js';
import type { LoanFacts } from '../context.js';
import { type RegZFigures, scheduleAmounts } from '../figures.js';
import type { AprAccuracy, AprCalculator, AprComputation, AprFlowInput } from '../lending-port.js';
import { type RuleDefinition, type RuleDeps, resultsFor } from '../rule.js';
import { dollars, hasLoan, nonNegativeMinorConfig, pct } from './common.js';

const CITATION = '12 CFR 1026.18(d)-(e), 1026.22(a), Appendix J';

export const tilaAprDisclosureConfig = z.strictObject({
  /** 1026.18(d)(2): $5 when the amount financed is at most $1,000, $10 above it. */
  finance_charge_tolerance_small: nonNegativeMinorConfig.default(500),
  finance_charge_tolerance_large: nonNegativeMinorConfig.default(1_000),
  small_amount_financed_limit: nonNegativeMinorConfig.default(100_000),
  /** 1026.18(d)(1): credit secured by real property or a dwelling may understate by at most $100. */
  mortgage_understatement_tolerance: nonNegativeMinorConfig.default(10_000),
});
export type TilaAprDisclosureConfig = z.output<typeof tilaAprDisclosureConfig>;

type Amounts = Omit<RegZFigures, 'apr'>;

function financeChargeAccurate(
  loan: LoanFacts,
  figures: Amounts,
  disclosed: Minor,
  config: TilaAprDisclosureConfig,
): boolean {
  const difference = disclosed - figures.financeCharge;
  if (loan.securedByRealProperty) return difference >= -config.mortgage_understatement_tolerance;
  const tolerance =
    figures.amountFinanced <= config.small_amount_financed_limit
      ? config.finance_charge_tolerance_small
      : config.finance_charge_tolerance_large;
  return Math.abs(difference) <= tolerance;
}

/** 1026.22(a)(4)-(5): a mortgage APR that results from an accurate disclosed finance charge is accurate. */
function resultsFromDisclosedCharge(
  loan: LoanFacts,
  figures: Amounts,
  disclosedApr: string,
  fc: Minor,
  apr: AprCalculator,
) {
  const amountFinanced = figures.totalOfPayments - fc;
  if (amountFinanced <= 0) return false;
  const fromCharge = apr({
    advances: [{ amount: amountFinanced, date: loan.consummationDate }],
    payments: loan.schedule,
  });
  return (
    fromCharge.ok &&
    new Decimal(disclosedApr).minus(fromCharge.value.aprExact).abs().lte(fromCharge.value.tolerance)
  );
}

/**
 * Is the disclosed APR within tolerance of the Appendix J APR of the loan's own stream? Lending's tolerance test
 * when the wiring passes it (two evaluations of the general equation); otherwise the APR is solved.
 */
function aprAccuracy(
  stream: { advances: readonly AprFlowInput[]; payments: readonly AprFlowInput[] },
  disclosed: string,
  deps: RuleDeps,
): Result<AprAccuracy & { exact?: AprComputation }> {
  if (deps.aprAccuracy) return deps.aprAccuracy(stream, disclosed);
  const exact = deps.apr(stream);
  if (!exact.ok) return exact;
  const { aprExact, tolerance, transactionKind } = exact.value;
  const accurate = new Decimal(disclosed).minus(aprExact).abs().lte(tolerance);
  return ok({ accurate, tolerance, transactionKind, exact: exact.value });
}

export const tilaAprDisclosure: RuleDefinition<TilaAprDisclosureConfig> = {
  key: 'tila_apr_disclosure',
  displayName: 'TILA APR and finance charge accuracy',
  citation: CITATION,
  description:
    'The disclosed APR within 1/8 point (1/4 irregular) of the Appendix J APR of the loan as it stands; the finance charge within its tolerance.',
  hooks: ['quote', 'approval', 'disbursement'],
  configSchema: tilaAprDisclosureConfig,
  evaluate(ctx, config, deps) {
    const r = resultsFor(CITATION);
    if (!hasLoan(ctx)) return r.pass(['not applicable: no loan at this hook']);
    const { loan } = ctx;
    if (loan.creditType === 'open_end') return r.pass(['not applicable: open-end credit (1026.6)']);
    const disclosure = loan.disclosure;
    if (!disclosure) return r.warn(['no Truth in Lending disclosure to check']);
    // The figures are recomputed from the loan's own schedule and charges, whoever computed the disclosure: a
    // disclosure of other terms, or one that left a charge out of the finance charge, does not match them.
    const amounts = scheduleAmounts(loan);
    if (!amounts.ok) return r.block([`the APR could not be computed: ${amounts.error.message}`]);
    const f = amounts.value;
    const stream = { advances: f.stream, payments: loan.schedule };
    const accuracy = aprAccuracy(stream, disclosure.apr, deps);
    if (!accuracy.ok) return r.block([`the APR could not be computed: ${accuracy.error.message}`]);
    const fcOk = financeChargeAccurate(loan, f, disclosure.financeCharge, config);
    const aprOk =
      accuracy.value.accurate ||
      (loan.securedByRealProperty &&
        fcOk &&
        resultsFromDisclosedCharge(loan, f, disclosure.apr, disclosure.financeCharge, deps.apr));
    // The exact APR is solved only to explain a block (or when there is no cheaper test): it costs a solve.
    let exact = accuracy.value.exact;
    if (!aprOk && !exact) {
      const solved = deps.apr(stream);
      if (solved.ok) exact = solved.value;
    }
    const { tolerance, transactionKind } = accuracy.value;
    const facts = {
      disclosure_source: disclosure.source ?? null,
      disclosed_apr: disclosure.apr,
      apr_within_tolerance: accuracy.value.accurate,
      computed_apr: exact?.aprExact ?? null,
      tolerance,
      transaction_kind: transactionKind,
      disclosed_finance_charge: disclosure.financeCharge,
      computed_finance_charge: f.financeCharge,
      amount_financed: f.amountFinanced,
      total_of_payments: f.totalOfPayments,
    };
    const reasons: string[] = [];
    if (!aprOk) {
      const off = exact ? new Decimal(disclosure.apr).minus(exact.aprExact).abs() : undefined;
      reasons.push(
        `the disclosed APR ${pct(disclosure.apr)} is ${off ? `${off.toFixed(4)} points` : 'more than the tolerance'} ` +
          `from the Appendix J APR${exact ? ` ${pct(exact.aprExact)}` : ''} of the loan's schedule, beyond the ` +
          `${tolerance} tolerance of a ${transactionKind} transaction`,
      );
    }
    if (!fcOk) {
      reasons.push(
        `the disclosed finance charge ${dollars(disclosure.financeCharge)} differs from ${dollars(f.financeCharge)} ` +
          'beyond the 1026.18(d) tolerance',
      );
    }
    if (disclosure.amountFinanced !== undefined && disclosure.amountFinanced !== f.amountFinanced) {
      reasons.push(
        `the disclosed amount financed ${dollars(disclosure.amountFinanced)} is not ${dollars(f.amountFinanced)}`,
      );
    }
    if (reasons.length > 0) return r.block(reasons, facts);
    return r.pass([`the disclosed APR and finance charge are within tolerance`], facts);
  },
};
