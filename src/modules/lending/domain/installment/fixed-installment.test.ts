import { describe, expect, it } from 'vitest';
import { program, programIssuePaths } from '../../../../../test/support/lending/installment.js';
import { resolveLoanTerms } from './resolve.js';
import { generateSchedule } from './schedule.js';

/**
 * A fixed installment amount (fixed-installment.ts) against the schedule Apache Fineract's integration test asserts:
 * LoanDisbursementDetailsIntegrationTest.createAndValidateMultiDisburseLoansBasedOnEmi (apache/fineract,
 * integration-tests): 10,000 in two tranches of 5,000 (2015-06-01 and 2015-09-01), 1% a month (interest per
 * repayment period), declining balance, equal installments, fixedEmiAmount 800, a multi-disbursement product (its
 * principalThresholdForLastInstallment defaults to 50). Fineract asserts 13 installments for the 12 repayments asked:
 * the term follows the amount.
 *
 * A declining-balance schedule from a date on depends only on the balance then, so a single loan of each balance
 * Fineract's schedule passes through reproduces its rows from there: 5,000 from 2015-06-01 (installments 1 and 2,
 * before the second tranche) and 7,727.42 from 2015-09-01 (the balance after the tranche: installments 4 to 13).
 */

const fixedProgram = (threshold = '50') =>
  program({
    annual_interest_rate: { min: '0', max: '36', default: '12' },
    term_count: { min: 1, max: 24, default: 12 },
    fixed_installment: { min: 100, max: 1_000_000, last_installment_threshold_percent: threshold },
  });

const rows = (principal: number, date: string, threshold = '50', amount = 80_000) => {
  const terms = resolveLoanTerms(fixedProgram(threshold), {
    principal,
    annual_interest_rate: '12',
    fixed_installment: amount,
    disbursement_date: date,
  });
  if (!terms.ok) throw new Error(JSON.stringify(terms.error));
  return generateSchedule(terms.value).rows.map((r) => [
    r.dueDate,
    r.principal,
    r.interest,
    r.total,
    r.balance,
  ]);
};

describe('fixed installment: Fineract LoanDisbursementDetailsIntegrationTest (fixedEmiAmount 800)', () => {
  it('reproduces the installments before the second tranche', () => {
    expect(rows(500_000, '2015-06-01').slice(0, 2)).toEqual([
      ['2015-07-01', 75_000, 5000, 80_000, 425_000],
      ['2015-08-01', 75_750, 4250, 80_000, 349_250],
    ]);
  });

  it('reproduces the installments after it, the last taking the remainder below the 50% threshold', () => {
    expect(rows(772_742, '2015-09-01')).toEqual([
      ['2015-10-01', 72_273, 7727, 80_000, 700_469],
      ['2015-11-01', 72_995, 7005, 80_000, 627_474],
      ['2015-12-01', 73_725, 6275, 80_000, 553_749],
      ['2016-01-01', 74_463, 5537, 80_000, 479_286],
      ['2016-02-01', 75_207, 4793, 80_000, 404_079],
      ['2016-03-01', 75_959, 4041, 80_000, 328_120],
      ['2016-04-01', 76_719, 3281, 80_000, 251_401],
      ['2016-05-01', 77_486, 2514, 80_000, 173_915],
      ['2016-06-01', 78_261, 1739, 80_000, 95_654],
      // 800 − 9.57 would leave 166.11, less than 50% of 790.43: it is repaid now (Fineract: 966.11).
      ['2016-07-01', 95_654, 957, 96_611, 0],
    ]);
  });

  it('leaves the remainder to one more installment with a single-disbursement threshold (0, Fineract’s default)', () => {
    const tail = rows(772_742, '2015-09-01', '0').slice(-2);
    expect(tail).toEqual([
      ['2016-07-01', 79_043, 957, 80_000, 16_611],
      ['2016-08-01', 16_611, 166, 16_777, 0],
    ]);
  });
});

describe('fixed installment: the term follows, the refusals name the field', () => {
  const resolve = (request: Record<string, unknown>, p = fixedProgram()) =>
    resolveLoanTerms(p, { principal: 500_000, disbursement_date: '2024-01-15', ...request });
  const fields = (r: ReturnType<typeof resolve>) => (r.ok ? [] : r.error.fields?.map((f) => f.path));

  it('sets term_count to the installments the amount gives, within the program’s bounds', () => {
    // 5,000 at 1% a month, 1,000 an installment: the fifth would leave 154.04, under half of its principal 988.57,
    // so the fifth repays it (1,154.04); without the threshold a sixth installment of 155.58 does.
    const r = resolve({ fixed_installment: 100_000 });
    expect(r.ok && r.value.termCount).toBe(5);
    const single = resolve({ fixed_installment: 100_000 }, fixedProgram('0'));
    expect(single.ok && single.value.termCount).toBe(6);
    expect(r.ok && r.value.fixedInstallment).toEqual({
      amount: 100_000,
      lastInstallmentThresholdPercent: '50',
    });
  });

  it('refuses an amount no larger than a period’s interest, as Fineract does', () => {
    // 5,000 at 12%: 50.00 a month of interest.
    const r = resolve({ fixed_installment: 5000 });
    expect(fields(r)).toEqual(['fixed_installment']);
    expect(r.ok || r.error.fields?.[0]?.message).toMatch(/more than the interest of installment 1/);
  });

  it('refuses an amount that needs more installments than term_count.max, or fewer than term_count.min', () => {
    expect(fields(resolve({ fixed_installment: 10_000 }))).toEqual(['fixed_installment']);
    const atLeastSix = program({
      term_count: { min: 6, max: 24, default: 12 },
      fixed_installment: { min: 100, max: 1_000_000 },
    });
    expect(fields(resolve({ fixed_installment: 500_000 }, atLeastSix))).toEqual(['fixed_installment']);
  });

  it('refuses a term_count beside it, an amount outside the bounds, and a program without the option', () => {
    expect(fields(resolve({ fixed_installment: 100_000, term_count: 6 }))).toEqual(['term_count']);
    expect(fields(resolve({ fixed_installment: 50 }))).toEqual(['fixed_installment']);
    expect(fields(resolve({ fixed_installment: 100_000 }, program()))).toEqual(['fixed_installment']);
    const whole = program({
      rounding: { installment_multiple: 100 },
      fixed_installment: { min: 1, max: 10 ** 9 },
    });
    expect(fields(resolve({ fixed_installment: 100_050 }, whole))).toEqual(['fixed_installment']);
  });

  it('keeps today’s schedule when the loan fixes no amount', () => {
    const r = resolve({ term_count: 6 });
    expect(r.ok && r.value.fixedInstallment).toBeNull();
    const plain = resolveLoanTerms(program(), {
      principal: 500_000,
      disbursement_date: '2024-01-15',
      term_count: 6,
    });
    expect(r.ok && plain.ok && generateSchedule(r.value).rows).toEqual(
      plain.ok && generateSchedule(plain.value).rows,
    );
  });

  it('is refused by the program schema where it does not apply', () => {
    const paths = (terms: Record<string, unknown>) =>
      programIssuePaths({ fixed_installment: { min: 100, max: 1000 }, ...terms });
    expect(paths({})).toEqual([]);
    expect(paths({ amortization: 'equal_principal' })).toEqual(['fixed_installment']);
    expect(paths({ interest_method: 'flat' })).toEqual(['fixed_installment']);
    expect(paths({ future_installments: 'reamortize' })).toEqual(['fixed_installment']);
    expect(paths({ fixed_installment: { min: 1000, max: 100 } })).toEqual(['fixed_installment.max']);
    expect(
      paths({ fixed_installment: { min: 1, max: 2, last_installment_threshold_percent: '101' } }),
    ).toEqual(['fixed_installment.last_installment_threshold_percent']);
  });
});
