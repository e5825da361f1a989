import type { Minor } from '../../../../kernel/money.js';
import { err, type Failure, failure, ok, type Result } from '../../../../kernel/result.js';
import { type LeaseStatus, transitionLease } from '../../domain/lease/index.js';
import type { Amounts, StoredEvent } from '../../product.js';
import { COMPONENT_NAMES, type LeaseReplay, outstanding, post, rowsOf } from './state.js';
import { terminate } from './termination.js';

/** The statuses a lifecycle event moves a lease to (transitionLease checks where from). */
const TARGET: Record<string, LeaseStatus> = {
  approve: 'approved',
  reject: 'closed',
  withdraw: 'closed',
};

/** A row's components in the order a payment settles them: late fee, tax, rent charge, depreciation. */
const ORDER: readonly (keyof Amounts)[] = ['penalties', 'fees', 'interest', 'principal'];

const RECEIVABLE: Record<keyof Amounts, string> = {
  principal: 'lease_receivable',
  interest: 'rent_receivable',
  fees: 'sales_tax_payable',
  penalties: 'penalties_receivable',
};

export const exceedsBalance = (owed: Minor): Failure =>
  failure('unprocessable', 'payment_exceeds_balance', 'the payment is more than the lease owes', {
    fields: [{ path: 'amount', message: `must not exceed ${owed}` }],
    extra: { balance: owed },
  });

function move(r: LeaseReplay, to: LeaseStatus): Result<void> {
  const next = transitionLease(r.status, to);
  if (!next.ok) return next;
  r.status = next.value;
  return ok(undefined);
}

/** Applies one lease event: the lifecycle, commencement, payments, termination and close. */
export function applyEvent(r: LeaseReplay, e: StoredEvent): Result<void> {
  const target = TARGET[e.type];
  if (target) return move(r, target);
  switch (e.type) {
    case 'disburse':
      return commence(r, e);
    case 'payment':
      return r.termination ? payTermination(r, e) : pay(r, e);
    case 'terminate':
      return terminate(r, e);
    case 'close': {
      const t = r.termination;
      if (t && t.paid < t.due)
        return err(
          failure('conflict', 'balance_outstanding', 'the termination amount is not paid yet', {
            extra: { balance: t.due - t.paid },
          }),
        );
      return move(r, 'closed');
    }
    default:
      return err(
        failure('conflict', 'invalid_state_transition', `cannot ${e.type} a lease that is ${r.status}`, {
          extra: { event_type: e.type, loan_status: r.status },
        }),
      );
  }
}

/** Commencement: the lessor funds the adjusted capitalized cost; the payment rows start. */
function commence(r: LeaseReplay, e: StoredEvent): Result<void> {
  const moved = move(r, 'active');
  if (!moved.ok) return moved;
  if (e.effectiveDate !== r.terms.startDate)
    return err(
      failure('unprocessable', 'disbursement_date_mismatch', `the lease commences on ${r.terms.startDate}`, {
        fields: [{ path: 'effective_date', message: `must be the commencement date ${r.terms.startDate}` }],
      }),
    );
  r.rows = rowsOf(r.schedule, r.terms);
  const cost = r.terms.adjustedCapitalizedCost;
  post(r, e.effectiveDate, 'disbursement', e.id, [
    ['lease_receivable', cost],
    ['cash', -cost],
  ]);
  return ok(undefined);
}

/**
 * A payment settles the rows in due-date order (overdue first, then the ones falling due, then paid in advance),
 * each row's late fee, tax, rent charge and depreciation in turn. A lease takes no more than it will ever owe.
 */
function pay(r: LeaseReplay, e: StoredEvent): Result<void> {
  if (r.status !== 'active')
    return err(
      failure(
        'conflict',
        'invalid_state_transition',
        `cannot take a payment on a lease that is ${r.status}`,
        {
          extra: { event_type: e.type, loan_status: r.status },
        },
      ),
    );
  const amount = Number(e.payload.amount);
  let left = amount;
  const lines: { installment: number; component: string; amount: Minor }[] = [];
  const moves: [string, Minor][] = [['cash', amount]];
  r.rows = r.rows.map((row) => {
    if (left === 0) return row;
    const paid = { ...row.paid };
    for (const c of ORDER) {
      const part = Math.min(left, outstanding(row, c));
      if (part <= 0) continue;
      paid[c] += part;
      left -= part;
      lines.push({ installment: row.number, component: COMPONENT_NAMES[c], amount: part });
      moves.push([RECEIVABLE[c], -part]);
    }
    return { ...row, paid };
  });
  if (left > 0) return err(exceedsBalance(amount - left));
  post(r, e.effectiveDate, 'payment', e.id, moves);
  r.effects.set(e.id, { allocation: lines });
  return ok(undefined);
}

/** After a termination, payments go to what the termination left the lessee owing. */
function payTermination(r: LeaseReplay, e: StoredEvent): Result<void> {
  const t = r.termination!;
  const amount = Number(e.payload.amount);
  if (r.status === 'closed')
    return err(
      failure('conflict', 'invalid_state_transition', 'cannot take a payment on a lease that is closed', {
        extra: { event_type: e.type, loan_status: r.status },
      }),
    );
  if (amount > t.due - t.paid) return err(exceedsBalance(t.due - t.paid));
  t.paid += amount;
  post(r, e.effectiveDate, 'payment', e.id, [
    ['cash', amount],
    ['termination_receivable', -amount],
  ]);
  r.effects.set(e.id, { allocation: [{ component: 'termination', amount }] });
  return ok(undefined);
}
