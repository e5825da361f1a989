import { addDays, type CalendarDate, compareDates, isCalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import { err, type Failure, failure, invalidField, ok, type Result } from '../../../../kernel/result.js';
import { lateFeeAmount } from '../common-terms.js';
import { firstCycleEnd } from './cycle.js';
import type { AllocationTarget, LineTerms } from './terms.js';

export const LINE_STATUSES = ['active', 'frozen', 'closing', 'closed', 'charged_off'] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];

export type Allocation = Record<AllocationTarget, Minor>;

export interface Posting {
  kind: 'draw' | 'payment' | 'fee';
  date: CalendarDate;
  amount: Minor;
  /** How a payment was applied. */
  applied?: Allocation;
  /** What a fee is for, e.g. `late`, `annual`. */
  description?: string;
}

/** The last statement and what has been paid against its minimum payment. */
export interface LastStatement {
  statementDate: CalendarDate;
  dueDate: CalendarDate;
  minimumPayment: Minor;
  /** Every payment posted since the statement. */
  paidSinceStatement: Minor;
  /** Payments posted by the due date plus the late-fee grace days. */
  paidInTime: Minor;
  lateFeeAssessed: boolean;
}

/** A line's balances and its open billing cycle. Pure data: the store persists it, the functions here evolve it. */
export interface LineState {
  status: LineStatus;
  creditLimit: Minor;
  /** Outstanding now. Only principal bears interest. */
  principal: Minor;
  interest: Minor;
  fees: Minor;
  cycleStart: CalendarDate;
  cycleEnd: CalendarDate;
  /** Outstanding at the start of the open cycle. */
  opening: Allocation;
  /** Postings of the open cycle, in date order. */
  postings: Posting[];
  lastStatement: LastStatement | null;
}

export function openLine(terms: LineTerms): LineState {
  return {
    status: 'active',
    creditLimit: terms.creditLimit,
    principal: 0,
    interest: 0,
    fees: 0,
    cycleStart: terms.openDate,
    cycleEnd: firstCycleEnd(terms.openDate, terms.cycleDay),
    opening: { fees: 0, interest: 0, principal: 0 },
    postings: [],
    lastStatement: null,
  };
}

export const balanceOf = (s: Pick<LineState, 'principal' | 'interest' | 'fees'>): Minor =>
  s.principal + s.interest + s.fees;

/** Credit limit less everything owed; never negative (fees and interest may take a line over its limit). */
export const availableCredit = (s: LineState): Minor => Math.max(0, s.creditLimit - balanceOf(s));

export interface Transaction {
  amount: Minor;
  date: CalendarDate;
}

/**
 * A draw counts in the balance from its posting day. Only an active line may draw, and only within its limit,
 * unless `allowOverLimit` (spend a card platform already authorized, or a draw accepted before a restatement).
 */
export function draw(
  state: LineState,
  tx: Transaction,
  options: { allowOverLimit?: boolean } = {},
): Result<LineState> {
  if (state.status !== 'active') return err(notActive(state.status, 'draw'));
  const invalid = checkTransaction(state, tx);
  if (invalid) return err(invalid);
  const available = availableCredit(state);
  if (tx.amount > available && !options.allowOverLimit) {
    return err(
      failure('unprocessable', 'insufficient_available_credit', 'the draw exceeds the available credit', {
        fields: [{ path: 'amount', message: `must not exceed the available credit of ${available}` }],
        extra: { available_credit: available },
      }),
    );
  }
  return ok({
    ...state,
    principal: state.principal + tx.amount,
    postings: [...state.postings, { kind: 'draw', date: tx.date, amount: tx.amount }],
  });
}

/**
 * A payment is applied in the program's allocation order (fees → interest → principal by default) to what is
 * outstanding at its posting day; interest accruing in the open cycle is not yet billed, so it is not payable.
 */
export function postPayment(terms: LineTerms, state: LineState, tx: Transaction): Result<LineState> {
  if (state.status === 'closed') return err(notActive(state.status, 'payment'));
  const invalid = checkTransaction(state, tx);
  if (invalid) return err(invalid);
  const owed = balanceOf(state);
  if (tx.amount > owed) {
    return err(
      failure('unprocessable', 'payment_exceeds_balance', 'the payment is more than the balance owed', {
        fields: [{ path: 'amount', message: `must not exceed the balance of ${owed}` }],
        extra: { balance: owed },
      }),
    );
  }
  const applied: Allocation = { fees: 0, interest: 0, principal: 0 };
  let left = tx.amount;
  for (const target of terms.allocationOrder) {
    applied[target] = Math.min(left, state[target]);
    left -= applied[target];
  }
  const last = state.lastStatement;
  const inTime = last !== null && compareDates(tx.date, graceEnd(terms, last)) <= 0;
  return ok({
    ...state,
    principal: state.principal - applied.principal,
    interest: state.interest - applied.interest,
    fees: state.fees - applied.fees,
    postings: [...state.postings, { kind: 'payment', date: tx.date, amount: tx.amount, applied }],
    lastStatement: last && {
      ...last,
      paidSinceStatement: last.paidSinceStatement + tx.amount,
      paidInTime: last.paidInTime + (inTime ? tx.amount : 0),
    },
  });
}

/** Posts a fee (annual, late, returned payment...). Fees do not bear interest and may exceed the limit. */
export function postFee(state: LineState, tx: Transaction & { description: string }): Result<LineState> {
  if (state.status === 'closed') return err(notActive(state.status, 'fee'));
  const invalid = checkTransaction(state, tx);
  if (invalid) return err(invalid);
  return ok({
    ...state,
    fees: state.fees + tx.amount,
    postings: [
      ...state.postings,
      { kind: 'fee', date: tx.date, amount: tx.amount, description: tx.description },
    ],
  });
}

/** Last day a payment counts as in time for the last statement's minimum payment. */
export const graceEnd = (terms: LineTerms, last: LastStatement): CalendarDate =>
  addDays(last.dueDate, terms.lateFee?.graceDays ?? 0);

/**
 * Assesses the late fee once per statement when the minimum payment was not received by the due date (plus the
 * program's grace days). A percent fee is a percent of the unpaid minimum payment. The fee is capped at the minimum payment due, the limit 1026.52(b)(2)(i) sets for card
 * accounts, applied here to every line. Returns the fee posted (0 when none is due).
 */
export function assessLateFee(
  terms: LineTerms,
  state: LineState,
  asOf: CalendarDate,
): Result<{ state: LineState; fee: Minor }> {
  const last = state.lastStatement;
  const unchanged = ok({ state, fee: 0 });
  if (!terms.lateFee || !last || last.lateFeeAssessed || last.minimumPayment === 0) return unchanged;
  if (compareDates(asOf, graceEnd(terms, last)) <= 0 || last.paidInTime >= last.minimumPayment)
    return unchanged;
  const unpaid = last.minimumPayment - last.paidInTime;
  const fee = Math.min(lateFeeAmount(terms.lateFee, unpaid, terms.rounding.mode), last.minimumPayment);
  if (fee === 0) return unchanged;
  const posted = postFee(state, { amount: fee, date: asOf, description: 'late' });
  if (!posted.ok) return posted;
  return ok({ state: { ...posted.value, lastStatement: { ...last, lateFeeAssessed: true } }, fee });
}

function checkTransaction(state: LineState, tx: Transaction): Failure | undefined {
  if (!Number.isSafeInteger(tx.amount) || tx.amount <= 0) {
    return invalidField('amount', 'must be a positive integer amount in minor units');
  }
  if (!isCalendarDate(tx.date)) return invalidField('date', 'must be a calendar date YYYY-MM-DD');
  if (compareDates(tx.date, state.cycleStart) < 0 || compareDates(tx.date, state.cycleEnd) > 0) {
    return invalidField(
      'date',
      `must fall in the open billing cycle ${state.cycleStart} to ${state.cycleEnd}`,
      'posting_outside_cycle',
    );
  }
  const lastPosting = state.postings.at(-1);
  if (lastPosting && compareDates(tx.date, lastPosting.date) < 0) {
    return invalidField(
      'date',
      `must not be before the last posting (${lastPosting.date})`,
      'posting_out_of_order',
    );
  }
  return undefined;
}

const notActive = (status: LineStatus, what: string): Failure =>
  failure('conflict', 'line_not_active', `a ${what} cannot be posted to a ${status} line`, {
    extra: { loan_status: status },
  });
