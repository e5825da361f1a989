import { z } from 'zod';
import type { CalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import { err, failure, ok, type Result } from '../../../../kernel/result.js';
import { fieldIssues } from '../../../../kernel/validation.js';
import { nonNegativeMinorSchema, validationFailure } from '../../domain/common-terms.js';
import { earlyTerminationQuote, maturityDate, transitionLease } from '../../domain/lease/index.js';
import type { Amounts, StoredEvent } from '../../product.js';
import type { Movement } from '../support.js';
import { type LeaseReplay, outstanding, post } from './state.js';

export const TERMINATIONS = ['early', 'return', 'purchase'] as const;
export type TerminationKind = (typeof TERMINATIONS)[number];

/** The wire fields of a termination (POST /v1/loans/{id}/terminate) and of a lease payoff quote. */
export const terminationSchema = z.strictObject({
  type: z.enum(TERMINATIONS),
  /** What the returned vehicle is worth to the lessor (its sale price or a wholesale value). */
  realized_value: nonNegativeMinorSchema.optional(),
  /** Excess wear, mileage or other charges the lease provides for. */
  other_charges: nonNegativeMinorSchema.default(0),
});

export interface TerminationRequest {
  kind: TerminationKind;
  realizedValue?: Minor;
  otherCharges: Minor;
}

export function parseTermination(details: unknown): Result<TerminationRequest> {
  const parsed = terminationSchema.safeParse(details);
  if (!parsed.success) return err(validationFailure('invalid termination', fieldIssues(parsed.error)));
  const t = parsed.data;
  if (t.type === 'early' && t.realized_value === undefined)
    return err(
      validationFailure('invalid termination', [
        { path: 'realized_value', message: 'is required for an early termination' },
      ]),
    );
  if (t.type === 'purchase' && t.realized_value !== undefined)
    return err(
      validationFailure('invalid termination', [
        { path: 'realized_value', message: 'the lessee keeps the vehicle on a purchase' },
      ]),
    );
  return ok({ kind: t.type, realizedValue: t.realized_value, otherCharges: t.other_charges });
}

const STATUS = { early: 'early_terminated', return: 'returned', purchase: 'purchased' } as const;

/** What ending the lease on `date` comes to: the journal movements (without the lessee's side) and the quote. */
export interface Settlement {
  moves: Movement[];
  /** Rent of periods already started and not yet recognised: it is all earned once the lease ends. */
  rentEarned: Minor;
  quote: Record<string, unknown>;
}

const sum = (
  r: LeaseReplay,
  c: keyof Amounts,
  pick: (due: boolean) => 'owed' | 'paid' | null,
  date: CalendarDate,
) =>
  r.rows.reduce((s, row) => {
    const which = pick(row.dueDate < date);
    return s + (which === 'owed' ? outstanding(row, c) : which === 'paid' ? row.paid[c] : 0);
  }, 0);

/**
 * Early termination (before the maturity date), return or purchase (on or after it), following the domain's
 * quotes (domain/lease/termination.ts). Payments due before `date` and unpaid are owed; payments made for
 * periods after it are credited back; late fees unpaid are owed. Then:
 *
 *   early     owes the early-termination charge: ET fee + disposition fee + (lease balance − realized value,
 *             when positive; a surplus is credited only if the program says so, else it is the lessor's gain)
 *   return    owes the disposition fee; the lessor takes the vehicle at its realized value (default: the
 *             residual value) and bears the difference from the residual (`residual_gain_loss`)
 *   purchase  owes the residual value and the purchase option fee
 *
 * The lessee's side (`termination_receivable`, or `overpayment_liability` for a refund) is what balances it.
 */
export function settlement(r: LeaseReplay, date: CalendarDate, req: TerminationRequest): Result<Settlement> {
  const t = r.terms;
  const maturity = maturityDate(t);
  if (req.kind !== 'early' && date < maturity)
    return err(
      failure(
        'conflict',
        'lease_not_matured',
        `the lease matures on ${maturity}: terminate it early instead`,
        {
          extra: { maturity_date: maturity },
        },
      ),
    );
  const unpaid = (c: keyof Amounts) => sum(r, c, (due) => (due ? 'owed' : null), date);
  const prepaid = (c: keyof Amounts) => sum(r, c, (due) => (due ? null : 'paid'), date);
  const anyTime = (c: keyof Amounts) => sum(r, c, () => 'owed', date);
  let rentEarned = 0;
  r.rows.forEach((row, k) => {
    if (row.dueDate < date) rentEarned += row.interestAccrual - row.accrued;
    else if (row.accrued !== 0) throw new Error(`rent of a period not started recognised on row ${k + 1}`);
  });
  const paidTotal = (c: keyof Amounts) => r.rows.reduce((s, row) => s + row.paid[c], 0);
  const rentRecognised = r.rows.reduce((s, row) => s + row.accrued, 0) + rentEarned;
  const moves: Movement[] = [
    ['lease_receivable', -(t.adjustedCapitalizedCost - paidTotal('principal'))],
    ['rent_receivable', -(rentRecognised - paidTotal('interest'))],
    ['sales_tax_payable', -(unpaid('fees') - prepaid('fees'))],
    ['penalties_receivable', -anyTime('penalties')],
  ];
  const quote: Record<string, unknown> = {
    termination: req.kind,
    date,
    unpaid_payments: unpaid('principal') + unpaid('interest') + unpaid('fees'),
    prepaid_payments: prepaid('principal') + prepaid('interest') + prepaid('fees'),
    late_fees: anyTime('penalties'),
    other_charges: req.otherCharges,
  };
  if (req.kind === 'early') {
    const paymentsDue = r.schedule.rows.filter((row) => row.dueDate < date).length;
    const q = earlyTerminationQuote(t, r.schedule, {
      terminationDate: date,
      paymentsMade: paymentsDue,
      realizedValue: req.realizedValue ?? 0,
    });
    if (!q.ok) return q;
    const v = q.value;
    const kept = v.adjustedLeaseBalance < v.realizedValue && v.surplusCredited === 0;
    moves.push(
      ['returned_vehicles', v.realizedValue],
      ['fee_income', -(v.earlyTerminationFee + v.dispositionFee + req.otherCharges)],
      ['residual_gain_loss', kept ? v.adjustedLeaseBalance - v.realizedValue : 0],
    );
    Object.assign(quote, {
      adjusted_lease_balance: v.adjustedLeaseBalance,
      early_termination_fee: v.earlyTerminationFee,
      disposition_fee: v.dispositionFee,
      early_termination_payoff: v.earlyTerminationPayoff,
      realized_value: v.realizedValue,
      surplus_credited: v.surplusCredited,
      early_termination_charge: v.earlyTerminationCharge,
    });
  } else if (req.kind === 'return') {
    const value = req.realizedValue ?? t.residualValue;
    moves.push(
      ['returned_vehicles', value],
      ['fee_income', -(t.dispositionFee + req.otherCharges)],
      ['residual_gain_loss', t.residualValue - value],
    );
    Object.assign(quote, {
      residual_value: t.residualValue,
      realized_value: value,
      disposition_fee: t.dispositionFee,
    });
  } else {
    moves.push(['fee_income', -(t.purchaseOptionFee + req.otherCharges)]);
    Object.assign(quote, { residual_value: t.residualValue, purchase_option_fee: t.purchaseOptionFee });
  }
  const net = -moves.reduce((s, [, amount]) => s + amount, 0);
  quote.total_due = Math.max(0, net);
  quote.refund_due = Math.max(0, -net);
  moves.push(net >= 0 ? ['termination_receivable', net] : ['overpayment_liability', net]);
  return ok({ moves, rentEarned, quote });
}

/** The terminate event: the lease ends, everything owed becomes one amount the lessee pays. */
export function terminate(r: LeaseReplay, e: StoredEvent): Result<void> {
  const req = e.payload as unknown as TerminationRequest;
  const next = transitionLease(r.status, STATUS[req.kind]);
  if (!next.ok) return next;
  const s = settlement(r, e.effectiveDate, req);
  if (!s.ok) return s;
  post(r, e.effectiveDate, 'accrual', e.id, [
    ['rent_receivable', s.value.rentEarned],
    ['rent_income', -s.value.rentEarned],
  ]);
  post(r, e.effectiveDate, 'termination', e.id, s.value.moves);
  // Every row is settled by the termination: what it still owed moved to the termination amount.
  r.rows = r.rows.map((row) => ({
    ...row,
    accrued: row.dueDate < e.effectiveDate ? row.interestAccrual : row.accrued,
    waived: {
      principal: row.due.principal - row.paid.principal,
      interest: row.due.interest - row.paid.interest,
      fees: row.due.fees - row.paid.fees,
      penalties: row.due.penalties - row.paid.penalties,
    },
  }));
  const due = Number(s.value.quote.total_due);
  r.termination = {
    eventId: e.id,
    date: e.effectiveDate,
    due,
    refund: Number(s.value.quote.refund_due),
    paid: 0,
  };
  r.status = next.value;
  r.effects.set(e.id, s.value.quote);
  return ok(undefined);
}
