import {
  roundRatio,
  toMinor,
  YEAR_UNITS,
  yearFractionUnits,
} from '../../../src/modules/lending/domain/exact.js';
import type { LoanEvent } from '../../../src/modules/lending/domain/installment/events.js';
import { replay } from '../../../src/modules/lending/domain/installment/replay.js';
import type { LoanTerms } from '../../../src/modules/lending/domain/installment/terms.js';
import { d, loanTerms } from './installment.js';

/** Test fixtures for interest recalculation: 1,200.00 at 12 % a year, actual/365, 6 monthly installments from 2024-01-15. */
export const recalculatingTerms = (recalculation: Record<string, unknown>): LoanTerms =>
  loanTerms(
    { interest_calculation: 'daily', day_count: 'actual/365', interest_recalculation: recalculation },
    { term_count: 6 },
  );

export const opening: LoanEvent[] = [
  { id: 'approve', sequence: 1, effectiveDate: d('2024-01-14'), type: 'approve' },
  { id: 'disburse', sequence: 2, effectiveDate: d('2024-01-15'), type: 'disburse' },
];

export const payment = (id: string, sequence: number, date: string, amount: number): LoanEvent => ({
  id,
  sequence,
  effectiveDate: d(date),
  type: 'payment',
  amount,
});

/** The replayed state, or the replay's error thrown. */
export function replayed(terms: LoanTerms, events: LoanEvent[], asOf: string, closeOfBusiness = true) {
  const r = replay(terms, events, d(asOf), { closeOfBusiness });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** round(12 % × Σ balance × yf(part)) over the parts by actual/365, rounded once (recalculation.ts `earning`). */
export function earned(parts: [number, string, string][]): number {
  let units = 0n;
  for (const [balance, from, to] of parts)
    units += BigInt(balance) * yearFractionUnits('actual/365', d(from), d(to));
  return toMinor(roundRatio(units * 12n, 100n * YEAR_UNITS, 'half_even'));
}
