/**
 * Installment schedule benchmark: a 360-installment declining-balance schedule ($200,000 at 6%, monthly), today's
 * default method, and the same loan under every schedule option (options.ts and the loan's own settings: repayment
 * intervals, period_days, period rates and the adjustment pass, prorated first period, per-component multiples,
 * flat whole term, fixed principal percent, fixed installment, fixed length, rate changes, tranches, charges,
 * interest-free grace), each a row with its median, p95, CPU per call and ratio to the default measured in the same
 * process. Target: ≤ 1 ms median on one core, each; the exit code is 1 when a row is over.
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

/** Median and p95 wall time of one call, and CPU per call (user + system over the timed loop: steadier under load). */
function measure(fn: () => unknown, iterations: number): { median: number; p95: number; cpu: number } {
  for (let i = 0; i < Math.min(200, iterations); i++) fn();
  const times = new Float64Array(iterations);
  const cpu = process.cpuUsage();
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    fn();
    times[i] = performance.now() - start;
  }
  const used = process.cpuUsage(cpu);
  times.sort();
  return {
    median: times[Math.floor(iterations / 2)]!,
    p95: times[Math.floor(iterations * 0.95)]!,
    cpu: (used.user + used.system) / 1000 / iterations,
  };
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

// Every schedule option (options.ts and the loan's own settings) on the same loan, each a row beside today's
// default method, measured in this process: 360 installments, or the longest the option allows.
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
const daily = { interestCalculation: 'daily', dayCount: 'actual/365' } as const;
const progressive = { interestCalculation: 'period_days' } as const;
const variants: [string, LoanTerms][] = [
  ['daily interest, actual/actual', { ...terms, interestCalculation: 'daily', dayCount: 'actual/actual' }],
  [
    'repayment every 14 days',
    withOptions(
      { repaymentEvery: { unit: 'day', count: 14 } },
      { firstPaymentDate: parseDate('2024-01-15') },
    ),
  ],
  [
    'repayment every 2 weeks',
    withOptions(
      { repaymentEvery: { unit: 'week', count: 2 } },
      { firstPaymentDate: parseDate('2024-01-15') },
    ),
  ],
  [
    'repayment every 3 months',
    withOptions(
      { repaymentEvery: { unit: 'month', count: 3 } },
      { firstPaymentDate: parseDate('2024-04-01') },
    ),
  ],
  ['period_days, 30-day months / 365', withOptions({ daysInMonth: '30', daysInYear: '365' }, progressive)],
  [
    'period_days, actual months / actual year',
    withOptions({ daysInMonth: 'actual', daysInYear: 'actual' }, progressive),
  ],
  [
    'level payment from period rates + adjustment pass',
    withOptions(
      {
        daysInMonth: 'actual',
        daysInYear: '365',
        levelPayment: 'period_rates',
        levelPaymentAdjustment: true,
      },
      progressive,
    ),
  ],
  [
    'prorated first period (period_rates)',
    withOptions(
      { firstPeriodInterest: 'prorated', levelPayment: 'period_rates' },
      { disbursementDate: parseDate('2024-01-10') },
    ),
  ],
  [
    'installment multiple per component (flat, 100)',
    withOptions(
      { multipleRounding: 'components' },
      { interestMethod: 'flat', rounding: { mode: 'half_up', installmentMultiple: 100 } },
    ),
  ],
  ['flat interest, whole term', withOptions({ flatInterest: 'whole_term' }, { interestMethod: 'flat' })],
  [
    'fixed principal percent (0.2778 %)',
    withOptions({ principalPercent: '0.2778' }, { amortization: 'equal_principal' }),
  ],
  [
    'fixed installment ($1,200.00, the term follows)',
    withOptions({}, { fixedInstallment: { amount: 120_000, lastInstallmentThresholdPercent: '0' } }),
  ],
  [
    'fixed length: every 30 days, daily, ends day 10,790',
    withOptions(
      { repaymentEvery: { unit: 'day', count: 30 }, fixedLength: 10_790 },
      { ...daily, firstPaymentDate: parseDate('2024-01-31') },
    ),
  ],
  ['rate changes: 3 (one mid-period), per_period', withOptions({}, { rateChanges: rateChanges() })],
  [
    'rate changes: 3 (one mid-period), daily actual/365',
    withOptions({}, { ...daily, rateChanges: rateChanges() }),
  ],
  [
    'tranches: progressive, 4 (2 in one period)',
    withOptions(
      { daysInMonth: '30', daysInYear: '360', levelPayment: 'period_rates', levelPaymentAdjustment: true },
      {
        ...progressive,
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
  [
    'charges: 1 % at disbursement, 1.5 % of P+I, one at 12',
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
    'interest-free grace (12 periods)',
    { ...terms, grace: { principalPeriods: 0, interestPeriods: 0, interestFreePeriods: 12 } },
  ],
];

/** A reset after a year, one mid-period in year 5, one on a period start in year 10. */
function rateChanges(): LoanTerms['rateChanges'] {
  return [
    { effectiveDate: parseDate('2025-01-01'), annualInterestRate: '7.25' },
    { effectiveDate: parseDate('2028-06-17'), annualInterestRate: '5.5' },
    { effectiveDate: parseDate('2034-01-01'), annualInterestRate: '6.125' },
  ];
}

for (const [name, t] of variants) {
  const n = generateSchedule(t).rows.length;
  if (n < 300) throw new Error(`${name}: ${n} installments, not a long schedule`);
}
const engine = measure(() => generateSchedule(terms), iterations);
const baseline = measure(() => naiveDecimalSchedule(terms), iterations);
const optionTimes = variants.map(
  ([name, t]) =>
    [name, generateSchedule(t).rows.length, measure(() => generateSchedule(t), iterations)] as const,
);

const ms = (x: number) => `${x.toFixed(3)} ms`;
const row = (name: string, n: number, t: { median: number; p95: number; cpu: number }) =>
  `  ${name.padEnd(52)} ${String(n).padStart(4)}  median ${ms(t.median)}  p95 ${ms(t.p95)}  cpu ${ms(t.cpu)}` +
  `  ${(t.median / engine.median).toFixed(2)}× default${t.median > 1 ? '  OVER 1 ms' : ''}`;
console.log(`360-installment schedules ($200,000 at 6%, monthly unless named), ${iterations} runs each`);
console.log(`  ${'method'.padEnd(52)} rows  (target ≤ 1 ms median each; ratio: median / the default's)`);
console.log(row('default: declining balance, per_period', terms.termCount, engine));
for (const [name, n, t] of optionTimes) console.log(row(name, n, t));
console.log(row('baseline: naive all-Decimal', terms.termCount, baseline));
if (optionTimes.some(([, , t]) => t.median > 1) || engine.median > 1) process.exitCode = 1;
