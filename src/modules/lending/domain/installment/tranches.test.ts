import { describe, expect, it } from 'vitest';
import { program, programIssuePaths } from '../../../../../test/support/lending/installment.js';
import { resolveLoanTerms } from './resolve.js';
import { generateSchedule } from './schedule.js';

/**
 * Multiple disbursements (tranches.ts) against the schedules Apache Fineract's tests assert:
 * ProgressiveEMICalculatorTest (fineract-progressive-loan)
 * testEMICalculation_multiDisbursedAmt200InDifferentPeriod_dayInYears360_daysInMonth30_repayEvery1Month,
 * ..._multiDisbursedAmt300InSamePeriod_... and ..._multi_disbursedAmt200_2ndOnDueDate_...: 9.4822% a year, 30-day
 * months over a 360-day year, monthly from 2024-01-01 over 6 months, progressive EMI with its adjustment pass.
 */

const progressive = {
  interest_calculation: 'period_days',
  days_in_month: '30',
  days_in_year: '360',
  level_payment: 'period_rates',
  level_payment_adjustment: true,
  multi_disbursement: { max_tranches: 5 },
};
const loan = { annual_interest_rate: '9.4822', term_count: 6, disbursement_date: '2024-01-01' };

const resolve = (p: Record<string, unknown>, request: Record<string, unknown>) => {
  const terms = resolveLoanTerms(program(p), request);
  if (!terms.ok) throw new Error(JSON.stringify(terms.error));
  return terms.value;
};
/** [interest, principal, total, balance] as Fineract's checkPeriod asserts them. */
const rows = (request: Record<string, unknown>) =>
  generateSchedule(resolve(progressive, { ...loan, ...request })).rows.map((r) => [
    r.interest,
    r.principal,
    r.total,
    r.balance,
  ]);

describe('tranches: Fineract ProgressiveEMICalculatorTest', () => {
  it('one tranche: the single-disbursement schedule (100 on 2024-01-01)', () => {
    expect(rows({ principal: 10_000, tranches: [{ date: '2024-01-01', amount: 10_000 }] })).toEqual([
      [79, 1634, 1713, 8366],
      [66, 1647, 1713, 6719],
      [53, 1660, 1713, 5059],
      [40, 1673, 1713, 3386],
      [27, 1686, 1713, 1700],
      [13, 1700, 1713, 0],
    ]);
  });

  it('a second tranche in a later period: its period blended by days, the rest re-amortized (100 on 02-15)', () => {
    expect(
      rows({
        principal: 20_000,
        tranches: [
          { date: '2024-01-01', amount: 10_000 },
          { date: '2024-02-15', amount: 10_000 },
        ],
      }),
    ).toEqual([
      [79, 1634, 1713, 8366],
      // 83.66 for 14 of February's 29 days (0.32) and 183.66 for 15 (0.75); EMI 37.53 after the adjustment pass.
      [107, 3646, 3753, 14_720],
      [116, 3637, 3753, 11_083],
      [88, 3665, 3753, 7418],
      [59, 3694, 3753, 3724],
      [29, 3724, 3753, 0],
    ]);
  });

  it('a second tranche in the first period (200 on 01-08)', () => {
    expect(
      rows({
        principal: 30_000,
        tranches: [
          { date: '2024-01-01', amount: 10_000 },
          { date: '2024-01-08', amount: 20_000 },
        ],
      }),
    ).toEqual([
      // 100 for 7 of January's 31 days (0.18) and 300 for 24 (1.84): each part rounded on its own.
      [202, 4931, 5133, 25_069],
      [198, 4935, 5133, 20_134],
      [159, 4974, 5133, 15_160],
      [120, 5013, 5133, 10_147],
      [80, 5053, 5133, 5094],
      [40, 5094, 5134, 0],
    ]);
  });

  it('a tranche on a due date re-amortizes from the period starting there (100 on 03-01)', () => {
    expect(
      rows({
        principal: 20_000,
        tranches: [
          { date: '2024-01-01', amount: 10_000 },
          { date: '2024-03-01', amount: 10_000 },
        ],
      }),
    ).toEqual([
      [79, 1634, 1713, 8366],
      [66, 1647, 1713, 6719],
      [132, 4131, 4263, 12_588],
      [99, 4164, 4263, 8424],
      [67, 4196, 4263, 4228],
      [33, 4228, 4261, 0],
    ]);
  });

  it('keeps today’s schedule without tranches, and principal sums to what is disbursed', () => {
    const single = generateSchedule(resolve(progressive, { ...loan, principal: 20_000 }));
    const one = generateSchedule(
      resolve(progressive, {
        ...loan,
        principal: 20_000,
        tranches: [{ date: '2024-01-01', amount: 20_000 }],
      }),
    );
    expect(one.rows).toEqual(single.rows);
    const planned = generateSchedule(
      resolve(progressive, {
        ...loan,
        principal: 50_000,
        tranches: [
          { date: '2024-01-01', amount: 10_000 },
          { date: '2024-02-15', amount: 15_000 },
        ],
      }),
    );
    expect(planned.totals.principal).toBe(25_000);
  });
});

describe('tranches: validation', () => {
  const refused = (p: Record<string, unknown>, request: Record<string, unknown>) => {
    const r = resolveLoanTerms(program(p), { ...loan, ...request });
    expect(r.ok).toBe(false);
    return r.ok ? [] : r.error.fields?.map((f) => f.path);
  };

  it('refuses tranches the program does not allow, and each bad tranche by its field', () => {
    expect(refused({}, { principal: 100, tranches: [{ date: '2024-01-01', amount: 100 }] })).toEqual([
      'tranches',
    ]);
    expect(
      refused(progressive, {
        principal: 100,
        tranches: [
          { date: '2024-01-02', amount: 50 },
          { date: '2024-01-02', amount: 50 },
        ],
      }),
    ).toEqual(['tranches.0.date', 'tranches.1.date']);
    expect(refused(progressive, { principal: 100, tranches: [{ date: '2024-01-01', amount: 101 }] })).toEqual(
      ['tranches'],
    );
    expect(
      refused(progressive, {
        principal: 200,
        tranches: [
          { date: '2024-01-01', amount: 100 },
          { date: '2024-07-01', amount: 100 },
        ],
      }),
    ).toEqual(['tranches.1.date']);
    expect(
      refused(
        { ...progressive, multi_disbursement: { max_tranches: 2, max_outstanding: 15_000 } },
        {
          principal: 20_000,
          tranches: [
            { date: '2024-01-01', amount: 10_000 },
            { date: '2024-02-15', amount: 10_000 },
          ],
        },
      ),
    ).toEqual(['tranches.1.amount']);
  });

  it('refuses program combinations it cannot follow, naming multi_disbursement', () => {
    const multi = { multi_disbursement: { max_tranches: 3 } };
    expect(programIssuePaths({ ...multi, interest_calculation: 'daily' })).toContain('multi_disbursement');
    expect(programIssuePaths({ ...multi, interest_method: 'flat' })).toContain('multi_disbursement');
    expect(programIssuePaths({ ...multi, rate_changes: true })).toContain('multi_disbursement');
    expect(programIssuePaths({ multi_disbursement: { max_tranches: 1 } })).toContain(
      'multi_disbursement.max_tranches',
    );
  });
});
