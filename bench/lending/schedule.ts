/**
 * Installment schedule benchmark: a 360-installment declining-balance schedule ($200,000 at 6%, monthly), and the
 * same loan under the schedule options (options.ts). Target: ≤ 1 ms median on one core, each.
 *
 * Baseline, measured in the same run: a naive all-Decimal schedule (kept below) — decimal.js for every amount,
 * interest = balance × rate / 12 rounded half-even per row, the same dates from the kernel. It produces the same
 * rows for this loan (checked before timing), so the ratio compares like with like.
 *
 *   npx tsx bench/lending/schedule.ts [iterations]
 */
import { Decimal } from 'decimal.js';
import { addMonths, type CalendarDate, dateParts, parseDate } from '../../src/kernel/dates.js';
import type { ScheduledCharge } from '../../src/modules/lending/domain/installment/charges.js';
import { defaultScheduleOptions } from '../../src/modules/lending/domain/installment/options.js';
import { generateSchedule, type ScheduleRow } from '../../src/modules/lending/domain/installment/schedule.js';
import type { LoanTerms } from '../../src/modules/lending/domain/installment/terms.js';

const terms: LoanTerms = {
  currency: 'USD',
  principal: 20_000_000,
  downPayment: 0,
  amountFinanced: 20_000_000,
  annualInterestRate: '6',
  interestMethod: 'declining_balance',
  amortization: 'equal_installments',
  interestCalculation: 'per_period',
  dayCount: '30/360',
  repaymentFrequency: 'monthly',
  termCount: 360,
  fixedInstallment: null,
  rateChanges: [],
  tranches: [],
  multiDisbursement: null,
  disbursementDate: parseDate('2024-01-01'),
  firstPaymentDate: parseDate('2024-02-01'),
  grace: { principalPeriods: 0, interestPeriods: 0, interestFreePeriods: 0 },
  options: defaultScheduleOptions('30/360'),
  charges: [],
  rounding: { mode: 'half_even', installmentMultiple: 1 },
  allocationOrder: ['penalties', 'fees', 'interest', 'principal'],
  futureInstallments: 'next_installment',
  lateFee: null,
  prepaymentPenalty: null,
  payoffInterest: 'till_payoff_date',
  delinquency: { buckets: [30, 60, 90, 120], chargeOffAfterDays: null },
};

/** The baseline: the textbook loop with a Decimal for every amount. */
function naiveDecimalSchedule(
  t: LoanTerms,
): Pick<ScheduleRow, 'dueDate' | 'principal' | 'interest' | 'balance'>[] {
  const D = Decimal.clone({ precision: 40 });
  const r = new D(t.annualInterestRate).div(100).div(12);
  const n = t.termCount;
  const payment = new D(t.amountFinanced)
    .times(r)
    .div(new D(1).minus(r.plus(1).pow(-n)))
    .toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN);
  const anchor = dateParts(t.firstPaymentDate).day;
  let balance = new D(t.amountFinanced);
  const rows = [];
  for (let k = 0; k < n; k++) {
    const interest = balance.times(r).toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN);
    const principal = k === n - 1 ? balance : payment.minus(interest);
    balance = balance.minus(principal);
    const dueDate: CalendarDate = addMonths(t.firstPaymentDate, k, anchor);
    rows.push({
      dueDate,
      principal: principal.toNumber(),
      interest: interest.toNumber(),
      balance: balance.toNumber(),
    });
  }
  return rows;
}

function measure(fn: () => unknown, iterations: number): { median: number; p95: number } {
  for (let i = 0; i < Math.min(200, iterations); i++) fn();
  const times = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    fn();
    times[i] = performance.now() - start;
  }
  times.sort();
  return { median: times[Math.floor(iterations / 2)]!, p95: times[Math.floor(iterations * 0.95)]! };
}

const iterations = Number(process.argv[2] ?? 2000);

const engineRows = generateSchedule(terms).rows;
const baselineRows = naiveDecimalSchedule(terms);
const same = engineRows.every((r, k) => {
  const b = baselineRows[k]!;
  return (
    r.dueDate === b.dueDate &&
    r.principal === b.principal &&
    r.interest === b.interest &&
    r.balance === b.balance
  );
});
if (!same || engineRows.length !== baselineRows.length) throw new Error('baseline and engine disagree');

const engine = measure(() => generateSchedule(terms), iterations);
const baseline = measure(() => naiveDecimalSchedule(terms), iterations);
const daily = measure(
  () => generateSchedule({ ...terms, interestCalculation: 'daily', dayCount: 'actual/actual' }),
  iterations,
);

// The schedule options (options.ts) on the same loan: Fineract's progressive schedule (365-day year, actual months,
// level payment from period rates and its adjustment pass), a first period prorated from a schedule start before
// disbursement, repayments every 14 days, flat interest for the whole term rounded per component, and charges in the
// schedule (charges.ts), and a loan in tranches (tranches.ts: a re-amortization at each).
const withOptions = (options: Partial<LoanTerms['options']>, more: Partial<LoanTerms> = {}): LoanTerms => ({
  ...terms,
  ...more,
  options: { ...terms.options, ...options },
});
function fee(
  name: string,
  due: ScheduledCharge['due'],
  calculation: ScheduledCharge['calculation'],
  v: { amount?: number; percent?: string; installment?: number },
): ScheduledCharge {
  const { amount = null, percent = null, installment = null } = v;
  return { name, due, calculation, amount, percent, installment, financeCharge: true };
}
const variants: [string, LoanTerms][] = [
  [
    'progressive (period_days 365/actual, period_rates, adjustment)',
    withOptions(
      {
        daysInMonth: 'actual',
        daysInYear: '365',
        levelPayment: 'period_rates',
        levelPaymentAdjustment: true,
      },
      { interestCalculation: 'period_days' },
    ),
  ],
  [
    'prorated first period, period_rates',
    withOptions(
      { firstPeriodInterest: 'prorated', levelPayment: 'period_rates' },
      { disbursementDate: parseDate('2024-01-10') },
    ),
  ],
  [
    'every 14 days (repayment_every)',
    withOptions(
      { repaymentEvery: { unit: 'day', count: 14 } },
      { firstPaymentDate: parseDate('2024-01-15') },
    ),
  ],
  [
    'flat, whole term, multiples per component',
    withOptions(
      { flatInterest: 'whole_term', multipleRounding: 'components' },
      { interestMethod: 'flat', rounding: { mode: 'half_up', installmentMultiple: 100 } },
    ),
  ],
  [
    'fixed length: every 30 days, daily interest, ends day 10,790',
    withOptions(
      { repaymentEvery: { unit: 'day', count: 30 }, fixedLength: 10_790 },
      { interestCalculation: 'daily', dayCount: 'actual/365', firstPaymentDate: parseDate('2024-01-31') },
    ),
  ],
  [
    'charges: disbursement 1%, installment fee 1.5% of P+I, one at 12',
    withOptions(
      {},
      {
        charges: [
          fee('origination', 'disbursement', 'percent_of_amount', { percent: '1' }),
          fee('service', 'installment', 'percent_of_amount_and_interest', { percent: '1.5' }),
          fee('review', 'specified_installment', 'flat', { amount: 5_000, installment: 12 }),
        ],
      },
    ),
  ],
  [
    'tranches: progressive, 4 tranches (2 in one period), each re-amortized',
    withOptions(
      { daysInMonth: '30', daysInYear: '360', levelPayment: 'period_rates', levelPaymentAdjustment: true },
      {
        interestCalculation: 'period_days',
        multiDisbursement: { maxTranches: 4, maxOutstanding: null },
        tranches: [
          { date: parseDate('2024-01-01'), amount: 5_000_000 },
          { date: parseDate('2024-03-15'), amount: 5_000_000 },
          { date: parseDate('2024-03-25'), amount: 5_000_000 },
          { date: parseDate('2025-06-10'), amount: 5_000_000 },
        ],
      },
    ),
  ],
];
const optionTimes = variants.map(
  ([name, t]) => [name, measure(() => generateSchedule(t), iterations)] as const,
);

const ms = (x: number) => `${x.toFixed(3)} ms`;
console.log(`360-installment declining-balance schedule, ${iterations} runs each`);
console.log(
  `  engine (per_period)            median ${ms(engine.median)}  p95 ${ms(engine.p95)}  (target ≤ 1 ms)`,
);
console.log(`  engine (daily, actual/actual)  median ${ms(daily.median)}  p95 ${ms(daily.p95)}`);
for (const [name, t] of optionTimes)
  console.log(`  option: ${name.padEnd(62)} median ${ms(t.median)}  p95 ${ms(t.p95)}`);
console.log(`  baseline: naive all-Decimal    median ${ms(baseline.median)}  p95 ${ms(baseline.p95)}`);
console.log(`  ratio baseline / engine (median): ${(baseline.median / engine.median).toFixed(1)}×`);
