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
  const to = new Map<string, SnapshotPosition>();
  for (const p of after) to.set(p.loanId, p);
  const roll = new RollAccumulator(upperBounds);
  const seen = new Set<string>();
  for (const b of before) {
    if (b.status !== 'active') continue;
    seen.add(b.loanId);
    roll.add(b, to.get(b.loanId));
  }
  let newLoans = 0;
  for (const id of to.keys()) if (!seen.has(id)) newLoans++;
  return roll.matrix(newLoans);
}

/**
 * The roll matrix folded one loan at a time (a report streams a million of them): each loan active at the start,
 * with where it was at the end (undefined: `missing`).
 */
export class RollAccumulator {
  readonly #buckets: AgingBucket[];
  readonly #cells = new Map<string, { loans: number; balance: Minor }>();
  readonly #rows = new Map<string, { loans: number; balance: Minor }>();

  constructor(upperBounds: readonly number[] = DEFAULT_BUCKET_BOUNDS) {
    this.#buckets = agingBuckets(upperBounds);
  }

  get states(): string[] {
    return [...this.#buckets.map((b) => b.label), 'paid_off', 'charged_off', 'missing'];
  }

  #stateOf(p: SnapshotPosition): string {
    return p.status === 'active' ? bucketOf(p.daysPastDue, this.#buckets).label : p.status;
  }

  add(from: SnapshotPosition, to: SnapshotPosition | undefined): void {
    const start = this.#stateOf(from);
    const key = `${start}\u0000${to ? this.#stateOf(to) : 'missing'}`;
    for (const [map, k] of [
      [this.#cells, key],
      [this.#rows, start],
    ] as const) {
      const c = map.get(k) ?? { loans: 0, balance: 0 };
      c.loans++;
      c.balance += from.balance;
      map.set(k, c);
    }
  }

  /** Every starting bucket against every end state, empty cells included. */
  matrix(newLoans: number): RollMatrix {
    const states = this.states;
    const cells: RollCell[] = [];
    for (const b of this.#buckets) {
      const total = this.#rows.get(b.label) ?? { loans: 0, balance: 0 };
      for (const target of states) {
        const c = this.#cells.get(`${b.label}\u0000${target}`) ?? { loans: 0, balance: 0 };
        cells.push({
          from: b.label,
          to: target,
          ...c,
          countRate: ratio(c.loans, total.loans),
          balanceRate: ratio(c.balance, total.balance),
        });
      }
    }
    return { states, cells, newLoans };
  }
}
