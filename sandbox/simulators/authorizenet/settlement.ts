import { ACH_RETURNS } from './codes.js';
import type { AnetEngine } from './engine.js';
import type { Txn } from './store.js';

/**
 * What happens after the API call: batch settlement (cards daily, eChecks after the bank's delay), eCheck
 * returns (the transaction becomes `returnedItem` with its `returnedItems`; Authorize.Net has no webhook for
 * this, so a client learns it from getTransactionDetails), and the merchant's decision on transactions held
 * for fraud review.
 */
export type SettlementKind = 'card' | 'bank';

const localTime = (d: Date) =>
  d
    .toISOString()
    .replace('Z', '')
    .replace(/\.\d+$/, '');

export function settleBatch(engine: AnetEngine, kind: SettlementKind): string | null {
  const due = [...engine.store.transactions.values()].filter(
    (t) =>
      t.payment.kind === kind &&
      (t.status === 'capturedPendingSettlement' || t.status === 'refundPendingSettlement'),
  );
  if (due.length === 0) return null;
  const now = engine.now();
  const batchId = engine.store.nextId();
  engine.store.batches.push({
    batchId,
    settledAt: now,
    paymentMethod: kind === 'card' ? 'creditCard' : 'eCheck',
  });
  for (const t of due) {
    t.status = t.status === 'refundPendingSettlement' ? 'refundSettledSuccessfully' : 'settledSuccessfully';
    t.batchId = batchId;
    t.settledAt = now;
  }
  return batchId;
}

export function scheduleSettlement(engine: AnetEngine, kind: SettlementKind): void {
  const delay =
    kind === 'bank' ? engine.settings.echeckSettlementDelayMs : engine.settings.cardSettlementDelayMs;
  if (delay === null) return;
  engine.timers.after(delay, () => {
    settleBatch(engine, kind);
  });
}

function transaction(engine: AnetEngine, transId: string): Txn {
  const t = engine.store.transactions.get(transId);
  if (!t) throw new Error(`no transaction ${transId}`);
  return t;
}

/** The bank returns an eCheck debit, before or after settlement, with a NACHA code (R01, R02, R10, ...). */
export function returnECheck(engine: AnetEngine, transId: string, code: string): Txn {
  const t = transaction(engine, transId);
  const description = ACH_RETURNS[code];
  if (!description) throw new Error(`unknown ACH return code ${code}`);
  if (t.payment.kind !== 'bank' || t.type === 'refundTransaction')
    throw new Error(`${transId} is not an eCheck debit`);
  if (t.status !== 'capturedPendingSettlement' && t.status !== 'settledSuccessfully')
    throw new Error(`${transId} is ${t.status}; only a captured eCheck can be returned`);
  const now = engine.now();
  t.status = 'returnedItem';
  t.returnedItems.push({
    id: engine.store.nextId(),
    dateUTC: now.toISOString(),
    dateLocal: localTime(now),
    code,
    description,
  });
  return t;
}

/** The merchant approves or declines a transaction held by the fraud filters (fraud.approved / fraud.declined). */
export function reviewHeld(engine: AnetEngine, transId: string, decision: 'approve' | 'decline'): Txn {
  const t = transaction(engine, transId);
  if (t.status !== 'FDSPendingReview' && t.status !== 'FDSAuthorizedPendingReview')
    throw new Error(`${transId} is ${t.status}, not held for review`);
  if (decision === 'decline') {
    t.status = 'declined';
    t.reasonCode = 254;
    t.responseCode = 2;
    engine.webhooks.emit('net.authorize.payment.fraud.declined', t, t.authAmount);
    return t;
  }
  t.responseCode = 1;
  t.reasonCode = 1;
  if (t.type === 'authCaptureTransaction') {
    t.status = 'capturedPendingSettlement';
    t.settleAmount = t.authAmount;
    t.captures = 1;
    scheduleSettlement(engine, t.payment.kind);
  } else t.status = 'authorizedPendingCapture';
  engine.webhooks.emit('net.authorize.payment.fraud.approved', t, t.authAmount);
  return t;
}
