import { daysBetween } from '../../../../kernel/dates.js';
import type { CashFlowTransaction } from './types.js';

const TRANSFER_WORDS = /\b(TRANSFER|XFER|TFR)\b/i;

const looksLikeTransfer = (t: CashFlowTransaction) =>
  t.transactionType === 'transfer' || TRANSFER_WORDS.test(t.description);

/**
 * Money moved between two of the customer's own accounts is neither income nor spending. A pair is an amount
 * leaving one account and the same amount arriving in another within three days, both looking like transfers.
 * Returns the ids of the transactions in such pairs.
 */
export function internalTransfers(transactions: readonly CashFlowTransaction[], maxDays = 3): Set<string> {
  const paired = new Set<string>();
  const incoming = transactions
    .filter((t) => t.amount > 0 && looksLikeTransfer(t))
    .sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
  const outgoing = transactions
    .filter((t) => t.amount < 0 && looksLikeTransfer(t))
    .sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
  for (const out of outgoing) {
    const match = incoming.find(
      (i) =>
        !paired.has(i.id) &&
        i.accountId !== out.accountId &&
        i.amount === -out.amount &&
        Math.abs(daysBetween(out.date, i.date)) <= maxDays,
    );
    if (match) {
      paired.add(out.id);
      paired.add(match.id);
    }
  }
  return paired;
}
