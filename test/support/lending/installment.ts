import fc from 'fast-check';
import { type CalendarDate, fromEpochDay, parseDate, toEpochDay } from '../../../src/kernel/dates.js';
import { ROUNDING_MODES } from '../../../src/kernel/money.js';
import { unwrap } from '../../../src/kernel/result.js';
import { fixedInstallmentTerm } from '../../../src/modules/lending/domain/installment/fixed-installment.js';
import {
  dueDateAt,
  fixedLengthEnd,
  intervalOf,
} from '../../../src/modules/lending/domain/installment/periods.js';
import { rateChangeIssues } from '../../../src/modules/lending/domain/installment/rate-changes.js';
import {
  parseProgramTerms,
  resolveLoanTerms,
} from '../../../src/modules/lending/domain/installment/resolve.js';
import { generateSchedule } from '../../../src/modules/lending/domain/installment/schedule.js';
import {
  installmentProgramTermsSchema,
  type LoanTerms,
} from '../../../src/modules/lending/domain/installment/terms.js';

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

const DAY_COUNT_VALUES = ['30/360', 'actual/360', 'actual/365', 'actual/actual', 'actual/364'] as const;
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
      calculation: fc.constantFrom('per_period', 'daily', 'period_days'),
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
      options: scheduleOptionsArb,
      interestFree: fc.nat(),
      charges: chargesArb,
      fixedLength: fc.option(fc.nat(), { freq: 3 }),
      fixedInstallment: fc.option(fc.constantFrom(0.5, 0.8, 1, 1.25, 2), { freq: 3 }),
      rateChanges: fc.array(
        fc.record({ at: fc.nat(), day: fc.nat(), rateBp: fc.integer({ min: 0, max: 3600 }) }),
        {
          maxLength: 2,
        },
      ),
    })
    .map((g) => {
      const disbursement = fromEpochDay(g.disbursementDay);
      const options = validOptions(g.options, g);
      const interval = intervalOf(
        g.frequency,
        options.repayment_every && {
          unit: ({ days: 'day', weeks: 'week', months: 'month' } as const)[options.repayment_every.unit],
          count: options.repayment_every.count,
        },
      );
      const latest = toEpochDay(dueDateAt(interval, disbursement, 2));
      const first =
        g.firstOffset === null
          ? undefined
          : fromEpochDay(g.disbursementDay + 1 + (g.firstOffset % (latest - g.disbursementDay)));
      const rate = (g.rateBp / 100).toFixed(g.rateBp % 7 === 0 ? 4 : 2);
      const resolved = loanTerms(
        {
          annual_interest_rate: { min: '0', max: '999.9999999999', default: '1' },
          term_count: { min: 1, max: 1200, default: 1 },
          interest_method: g.method,
          amortization: g.amortization,
          interest_calculation: options.calculation,
          day_count: g.dayCount,
          repayment_frequency: g.frequency,
          grace: { principal_periods: 0, interest_periods: 0 },
          rounding: { mode: g.mode, installment_multiple: g.multiple },
          future_installments:
            g.method === 'flat' && g.future === 'reamortize' ? 'next_installment' : g.future,
          allocation_order: g.order,
          payoff_interest: g.payoffInterest,
          ...options.program,
          charges: validCharges(g.charges, g.termCount, g.principal - Math.floor(g.principal * g.downShare)),
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
          interestFreePeriods: g.interestFree % g.termCount,
        },
      );
      const fixed = withFixedInstallment(withFixedLength(resolved, g.fixedLength), g.fixedInstallment);
      return withRateChanges(fixed, g.rateChanges);
    });

/**
 * Rate changes (rate-changes.ts) on resolved terms where they apply (not re-amortized prepayments, flat interest
 * for the whole term or a fixed installment): each on a day of a drawn installment's period, kept in
 * date order and within the loan as resolution requires.
 */
function withRateChanges(terms: LoanTerms, picks: { at: number; day: number; rateBp: number }[]): LoanTerms {
  if (
    picks.length === 0 ||
    terms.futureInstallments === 'reamortize' ||
    terms.options.flatInterest === 'whole_term' ||
    terms.fixedInstallment !== null ||
    terms.options.principalPercent !== null
  )
    return terms;
  const rows = generateSchedule(terms).rows;
  const changes = picks
    .map((p) => {
      const row = rows[p.at % rows.length]!;
      const days = toEpochDay(row.dueDate) - toEpochDay(row.periodStart);
      return {
        effectiveDate: fromEpochDay(toEpochDay(row.periodStart) + (p.day % days)),
        annualInterestRate: (p.rateBp / 100).toFixed(2),
      };
    })
    .sort((a, b) => (a.effectiveDate < b.effectiveDate ? -1 : 1));
  const last = rows.at(-1)!.dueDate;
  if (rateChangeIssues(changes, terms.disbursementDate, last).length > 0) return terms;
  return { ...terms, rateChanges: changes };
}

/**
 * A fixed installment (fixed-installment.ts) on resolved terms where one applies (declining balance, equal
 * installments, no re-amortization or fixed length): the regular level payment times `factor`, the term following
 * it as resolution sets it; the terms stay as they are when the amount is refused or the term it gives is shorter
 * than the grace periods or a charge's installment (the program's bounds would refuse it).
 */
function withFixedInstallment(terms: LoanTerms, factor: number | null): LoanTerms {
  if (
    factor === null ||
    terms.interestMethod !== 'declining_balance' ||
    terms.amortization !== 'equal_installments' ||
    terms.futureInstallments === 'reamortize' ||
    terms.options.fixedLength !== null
  )
    return terms;
  const rows = generateSchedule(terms).rows;
  const level = rows[Math.min(terms.grace.principalPeriods, rows.length - 1)]!;
  const multiple = terms.rounding.installmentMultiple;
  const amount = Math.max(
    multiple,
    Math.round(((level.principal + level.interest) * factor) / multiple) * multiple,
  );
  const fixed = {
    ...terms,
    fixedInstallment: { amount, lastInstallmentThresholdPercent: factor > 1 ? '50' : '0' },
  };
  const term = fixedInstallmentTerm(fixed, { min: 1, max: 1200 });
  if (!term.ok) return terms;
  const { principalPeriods, interestPeriods, interestFreePeriods } = terms.grace;
  const lastCharge = Math.max(0, ...terms.charges.map((c) => c.installment ?? 0));
  if (term.value <= Math.max(principalPeriods, interestPeriods, interestFreePeriods, lastCharge - 1))
    return terms;
  return { ...fixed, termCount: term.value };
}

/**
 * A fixed length (options.ts) on resolved terms where one applies (daily interest, not semimonthly): one of the
 * lengths that end the loan after its last installment but one and no later than its last regular due date.
 */
function withFixedLength(terms: LoanTerms, pick: number | null): LoanTerms {
  if (pick === null || terms.interestCalculation !== 'daily') return terms;
  const interval = intervalOf(terms.repaymentFrequency, terms.options.repaymentEvery);
  if (interval.unit === 'semimonth') return terms;
  const n = terms.termCount;
  const before = n === 1 ? terms.disbursementDate : dueDateAt(interval, terms.firstPaymentDate, n - 2);
  const regular = dueDateAt(interval, terms.firstPaymentDate, n - 1);
  const lengths: number[] = [];
  for (let l = 1; fixedLengthEnd(interval, terms.disbursementDate, l) <= regular; l++)
    if (fixedLengthEnd(interval, terms.disbursementDate, l) > before) lengths.push(l);
  if (lengths.length === 0) return terms;
  return { ...terms, options: { ...terms.options, fixedLength: lengths[pick % lengths.length]! } };
}

/** The schedule options (options.ts), drawn independently and then kept to the combinations they apply to. */
export const scheduleOptionsArb = fc.record({
  every: fc.option(
    fc.oneof(
      fc.record({ unit: fc.constant('days' as const), count: fc.integer({ min: 7, max: 31 }) }),
      fc.record({ unit: fc.constant('weeks' as const), count: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ unit: fc.constant('months' as const), count: fc.integer({ min: 1, max: 3 }) }),
    ),
    { freq: 3 },
  ),
  daysInMonth: fc.constantFrom('30', 'actual'),
  daysInYear: fc.constantFrom('360', '364', '365', 'actual'),
  periodRates: fc.boolean(),
  adjustment: fc.boolean(),
  prorated: fc.boolean(),
  components: fc.boolean(),
  wholeTerm: fc.boolean(),
  percent: fc.option(fc.constantFrom('5', '10', '12.5', '33.3333', '100')),
});

export function validOptions(
  o: typeof scheduleOptionsArb extends fc.Arbitrary<infer T> ? T : never,
  g: { calculation: string; method: string; amortization: string; frequency: string; future: string },
) {
  const every = o.every;
  const calculation =
    g.calculation === 'period_days' && every === null && g.frequency === 'semimonthly'
      ? 'per_period'
      : g.calculation;
  const periodDays = calculation === 'period_days';
  const declining = g.method === 'declining_balance';
  const periodRates = o.periodRates && declining && g.amortization === 'equal_installments';
  const percent =
    g.amortization === 'equal_principal' && !(g.future === 'reamortize' && declining) ? o.percent : null;
  return {
    calculation,
    repayment_every: every,
    program: {
      repayment_every: every,
      days_in_month: periodDays ? o.daysInMonth : null,
      days_in_year: periodDays ? o.daysInYear : null,
      level_payment: periodRates ? 'period_rates' : 'nominal_rate',
      level_payment_adjustment: periodRates && o.adjustment,
      first_period_interest: o.prorated && calculation !== 'daily' ? 'prorated' : 'day_count',
      installment_multiple_rounding: o.components && !declining ? 'components' : 'installment',
      flat_interest: o.wholeTerm && !declining ? 'whole_term' : 'per_period',
      principal_percent_per_installment: percent,
    },
  };
}

/** Charges in the schedule (charges.ts), drawn in every time and calculation. */
export const chargesArb = fc.array(
  fc.record({
    due: fc.constantFrom('disbursement', 'installment', 'specified_installment'),
    calculation: fc.constantFrom(
      'flat',
      'percent_of_amount',
      'percent_of_amount_and_interest',
      'percent_of_interest',
    ),
    amount: fc.integer({ min: 1, max: 5_000 }),
    percent: fc.constantFrom('0.5', '1', '1.5', '2.375'),
    installment: fc.nat(),
    financeCharge: fc.boolean(),
  }),
  { maxLength: 3 },
);

/** The drawn charges kept to what the program accepts and the loan can carry (fees at disbursement < the loan). */
export function validCharges(
  charges: typeof chargesArb extends fc.Arbitrary<infer T> ? T : never,
  termCount: number,
  amountFinanced: number,
) {
  return charges
    .map((c, i) => {
      const calculation =
        c.due === 'installment' || c.calculation === 'flat' || c.calculation === 'percent_of_amount'
          ? c.calculation
          : 'percent_of_amount';
      const flat = calculation === 'flat';
      return {
        name: `charge ${i + 1}`,
        due: c.due,
        calculation,
        installment: c.due === 'specified_installment' ? 1 + (c.installment % termCount) : null,
        amount: flat ? c.amount : null,
        percent: flat ? null : c.percent,
        finance_charge: c.financeCharge,
      };
    })
    .filter((c) => c.due !== 'disbursement' || amountFinanced > 20 * (c.amount ?? 0) + 100);
}

/** The paths of the issues the installment program schema finds in a small program with `terms` over it. */
export function programIssuePaths(terms: Record<string, unknown>): string[] {
  const parsed = installmentProgramTermsSchema.safeParse({
    currency: 'USD',
    annual_interest_rate: { min: '0', max: '36', default: '12' },
    term_count: { min: 1, max: 24, default: 12 },
    principal: { min: 1, max: 10 ** 9 },
    ...terms,
  });
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
}
