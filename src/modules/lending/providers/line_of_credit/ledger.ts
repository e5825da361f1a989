import { type CalendarDate, dateParts, daysBetween, fromParts } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import {
  type Allocation,
  cycleInterest,
  type LineState,
  type LineTerms,
  type PrincipalMovement,
} from '../../domain/revolving/index.js';
import type { Movement } from '../support.js';

/**
 * The journal of a line of credit. Every entry balances; balances are signed, debits positive.
 *
 *   cash                 draws (credit), payments (debit)
 *   loans_receivable     principal drawn and not repaid
 *   interest_receivable  interest recognised (accrued daily, billed on the statement) and not paid
 *   fees_receivable      fees charged (late fees, manual fees) and not paid
 *   interest_income      daily accrual of the cycle's average-daily-balance interest (credit)
 *   fee_income           fees charged (credit)
 *   charge_off_expense   receivables written off
 *   recoveries           money collected after charge-off
 *
 * Opening a line moves no money and posts nothing. Interest is recognised every day as the cycle's finance charge
 * to date, so on the closing day the recognised interest is exactly the statement's interest and billing posts
 * nothing: interest_receivable holds billed and not-yet-billed interest alike.
 */
export const paymentMoves = (amount: Minor, applied: Allocation): Movement[] => [
  ['cash', amount],
  ['fees_receivable', -applied.fees],
  ['interest_receivable', -applied.interest],
  ['loans_receivable', -applied.principal],
];

/** Changes of the interest-bearing principal in the open cycle, through `through`. */
export function movementsOf(line: LineState, through: CalendarDate): PrincipalMovement[] {
  const out: PrincipalMovement[] = [];
  for (const p of line.postings) {
    if (p.date > through) continue;
    if (p.kind === 'draw') out.push({ date: p.date, amount: p.amount });
    else if (p.kind === 'payment' && p.applied && p.applied.principal > 0)
      out.push({ date: p.date, amount: -p.applied.principal });
  }
  return out;
}

/** The open cycle's finance charge for its days through `through` (0 before the cycle starts). */
export function interestThrough(terms: LineTerms, line: LineState, through: CalendarDate): Minor {
  if (through < line.cycleStart) return 0;
  return cycleInterest({
    openingPrincipal: line.opening.principal,
    movements: movementsOf(line, through),
    start: line.cycleStart,
    end: through,
    annualRate: terms.annualRate,
    dayCount: terms.dayCount,
    rounding: terms.rounding.mode,
  }).interest;
}

/**
 * Σ amount × (posting day − cycle start) over the open cycle's principal movements. With it the sum of daily
 * balances through any day D of the cycle is closed-form, which is what close of business computes in SQL:
 *
 *   S(D) = principal × (D − cycle_start + 1) − movement_days
 *
 * (cycleInterest's S = opening × days + Σ amount × (D − posting day + 1), with principal = opening + Σ amount.)
 */
export const movementDays = (line: LineState): number =>
  movementsOf(line, line.cycleEnd).reduce((s, m) => s + m.amount * daysBetween(line.cycleStart, m.date), 0);

/**
 * For a cycle that spans a new year, the sum of daily balances of its days in the first year once they are all
 * accrued (actual/actual divides each year's part by that year's days); 0 otherwise.
 */
export function priorYearSum(line: LineState, accruedThrough: CalendarDate): number {
  const yearEnd = fromParts(dateParts(line.cycleStart).year, 12, 31);
  if (line.cycleEnd <= yearEnd || accruedThrough < yearEnd) return 0;
  let sum = line.opening.principal * (daysBetween(line.cycleStart, yearEnd) + 1);
  for (const m of movementsOf(line, yearEnd)) sum += m.amount * (daysBetween(m.date, yearEnd) + 1);
  return sum;
}
