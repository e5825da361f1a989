import { type CalendarDate, daysBetween } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import { roundRatio, toMinor } from '../../domain/exact.js';
import {
  type LeaseSchedule,
  type LeaseStatus,
  type LeaseTerms,
  leaseSchedule,
  maturityDate,
} from '../../domain/lease/index.js';
import type { Amounts, InstallmentRow, LedgerEntry } from '../../product.js';
import { entry, type Movement } from '../support.js';

/**
 * A lease's payments as installment rows: the payment due at the start of month k pays that month's rent charge
 * (`interest`) and depreciation (`principal`), with its sales tax (`fees`); late fees are `penalties`. Month k's
 * rent is earned over [due date k, due date k + 1) (the last one up to the maturity date): `period_start` is the
 * due date and `interest_accrual` the rent, recognised day by day like an installment's per-period interest.
 */
export const COMPONENT_NAMES: Record<keyof Amounts, string> = {
  principal: 'depreciation',
  interest: 'rent_charge',
  fees: 'tax',
  penalties: 'late_fee',
};

/** The lessee's side of a termination: what it came to and what has been paid on it. */
export interface Termination {
  eventId: string;
  date: CalendarDate;
  /** What the lessee owes on termination, and what is owed back to the lessee. */
  due: Minor;
  refund: Minor;
  paid: Minor;
}

/** The working state of one lease replay; events.ts and the day loop change it in place. */
export interface LeaseReplay {
  terms: LeaseTerms;
  schedule: LeaseSchedule;
  /** The end of each row's period: the next payment's due date, the maturity date for the last. */
  periodEnds: CalendarDate[];
  status: LeaseStatus;
  rows: InstallmentRow[];
  termination: Termination | null;
  journal: LedgerEntry[];
  effects: Map<string, Record<string, unknown>>;
}

export function newReplay(terms: LeaseTerms): LeaseReplay {
  const schedule = leaseSchedule(terms);
  const maturity = maturityDate(terms);
  return {
    terms,
    schedule,
    periodEnds: schedule.rows.map((_, k) => schedule.rows[k + 1]?.dueDate ?? maturity),
    status: 'application',
    rows: [],
    termination: null,
    journal: [],
    effects: new Map(),
  };
}

const zero = (): Amounts => ({ principal: 0, interest: 0, fees: 0, penalties: 0 });

/** The payment rows of a lease that commences. */
export function rowsOf(schedule: LeaseSchedule, terms: LeaseTerms): InstallmentRow[] {
  return schedule.rows.map((r, k) => ({
    number: r.number,
    periodStart: r.dueDate,
    dueDate: r.dueDate,
    openingBalance: k === 0 ? terms.adjustedCapitalizedCost : schedule.rows[k - 1]!.balance,
    interestAccrual: r.rentCharge,
    due: { principal: r.depreciation, interest: r.rentCharge, fees: r.tax, penalties: 0 },
    paid: zero(),
    waived: zero(),
    accrued: 0,
    lateFeeAssessed: false,
  }));
}

export const outstanding = (r: InstallmentRow, c: keyof Amounts): Minor => r.due[c] - r.paid[c] - r.waived[c];

/** What makes a payment late: its rent, depreciation and tax (late fees alone do not). */
export const owing = (r: InstallmentRow): Minor =>
  outstanding(r, 'principal') + outstanding(r, 'interest') + outstanding(r, 'fees');

export function post(r: LeaseReplay, date: CalendarDate, kind: string, id: string | null, moves: Movement[]) {
  const e = entry(date, kind, id, moves);
  if (e) r.journal.push(e);
}

/**
 * Rent recognised on row k for the days before `end` (exclusive): linear over the period's days, rounded once
 * from the exact fraction, so it never drifts and ends at the row's rent. The SQL close of business computes the
 * same with lending_round.
 */
export function rentEarned(r: LeaseReplay, k: number, end: CalendarDate): Minor {
  const row = r.rows[k]!;
  const periodEnd = r.periodEnds[k]!;
  if (end >= periodEnd) return row.interestAccrual;
  if (end <= row.periodStart || row.interestAccrual === 0) return 0;
  const days = BigInt(daysBetween(row.periodStart, end));
  const length = BigInt(daysBetween(row.periodStart, periodEnd));
  return toMinor(roundRatio(BigInt(row.interestAccrual) * days, length, r.terms.rounding.mode));
}

/** Recognises the rent earned before `end`, as one entry dated `entryDate`. */
export function accrue(r: LeaseReplay, end: CalendarDate, entryDate: CalendarDate): void {
  let total = 0;
  for (let k = 0; k < r.rows.length; k++) {
    const row = r.rows[k]!;
    if (row.periodStart >= end) break;
    const target = rentEarned(r, k, end);
    total += target - row.accrued;
    r.rows[k] = { ...row, accrued: target };
  }
  post(r, entryDate, 'accrual', null, [
    ['rent_receivable', total],
    ['rent_income', -total],
  ]);
}
