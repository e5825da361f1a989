import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { Minor } from '../../../../kernel/money.js';
import type { LoanFacts } from '../context.js';
import { type RegZFigures, regZFigures } from '../figures.js';
import type { AprCalculator } from '../lending-port.js';
import { type RuleDefinition, resultsFor } from '../rule.js';
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

function financeChargeAccurate(
  loan: LoanFacts,
  figures: RegZFigures,
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
  figures: RegZFigures,
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

export const tilaAprDisclosure: RuleDefinition<TilaAprDisclosureConfig> = {
  key: 'tila_apr_disclosure',
  displayName: 'TILA APR and finance charge accuracy',
  citation: CITATION,
  description:
    'The disclosed APR within 1/8 point (1/4 irregular) of the Appendix J APR; the finance charge within its tolerance.',
  hooks: ['quote', 'approval', 'disbursement'],
  configSchema: tilaAprDisclosureConfig,
  evaluate(ctx, config, deps) {
    const r = resultsFor(CITATION);
    if (!hasLoan(ctx)) return r.pass(['not applicable: no loan at this hook']);
    const { loan } = ctx;
    if (loan.creditType === 'open_end') return r.pass(['not applicable: open-end credit (1026.6)']);
    const disclosure = loan.disclosure;
    if (!disclosure) return r.warn(['no Truth in Lending disclosure to check']);
    const figures = regZFigures(loan, deps.apr);
    if (!figures.ok) return r.block([`the APR could not be computed: ${figures.error.message}`]);
    const f = figures.value;

    const aprOff = new Decimal(disclosure.apr).minus(f.apr.aprExact).abs();
    const fcOk = financeChargeAccurate(loan, f, disclosure.financeCharge, config);
    const aprOk =
      aprOff.lte(f.apr.tolerance) ||
      (loan.securedByRealProperty &&
        fcOk &&
        resultsFromDisclosedCharge(loan, f, disclosure.apr, disclosure.financeCharge, deps.apr));
    const facts = {
      disclosure_source: disclosure.source ?? null,
      disclosed_apr: disclosure.apr,
      computed_apr: f.apr.aprExact,
      tolerance: f.apr.tolerance,
      transaction_kind: f.apr.transactionKind,
      disclosed_finance_charge: disclosure.financeCharge,
      computed_finance_charge: f.financeCharge,
      amount_financed: f.amountFinanced,
    };
    const reasons: string[] = [];
    if (!aprOk) {
      reasons.push(
        `the disclosed APR ${pct(disclosure.apr)} is ${aprOff.toFixed(4)} points from the Appendix J APR ` +
          `${pct(f.apr.aprExact)}, beyond the ${f.apr.tolerance} tolerance of a ${f.apr.transactionKind} transaction`,
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
