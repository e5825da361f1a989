import type { AmortizationPlan } from './amortize.js';
import { intervalOf, isRegularFirstPeriod } from './periods.js';
import type { ScheduleRow } from './schedule.js';
import type { LoanTerms } from './terms.js';

/**
 * What re-amortizing a schedule from row j keeps of it (rate-changes.ts, tranches.ts): the remaining periods and
 * numbers, the first period odd only when it is the loan's first, the grace periods left, and the interest earned
 * before row j that a grace period still defers. The caller adds the opening balance and what changes.
 */
export function remainderPlan(
  terms: LoanTerms,
  rows: readonly ScheduleRow[],
  j: number,
): Omit<AmortizationPlan, 'opening'> {
  let earnedBefore = 0;
  let dueBefore = 0;
  for (let k = 0; k < j; k++) {
    earnedBefore += rows[k]!.interestAccrual;
    dueBefore += rows[k]!.interest;
  }
  const { grace } = terms;
  return {
    periods: rows.slice(j).map((r) => ({ start: r.periodStart, due: r.dueDate })),
    firstNumber: rows[j]!.number,
    oddFirstPeriod:
      j === 0 &&
      !isRegularFirstPeriod(
        intervalOf(terms.repaymentFrequency, terms.options.repaymentEvery),
        terms.disbursementDate,
        terms.firstPaymentDate,
      ),
    principalGrace: Math.max(0, grace.principalPeriods - j),
    interestGrace: Math.max(0, grace.interestPeriods - j),
    interestFreeGrace: Math.max(0, grace.interestFreePeriods - j),
    deferredInterest: earnedBefore - dueBefore,
  };
}
