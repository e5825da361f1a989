import { Decimal } from 'decimal.js';
import { ok, type Result } from '../../../../kernel/result.js';
import { percentRatio } from '../../domain/exact.js';
import { DEFAULT_DELINQUENCY_BUCKETS } from '../../domain/installment/index.js';
import { type LineProgramTerms, type LineTerms, resolveLineTerms } from '../../domain/revolving/index.js';
import type { LendingProgram, OpenedLoan } from '../../product.js';
import { disclosureJson, termsJson } from './json.js';

/** A line-of-credit program: opens lines within its bounds. A line has no schedule; its quote is its terms. */
export function lineProgram(program: LineProgramTerms): LendingProgram {
  return {
    product: 'line_of_credit',
    quote(request) {
      const resolved = resolveLineTerms(program, request);
      if (!resolved.ok) return resolved;
      const terms = resolved.value;
      return ok({
        product: 'line_of_credit',
        terms: termsJson(terms),
        schedule: [],
        disclosure: disclosureJson(terms),
      });
    },
    open(request): Result<OpenedLoan> {
      const resolved = resolveLineTerms(program, request);
      if (!resolved.ok) return resolved;
      const terms: LineTerms = resolved.value;
      return ok({
        terms: { ...terms },
        currency: terms.currency,
        amount: terms.creditLimit,
        startDate: terms.openDate,
        maturityDate: null,
        installmentCount: 0,
        disclosure: disclosureJson(terms),
        parameters: {
          rate: percentRatio(new Decimal(terms.annualRate).toFixed()),
          dayCount: terms.dayCount,
          interestCalculation: 'average_daily_balance',
          roundingMode: terms.rounding.mode,
          flatInterestBasis: null,
          lateFee: terms.lateFee,
          chargeOffAfterDays: null,
          delinquencyBuckets: DEFAULT_DELINQUENCY_BUCKETS,
        },
      });
    },
  };
}
