import type { CalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import { percentRatio, roundRatio, toMinor } from '../exact.js';
import { chargesOf } from './charges.js';
import {
  cloneInstallment,
  firstFutureIndex,
  type Installment,
  outstandingOf,
  totalOutstanding,
} from './installments.js';
import { type InterestBasis, interestBasis } from './interest.js';
import { interestEarnedTo } from './recalculation.js';
import { generateSchedule } from './schedule.js';
import type { LoanTerms } from './terms.js';

/**
 * Payoff. Paying a loan off on `date` owes: all outstanding principal; the interest already due; the interest
 * earned but not yet due (deferred by grace, and the current period's: for the days before `date` with
 * `till_payoff_date`, for the whole period with `till_period_end`); no interest for later periods; outstanding fees
 * and penalties; and the prepayment penalty on the principal paid before it falls due. A credit balance reduces it.
 *
 * Installments not yet due may hold interest paid in advance (next/last installment strategies). At payoff that
 * interest is no longer owed, so it is re-applied to principal ("reclassified"), and only to the credit balance
 * when no principal is left.
 */

export interface PayoffSettlement {
  /** The installments restated for payoff on the date (current period cut, later interest removed). */
  installments: Installment[];
  /** Interest (and unearned fees) paid in advance that now pays principal. */
  reclassifiedToPrincipal: Minor;
  /** Interest paid in advance beyond all principal: becomes credit. */
  reclassifiedToCredit: Minor;
  prepaymentPenalty: Minor;
  /** Scheduled fees of installments whose period has not started: waived (charges.ts). */
  unearnedFees: Minor;
  /** The part of them paid in advance: reclassified with the interest paid in advance. */
  reclassifiedFees: Minor;
  /** Index of the installment the payoff date falls in (−1 once every installment is due). */
  current: number;
}

/** Restates the installments as a payoff on `date` leaves them, before the payoff payment is applied. */
export function settleForPayoff(
  installments: readonly Installment[],
  date: CalendarDate,
  terms: LoanTerms,
  basis: InterestBasis = interestBasis(terms),
): PayoffSettlement {
  const rows = installments.map(cloneInstallment);
  const current = firstFutureIndex(rows, date);
  let reclassified = 0;
  if (current >= 0) {
    let deferred = 0;
    for (let j = 0; j < current; j++) deferred += rows[j]!.interestAccrual - rows[j]!.due.interest;
    const row = rows[current]!;
    const earned =
      terms.payoffInterest === 'till_period_end'
        ? row.interestAccrual
        : interestEarnedTo(terms, basis, installments, row, date);
    row.interestAccrual = earned;
    row.due.interest = earned + deferred;
    for (let j = current + 1; j < rows.length; j++) {
      rows[j]!.interestAccrual = 0;
      rows[j]!.due.interest = 0;
    }
    for (let j = current; j < rows.length; j++) {
      const r = rows[j]!;
      const excess = -outstandingOf(r, 'interest');
      if (excess > 0) {
        r.paid.interest -= excess;
        reclassified += excess;
      }
    }
  }
  const fees = current >= 0 ? waiveUnearnedFees(terms, rows, current) : { waived: 0, paid: 0 };
  reclassified += fees.paid;
  let toPrincipal = 0;
  for (const r of rows) {
    const take = Math.min(reclassified - toPrincipal, outstandingOf(r, 'principal'));
    if (take > 0) {
      r.paid.principal += take;
      toPrincipal += take;
    }
  }
  const penalty = current >= 0 ? prepaymentPenalty(terms, rows, current, date) : 0;
  if (penalty > 0) rows[current]!.due.penalties += penalty;
  return {
    installments: rows,
    reclassifiedToPrincipal: toPrincipal,
    reclassifiedToCredit: reclassified - toPrincipal,
    prepaymentPenalty: penalty,
    unearnedFees: fees.waived,
    reclassifiedFees: fees.paid,
    current,
  };
}

/**
 * A payoff owes no scheduled fee of an installment whose period has not started (Fineract's foreclosure charges
 * only the installments up to its date): it is waived, and what was paid of it in advance goes back to the
 * payment like interest paid in advance. A fee charged on such an installment by hand (a `fee` event) stays owed:
 * only the schedule's own amount is waived.
 */
function waiveUnearnedFees(
  terms: LoanTerms,
  rows: Installment[],
  current: number,
): { waived: Minor; paid: Minor } {
  let waived = 0;
  let paid = 0;
  if (chargesOf(terms).length === 0) return { waived, paid };
  const scheduled = generateSchedule(terms).rows;
  for (let j = current + 1; j < rows.length; j++) {
    const r = rows[j]!;
    const fee = scheduled[j]?.fees ?? 0;
    const open = Math.min(outstandingOf(r, 'fees'), fee);
    const prepaid = Math.min(r.paid.fees, fee - open);
    r.paid.fees -= prepaid;
    r.waived.fees += open + prepaid;
    waived += open + prepaid;
    paid += prepaid;
  }
  return { waived, paid };
}

function prepaymentPenalty(
  terms: LoanTerms,
  rows: readonly Installment[],
  current: number,
  date: CalendarDate,
): Minor {
  const p = terms.prepaymentPenalty;
  if (p === null) return 0;
  if (p.withinInstallments !== undefined) {
    const limit = rows.find((r) => r.number === p.withinInstallments);
    if (limit === undefined || date >= limit.dueDate) return 0;
  }
  let prepaid = 0;
  for (let j = current; j < rows.length; j++) prepaid += outstandingOf(rows[j]!, 'principal');
  if (prepaid <= 0) return 0;
  if (p.type === 'flat') return p.amount;
  const r = percentRatio(p.percent);
  return toMinor(roundRatio(BigInt(prepaid) * r.num, r.den, terms.rounding.mode));
}

export interface Payoff {
  date: CalendarDate;
  principal: Minor;
  interest: Minor;
  fees: Minor;
  /** Penalties already charged (late fees), without the prepayment penalty. */
  penalties: Minor;
  prepaymentPenalty: Minor;
  /** Credit balance, including interest paid in advance that no principal is left to absorb. */
  credit: Minor;
  total: Minor;
}

/**
 * The payoff quote for `date`. `state` is the loan during that day, after its events and before its close of
 * business: replay(terms, events, date, { closeOfBusiness: false }). A payoff event for the quoted total on that
 * date pays the loan off exactly.
 */
export function calculatePayoff(
  state: {
    terms: LoanTerms;
    basis?: InterestBasis;
    installments: readonly Installment[];
    creditBalance: Minor;
  },
  date: CalendarDate,
): Payoff {
  const s = settleForPayoff(state.installments, date, state.terms, state.basis);
  const o = totalOutstanding(s.installments);
  const credit = state.creditBalance + s.reclassifiedToCredit;
  const owed = o.principal + o.interest + o.fees + o.penalties;
  return {
    date,
    principal: o.principal,
    interest: o.interest,
    fees: o.fees,
    penalties: o.penalties - s.prepaymentPenalty,
    prepaymentPenalty: s.prepaymentPenalty,
    credit,
    total: Math.max(0, owed - credit),
  };
}
