import type { Minor } from '../../../../kernel/money.js';
import { type AgingBucket, agingBuckets, bucketOf, DEFAULT_BUCKET_BOUNDS, ratio } from './aging.js';

/**
 * Roll rates: how loans moved between delinquency buckets from one snapshot to another. Each loan active in
 * the first snapshot is counted once, from its bucket then to its state now: a bucket, `paid_off` or
 * `charged_off` (or `missing` when the second snapshot does not have it). Rates are shares of each row, by loan
 * count and by the balance the loans had in the first snapshot.
 */
export interface SnapshotPosition {
  loanId: string;
  status: 'active' | 'paid_off' | 'charged_off';
  daysPastDue: number;
  balance: Minor;
}

export interface RollCell {
  from: string;
  to: string;
  loans: number;
  balance: Minor;
  countRate: string;
  balanceRate: string;
}

export interface RollMatrix {
  states: string[];
  cells: RollCell[];
  /** Loans in the second snapshot only (new since the first). */
  newLoans: number;
}

export function rollRates(
  before: Iterable<SnapshotPosition>,
  after: Iterable<SnapshotPosition>,
  upperBounds: readonly number[] = DEFAULT_BUCKET_BOUNDS,
): RollMatrix {
  const buckets: AgingBucket[] = agingBuckets(upperBounds);
  const to = new Map<string, SnapshotPosition>();
  for (const p of after) to.set(p.loanId, p);
  const states = [...buckets.map((b) => b.label), 'paid_off', 'charged_off', 'missing'];
  const cell = new Map<string, { loans: number; balance: Minor }>();
  const rowTotals = new Map<string, { loans: number; balance: Minor }>();
  const stateOf = (p: SnapshotPosition) =>
    p.status === 'active' ? bucketOf(p.daysPastDue, buckets).label : p.status;
  const seen = new Set<string>();

  for (const b of before) {
    if (b.status !== 'active') continue;
    seen.add(b.loanId);
    const from = stateOf(b);
    const now = to.get(b.loanId);
    const target = now ? stateOf(now) : 'missing';
    const key = `${from}\u0000${target}`;
    const c = cell.get(key) ?? { loans: 0, balance: 0 };
    c.loans++;
    c.balance += b.balance;
    cell.set(key, c);
    const t = rowTotals.get(from) ?? { loans: 0, balance: 0 };
    t.loans++;
    t.balance += b.balance;
    rowTotals.set(from, t);
  }

  const cells: RollCell[] = [];
  for (const b of buckets) {
    const total = rowTotals.get(b.label) ?? { loans: 0, balance: 0 };
    for (const target of states) {
      const c = cell.get(`${b.label}\u0000${target}`) ?? { loans: 0, balance: 0 };
      cells.push({
        from: b.label,
        to: target,
        ...c,
        countRate: ratio(c.loans, total.loans),
        balanceRate: ratio(c.balance, total.balance),
      });
    }
  }
  let newLoans = 0;
  for (const id of to.keys()) if (!seen.has(id)) newLoans++;
  return { states, cells, newLoans };
}
