import fc from 'fast-check';
import { type CalendarDate, fromEpochDay, parseDate, toEpochDay } from '../../../src/kernel/dates.js';
import { ROUNDING_MODES } from '../../../src/kernel/money.js';
import { unwrap } from '../../../src/kernel/result.js';
import { dueDateAt } from '../../../src/modules/lending/domain/installment/periods.js';
import {
  parseProgramTerms,
  resolveLoanTerms,
} from '../../../src/modules/lending/domain/installment/resolve.js';
import type { LoanTerms } from '../../../src/modules/lending/domain/installment/terms.js';

/** Test fixtures: a permissive program and a loan resolved under it. Imported by tests only. */

export const d = (s: string): CalendarDate => parseDate(s);

export function program(overrides: Record<string, unknown> = {}) {
  return unwrap(
    parseProgramTerms({
      currency: 'USD',
      annual_interest_rate: { min: '0', max: '99', default: '12' },
      term_count: { min: 1, max: 600, default: 12 },
      principal: { min: 1, max: 100_000_000_000 },
      ...overrides,
    }),
  );
}

export function loanTerms(
  programOverrides: Record<string, unknown> = {},
  request: Record<string, unknown> = {},
  grace?: LoanTerms['grace'],
): LoanTerms {
  const terms = unwrap(
    resolveLoanTerms(program(programOverrides), {
      principal: 1_200_000,
      disbursement_date: '2024-01-15',
      ...request,
    }),
  );
  return grace ? { ...terms, grace } : terms;
}

const DAY_COUNT_VALUES = ['30/360', 'actual/360', 'actual/365', 'actual/actual'] as const;
const FREQUENCIES = ['weekly', 'biweekly', 'semimonthly', 'monthly', 'quarterly'] as const;

/** Any valid loan under any combination of options, resolved the way production resolves it. */
export const loanTermsArb = (maxTerm = 120): fc.Arbitrary<LoanTerms> =>
  fc
    .record({
      rateBp: fc.oneof(
        fc.integer({ min: 0, max: 3600 }),
        fc.constant(0),
        fc.integer({ min: 1, max: 99_999 }),
      ),
      method: fc.constantFrom('declining_balance', 'flat'),
      amortization: fc.constantFrom('equal_installments', 'equal_principal'),
      calculation: fc.constantFrom('per_period', 'daily'),
      dayCount: fc.constantFrom(...DAY_COUNT_VALUES),
      frequency: fc.constantFrom(...FREQUENCIES),
      termCount: fc.integer({ min: 1, max: maxTerm }),
      principal: fc.oneof(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 10_000, max: 10_000_000_000 }),
      ),
      downShare: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.9, noNaN: true })),
      disbursementDay: fc.integer({ min: toEpochDay(d('2000-01-01')), max: toEpochDay(d('2060-12-31')) }),
      firstOffset: fc.option(fc.integer({ min: 1, max: 200 })),
      principalGrace: fc.nat(),
      interestGrace: fc.nat(),
      mode: fc.constantFrom(...ROUNDING_MODES),
      multiple: fc.constantFrom(1, 1, 1, 5, 100, 1000),
      future: fc.constantFrom('next_installment', 'last_installment', 'reamortize'),
      order: fc.shuffledSubarray(['penalties', 'fees', 'interest', 'principal'], {
        minLength: 4,
        maxLength: 4,
      }),
      payoffInterest: fc.constantFrom('till_payoff_date', 'till_period_end'),
    })
    .map((g) => {
      const disbursement = fromEpochDay(g.disbursementDay);
      const latest = toEpochDay(dueDateAt(g.frequency, disbursement, 2));
      const first =
        g.firstOffset === null
          ? undefined
          : fromEpochDay(g.disbursementDay + 1 + (g.firstOffset % (latest - g.disbursementDay)));
      const rate = (g.rateBp / 100).toFixed(g.rateBp % 7 === 0 ? 4 : 2);
      return loanTerms(
        {
          annual_interest_rate: { min: '0', max: '999.9999999999', default: '1' },
          term_count: { min: 1, max: 1200, default: 1 },
          interest_method: g.method,
          amortization: g.amortization,
          interest_calculation: g.calculation,
          day_count: g.dayCount,
          repayment_frequency: g.frequency,
          grace: { principal_periods: 0, interest_periods: 0 },
          rounding: { mode: g.mode, installment_multiple: g.multiple },
          future_installments:
            g.method === 'flat' && g.future === 'reamortize' ? 'next_installment' : g.future,
          allocation_order: g.order,
          payoff_interest: g.payoffInterest,
        },
        {
          principal: g.principal,
          down_payment: Math.floor(g.principal * g.downShare),
          annual_interest_rate: rate,
          term_count: g.termCount,
          disbursement_date: disbursement,
          first_payment_date: first,
        },
        // Grace is checked against the program's minimum term, so it is set on the resolved terms.
        {
          principalPeriods: g.principalGrace % g.termCount,
          interestPeriods: g.interestGrace % g.termCount,
        },
      );
    });
