import type { CalendarDate } from '../../../kernel/dates.js';
import type { Db } from '../../../kernel/db.js';
import { uuidv7 } from '../../../kernel/ids.js';
import { fnv1a } from '../../../kernel/text.js';
import { planTransactions, type ReviewReason } from '../domain/dedup.js';
import { withDistinctIds } from '../domain/holdings.js';
import { type Coverage, pendingToResolve, resolvePending } from '../domain/pending.js';
import { figuresAsOf, holdingsValue } from '../domain/snapshots.js';
import type { SnapshotSource } from '../domain/sync-policy.js';
import type { ProviderAccountData, ProviderHoldingData, ProviderTransactionData } from '../domain/types.js';
import * as pq from './pending-store.js';
import * as q from './store.js';
import * as tq from './transactions-store.js';

/**
 * Writes normalized statements (from a sync or a file) into storage: the account (upserted by provider account id
 * within the connection), its transactions (deduplicated, pending ones reconciled), its holdings (replaced) and,
 * when the statement gives any balance figure, a balance snapshot tagged with the source.
 */

export interface StatementInput {
  account: ProviderAccountData;
  /** Null when this run did not fetch transactions. */
  transactions: readonly ProviderTransactionData[] | null;
  /** Null when this run did not fetch holdings. */
  holdings: readonly ProviderHoldingData[] | null;
  /** The dates the transactions cover (a sync window, a statement period); null when unknown. */
  coverage: Coverage | null;
}

export interface IngestTarget {
  tenantId: string;
  connectionId: string;
  customerId: string;
  source: SnapshotSource;
  now: Date;
  syncRunId?: string;
  importId?: string;
}

export interface IngestCounts {
  accountsImported: number;
  accountsUpdated: number;
  transactionsImported: number;
  transactionsUpdated: number;
  transactionsSkipped: number;
  transactionsFlagged: number;
  pendingSettled: number;
  pendingCancelled: number;
  transactionsReplaced: number;
  holdingsImported: number;
  balanceSnapshots: number;
}

export const emptyCounts = (): IngestCounts => ({
  accountsImported: 0,
  accountsUpdated: 0,
  transactionsImported: 0,
  transactionsUpdated: 0,
  transactionsSkipped: 0,
  transactionsFlagged: 0,
  pendingSettled: 0,
  pendingCancelled: 0,
  transactionsReplaced: 0,
  holdingsImported: 0,
  balanceSnapshots: 0,
});

export function addCounts(into: IngestCounts, more: IngestCounts): IngestCounts {
  for (const k of Object.keys(into) as (keyof IngestCounts)[]) into[k] += more[k];
  return into;
}

/** Pending rows remember the end of the newest data that reported them; others need not. */
const observed = (t: ProviderTransactionData, coverage: Coverage | null): CalendarDate | null =>
  t.status === 'pending' ? (coverage?.end ?? t.transactionDate) : null;

/**
 * Transactions per slice: a statement's transactions are classified, planned and written a slice at a time, so a
 * large file (360,000 transactions in 50 MB) never holds the event loop for long. Planning them all at once held
 * it for over a second, and card decisions answered past their deadline behind it.
 */
const SLICE = 20_000;

/** The transactions in slices of about SLICE, each provider id's in one slice and in source order (dedup is per id). */
function slices(incoming: readonly ProviderTransactionData[]): (readonly ProviderTransactionData[])[] {
  if (incoming.length <= SLICE) return [incoming];
  const out: ProviderTransactionData[][] = Array.from(
    { length: Math.ceil(incoming.length / SLICE) },
    () => [],
  );
  for (const t of incoming) out[fnv1a(t.providerTransactionId) % out.length]!.push(t);
  return out;
}

/** Writes an account's new transactions: in the caller's transaction (a sync) or staged (a file import). */
export type InsertTransactions = (accountId: string, writes: readonly tq.TransactionWrite[]) => Promise<void>;

/** What staging a statement's transactions leaves for its finish: changes to rows already stored. */
export interface StagedChanges {
  updates: { id: string; txn: ProviderTransactionData; observedThrough: CalendarDate | null }[];
  flags: { id: string; reason: ReviewReason }[];
}

/** One account's transactions being ingested: where they go, what they cover, and the counts they add to. */
export interface AccountIngest {
  /** Where deduplication reads the stored rows. */
  db: Db;
  tenantId: string;
  accountId: string;
  coverage: Coverage | null;
  counts: IngestCounts;
  /** The account was created just now: nothing is stored to deduplicate against. */
  fresh: boolean;
  insert: InsertTransactions;
}

async function stageSlice(
  a: AccountIngest,
  incoming: readonly ProviderTransactionData[],
  changes: StagedChanges,
): Promise<void> {
  const { db, tenantId, accountId, coverage, counts, fresh } = a;
  const { open, stored } = await tq.classifyTransactions(db, tenantId, accountId, incoming, fresh);
  const plan = planTransactions(
    open.map((i) => incoming[i]!),
    stored,
  );
  await a.insert(
    accountId,
    plan.inserts.map((i) => ({ ...i, observedThrough: observed(i.txn, coverage) })),
  );
  for (const u of plan.updates) changes.updates.push({ ...u, observedThrough: observed(u.txn, coverage) });
  changes.flags.push(...plan.flags);
  counts.transactionsImported += plan.inserts.length;
  counts.transactionsUpdated += plan.updates.length;
  counts.transactionsSkipped += incoming.length - open.length + plan.unchanged;
  counts.transactionsFlagged += plan.inserts.filter((i) => i.review !== null).length;
}

/**
 * Classifies, plans and inserts a statement's transactions slice by slice. Rows already stored are not touched
 * here: their updates and flags come back for the finish, which an import runs in its publishing transaction.
 */
export async function stageTransactions(
  a: AccountIngest,
  incoming: readonly ProviderTransactionData[],
): Promise<StagedChanges> {
  const changes: StagedChanges = { updates: [], flags: [] };
  for (const slice of slices(incoming)) await stageSlice(a, slice, changes);
  return changes;
}

/** Changes to stored rows, replaced and pending transactions: the part of a statement's transactions that edits. */
async function finishTransactions(
  db: Db,
  a: Pick<AccountIngest, 'tenantId' | 'accountId' | 'coverage' | 'counts'>,
  incoming: readonly ProviderTransactionData[],
  changes: StagedChanges,
): Promise<void> {
  const { tenantId, accountId, coverage, counts } = a;
  await tq.updateTransactions(db, tenantId, changes.updates);
  await tq.flagTransactions(db, tenantId, changes.flags);
  const reported = incoming.map((t) => t.providerTransactionId);
  const replaced = incoming.flatMap((t) => (t.pendingTransactionId ? [t.pendingTransactionId] : []));
  counts.transactionsReplaced += await pq.deleteReplaced(db, tenantId, accountId, replaced, reported);
  if (!coverage) return;
  const stillPending = incoming.filter((t) => t.status === 'pending').map((t) => t.providerTransactionId);
  await pq.touchPending(db, tenantId, accountId, stillPending, coverage.end);
  const toResolve = pendingToResolve(
    await pq.loadPending(db, tenantId, accountId),
    new Set(reported),
    coverage,
  );
  if (toResolve.length === 0) return;
  const from = toResolve.reduce((d, p) => (p.transactionDate < d ? p.transactionDate : d), coverage.end);
  const candidates = await pq.loadPostedCandidates(db, tenantId, accountId, from, coverage.end);
  const resolution = resolvePending(toResolve, candidates);
  await pq.applyPendingResolution(db, tenantId, resolution.posted, resolution.dropped);
  counts.pendingSettled += resolution.posted.length;
  counts.pendingCancelled += resolution.dropped.length;
}

/**
 * A statement in one transaction (`db` is the caller's): the account, its transactions, holdings and snapshot.
 * Syncs ingest this way; file imports stage the transactions first (imports/service.ts) and finish with
 * `finishStatement` when they publish.
 */
export async function ingestStatement(
  db: Db,
  target: IngestTarget,
  statement: StatementInput,
): Promise<IngestCounts> {
  const counts = emptyCounts();
  // The upsert locks the account's row until the transaction ends: two syncs of one account run one after the
  // other, and the second deduplicates against what the first stored.
  const account = await upsertStatementAccount(db, target, statement);
  if (account.inserted) counts.accountsImported++;
  else counts.accountsUpdated++;
  const changes = statement.transactions
    ? await stageTransactions(
        {
          db,
          tenantId: target.tenantId,
          accountId: account.id,
          coverage: statement.coverage,
          counts,
          fresh: account.inserted,
          insert: (accountId, writes) => tq.insertTransactions(db, target.tenantId, accountId, writes),
        },
        statement.transactions,
      )
    : { updates: [], flags: [] };
  await finishStatement(db, target, account.id, statement, changes, counts);
  return counts;
}

/** The account's row with the statement's figures (balances only move forward in time). */
export async function upsertStatementAccount(db: Db, target: IngestTarget, statement: StatementInput) {
  return q.upsertAccount(db, {
    tenantId: target.tenantId,
    connectionId: target.connectionId,
    customerId: target.customerId,
    account: statement.account,
    asOf: figuresAsOf(statement.account, holdingsOf(statement).value, target.now),
  });
}

const holdingsOf = (statement: StatementInput) => {
  const list = statement.holdings ? withDistinctIds(statement.holdings) : null;
  return { list, value: list ? holdingsValue(list) : null };
};

/** Everything after the new transactions: edits to stored rows, pending ones, holdings, the balance snapshot. */
export async function finishStatement(
  db: Db,
  target: IngestTarget,
  accountId: string,
  statement: StatementInput,
  changes: StagedChanges,
  counts: IngestCounts,
): Promise<void> {
  const { tenantId } = target;
  if (statement.transactions)
    await finishTransactions(
      db,
      { tenantId, accountId, coverage: statement.coverage, counts },
      statement.transactions,
      changes,
    );
  const holdings = holdingsOf(statement);
  if (holdings.list) {
    await q.replaceHoldings(db, tenantId, accountId, holdings.list);
    counts.holdingsImported += holdings.list.length;
  }
  // Null when the statement gives no figure: the account keeps its balance and no snapshot is written.
  const asOf = figuresAsOf(statement.account, holdings.value, target.now);
  if (asOf === null) return;
  const a = statement.account;
  await q.insertSnapshot(db, {
    tenantId,
    id: uuidv7(),
    accountId,
    source: target.source,
    balance: a.balance,
    availableBalance: a.availableBalance,
    cashBalance: a.cashBalance,
    holdingsValue: holdings.value,
    currency: a.currency,
    asOf,
    syncRunId: target.syncRunId ?? null,
    importId: target.importId ?? null,
  });
  counts.balanceSnapshots++;
}
