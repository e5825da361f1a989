import { createHash } from 'node:crypto';
import { child, type Json, many, text } from './envelope.js';
import type { AnetStore, Party, Payment, Txn } from './store.js';

/**
 * Authorize.Net's duplicate transaction check (reason 11): a transaction of the same type, amount, payment
 * account, invoice number, customer id and billing name/ZIP within the duplicate window of an earlier one
 * (approved, held or declined) is refused without being processed. The window is 120 seconds unless the
 * request's `transactionSettings` set `duplicateWindow` (0 to 28800). When the request sets it, the gateway
 * answers a duplicate with the original transaction's id, auth code and AVS/CVV results; otherwise with
 * transId 0. Voids are not checked; a second capture of one authorization is answered by reason 311.
 */
export const MAX_DUPLICATE_WINDOW = 28_800;

export function paymentFingerprint(p: Payment): string {
  const raw =
    p.kind === 'card' ? `card:${p.number}:${p.expiration}` : `bank:${p.routingNumber}:${p.accountNumber}`;
  return createHash('sha256').update(raw).digest('hex').slice(0, 24);
}

export function duplicateKey(parts: {
  type: string;
  amount: number;
  payment: Payment;
  invoiceNumber: string | null;
  customerId: string | null;
  billTo: Party | null;
}): string {
  const b = parts.billTo ?? {};
  return [
    parts.type,
    parts.amount,
    paymentFingerprint(parts.payment),
    parts.invoiceNumber ?? '',
    parts.customerId ?? '',
    b.firstName ?? '',
    b.lastName ?? '',
    b.zip ?? '',
  ].join('|');
}

/** The request's `duplicateWindow` setting, if it has one; a value out of range is ignored like an absent one. */
export function requestedWindow(transactionRequest: Json): number | undefined {
  const settings = many(child(transactionRequest, 'transactionSettings')?.setting);
  const s = settings.find((x) => text(x.settingName) === 'duplicateWindow');
  const v = s ? Number(text(s.settingValue)) : Number.NaN;
  return Number.isInteger(v) && v >= 0 && v <= MAX_DUPLICATE_WINDOW ? v : undefined;
}

export function findDuplicate(
  store: AnetStore,
  key: string,
  windowSeconds: number,
  now: Date,
): Txn | undefined {
  if (windowSeconds === 0) return undefined;
  let found: Txn | undefined;
  for (const t of store.transactions.values())
    if (t.duplicateKey === key && now.getTime() - t.submittedAt.getTime() < windowSeconds * 1000) found = t;
  return found;
}
