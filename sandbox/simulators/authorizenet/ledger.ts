import type { AnetStore } from './store.js';

/**
 * What moved at the simulated gateway, in cents, per original transaction and in total. `captured` counts
 * captured or settled debits (not voided ones), `refunded` the refunds not voided, `returned` eCheck debits the
 * bank sent back. `net = captured - refunded - returned`. Refunds are rolled into the transaction they credit.
 */
export interface AnetLedgerEntry {
  transId: string;
  type: string;
  status: string;
  invoiceNumber: string | null;
  method: 'card' | 'bank';
  authorized: number;
  captured: number;
  captures: number;
  refunded: number;
  refunds: number;
  returned: number;
  returnCode: string | null;
  net: number;
}

export interface AnetLedger {
  entries: AnetLedgerEntry[];
  captured: number;
  refunded: number;
  returned: number;
  net: number;
}

const CAPTURED = ['capturedPendingSettlement', 'settledSuccessfully', 'returnedItem'];

export function anetLedger(store: AnetStore): AnetLedger {
  const all = [...store.transactions.values()];
  const entries = all
    .filter((t) => t.type !== 'refundTransaction')
    .map((t): AnetLedgerEntry => {
      const refunds = all.filter(
        (r) => r.type === 'refundTransaction' && r.refTransId === t.transId && r.status !== 'voided',
      );
      const captured = CAPTURED.includes(t.status) ? t.settleAmount : 0;
      const refunded = refunds.reduce((s, r) => s + r.settleAmount, 0);
      const returned = t.status === 'returnedItem' ? t.settleAmount - refunded : 0;
      return {
        transId: t.transId,
        type: t.type,
        status: t.status,
        invoiceNumber: t.invoiceNumber,
        method: t.payment.kind,
        authorized: t.responseCode === 1 || t.responseCode === 4 ? t.authAmount : 0,
        captured,
        captures: t.captures,
        refunded,
        refunds: refunds.length,
        returned,
        returnCode: t.returnedItems.at(-1)?.code ?? null,
        net: captured - refunded - returned,
      };
    });
  const sum = (f: (e: AnetLedgerEntry) => number) => entries.reduce((s, e) => s + f(e), 0);
  return {
    entries,
    captured: sum((e) => e.captured),
    refunded: sum((e) => e.refunded),
    returned: sum((e) => e.returned),
    net: sum((e) => e.net),
  };
}
