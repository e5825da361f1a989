import { Decimal } from 'decimal.js';
import { ok, type Result } from '../../../../kernel/result.js';
import type { Ratio } from '../../domain/exact.js';
import { DEFAULT_DELINQUENCY_BUCKETS } from '../../domain/installment/index.js';
import {
  type LeaseProgramTerms,
  leaseSchedule,
  maturityDate,
  resolveLeaseTerms,
} from '../../domain/lease/index.js';
import type { LendingProgram, OpenedLoan } from '../../product.js';
import { disclosureJson, scheduleRowJson, termsJson, totalsJson } from './json.js';

/**
 * The lease rate as an exact fraction per year. A rate from a money factor (× 2400) may carry more decimals than
 * a percent on the wire, so this takes any decimal.
 */
function rateRatio(percent: string): Ratio {
  const [whole, decimals = ''] = new Decimal(percent).toFixed().split('.');
  return { num: BigInt(whole! + decimals), den: 100n * 10n ** BigInt(decimals.length) };
}

/** A closed-end lease program: quotes and originates leases within its terms. */
export function leaseProgram(program: LeaseProgramTerms): LendingProgram {
  return {
    product: 'lease',
    quote(request) {
      const resolved = resolveLeaseTerms(program, request);
      if (!resolved.ok) return resolved;
      const terms = resolved.value;
      const schedule = leaseSchedule(terms);
      return ok({
        product: 'lease',
        terms: termsJson(terms),
        base_payment: schedule.basePayment,
        schedule: schedule.rows.map(scheduleRowJson),
        totals: totalsJson(schedule),
        maturity_date: maturityDate(terms),
        disclosure: disclosureJson(terms, schedule),
      });
    },
    open(request): Result<OpenedLoan> {
      const resolved = resolveLeaseTerms(program, request);
      if (!resolved.ok) return resolved;
      const terms = resolved.value;
      const schedule = leaseSchedule(terms);
      return ok({
        terms: { ...terms },
        currency: terms.currency,
        amount: terms.adjustedCapitalizedCost,
        startDate: terms.startDate,
        maturityDate: maturityDate(terms),
        installmentCount: terms.termCount,
        disclosure: disclosureJson(terms, schedule),
        parameters: {
          rate: rateRatio(terms.annualRate),
          dayCount: null,
          interestCalculation: 'constant_yield',
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
