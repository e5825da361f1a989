import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, type CalendarDate, parseDate } from '../../../../kernel/dates.js';
import {
  type AprFlow,
  type AprInput,
  checkDisclosedApr,
  computeApr,
  financeChargeDisclosure,
  isAprWithinTolerance,
} from './compute.js';

const d = parseDate;

function series(
  amount: number,
  first: string,
  count: number,
  step: (first: CalendarDate, k: number) => CalendarDate,
): AprFlow[] {
  return Array.from({ length: count }, (_, k) => ({ amount, date: step(d(first), k) }));
}
const everyMonths = (months: number) => (first: CalendarDate, k: number) => addMonths(first, months * k);
const everyDays = (days: number) => (first: CalendarDate, k: number) => addDays(first, days * k);
const single = (amount: number, date: string): AprFlow[] => [{ amount, date: d(date) }];

function apr(input: AprInput) {
  const result = computeApr(input);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/**
 * The examples of 12 CFR 1026 Appendix J (c). The first four carry the dates the appendix gives (the reference
 * table). For the others the appendix publishes the amounts and the positions of the flows in unit-periods
 * (t full unit-periods plus a fraction f); the dates below are chosen to produce exactly those positions, which
 * the engine then measures from the calendar.
 */
const appendixJ: { name: string; input: AprInput; apr: string; unitPeriod: string }[] = [
  {
    name: '(c)(1)(i) monthly, regular first period',
    input: {
      advances: single(500000, '1978-01-10'),
      payments: series(23000, '1978-02-10', 24, everyMonths(1)),
    },
    apr: '9.69',
    unitPeriod: 'monthly',
  },
  {
    name: '(c)(1)(ii) monthly, long first period (t = 1, f = 19/30)',
    input: {
      advances: single(600000, '1978-02-10'),
      payments: series(20000, '1978-04-01', 36, everyMonths(1)),
    },
    apr: '11.82',
    unitPeriod: 'monthly',
  },
  {
    name: '(c)(1)(iii) semimonthly, short first period (t = 0, f = 6/15)',
    input: {
      advances: single(500000, '1978-03-03'),
      payments: series(21917, '1978-03-09', 24, (first, k) =>
        k % 2 === 0 ? addMonths(first, k / 2) : addDays(addMonths(first, (k - 1) / 2), 15),
      ),
    },
    apr: '10.34',
    unitPeriod: 'semimonthly',
  },
  {
    name: '(c)(1)(iv) quarterly, long first period',
    input: {
      advances: single(1000000, '1978-05-23'),
      payments: series(38500, '1978-10-01', 40, everyMonths(3)),
    },
    apr: '8.97',
    unitPeriod: 'quarterly',
  },
  {
    name: '(c)(1)(v) weekly, long first period (t = 4, f = 4/7)',
    input: { advances: single(50000, '1978-03-20'), payments: series(1760, '1978-04-21', 30, everyDays(7)) },
    apr: '14.96',
    unitPeriod: 'weekly',
  },
  {
    name: '(c)(2)(i) monthly, odd first payment',
    input: {
      advances: single(500000, '1978-01-10'),
      payments: [...single(25000, '1978-02-10'), ...series(23000, '1978-03-10', 23, everyMonths(1))],
    },
    apr: '10.08',
    unitPeriod: 'monthly',
  },
  {
    name: '(c)(2)(ii) every 4 weeks, long first period (t = 1, f = 5/28), odd first payment',
    input: {
      advances: single(40000, '1978-01-01'),
      payments: [...single(3950, '1978-02-03'), ...series(3831, '1978-03-03', 11, everyDays(28))],
    },
    apr: '28.50',
    unitPeriod: 'every_4_weeks',
  },
  {
    name: '(c)(3)(i) monthly, odd final payment',
    input: {
      advances: single(500000, '1978-01-10'),
      payments: [...series(23000, '1978-02-10', 23, everyMonths(1)), ...single(28000, '1980-01-10')],
    },
    apr: '10.50',
    unitPeriod: 'monthly',
  },
  {
    name: '(c)(3)(ii) biweekly, short first period (t = 0, f = 8/14), odd final payment',
    input: {
      advances: single(20000, '1978-01-01'),
      payments: [...series(950, '1978-01-09', 19, everyDays(14)), ...single(3000, '1978-10-02')],
    },
    apr: '12.22',
    unitPeriod: 'biweekly',
  },
  {
    name: '(c)(4)(i) monthly, odd first and final payments',
    input: {
      advances: single(500000, '1978-01-10'),
      payments: [
        ...single(25000, '1978-02-10'),
        ...series(23000, '1978-03-10', 22, everyMonths(1)),
        ...single(28000, '1980-01-10'),
      ],
    },
    apr: '10.90',
    unitPeriod: 'monthly',
  },
  {
    name: '(c)(4)(ii) every 2 months, short first period (t = 0, f = 52/60), odd first and final payments',
    input: {
      advances: single(800000, '1978-01-10'),
      payments: [
        ...single(44936, '1978-03-01'),
        ...series(46500, '1978-05-01', 18, everyMonths(2)),
        ...single(20000, '1981-05-01'),
      ],
    },
    apr: '7.30',
    unitPeriod: 'bimonthly',
  },
  {
    name: '(c)(5)(i) single advance, single payment, 255-day term',
    input: { advances: single(100000, '1978-01-03'), payments: single(108000, '1978-09-15') },
    apr: '11.45',
    unitPeriod: 'single_term',
  },
  {
    name: '(c)(5)(ii) single payment, 6-month term',
    input: { advances: single(100000, '1978-07-15'), payments: single(104400, '1979-01-15') },
    apr: '8.80',
    unitPeriod: 'single_term',
  },
  {
    name: '(c)(5)(iii) single payment, 18-month term (t = 1, f = 6/12)',
    input: { advances: single(100000, '1978-01-15'), payments: single(113519, '1979-07-15') },
    apr: '8.76',
    unitPeriod: 'annual',
  },
  {
    name: '(c)(5)(iv) single payment, 2-year term',
    input: { advances: single(100000, '1978-01-15'), payments: single(124000, '1980-01-15') },
    apr: '11.36',
    unitPeriod: 'annual',
  },
  {
    name: '(c)(6)(i) skipped payments every 4 weeks',
    input: {
      advances: single(213500, '1978-01-01'),
      payments: (
        [
          [26, 9],
          [292, 6],
          [474, 6],
          [656, 3],
        ] as const
      ).flatMap(([offset, count]) => series(10000, addDays(d('1978-01-01'), offset), count, everyDays(28))),
    },
    apr: '12.00',
    unitPeriod: 'every_4_weeks',
  },
  {
    name: '(c)(6)(ii) skipped and single payments, monthly',
    input: {
      advances: single(735000, '1978-01-03'),
      payments: [
        ...series(100000, '1978-07-15', 3, everyMonths(1)),
        ...single(200000, '1979-01-15'),
        ...series(75000, '1979-07-15', 3, everyMonths(1)),
        ...single(100000, '1979-12-01'),
      ],
    },
    apr: '10.22',
    unitPeriod: 'monthly',
  },
];

describe('computeApr: Regulation Z Appendix J examples', () => {
  for (const example of appendixJ) {
    it(example.name, () => {
      const result = apr(example.input);
      expect(result.apr).toBe(example.apr);
      expect(result.unitPeriod).toBe(example.unitPeriod);
    });
  }

  it('reports the full-precision rate and the unit-periods per year', () => {
    const c1i = apr(appendixJ[0]!.input);
    expect(c1i.aprExact).toMatch(/^9\.6857\d{8}$/);
    expect(c1i.unitPeriodsPerYear).toBe('12');
    // (c)(5)(i): 8% for a term of 255 days, 365/255 unit-periods a year.
    const c5i = apr(appendixJ[11]!.input);
    expect(c5i.unitPeriodRate).toBe('0.08');
    expect(c5i.unitPeriodsPerYear.slice(0, 12)).toBe((365 / 255).toString().slice(0, 12));
  });

  it('classifies regular and irregular transactions for the disclosure tolerance', () => {
    const c1i = apr(appendixJ[0]!.input);
    expect([c1i.transactionKind, c1i.tolerance]).toEqual(['regular', '0.125']);
    const skipped = apr(appendixJ[15]!.input);
    expect([skipped.transactionKind, skipped.tolerance]).toEqual(['irregular', '0.25']);
    const twoAdvances = apr({
      advances: [...single(250000, '1978-01-10'), ...single(250000, '1978-02-10')],
      payments: series(23000, '1978-03-10', 24, everyMonths(1)),
    });
    expect(twoAdvances.transactionKind).toBe('irregular');
    expect(isAprWithinTolerance('9.81', c1i)).toBe(true);
    expect(isAprWithinTolerance('9.82', c1i)).toBe(false);
  });
});

describe('checkDisclosedApr: the tolerance test without a solve', () => {
  // Every Appendix J example, regular or irregular, fractional periods included: a disclosed APR just inside either
  // end of the tolerance is accurate, just outside is not, and the answer is the solver's.
  for (const example of appendixJ) {
    it(example.name, () => {
      const exact = apr(example.input);
      const at = (offset: string) => {
        const disclosed = new Decimal(exact.aprExact).plus(offset).toString();
        const r = checkDisclosedApr(example.input, disclosed);
        if (!r.ok) throw new Error(r.error.message);
        expect(r.value.tolerance).toBe(exact.tolerance);
        expect(r.value.transactionKind).toBe(exact.transactionKind);
        return r.value.accurate;
      };
      const tol = new Decimal(exact.tolerance);
      const step = new Decimal('0.000001');
      expect(at('0')).toBe(true);
      expect(at(tol.minus(step).toString())).toBe(true);
      expect(at(tol.minus(step).neg().toString())).toBe(true);
      expect(at(tol.plus(step).toString())).toBe(false);
      expect(at(tol.plus(step).neg().toString())).toBe(false);
    });
  }

  it('rejects what computeApr rejects, with the same problem', () => {
    const bad = { advances: [], payments: single(100, '2024-01-01') };
    const r = checkDisclosedApr(bad, '5');
    expect(r.ok).toBe(false);
    expect(computeApr(bad)).toEqual(r);
  });
});

describe('computeApr: unit-period and time measurement', () => {
  it('measures a series on the last day of each month from month end to month end', () => {
    const payments = Array.from({ length: 12 }, (_, k) => ({
      amount: 10000,
      date: addMonths(d('2023-01-31'), k, 31),
    }));
    const result = apr({ advances: single(110000, '2022-12-31'), payments });
    expect(result.unitPeriod).toBe('monthly');
    expect(result.transactionKind).toBe('regular');
    // Same cash flows one month apart everywhere: identical to a series on the 10th.
    const on10th = apr({
      advances: single(110000, '2022-12-10'),
      payments: series(10000, '2023-01-10', 12, everyMonths(1)),
    });
    expect(result.aprExact).toBe(on10th.aprExact);
  });

  it('uses the last day of February for a series on the 30th', () => {
    const payments = Array.from({ length: 12 }, (_, k) => ({
      amount: 10000,
      date: addMonths(d('2023-01-30'), k, 30),
    }));
    expect(payments[1]!.date).toBe('2023-02-28');
    const result = apr({ advances: single(110000, '2022-12-30'), payments });
    const on10th = apr({
      advances: single(110000, '2022-12-10'),
      payments: series(10000, '2023-01-10', 12, everyMonths(1)),
    });
    expect(result.aprExact).toBe(on10th.aprExact);
  });

  it('recognises semimonthly payments on the 1st and 15th although their day counts vary', () => {
    const payments = Array.from({ length: 24 }, (_, k) => ({
      amount: 5000,
      date: k % 2 === 0 ? addMonths(d('2023-02-01'), k / 2) : addMonths(d('2023-02-15'), (k - 1) / 2),
    }));
    const result = apr({ advances: single(110000, '2023-01-15'), payments });
    expect(result.unitPeriod).toBe('semimonthly');
    expect(result.unitPeriodsPerYear).toBe('24');
  });

  it('takes the smaller of two equally common periods', () => {
    // Periods: 1 month (first period), 2 months, 2 months, 1 month.
    const dates = ['2023-02-01', '2023-04-01', '2023-06-01', '2023-07-01'];
    const result = apr({
      advances: single(100000, '2023-01-01'),
      payments: dates.map((date) => ({ amount: 26000, date: d(date) })),
    });
    expect(result.unitPeriod).toBe('monthly');
  });

  it('rounds the average period to a standard interval when no period repeats', () => {
    // Periods of 40 and 50 days average 45: nearest standard interval is 6 weeks (42 days).
    const result = apr({
      advances: single(100000, '2023-01-01'),
      payments: [...single(50000, '2023-02-10'), ...single(51000, '2023-04-01')],
    });
    expect(result.unitPeriod).toBe('every_6_weeks');
    expect(result.unitPeriodsPerYear).toBe('8.6666666666666666667');
  });

  it('places each of several advances at its own distance from the beginning of the term', () => {
    // $6,000 advanced now and $4,000 three months later, repaid by 24 monthly payments from month 4, priced at
    // 1% a month: A₁ + A₂/1.01³ = Σ P/1.01^t, so P = (6000 + 4000/1.01³) / Σ_{t=4}^{27} 1.01^-t.
    const i = 0.01;
    let annuity = 0;
    for (let t = 4; t <= 27; t++) annuity += (1 + i) ** -t;
    const payment = Math.round(((600000 + 400000 / (1 + i) ** 3) / annuity) * 1000); // in 1/1000 of a cent
    const result = apr({
      advances: [...single(600000000, '2023-01-20'), ...single(400000000, '2023-04-20')],
      payments: series(payment, '2023-05-20', 24, everyMonths(1)),
    });
    expect(result.unitPeriod).toBe('monthly');
    expect(result.transactionKind).toBe('irregular');
    expect(Number(result.aprExact)).toBeCloseTo(12, 6);
  });

  it('counts payments with no interest at all as a zero rate', () => {
    const result = apr({
      advances: single(120000, '2023-01-01'),
      payments: series(10000, '2023-02-01', 12, everyMonths(1)),
    });
    expect(result.apr).toBe('0.00');
  });

  it('reports a negative rate when payments fall short of the advances', () => {
    const result = apr({
      advances: single(120000, '2023-01-01'),
      payments: series(9000, '2023-02-01', 12, everyMonths(1)),
    });
    expect(Number(result.aprExact)).toBeLessThan(0);
  });
});

describe('computeApr: unit-periods with no payment', () => {
  it('reads a scheduled payment of zero as a unit-period in which nothing is paid (Appendix J (c)(6))', () => {
    // Two months of grace on principal and interest, then ten level payments with the deferred interest.
    const grace = [...single(0, '2024-02-15'), ...single(0, '2024-03-15')];
    const level = [...single(130000, '2024-04-15'), ...series(106000, '2024-05-15', 9, everyMonths(1))];
    const advances = single(1000000, '2024-01-15');
    const withZeros = apr({ advances, payments: [...grace, ...level] });
    const without = apr({ advances, payments: level });
    expect(withZeros).toEqual(without);
    expect(withZeros.unitPeriod).toBe('monthly');
  });

  it('is unchanged by a zero anywhere in the schedule, as Appendix J (c)(6)(ii) skips payments', () => {
    const advances = single(735000, '1978-01-10');
    const paid = [
      ...series(100000, '1978-07-22', 3, everyMonths(1)),
      ...single(200000, '1979-01-22'),
      ...series(75000, '1979-07-22', 3, everyMonths(1)),
      ...single(100000, '1979-11-30'),
    ];
    const skipped = series(0, '1978-10-22', 3, everyMonths(1));
    expect(apr({ advances, payments: [...paid, ...skipped] }).apr).toBe(
      apr({ advances, payments: paid }).apr,
    );
  });
});

describe('computeApr: invalid schedules', () => {
  it('finds no rate when no time passes and more is repaid than advanced', () => {
    const result = computeApr({
      advances: single(100000, '2023-01-01'),
      payments: single(100100, '2023-01-01'),
    });
    expect(!result.ok && result.error.code).toBe('apr_not_computable');
  });

  it('names the offending fields', () => {
    const result = computeApr({
      advances: single(100000, '2023-01-01'),
      payments: [...single(-1, '2023-02-01'), ...single(50000, '2022-12-01')],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('validation_failed');
    expect(result.error.fields?.map((f) => f.path)).toEqual(['payments.0.amount']);
    const nothingPaid = computeApr({
      advances: single(100000, '2023-01-01'),
      payments: single(0, '2023-02-01'),
    });
    expect(!nothingPaid.ok && nothingPaid.error.fields?.map((f) => f.path)).toEqual(['payments']);
    const early = computeApr({
      advances: single(100000, '2023-01-01'),
      payments: single(50000, '2022-12-01'),
    });
    expect(!early.ok && early.error.fields?.map((f) => f.path)).toEqual(['payments.0.date']);
    const empty = computeApr({ advances: [], payments: [] });
    expect(!empty.ok && empty.error.fields?.map((f) => f.path)).toEqual(['advances', 'payments']);
  });
});

describe('financeChargeDisclosure', () => {
  it('fills the Truth in Lending box from the schedule', () => {
    // (c)(1)(i) again, with a $50 prepaid finance charge on a $5,050 note.
    const result = financeChargeDisclosure({
      consummationDate: d('1978-01-10'),
      principal: 505000,
      prepaidFinanceCharge: 5000,
      payments: series(23000, '1978-02-10', 24, everyMonths(1)),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.amountFinanced).toBe(500000);
    expect(result.value.totalOfPayments).toBe(552000);
    expect(result.value.financeCharge).toBe(52000);
    expect(result.value.apr.apr).toBe('9.69');
  });

  it('rejects a prepaid finance charge as large as the principal', () => {
    const result = financeChargeDisclosure({
      consummationDate: d('2023-01-01'),
      principal: 100000,
      prepaidFinanceCharge: 100000,
      payments: single(110000, '2023-07-01'),
    });
    expect(!result.ok && result.error.fields?.[0]?.path).toBe('prepaid_finance_charge');
  });
});
