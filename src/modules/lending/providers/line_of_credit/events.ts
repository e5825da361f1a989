import { addDays } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import { err, type Failure, failure, ok, type Result } from '../../../../kernel/result.js';
import {
  availableCredit,
  draw,
  type LineState,
  openLine,
  postFee,
  postPayment,
  requestClose,
  transitionLine,
} from '../../domain/revolving/index.js';
import type { StoredEvent } from '../../product.js';
import { paymentMoves } from './ledger.js';
import { isServiced, type LineLifecycle, type LineReplay, post } from './state.js';

/** Lifecycle steps before the line opens: event type → the statuses it may follow and the status it leads to. */
const APPLICATION: Record<string, [readonly LineLifecycle[], LineLifecycle]> = {
  approve: [['application'], 'approved'],
  reject: [['application'], 'rejected'],
  withdraw: [['application', 'approved'], 'withdrawn'],
};

const invalidTransition = (type: string, status: LineLifecycle): Failure =>
  failure('conflict', 'invalid_state_transition', `cannot ${type} a line of credit that is ${status}`, {
    extra: { event_type: type, loan_status: status },
  });

const amountOf = (e: StoredEvent): Minor => Number(e.payload.amount);

/** A card posting's draw or refund payment carries the card platform's reference (see card-funding/service.ts). */
const cardReference = (e: StoredEvent) =>
  e.payload.reference === undefined ? {} : { reference: e.payload.reference, source: e.payload.source };

/**
 * Applies one event to the replay. Draws, payments and fees go through the revolving engine (which checks the
 * status, the open cycle and the limit) and post their journal entries; freezes and closes move the engine's
 * status. `strictLimit` is true for the event being recorded: a draw over the available credit is refused then,
 * while a draw accepted earlier stays accepted when a later restatement (a returned payment) takes the line over
 * its limit, flagged `over_limit`. A card clearing (`source: card`) is never refused for the limit (see
 * card-funding/service.ts).
 */
export function applyEvent(r: LineReplay, e: StoredEvent, opts: { strictLimit: boolean }): Result<void> {
  const rule = APPLICATION[e.type];
  if (rule) {
    if (!rule[0].includes(r.status)) return err(invalidTransition(e.type, r.status));
    r.status = rule[1];
    return ok(undefined);
  }
  if (e.type === 'disburse') {
    if (r.status !== 'approved') return err(invalidTransition(e.type, r.status));
    if (e.effectiveDate !== r.terms.openDate)
      return err(
        failure('unprocessable', 'disbursement_date_mismatch', `the line opens on ${r.terms.openDate}`, {
          fields: [{ path: 'effective_date', message: `must be the open date ${r.terms.openDate}` }],
        }),
      );
    r.line = openLine(r.terms);
    r.status = 'active';
    r.accruedThrough = addDays(r.terms.openDate, -1);
    return ok(undefined);
  }
  const line = r.line;
  if (!line) return err(invalidTransition(e.type, r.status));
  const changed = change(r, line, e, opts);
  if (!changed.ok) return changed;
  r.line = changed.value;
  r.status = changed.value.status;
  return ok(undefined);
}

function change(r: LineReplay, line: LineState, e: StoredEvent, opts: { strictLimit: boolean }) {
  const tx = { amount: amountOf(e), date: e.effectiveDate };
  switch (e.type) {
    case 'draw': {
      const card = e.payload.source === 'card';
      const available = availableCredit(line);
      const drawn = draw(line, tx, { allowOverLimit: card || !opts.strictLimit });
      if (!drawn.ok) return drawn;
      post(r, tx.date, 'draw', e.id, [
        ['loans_receivable', tx.amount],
        ['cash', -tx.amount],
      ]);
      r.effects.set(e.id, {
        ...cardReference(e),
        over_limit: tx.amount > available,
        available_credit: availableCredit(drawn.value),
      });
      return drawn;
    }
    case 'payment':
      return line.status === 'charged_off' ? recover(r, line, e) : pay(r, line, e);
    case 'fee': {
      const charged = postFee(line, { ...tx, description: String(e.payload.description ?? 'fee') });
      if (charged.ok)
        post(r, tx.date, 'charge', e.id, [
          ['fees_receivable', tx.amount],
          ['fee_income', -tx.amount],
        ]);
      return charged;
    }
    case 'freeze':
      return transitionLine(line, 'frozen');
    case 'unfreeze':
      return line.status === 'frozen'
        ? transitionLine(line, 'active')
        : err(invalidTransition(e.type, line.status));
    case 'charge_off':
      return chargeOff(r, line, e);
    case 'close':
      return line.status === 'charged_off' ? transitionLine(line, 'closed') : requestClose(line);
    default:
      return err(invalidTransition(e.type, line.status));
  }
}

function pay(r: LineReplay, line: LineState, e: StoredEvent): Result<LineState> {
  const paid = postPayment(r.terms, line, { amount: amountOf(e), date: e.effectiveDate });
  if (!paid.ok) return paid;
  const posting = paid.value.postings.at(-1)!;
  const applied = posting.applied!;
  post(r, e.effectiveDate, 'payment', e.id, paymentMoves(posting.amount, applied));
  const last = paid.value.lastStatement;
  r.effects.set(e.id, {
    ...cardReference(e),
    allocation: { fees: applied.fees, interest: applied.interest, principal: applied.principal },
    ...(last && { paid_since_statement: last.paidSinceStatement }),
  });
  return paid;
}

/** Writes every receivable off (interest recognised but not billed included); the line stops accruing. */
function chargeOff(r: LineReplay, line: LineState, e: StoredEvent): Result<LineState> {
  if (!isServiced(r)) return err(invalidTransition(e.type, line.status));
  const moved = transitionLine(line, 'charged_off');
  if (!moved.ok) return moved;
  const interest = line.interest + r.accrued;
  r.writtenOff = line.principal + interest + line.fees;
  post(r, e.effectiveDate, 'charge_off', e.id, [
    ['charge_off_expense', r.writtenOff],
    ['loans_receivable', -line.principal],
    ['interest_receivable', -interest],
    ['fees_receivable', -line.fees],
  ]);
  r.effects.set(e.id, { written_off: r.writtenOff });
  r.accrued = 0;
  return moved;
}

/** Money collected after charge-off is a recovery, up to what was written off. */
function recover(r: LineReplay, line: LineState, e: StoredEvent): Result<LineState> {
  const amount = amountOf(e);
  const left = r.writtenOff - r.recovered;
  if (amount > left)
    return err(
      failure('unprocessable', 'payment_exceeds_balance', 'the payment is more than what was written off', {
        fields: [{ path: 'amount', message: `must not exceed ${left}` }],
        extra: { balance: left },
      }),
    );
  r.recovered += amount;
  post(r, e.effectiveDate, 'recovery', e.id, [
    ['cash', amount],
    ['recoveries', -amount],
  ]);
  r.effects.set(e.id, { recovery: amount });
  return ok(line);
}
