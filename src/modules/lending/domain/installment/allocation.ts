import type { CalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import { amortize } from './amortize.js';
import { cloneInstallment, firstFutureIndex, type Installment, outstandingOf } from './installments.js';
import { interestBasis } from './interest.js';
import { recalculationOf } from './recalculation.js';
import { endedDeferral } from './reschedule.js';
import type { Component, LoanTerms } from './terms.js';

/**
 * The payment waterfall. A payment goes, in this order:
 *   1. to past-due installments (due date before the payment date), oldest first;
 *   2. to the installment due on the payment date;
 *   3. the amount in advance, to installments not yet due, by the program's strategy:
 *      - next_installment: the nearest first, each in full;
 *      - last_installment: the last first (shortens the loan);
 *      - reamortize: prepays principal; the installments after the current one are re-amortized over the same
 *        dates on the lower balance (lower installments, same maturity). The prepaid principal is recorded on the
 *        current installment, so scheduled principal still sums to the amount financed. Once no principal is
 *        left to prepay, any rest pays the remaining charges as next_installment would;
 *   4. what is left is a credit balance (overpayment).
 * Within an installment the components go in the program's `allocation_order` (default penalties → fees →
 * interest → principal). Lines always sum to the payment minus the credit.
 */

export type AllocationBucket = 'past_due' | 'due' | 'advance';

export interface AllocationLine {
  installment: number;
  component: Component;
  amount: Minor;
  bucket: AllocationBucket;
}

export interface Allocation {
  lines: AllocationLine[];
  /** The part of the payment nothing was owed for. */
  credit: Minor;
  /** The installments after the payment (new objects; the input is not modified). */
  installments: Installment[];
}

export function allocatePayment(
  installments: readonly Installment[],
  payment: { amount: Minor; date: CalendarDate },
  terms: LoanTerms,
): Allocation {
  if (!Number.isSafeInteger(payment.amount) || payment.amount < 0)
    throw new RangeError('invalid payment amount');
  // Copy on write: only the installments the payment touches are cloned.
  const rows = installments.slice();
  const lines: AllocationLine[] = [];
  let remaining = payment.amount;
  const order = terms.allocationOrder;

  // With interest recalculation interest is not paid ahead of being earned (recalculation.ts): in advance, a
  // row's interest is owed only as far as it has accrued, and the running row's also the interest ended periods
  // deferred to it (reschedule.ts), which they earned in full (Fineract's payable interest of a started period,
  // ProgressiveEMICalculator.getPayableDetails; nothing before the period starts).
  const recalculating = recalculationOf(terms) !== null;
  const deferred = recalculating
    ? Math.max(0, endedDeferral(installments, firstFutureIndex(installments, payment.date)))
    : 0;
  const owed = (row: Installment, c: Component, bucket: AllocationBucket) => {
    if (!recalculating || bucket !== 'advance' || c !== 'interest') return outstandingOf(row, c);
    const earned = row.accrued + (row.periodStart <= payment.date ? deferred : 0);
    return Math.max(0, Math.min(outstandingOf(row, c), earned - row.paid.interest - row.waived.interest));
  };

  const payRow = (k: number, bucket: AllocationBucket) => {
    for (const c of order) {
      const take = Math.min(remaining, owed(rows[k]!, c, bucket));
      if (take <= 0) continue;
      if (rows[k] === installments[k]) rows[k] = cloneInstallment(rows[k]!);
      rows[k]!.paid[c] += take;
      remaining -= take;
      lines.push({ installment: rows[k]!.number, component: c, amount: take, bucket });
    }
  };

  for (let k = 0; k < rows.length; k++) {
    if (remaining === 0 || rows[k]!.dueDate > payment.date) break;
    payRow(k, rows[k]!.dueDate < payment.date ? 'past_due' : 'due');
  }
  const current = firstFutureIndex(rows, payment.date);
  if (remaining > 0 && current >= 0) {
    const future = rows.map((_, k) => k).slice(current);
    if (terms.futureInstallments === 'reamortize') {
      for (const k of future) rows[k] = cloneInstallment(rows[k]!);
      remaining = prepayAndReamortize(rows, current, remaining, terms, lines);
    } else if (terms.futureInstallments === 'last_installment') future.reverse();
    for (const k of future) if (remaining > 0) payRow(k, 'advance');
  }
  return { lines, credit: remaining, installments: rows };
}

/**
 * Prepays principal from the installments after `current`, re-amortizes them, then the current installment's own
 * principal. Mutates `rows`; returns what is left of `amount`.
 */
function prepayAndReamortize(
  rows: Installment[],
  current: number,
  amount: Minor,
  terms: LoanTerms,
  lines: AllocationLine[],
): Minor {
  const row = rows[current]!;
  const tail = rows.slice(current + 1);
  let later = 0;
  for (const t of tail) later += outstandingOf(t, 'principal');
  const prepaid = Math.min(amount, later);
  let remaining = amount - prepaid;
  if (prepaid > 0) {
    row.due.principal += prepaid;
    row.paid.principal += prepaid;
    lines.push({ installment: row.number, component: 'principal', amount: prepaid, bucket: 'advance' });
    let earned = 0;
    let dueInterest = 0;
    for (let j = 0; j <= current; j++) {
      earned += rows[j]!.interestAccrual;
      dueInterest += rows[j]!.due.interest;
    }
    const regenerated = amortize(terms, interestBasis(terms), {
      opening: later - prepaid,
      periods: tail.map((t) => ({ start: t.periodStart, due: t.dueDate })),
      firstNumber: tail[0]!.number,
      oddFirstPeriod: false,
      principalGrace: Math.max(0, terms.grace.principalPeriods - current - 1),
      interestGrace: Math.max(0, terms.grace.interestPeriods - current - 1),
      interestFreeGrace: Math.max(0, terms.grace.interestFreePeriods - current - 1),
      deferredInterest: earned - dueInterest,
    });
    regenerated.forEach((r, k) => {
      const t = tail[k]!;
      t.openingBalance = r.openingBalance;
      t.interestAccrual = r.interestAccrual;
      t.due.principal = r.principal;
      t.due.interest = r.interest;
      // Installments not yet due carry no principal or interest payments under this strategy.
      if (outstandingOf(t, 'principal') < 0 || outstandingOf(t, 'interest') < 0)
        throw new Error(`re-amortization left installment ${t.number} overpaid`);
    });
  }
  const own = Math.min(remaining, outstandingOf(row, 'principal'));
  if (own > 0) {
    row.paid.principal += own;
    remaining -= own;
    lines.push({ installment: row.number, component: 'principal', amount: own, bucket: 'advance' });
  }
  return remaining;
}
