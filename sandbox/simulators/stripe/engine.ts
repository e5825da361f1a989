import type { SimTimers } from '../shared/timers.js';
import type { StripeCall } from './api.js';
import type { EventOrigin, StripeEvents } from './events.js';
import { chargeObject, paymentIntentObject } from './objects.js';
import {
  type ChargeRec,
  type PaymentErrorRec,
  type PaymentIntentRec,
  type StripeStore,
  stripeId,
} from './store.js';

/** What the resource handlers share: the records, the event stream, timers and the account's settings. */
export interface StripeSettings {
  /** Milliseconds from confirmation until a bank debit settles or fails; null: only when a test says so. */
  bankSettlementDelayMs: number | null;
  /** Currencies the account can charge cards in (bank debits are USD only). */
  currencies: string[];
}

export interface StripeEngine {
  store: StripeStore;
  events: StripeEvents;
  timers: SimTimers;
  settings: StripeSettings;
}

export const originOf = (call: StripeCall): EventOrigin => ({
  id: call.requestId,
  idempotency_key: call.idempotencyKey,
});

export function emitIntent(
  engine: StripeEngine,
  type: string,
  pi: PaymentIntentRec,
  origin: EventOrigin,
  previous?: Record<string, unknown>,
): void {
  engine.events.emit(type, paymentIntentObject(pi, engine.store), origin, previous);
}

export function emitCharge(
  engine: StripeEngine,
  type: string,
  charge: ChargeRec,
  origin: EventOrigin,
  previous?: Record<string, unknown>,
): void {
  engine.events.emit(type, chargeObject(charge, engine.store), origin, previous);
}

/** Money moves: the charge is captured for `amount` and the PaymentIntent has succeeded. */
export function recordCapture(pi: PaymentIntentRec, charge: ChargeRec, amount: number): void {
  charge.status = 'succeeded';
  charge.captured = true;
  charge.amountCaptured = amount;
  charge.balanceTransaction = stripeId('txn');
  pi.amountReceived = amount;
  pi.amountCapturable = 0;
  pi.status = 'succeeded';
  pi.captureCount += 1;
}

/** The attempt failed (a decline, or a bank debit returned): the customer must bring another payment method. */
export function recordFailure(
  engine: StripeEngine,
  pi: PaymentIntentRec,
  charge: ChargeRec,
  error: Omit<PaymentErrorRec, 'paymentMethod' | 'charge'>,
  origin: EventOrigin,
  previous: { charge?: Record<string, unknown>; intent?: Record<string, unknown> } = {},
): void {
  charge.status = 'failed';
  charge.failureCode = error.code;
  charge.failureMessage = error.message;
  pi.status = 'requires_payment_method';
  pi.lastPaymentError = { ...error, paymentMethod: charge.paymentMethod, charge: charge.id };
  emitCharge(engine, 'charge.failed', charge, origin, previous.charge);
  emitIntent(engine, 'payment_intent.payment_failed', pi, origin, previous.intent);
}
