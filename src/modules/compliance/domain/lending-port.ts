import type { CalendarDate } from '../../../kernel/dates.js';
import type { Minor } from '../../../kernel/money.js';
import type { Result } from '../../../kernel/result.js';

/**
 * What the rules need of lending's Appendix J arithmetic. Lending's `computeApr` (domain/apr.ts) has this shape;
 * the wiring passes it in, so the rules never re-implement the actuarial method and the compliance domain does
 * not reach into lending's internals.
 */
export interface AprFlowInput {
  amount: Minor;
  date: CalendarDate;
}

export interface AprComputation {
  /** Percent, rounded to two decimals as disclosed. */
  apr: string;
  /** Percent to 12 decimals: what tolerances are measured against. */
  aprExact: string;
  /** 1026.22(a)(2)-(3) tolerance in percentage points: "0.125" regular, "0.25" irregular. */
  tolerance: string;
  transactionKind: 'regular' | 'irregular';
}

export type AprCalculator = (input: {
  advances: readonly AprFlowInput[];
  payments: readonly AprFlowInput[];
  termStart?: CalendarDate;
}) => Result<AprComputation>;

/** A disclosed APR against the Appendix J APR of a stream, decided without solving for it (lending's checkDisclosedApr). */
export interface AprAccuracy {
  /** Within the tolerance of 1026.22(a)(2)-(3). */
  accurate: boolean;
  tolerance: string;
  transactionKind: 'regular' | 'irregular';
}

export type AprAccuracyCheck = (
  input: { advances: readonly AprFlowInput[]; payments: readonly AprFlowInput[]; termStart?: CalendarDate },
  /** The disclosed APR, percent ("9.69"). */
  disclosedApr: string,
) => Result<AprAccuracy>;
