import { Decimal } from 'decimal.js';
import type { Minor } from '../../../../kernel/money.js';

/**
 * Delinquency aging and portfolio at risk. Buckets follow lending's convention: upper bounds are each bucket's
 * last day past due (default 30, 60, 90, 120), giving `current`, `1-30`, `31-60`, `61-90`, `91-120`, `121+`, so
 * a report's buckets are the ones lending stores on each loan. Accumulators take positions one at a time, so
 * a report folds them over a stream of loans.
 */
export const DEFAULT_BUCKET_BOUNDS: readonly number[] = [30, 60, 90, 120];

export interface AgingBucket {
  label: string;
  /** First and last day past due in the bucket; `max` null for the open-ended last one. */
  min: number;
  max: number | null;
}

export function agingBuckets(upperBounds: readonly number[] = DEFAULT_BUCKET_BOUNDS): AgingBucket[] {
  const buckets: AgingBucket[] = [{ label: 'current', min: 0, max: 0 }];
  let lower = 1;
  for (const upper of upperBounds) {
    if (upper < lower) throw new RangeError('bucket bounds must increase');
    buckets.push({ label: `${lower}-${upper}`, min: lower, max: upper });
    lower = upper + 1;
  }
  buckets.push({ label: `${lower}+`, min: lower, max: null });
  return buckets;
}

export function bucketOf(daysPastDue: number, buckets: readonly AgingBucket[]): AgingBucket {
  const dpd = Math.max(0, daysPastDue);
  return buckets.find((b) => dpd >= b.min && (b.max === null || dpd <= b.max))!;
}

/** A loan as aging sees it: its days past due and its balances. */
export interface LoanPosition {
  daysPastDue: number;
  /** Outstanding principal. */
  principal: Minor;
  /** Principal, interest and fees due and unpaid. */
  pastDue: Minor;
  /** Everything owed: principal, accrued interest, fees. */
  balance: Minor;
}

export interface AgingRow {
  bucket: string;
  loans: number;
  principal: Minor;
  pastDue: Minor;
  balance: Minor;
  /** This bucket's share of all principal, a fraction to 6 decimals. */
  principalShare: string;
}

export const ratio = (part: number, whole: number): string =>
  whole === 0 ? '0.000000' : new Decimal(part).div(whole).toFixed(6, Decimal.ROUND_HALF_EVEN);

export class AgingAccumulator {
  readonly buckets: AgingBucket[];
  readonly #rows: Map<string, Omit<AgingRow, 'principalShare'>>;

  constructor(upperBounds: readonly number[] = DEFAULT_BUCKET_BOUNDS) {
    this.buckets = agingBuckets(upperBounds);
    this.#rows = new Map(
      this.buckets.map((b) => [b.label, { bucket: b.label, loans: 0, principal: 0, pastDue: 0, balance: 0 }]),
    );
  }

  add(p: LoanPosition): void {
    const row = this.#rows.get(bucketOf(p.daysPastDue, this.buckets).label)!;
    row.loans++;
    row.principal += p.principal;
    row.pastDue += p.pastDue;
    row.balance += p.balance;
  }

  /** Every bucket in order, empty ones included, so totals always reconcile with the loan tape. */
  rows(): AgingRow[] {
    const total = this.totals().principal;
    return [...this.#rows.values()].map((r) => ({ ...r, principalShare: ratio(r.principal, total) }));
  }

  totals(): { loans: number; principal: Minor; pastDue: Minor; balance: Minor } {
    const t = { loans: 0, principal: 0, pastDue: 0, balance: 0 };
    for (const r of this.#rows.values()) {
      t.loans += r.loans;
      t.principal += r.principal;
      t.pastDue += r.pastDue;
      t.balance += r.balance;
    }
    return t;
  }
}

export interface ParRow {
  /** PAR30: more than 30 days past due. */
  label: string;
  threshold: number;
  loans: number;
  principalAtRisk: Minor;
  totalPrincipal: Minor;
  /** Principal at risk / all outstanding principal, to 6 decimals. */
  ratio: string;
}

/**
 * Portfolio at risk (CGAP's definition): the outstanding principal of loans with a payment more than N days past
 * due, over all outstanding principal. The whole principal of such a loan is at risk, not only what is past due.
 */
export class ParAccumulator {
  readonly #thresholds: readonly number[];
  readonly #atRisk: number[];
  readonly #loans: number[];
  #total = 0;

  constructor(thresholds: readonly number[] = [30, 60, 90]) {
    this.#thresholds = thresholds;
    this.#atRisk = thresholds.map(() => 0);
    this.#loans = thresholds.map(() => 0);
  }

  add(p: Pick<LoanPosition, 'daysPastDue' | 'principal'>): void {
    this.#total += p.principal;
    this.#thresholds.forEach((t, i) => {
      if (p.daysPastDue > t) {
        this.#atRisk[i]! += p.principal;
        this.#loans[i]!++;
      }
    });
  }

  rows(): ParRow[] {
    return this.#thresholds.map((t, i) => ({
      label: `PAR${t}`,
      threshold: t,
      loans: this.#loans[i]!,
      principalAtRisk: this.#atRisk[i]!,
      totalPrincipal: this.#total,
      ratio: ratio(this.#atRisk[i]!, this.#total),
    }));
  }
}
