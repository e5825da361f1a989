import { type SQL, sql } from 'drizzle-orm';
import type { CalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
// Types only: the program schema (recalculation-terms.ts) reads this module's values while installments.ts loads.
import type { Installment } from './installments.js';
import type { Component } from './terms.js';

/**
 * Compounding in interest recalculation (Fineract `InterestRecalculationCompoundingMethod`): what is overdue besides
 * principal joins the balance that earns interest from its due date until it is paid: the interest (INTEREST), the
 * fees and penalties (FEE), or both (INTEREST_AND_FEE). Fineract adds an installment's interest (or charges) to its
 * balance at the compounding date, the due date with the compounding frequency SAME_AS_REPAYMENT_PERIOD
 * (AbstractCumulativeLoanScheduleGenerator `updateCompoundingMap`, `getIncomeForCompounding`), and takes back what
 * is paid (`adjustCompoundedAmountWithPaidDetail`), so what earns is what stays overdue.
 *
 * C(at), the compounded amount, is what is outstanding of those components on the rows due on or before `at`. It
 * changes at a due date (when the accrual cursor moves on and the next row is re-projected on P + C) and at events
 * (a payment, a waiver, a fee: the replay recalculates), never inside a period by itself, so the accrual counted back
 * from the due date stays exact. Close of business reads the same sum (`compoundedSql`).
 */

export const RECALCULATION_COMPOUNDING = ['none', 'interest', 'fee', 'interest_and_fee'] as const;
export type Compounding = (typeof RECALCULATION_COMPOUNDING)[number];

const withInterest = (c: Compounding) => c === 'interest' || c === 'interest_and_fee';
const withFees = (c: Compounding) => c === 'fee' || c === 'interest_and_fee';
const owed = (r: Installment, c: Component): Minor => r.due[c] - r.paid[c] - r.waived[c];

/** C(at): the overdue interest and/or fees and penalties of the rows due on or before `at`; 0 without compounding. */
export function compounded(
  rule: { compounding: string } | null | undefined,
  rows: readonly Installment[],
  at: CalendarDate,
): Minor {
  const c = (rule?.compounding ?? 'none') as Compounding;
  if (c === 'none') return 0;
  let total = 0;
  for (const r of rows) {
    if (r.dueDate > at) break;
    if (withInterest(c)) total += owed(r, 'interest');
    if (withFees(c)) total += owed(r, 'fees') + owed(r, 'penalties');
  }
  return total;
}

/**
 * `compounded` in SQL: one row `p` of the loan `l`'s installments contributes its overdue components when due on or
 * before `at`; the compounding read from the loan's terms (`options.interestRecalculation.compounding`).
 */
export const compoundedSql = (at: SQL): SQL => sql`CASE WHEN p.due_date > ${at} THEN 0
       ELSE CASE WHEN l.terms #>> '{options,interestRecalculation,compounding}' IN ('interest', 'interest_and_fee')
                 THEN p.interest_due - p.interest_paid - p.interest_waived ELSE 0 END
          + CASE WHEN l.terms #>> '{options,interestRecalculation,compounding}' IN ('fee', 'interest_and_fee')
                 THEN p.fees_due - p.fees_paid - p.fees_waived + p.penalties_due - p.penalties_paid - p.penalties_waived
                 ELSE 0 END END`;
