import type { ProviderTransactionData, TransactionStatus } from './types.js';

/**
 * Deduplication of incoming transactions against those stored for the same account, by provider transaction id
 * (an OFX FITID, a Schwab activity id). Ids are compared within one account only, never across accounts.
 *
 * Within an id, an incoming transaction is the stored one when amount and date agree; then only its status may
 * move on (pending → settled, failed or cancelled; settled → cancelled or failed). A pending row absorbs the
 * posted version under the same id even when amount or date changed (a tip, a hotel hold): that is an update,
 * never a second row. Otherwise the incoming one is kept beside the stored ones as a new variant, and every row
 * sharing the id is flagged for review: `fitid_conflict` when their amounts or dates differ, `fitid_repeated`
 * when they are identical (banks reuse FITIDs, and two identical coffees on one day are two coffees).
 *
 * Incoming rows identical to stored ones (same id, amount, date and status) never reach this function: the
 * store filters them out in SQL and passes the stored rows they matched as `claimed`.
 */

export type ReviewReason = 'fitid_conflict' | 'fitid_repeated';

export interface StoredTransaction {
  id: string;
  providerTransactionId: string;
  variant: number;
  amount: number;
  transactionDate: string;
  status: TransactionStatus;
  reviewReason: ReviewReason | null;
  /** Already matched by an identical incoming transaction of this batch. */
  claimed: boolean;
}

export interface TransactionPlan {
  inserts: { txn: ProviderTransactionData; variant: number; review: ReviewReason | null }[];
  /** Stored rows to overwrite with the incoming version (amount, date, status, descriptive fields). */
  updates: { id: string; txn: ProviderTransactionData }[];
  /** Stored rows whose review flag must be set (or its reason changed). */
  flags: { id: string; reason: ReviewReason }[];
  /** Incoming transactions that changed nothing. */
  unchanged: number;
}

/** Whether a stored row should take an incoming status for the same transaction. */
function statusMoves(stored: TransactionStatus, incoming: TransactionStatus): boolean {
  if (stored === incoming) return false;
  if (stored === 'pending') return true;
  // A settled transaction can still be reversed or corrected away; it never goes back to pending.
  return stored === 'settled' && (incoming === 'cancelled' || incoming === 'failed');
}

interface Slot {
  stored: StoredTransaction;
  taken: boolean;
}

function planGroup(
  incoming: ProviderTransactionData[],
  stored: StoredTransaction[],
  plan: TransactionPlan,
): void {
  const slots: Slot[] = stored.map((s) => ({ stored: s, taken: s.claimed }));
  let nextVariant = stored.reduce((max, s) => Math.max(max, s.variant + 1), 0);
  const inserted: TransactionPlan['inserts'] = [];
  const take = (match: (s: StoredTransaction) => boolean) => {
    const slot = slots.find((x) => !x.taken && match(x.stored));
    if (slot) slot.taken = true;
    return slot?.stored;
  };
  for (const t of incoming) {
    const same = take((s) => s.amount === t.amount && s.transactionDate === t.transactionDate);
    if (same) {
      if (statusMoves(same.status, t.status)) plan.updates.push({ id: same.id, txn: t });
      else plan.unchanged++;
      continue;
    }
    const target =
      take((s) => s.status === 'pending') ??
      (t.status === 'cancelled' || t.status === 'failed' ? take((s) => s.status === 'settled') : undefined);
    if (target) {
      plan.updates.push({ id: target.id, txn: t });
      continue;
    }
    inserted.push({ txn: t, variant: nextVariant++, review: null });
  }
  if (inserted.length === 0) return;
  const rows = [
    ...stored.map((s) => ({ amount: s.amount, date: s.transactionDate })),
    ...inserted.map((i) => ({ amount: i.txn.amount, date: i.txn.transactionDate })),
  ];
  if (rows.length > 1) {
    const first = rows[0]!;
    const reason: ReviewReason = rows.every((r) => r.amount === first.amount && r.date === first.date)
      ? 'fitid_repeated'
      : 'fitid_conflict';
    for (const i of inserted) i.review = reason;
    for (const s of stored) if (s.reviewReason !== reason) plan.flags.push({ id: s.id, reason });
  }
  plan.inserts.push(...inserted);
}

/**
 * Plans the writes for one account's incoming transactions (in source order) given the stored rows that share
 * their provider ids.
 */
export function planTransactions(
  incoming: readonly ProviderTransactionData[],
  stored: readonly StoredTransaction[],
): TransactionPlan {
  const plan: TransactionPlan = { inserts: [], updates: [], flags: [], unchanged: 0 };
  const groups = new Map<string, ProviderTransactionData[]>();
  for (const t of incoming) {
    const g = groups.get(t.providerTransactionId);
    if (g) g.push(t);
    else groups.set(t.providerTransactionId, [t]);
  }
  const storedBy = new Map<string, StoredTransaction[]>();
  for (const s of stored) {
    const g = storedBy.get(s.providerTransactionId);
    if (g) g.push(s);
    else storedBy.set(s.providerTransactionId, [s]);
  }
  for (const [id, group] of groups) planGroup(group, storedBy.get(id) ?? [], plan);
  return plan;
}
