import { uuidv7 } from '../../../kernel/ids.js';
import { failure } from '../../../kernel/result.js';
import type { LateFeeTerms } from '../domain/common-terms.js';
import { percentRatio } from '../domain/exact.js';
import type { LendingProduct, OpenedLoan } from '../product.js';
import type { NewLoanRow } from '../tables.js';
import type { LoanInput } from './service.js';

/** The late fee as close of business reads it: a percent carries its exact ratio. */
function lateFeeColumn(fee: LateFeeTerms | null): Record<string, unknown> | null {
  if (!fee) return null;
  if (fee.type === 'flat') return { ...fee };
  const r = percentRatio(fee.percent);
  return { ...fee, rateNum: r.num.toString(), rateDen: r.den.toString() };
}

/** The row of a loan application opened under a program: its terms snapshot and servicing parameters. */
export function newLoanRow(
  tenantId: string,
  programId: string,
  product: LendingProduct,
  input: LoanInput,
  o: OpenedLoan,
): NewLoanRow {
  const p = o.parameters;
  return {
    tenantId,
    id: uuidv7(),
    programId,
    product,
    customerId: input.customerId ?? null,
    externalRef: input.externalRef ?? null,
    currency: o.currency,
    status: 'application',
    amount: o.amount,
    terms: o.terms,
    disclosure: o.disclosure,
    originatorDisclosure: input.originatorDisclosure ?? null,
    startDate: o.startDate,
    maturityDate: o.maturityDate,
    installmentCount: o.installmentCount,
    rateNum: p.rate.num.toString(),
    rateDen: p.rate.den.toString(),
    dayCount: p.dayCount,
    interestCalculation: p.interestCalculation,
    roundingMode: p.roundingMode,
    flatInterestBasis: p.flatInterestBasis,
    periodFactors: p.periodFactors ?? null,
    lateFee: lateFeeColumn(p.lateFee),
    lateFeeGraceDays: p.lateFee?.graceDays ?? null,
    chargeOffAfterDays: p.chargeOffAfterDays,
    delinquencyBuckets: [...p.delinquencyBuckets],
  };
}

export const duplicateRef = (ref: string) =>
  failure('conflict', 'duplicate_external_ref', `a loan with external_ref "${ref}" already exists`, {
    fields: [{ path: 'external_ref', message: 'already used by another loan' }],
  });
