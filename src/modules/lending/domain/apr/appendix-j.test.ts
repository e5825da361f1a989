import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { apr, d, everyDays, everyMonths, series, single } from '../../../../../test/support/lending/apr.js';
import { addDays, addMonths } from '../../../../kernel/dates.js';
import { type AprInput, checkDisclosedApr, computeApr, isAprWithinTolerance } from './compute.js';

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
