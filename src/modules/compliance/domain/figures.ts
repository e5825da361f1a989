import { Decimal } from 'decimal.js';
import type { Minor } from '../../../kernel/money.js';
import { err, failure, ok, type Result } from '../../../kernel/result.js';
import type { ChargeKind, LoanFacts, RegZFigures } from './context.js';
import type { AprCalculator } from './lending-port.js';

/**
 * The Truth in Lending figures of a loan: lending's own (`loan.regZ`) when it passed them, else computed once
 * per loan object and shared by the rules that need them (rate caps, MLA, the disclosure check). The Appendix J
 * solve is by far the costliest step of an evaluation.
 */
export type { RegZFigures } from './context.js';

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

const cache = new WeakMap<LoanFacts, Map<string, Result<RegZFigures>>>();

function memo(loan: LoanFacts, key: string, compute: () => Result<RegZFigures>): Result<RegZFigures> {
  let byKey = cache.get(loan);
  if (!byKey) {
    byKey = new Map();
    cache.set(loan, byKey);
  }
  let found = byKey.get(key);
  if (!found) {
    found = compute();
    byKey.set(key, found);
  }
  return found;
}

/** Figures when `excluded` upfront charges are taken out of the amount financed (finance charges, or MLA's). */
function figuresExcluding(
  loan: LoanFacts,
  apr: AprCalculator,
  excluded: (kind: ChargeKind, financeCharge: boolean) => boolean,
): Result<RegZFigures> {
  if (loan.schedule.length === 0) {
    return err(failure('unprocessable', 'no_schedule', 'the loan has no payment schedule'));
  }
  const charges = sum(
    loan.upfrontCharges.filter((c) => excluded(c.kind, c.financeCharge)).map((c) => c.amount),
  );
  const amountFinanced = loan.principal - charges;
  if (amountFinanced <= 0) {
    return err(failure('unprocessable', 'no_amount_financed', 'charges consume the whole principal'));
  }
  const computed = apr({
    advances: [{ amount: amountFinanced, date: loan.consummationDate }],
    payments: loan.schedule,
  });
  if (!computed.ok) return computed;
  const totalOfPayments = sum(loan.schedule.map((p) => p.amount));
  return ok({
    amountFinanced,
    financeCharge: totalOfPayments - amountFinanced,
    totalOfPayments,
    apr: computed.value,
  });
}

/**
 * The amounts of a closed-end loan's Truth in Lending box from its own schedule and charges, never from a
 * disclosure (`loan.regZ`): the amount financed is the principal less the upfront finance charges, the total of
 * payments the schedule's sum, the finance charge their difference (1026.18(b), (d), (h)). Integer arithmetic.
 */
export function scheduleAmounts(
  loan: LoanFacts,
): Result<Omit<RegZFigures, 'apr'> & { stream: { amount: Minor; date: LoanFacts['consummationDate'] }[] }> {
  if (loan.schedule.length === 0) {
    return err(failure('unprocessable', 'no_schedule', 'the loan has no payment schedule'));
  }
  const amountFinanced =
    loan.principal - sum(loan.upfrontCharges.filter((c) => c.financeCharge).map((c) => c.amount));
  if (amountFinanced <= 0) {
    return err(failure('unprocessable', 'no_amount_financed', 'charges consume the whole principal'));
  }
  const totalOfPayments = sum(loan.schedule.map((p) => p.amount));
  return ok({
    amountFinanced,
    financeCharge: totalOfPayments - amountFinanced,
    totalOfPayments,
    stream: [{ amount: amountFinanced, date: loan.consummationDate }],
  });
}

/** The Reg Z figures of a closed-end loan (the APR by lending's Appendix J arithmetic). */
export const regZFigures = (loan: LoanFacts, apr: AprCalculator): Result<RegZFigures> =>
  loan.regZ
    ? ok(loan.regZ)
    : memo(loan, 'reg_z', () => figuresExcluding(loan, apr, (_, financeCharge) => financeCharge));

/**
 * The annual percentage rate a cap is measured against: Appendix J for closed-end credit with a schedule, the
 * periodic rate × periods (the note rate) for open-end credit (1026.14(b)).
 */
export function capRate(loan: LoanFacts, apr: AprCalculator): Result<string> {
  if (loan.creditType === 'open_end') return ok(new Decimal(loan.annualRatePercent).toString());
  const figures = regZFigures(loan, apr);
  return figures.ok ? ok(figures.value.apr.aprExact) : figures;
}

/** Days in the billing cycle over which open-end MLA charges are annualized (232.4(c)(1)(ii), 1026.14(c)). */
export const OPEN_END_CYCLE_DAYS = 30;

/**
 * The Military Annual Percentage Rate (32 CFR 232.4(c)): the APR computed as Reg Z computes it, with the
 * charges MLA counts (`counted`) in the finance charge even where Reg Z leaves them out.
 * Closed-end: Appendix J with those charges out of the amount financed. Open-end: the periodic rate plus the
 * counted charges as if imposed in one billing cycle on a balance of the credit limit, annualized.
 */
export function militaryApr(
  loan: LoanFacts,
  apr: AprCalculator,
  counted: ReadonlySet<ChargeKind>,
): Result<{ mapr: string; countedCharges: Minor }> {
  const countedCharges = sum(
    loan.upfrontCharges.filter((c) => c.financeCharge || counted.has(c.kind)).map((c) => c.amount),
  );
  if (loan.creditType === 'open_end') {
    const annualized = new Decimal(countedCharges)
      .div(loan.principal)
      .times(365)
      .div(OPEN_END_CYCLE_DAYS)
      .times(100);
    return ok({ mapr: annualized.plus(loan.annualRatePercent).toFixed(12), countedCharges });
  }
  // Without charges beyond the finance charges, the MAPR is the APR: no second solve.
  if (!loan.upfrontCharges.some((c) => !c.financeCharge && counted.has(c.kind))) {
    const figures = regZFigures(loan, apr);
    return figures.ok ? ok({ mapr: figures.value.apr.aprExact, countedCharges }) : figures;
  }
  const key = `mla:${[...counted].sort().join(',')}`;
  const figures = memo(loan, key, () =>
    figuresExcluding(loan, apr, (kind, financeCharge) => financeCharge || counted.has(kind)),
  );
  return figures.ok ? ok({ mapr: figures.value.apr.aprExact, countedCharges }) : figures;
}
