import { Decimal } from 'decimal.js';
import { addDays, type CalendarDate, compareDates, maxDate } from '../../../../kernel/dates.js';
import { type Minor, roundToMultiple } from '../../../../kernel/money.js';
import { err, failure, ok, type Result } from '../../../../kernel/result.js';
import { nextCycleEnd } from './cycle.js';
import { cycleInterest, type PrincipalMovement } from './interest.js';
import { assessLateFee, availableCredit, balanceOf, graceEnd, type LineState } from './line.js';
import type { LineTerms } from './terms.js';

export interface Statement {
  periodStart: CalendarDate;
  periodEnd: CalendarDate;
  /** The statement is dated on the cycle's closing day. */
  statementDate: CalendarDate;
  /** Statement date + payment_due_days (at least 21 days, 1026.5(b)(2)(ii)). */
  dueDate: CalendarDate;
  daysInCycle: number;
  openingBalance: Minor;
  draws: Minor;
  payments: Minor;
  interest: Minor;
  fees: Minor;
  /** opening + draws + interest + fees − payments. */
  closingBalance: Minor;
  closingPrincipal: Minor;
  /** Unpaid part of the previous statement's minimum payment. */
  pastDue: Minor;
  minimumPayment: Minor;
  creditLimit: Minor;
  availableCredit: Minor;
  annualRate: string;
  /** Decimal fraction per day (not percent). */
  dailyPeriodicRate: string;
  /** Average daily principal balance in minor units, to 4 decimals. */
  averageDailyBalance: string;
  sumOfDailyBalances: number;
}

/**
 * Closes the open billing cycle on its closing date and starts the next one.
 *
 * Interest is the average-daily-balance finance charge of the cycle (see `cycleInterest`), nil once a line is
 * charged off. A late fee the minimum payment's due date called for and nobody assessed is posted first. The
 * minimum payment is
 *
 *   min(closing balance, max(floor, percent × closing principal) + interest + fees of the cycle + past due)
 *
 * rounded with the program's rounding (the percent part to the installment multiple). A closing line whose
 * balance reaches zero becomes closed.
 */
export function closeCycle(
  terms: LineTerms,
  state: LineState,
  cycleEnd: CalendarDate,
): Result<{ state: LineState; statement: Statement }> {
  if (state.status === 'closed') {
    return err(
      failure('conflict', 'line_not_active', 'a closed line has no billing cycles', {
        extra: { loan_status: 'closed' },
      }),
    );
  }
  if (compareDates(cycleEnd, state.cycleEnd) !== 0) {
    return err(
      failure(
        'unprocessable',
        'not_cycle_end',
        `the open cycle closes on ${state.cycleEnd}, not ${cycleEnd}`,
        {
          fields: [{ path: 'cycle_end', message: `must be ${state.cycleEnd}` }],
          extra: { cycle_end: state.cycleEnd },
        },
      ),
    );
  }
  let current = state;
  const last = state.lastStatement;
  if (last && !last.lateFeeAssessed && compareDates(graceEnd(terms, last), cycleEnd) < 0) {
    const lastPosting = state.postings.at(-1)?.date ?? state.cycleStart;
    const feeDate = maxDate(addDays(graceEnd(terms, last), 1), lastPosting);
    const assessed = assessLateFee(terms, state, feeDate);
    if (!assessed.ok) return assessed;
    current = assessed.value.state;
  }

  const movements: PrincipalMovement[] = current.postings.flatMap((p) => {
    if (p.kind === 'draw') return [{ date: p.date, amount: p.amount }];
    if (p.kind === 'payment' && p.applied && p.applied.principal > 0) {
      return [{ date: p.date, amount: -p.applied.principal }];
    }
    return [];
  });
  const accrual = cycleInterest({
    openingPrincipal: current.opening.principal,
    movements,
    start: current.cycleStart,
    end: cycleEnd,
    annualRate: terms.annualRate,
    dayCount: terms.dayCount,
    rounding: terms.rounding.mode,
  });
  const interest = current.status === 'charged_off' ? 0 : accrual.interest;

  const total = (kind: 'draw' | 'payment' | 'fee') =>
    current.postings.filter((p) => p.kind === kind).reduce((sum, p) => sum + p.amount, 0);
  const draws = total('draw');
  const payments = total('payment');
  const fees = total('fee');
  const closed = { ...current, interest: current.interest + interest };
  const closingBalance = balanceOf(closed);
  const pastDue = last ? Math.max(0, last.minimumPayment - last.paidSinceStatement) : 0;
  const minimumPayment = minimumPaymentDue(
    terms,
    closed.principal,
    interest + fees + pastDue,
    closingBalance,
  );
  const dueDate = addDays(cycleEnd, terms.paymentDueDays);

  const statement: Statement = {
    periodStart: current.cycleStart,
    periodEnd: cycleEnd,
    statementDate: cycleEnd,
    dueDate,
    daysInCycle: accrual.days,
    openingBalance: balanceOf(current.opening),
    draws,
    payments,
    interest,
    fees,
    closingBalance,
    closingPrincipal: closed.principal,
    pastDue,
    minimumPayment,
    creditLimit: current.creditLimit,
    availableCredit: availableCredit(closed),
    annualRate: terms.annualRate,
    dailyPeriodicRate: accrual.dailyPeriodicRate.toSignificantDigits(12).toString(),
    averageDailyBalance: accrual.averageDailyBalance.toFixed(4),
    sumOfDailyBalances: accrual.sumOfDailyBalances,
  };
  const next: LineState = {
    ...closed,
    status: closed.status === 'closing' && closingBalance === 0 ? 'closed' : closed.status,
    cycleStart: addDays(cycleEnd, 1),
    cycleEnd: nextCycleEnd(cycleEnd, terms.cycleDay),
    opening: { fees: closed.fees, interest: closed.interest, principal: closed.principal },
    postings: [],
    lastStatement: {
      statementDate: cycleEnd,
      dueDate,
      minimumPayment,
      paidSinceStatement: 0,
      paidInTime: 0,
      lateFeeAssessed: false,
    },
  };
  return ok({ state: next, statement });
}

function minimumPaymentDue(terms: LineTerms, principal: Minor, charges: Minor, balance: Minor): Minor {
  const { floor, percent } = terms.minimumPayment;
  const share = roundToMultiple(
    new Decimal(principal).times(percent).div(100),
    terms.rounding.installmentMultiple,
    terms.rounding.mode,
  );
  return Math.min(balance, Math.max(floor, share) + charges);
}
