import { addDays, type CalendarDate, daysBetween } from '../../../kernel/dates.js';
import { merchantKey } from './payees.js';

/**
 * Pending transactions that a source stops reporting. When a bank posts a card authorization it usually does so
 * under a new id, with no link to the pending one. A pending transaction the newest data no longer shows is
 * matched to a posted one, or, failing that, taken as dropped (a hold released, an authorization voided).
 *
 * Only pending transactions dated inside the data's coverage are considered (a 30-day sync says nothing about
 * day 31), and not when the data is older than the newest data that still showed them (`observedThrough`: an old
 * file imported late). A posted transaction can stand for a pending one when it was first stored no earlier, and
 * is dated on the pending date or up to `windowDays` after:
 *
 * 1. the same amount; among several, the same merchant first, then the nearest date;
 * 2. otherwise the same merchant and sign with an amount within `tolerance` (tips, fuel and hotel holds).
 *
 * Each posted transaction stands for at most one pending one.
 */

export interface PendingRow {
  id: string;
  providerTransactionId: string;
  amount: number;
  transactionDate: CalendarDate;
  description: string;
  observedThrough: CalendarDate | null;
  createdAt: number;
}

export interface PostedCandidate {
  id: string;
  amount: number;
  transactionDate: CalendarDate;
  description: string;
  createdAt: number;
}

export interface Coverage {
  start: CalendarDate;
  end: CalendarDate;
}

export interface PendingResolution {
  /** The pending row is removed; the posted row records the pending one's provider id. */
  posted: { pendingId: string; pendingProviderId: string; postedId: string }[];
  /** No longer reported and nothing posted for it: cancelled. */
  dropped: string[];
}

export interface ResolveOptions {
  windowDays?: number;
  tolerance?: number;
}

export function pendingToResolve(
  pending: readonly PendingRow[],
  reportedIds: ReadonlySet<string>,
  coverage: Coverage,
): PendingRow[] {
  return pending.filter(
    (p) =>
      !reportedIds.has(p.providerTransactionId) &&
      p.transactionDate >= coverage.start &&
      p.transactionDate <= coverage.end &&
      (p.observedThrough === null || p.observedThrough <= coverage.end),
  );
}

export function resolvePending(
  pending: readonly PendingRow[],
  candidates: readonly PostedCandidate[],
  opts: ResolveOptions = {},
): PendingResolution {
  const windowDays = opts.windowDays ?? 10;
  const tolerance = opts.tolerance ?? 0.2;
  const used = new Set<string>();
  const matched = new Map<string, string>();
  const ordered = [...pending].sort(
    (a, b) => a.transactionDate.localeCompare(b.transactionDate) || a.id.localeCompare(b.id),
  );
  const inWindow = (p: PendingRow, c: PostedCandidate) =>
    !used.has(c.id) &&
    c.createdAt >= p.createdAt &&
    c.transactionDate >= p.transactionDate &&
    c.transactionDate <= addDays(p.transactionDate, windowDays);

  const pass = (accept: (p: PendingRow, c: PostedCandidate, merchant: string) => boolean) => {
    for (const p of ordered) {
      if (matched.has(p.id)) continue;
      const merchant = merchantKey(p.description);
      let best: { c: PostedCandidate; rank: number } | undefined;
      for (const c of candidates) {
        if (!inWindow(p, c) || !accept(p, c, merchant)) continue;
        // Same merchant first, then the nearest date, then the id (deterministic).
        const sameMerchant = merchant !== '' && merchantKey(c.description) === merchant ? 0 : 1;
        const rank = sameMerchant * 1000 + daysBetween(p.transactionDate, c.transactionDate);
        if (!best || rank < best.rank || (rank === best.rank && c.id < best.c.id)) best = { c, rank };
      }
      if (best) {
        used.add(best.c.id);
        matched.set(p.id, best.c.id);
      }
    }
  };
  pass((p, c) => c.amount === p.amount);
  pass(
    (p, c, merchant) =>
      merchant !== '' &&
      merchantKey(c.description) === merchant &&
      Math.sign(c.amount) === Math.sign(p.amount) &&
      Math.abs(c.amount - p.amount) <= Math.abs(p.amount) * tolerance,
  );
  return {
    posted: ordered
      .filter((p) => matched.has(p.id))
      .map((p) => ({
        pendingId: p.id,
        pendingProviderId: p.providerTransactionId,
        postedId: matched.get(p.id)!,
      })),
    dropped: ordered.filter((p) => !matched.has(p.id)).map((p) => p.id),
  };
}
