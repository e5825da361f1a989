import { describe, expect, it } from 'vitest';
import { loanTerms } from '../../../../../test/support/lending/installment.js';
import { generateSchedule } from './schedule.js';

// Published Apache Fineract case: EmbeddableProgressiveLoanScheduleGeneratorTest.testGenerate
// (fineract-provider, org.apache.fineract.portfolio.loanaccount.loanschedule.domain): $100 disbursed 2024-01-01,
// 6 monthly repayments, 7% nominal, declining balance, days in month 30 / days in year 360. Fineract's
// expected rows: principal 16.43, 16.52, 16.62, 16.72, 16.81, 16.90; interest 0.58, 0.49, 0.39, 0.29, 0.20,
// 0.10; installments 17.01 and a last one of 17.00; total interest 2.05.

describe('Apache Fineract progressive schedule', () => {
  it('reproduces $100 at 7% over 6 months (30/360) to the cent', () => {
    const s = generateSchedule(
      loanTerms(
        { rounding: { mode: 'half_up', installment_multiple: 1 } },
        {
          principal: 10_000,
          annual_interest_rate: '7',
          term_count: 6,
          disbursement_date: '2024-01-01',
        },
      ),
    );
    expect(s.rows.map((r) => [r.dueDate, r.principal, r.interest, r.total, r.balance])).toEqual([
      ['2024-02-01', 1643, 58, 1701, 8357],
      ['2024-03-01', 1652, 49, 1701, 6705],
      ['2024-04-01', 1662, 39, 1701, 5043],
      ['2024-05-01', 1672, 29, 1701, 3371],
      ['2024-06-01', 1681, 20, 1701, 1690],
      ['2024-07-01', 1690, 10, 1700, 0],
    ]);
    expect(s.totals).toMatchObject({ interest: 205, total: 10_205 });
  });
});
