import { addMonths, type CalendarDate, compareDates, dateParts } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import { err, failure, invalidField, ok, type Result } from '../../../../kernel/result.js';
import type { LeaseSchedule } from './schedule.js';
import type { LeaseTerms } from './terms.js';

export interface EarlyTerminationInput {
  terminationDate: CalendarDate;
  /** Periodic payments the lessee has made so far. */
  paymentsMade: number;
  /** Value credited for the vehicle: its sale price, or a wholesale value, as the lease provides. */
  realizedValue: Minor;
  /** Other amounts owed and unpaid (late fees, excess-mileage or wear charges, official fees). */
  otherCharges?: Minor;
}

export interface EarlyTerminationQuote {
  /** Payments whose due date is before the termination date. */
  paymentsDue: number;
  /** Those of them not yet paid, with their tax. */
  unpaidPayments: Minor;
  /** Payments made ahead of their due date, with their tax, credited back. */
  prepaidPayments: Minor;
  otherCharges: Minor;
  /** Constant-yield balance at the end of the last period paid for: the unamortized adjusted cap cost. */
  adjustedLeaseBalance: Minor;
  earlyTerminationFee: Minor;
  dispositionFee: Minor;
  /** Adjusted lease balance + early-termination fee + disposition fee. */
  earlyTerminationPayoff: Minor;
  realizedValue: Minor;
  /** Realized value above the lease balance, credited only when the program says so. */
  surplusCredited: Minor;
  /** Payoff − realized value, where a surplus reduces it only if credited. */
  earlyTerminationCharge: Minor;
  /** What the lessee owes: unpaid payments + other charges + early-termination charge − prepaid payments. */
  totalDue: Minor;
  /** What is owed back to the lessee when credits exceed charges (then totalDue is 0). */
  refundDue: Minor;
}

/**
 * Early-termination quote, after the Federal Reserve Board's consumer leasing guide and Regulation M
 * (12 CFR 1013.4(g)): the early-termination charge is the early-termination payoff (the adjusted lease balance
 * plus the early-termination and disposition fees) minus the value credited for the vehicle; the lessee also owes
 * whatever is due and unpaid.
 *
 *   balance gap  = adjusted lease balance − realized value        (floored at 0 unless surplus is credited)
 *   ET charge    = ET fee + disposition fee + balance gap
 *   total due    = unpaid payments + other charges + ET charge − prepaid payments    (refund if negative)
 *
 * The adjusted lease balance is the schedule's balance after the payments due before the termination date: the
 * payment for the period in progress has already bought that period, so there is no mid-period proration.
 */
export function earlyTerminationQuote(
  terms: LeaseTerms,
  schedule: LeaseSchedule,
  input: EarlyTerminationInput,
): Result<EarlyTerminationQuote> {
  const n = schedule.rows.length;
  const otherCharges = input.otherCharges ?? 0;
  if (!Number.isSafeInteger(input.paymentsMade) || input.paymentsMade < 0 || input.paymentsMade > n) {
    return err(invalidField('payments_made', `must be between 0 and ${n}`));
  }
  if (!Number.isSafeInteger(input.realizedValue) || input.realizedValue < 0) {
    return err(invalidField('realized_value', 'must be a non-negative amount in minor units'));
  }
  if (!Number.isSafeInteger(otherCharges) || otherCharges < 0) {
    return err(invalidField('other_charges', 'must be a non-negative amount in minor units'));
  }
  if (compareDates(input.terminationDate, terms.startDate) < 0) {
    return err(invalidField('termination_date', 'must not be before the lease starts'));
  }
  if (compareDates(input.terminationDate, maturityDate(terms)) >= 0) {
    return err(
      failure('conflict', 'lease_matured', 'the lease term has ended: use the maturity purchase or return'),
    );
  }

  const paymentsDue = schedule.rows.filter(
    (row) => compareDates(row.dueDate, input.terminationDate) < 0,
  ).length;
  const totalOf = (from: number, to: number) =>
    schedule.rows.slice(from, to).reduce((sum, row) => sum + row.total, 0);
  const unpaidPayments = input.paymentsMade < paymentsDue ? totalOf(input.paymentsMade, paymentsDue) : 0;
  const prepaidPayments = input.paymentsMade > paymentsDue ? totalOf(paymentsDue, input.paymentsMade) : 0;
  const adjustedLeaseBalance =
    paymentsDue === 0 ? terms.adjustedCapitalizedCost : schedule.rows[paymentsDue - 1]!.balance;

  const gap = adjustedLeaseBalance - input.realizedValue;
  const surplusCredited = gap < 0 && terms.earlyTermination.creditSurplus ? -gap : 0;
  const earlyTerminationFee = terms.earlyTermination.fee;
  const earlyTerminationPayoff = adjustedLeaseBalance + earlyTerminationFee + terms.dispositionFee;
  const earlyTerminationCharge =
    earlyTerminationFee + terms.dispositionFee + Math.max(gap, 0) - surplusCredited;
  const net = unpaidPayments + otherCharges + earlyTerminationCharge - prepaidPayments;
  return ok({
    paymentsDue,
    unpaidPayments,
    prepaidPayments,
    otherCharges,
    adjustedLeaseBalance,
    earlyTerminationFee,
    dispositionFee: terms.dispositionFee,
    earlyTerminationPayoff,
    realizedValue: input.realizedValue,
    surplusCredited,
    earlyTerminationCharge,
    totalDue: Math.max(0, net),
    refundDue: Math.max(0, -net),
  });
}

export interface MaturityPurchaseQuote {
  residualValue: Minor;
  purchaseOptionFee: Minor;
  unpaidPayments: Minor;
  otherCharges: Minor;
  total: Minor;
}

/** Purchase at the end of the term: residual value + purchase option fee + anything still owed. */
export function maturityPurchaseQuote(
  terms: LeaseTerms,
  schedule: LeaseSchedule,
  input: { paymentsMade: number; otherCharges?: Minor },
): Result<MaturityPurchaseQuote> {
  const n = schedule.rows.length;
  const otherCharges = input.otherCharges ?? 0;
  if (!Number.isSafeInteger(input.paymentsMade) || input.paymentsMade < 0 || input.paymentsMade > n) {
    return err(invalidField('payments_made', `must be between 0 and ${n}`));
  }
  if (!Number.isSafeInteger(otherCharges) || otherCharges < 0) {
    return err(invalidField('other_charges', 'must be a non-negative amount in minor units'));
  }
  const unpaidPayments = schedule.rows.slice(input.paymentsMade).reduce((sum, row) => sum + row.total, 0);
  return ok({
    residualValue: terms.residualValue,
    purchaseOptionFee: terms.purchaseOptionFee,
    unpaidPayments,
    otherCharges,
    total: terms.residualValue + terms.purchaseOptionFee + unpaidPayments + otherCharges,
  });
}

/** The end of the last period: one month after the last payment's due date. */
export function maturityDate(terms: LeaseTerms): CalendarDate {
  return addMonths(terms.firstPaymentDate, terms.termCount, dateParts(terms.firstPaymentDate).day);
}
