import type { SimTimers } from '../shared/timers.js';
import type { StripeCall } from './api.js';
import type { EventOrigin, StripeEvents } from './events.js';
import { chargeObject, paymentIntentObject } from './objects.js';
import type { ChargeRec, PaymentIntentRec, StripeStore } from './store.js';

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
