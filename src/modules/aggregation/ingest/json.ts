import type { IngestCounts } from './service.js';

/** What a sync run and a file import report of what they stored, in the wire format (snake_case). */
export const countsJson = (c: IngestCounts) => ({
  accounts_imported: c.accountsImported,
  accounts_updated: c.accountsUpdated,
  transactions_imported: c.transactionsImported,
  transactions_updated: c.transactionsUpdated,
  transactions_skipped: c.transactionsSkipped,
  transactions_flagged: c.transactionsFlagged,
  transactions_replaced: c.transactionsReplaced,
  pending_settled: c.pendingSettled,
  pending_cancelled: c.pendingCancelled,
  holdings_imported: c.holdingsImported,
  balance_snapshots: c.balanceSnapshots,
});
