import type { StripeStore } from './store.js';

/**
 * What moved at the simulated Stripe, for assertions: per PaymentIntent and in total, in minor units.
 * `captured` counts card captures and settled bank debits; `refunded` counts refunds (pending ones too: the
 * money is committed); `disputed` counts disputes not won. `net = captured - refunded - disputed`.
 */
export interface StripeLedgerEntry {
  paymentIntent: string;
  status: string;
  currency: string;
  amount: number;
  metadata: Record<string, string>;
  captured: number;
  /** How many times this PaymentIntent was captured (or its debit settled); more than 1 is a double charge. */
  captures: number;
  refunded: number;
  refunds: number;
  disputed: number;
  /** The NACHA code of a returned bank debit. */
  returnCode: string | null;
  net: number;
}

export interface StripeLedger {
  entries: StripeLedgerEntry[];
  captured: number;
  refunded: number;
  disputed: number;
  net: number;
  /** Bank debits still processing. */
  pending: number;
}

export function stripeLedger(store: StripeStore): StripeLedger {
  const entries = [...store.paymentIntents.values()].map((pi): StripeLedgerEntry => {
    const charges = [...store.charges.values()].filter((c) => c.paymentIntent === pi.id);
    const refunds = [...store.refunds.values()].filter(
      (r) => r.paymentIntent === pi.id && r.status !== 'failed' && r.status !== 'canceled',
    );
    const disputes = [...store.disputes.values()].filter(
      (d) => d.paymentIntent === pi.id && d.status !== 'won',
    );
    const captured = charges.reduce((s, c) => s + (c.captured ? c.amountCaptured : 0), 0);
    const refunded = refunds.reduce((s, r) => s + r.amount, 0);
    const disputed = disputes.reduce((s, d) => s + d.amount, 0);
    return {
      paymentIntent: pi.id,
      status: pi.status,
      currency: pi.currency,
      amount: pi.amount,
      metadata: pi.metadata,
      captured,
      captures: pi.captureCount,
      refunded,
      refunds: refunds.length,
      disputed,
      returnCode: charges.find((c) => c.returnCode)?.returnCode ?? null,
      net: captured - refunded - disputed,
    };
  });
  const sum = (f: (e: StripeLedgerEntry) => number) => entries.reduce((s, e) => s + f(e), 0);
  return {
    entries,
    captured: sum((e) => e.captured),
    refunded: sum((e) => e.refunded),
    disputed: sum((e) => e.disputed),
    net: sum((e) => e.net),
    pending: sum((e) => (e.status === 'processing' ? e.amount : 0)),
  };
}
