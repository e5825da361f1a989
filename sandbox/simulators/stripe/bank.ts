import { createDispute } from './disputes.js';
import { emitCharge, emitIntent, recordCapture, recordFailure, type StripeEngine } from './engine.js';
import { NO_REQUEST } from './events.js';
import { refundObject } from './objects.js';
import { ACH_RETURN_FAILURE_CODES, type BankOutcome, FAILURE_MESSAGES } from './test-methods.js';

/**
 * ACH debits: a confirmed us_bank_account PaymentIntent stays `processing` (charge `pending`) until the bank
 * answers, then succeeds or fails with a return (`payment_intent.payment_failed`, charge `failed` with its
 * `failure_code`). The answer comes after the configured delay, or when a test settles it. Bank refunds are
 * `pending` until the next settlement.
 */
export type BankSettlement = 'succeed' | { returnCode: string };

function outcomeFor(override: BankSettlement | undefined, natural: BankOutcome): BankOutcome {
  if (override === 'succeed') return { kind: 'succeed' };
  if (override) {
    const failureCode = ACH_RETURN_FAILURE_CODES[override.returnCode];
    if (!failureCode) throw new Error(`unknown ACH return code ${override.returnCode}`);
    return { kind: 'fail', returnCode: override.returnCode, failureCode };
  }
  return natural;
}

/**
 * Settles one processing bank debit: with its test account's outcome, or as told. Returns false when it is
 * not a processing bank debit (or its account stays processing, like Stripe's `pm_usBankAccount_processing`).
 */
export function settleBankPayment(
  engine: StripeEngine,
  paymentIntentId: string,
  override?: BankSettlement,
): boolean {
  const { store } = engine;
  const pi = store.paymentIntents.get(paymentIntentId);
  if (!pi || pi.status !== 'processing') return false;
  const charge = store.charges.get(pi.latestCharge!)!;
  const pm = store.paymentMethods.get(charge.paymentMethod)!;
  const outcome = outcomeFor(override, pm.bank!.outcome);
  if (outcome.kind === 'processing') return false;

  if (outcome.kind === 'fail') {
    const message = FAILURE_MESSAGES[outcome.failureCode] ?? 'The bank returned the debit.';
    charge.returnCode = outcome.returnCode;
    recordFailure(
      engine,
      pi,
      charge,
      { type: 'card_error', code: outcome.failureCode, message },
      NO_REQUEST,
      {
        charge: { status: 'pending' },
        intent: { status: 'processing' },
      },
    );
    return true;
  }

  recordCapture(pi, charge, charge.amount);
  emitCharge(engine, 'charge.succeeded', charge, NO_REQUEST, { status: 'pending' });
  emitIntent(engine, 'payment_intent.succeeded', pi, NO_REQUEST, { status: 'processing' });
  if (outcome.kind === 'dispute') createDispute(engine, charge.id, 'debit_not_authorized');
  return true;
}

/** Pending bank refunds complete with the next settlement. */
export function settleBankRefunds(engine: StripeEngine): number {
  let n = 0;
  for (const r of engine.store.refunds.values()) {
    if (r.status !== 'pending') continue;
    r.status = 'succeeded';
    n++;
    engine.events.emit('refund.updated', refundObject(r), NO_REQUEST, { status: 'pending' });
  }
  return n;
}

/** Everything the bank would answer today: each processing debit with its natural outcome, and refunds. */
export function settleAllBank(engine: StripeEngine): { payments: number; refunds: number } {
  let payments = 0;
  for (const pi of [...engine.store.paymentIntents.values()])
    if (pi.status === 'processing' && settleBankPayment(engine, pi.id)) payments++;
  return { payments, refunds: settleBankRefunds(engine) };
}

export function scheduleBankSettlement(engine: StripeEngine, paymentIntentId: string): void {
  const delay = engine.settings.bankSettlementDelayMs;
  if (delay === null) return;
  engine.timers.after(delay, () => {
    settleBankPayment(engine, paymentIntentId);
  });
}

export function scheduleRefundSettlement(engine: StripeEngine): void {
  const delay = engine.settings.bankSettlementDelayMs;
  if (delay === null) return;
  engine.timers.after(delay, () => {
    settleBankRefunds(engine);
  });
}
