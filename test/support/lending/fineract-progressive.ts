/**
 * Fineract's progressive loan with interest recalculation as its own tests configure it (ProgressiveEMICalculatorTest
 * and the e2e products LP2_ADV_PYMNT_INTEREST_DAILY_EMI_360_30_INTEREST_RECALCULATION_*): days in month 30 over a
 * 360-day year, the level payment from period rates with the adjustment pass, HALF_EVEN, daily rest, no
 * compounding. As program-terms overrides (wire names).
 */
export const fineractProgressive360 = {
  interest_calculation: 'period_days',
  days_in_month: '30',
  days_in_year: '360',
  level_payment: 'period_rates',
  level_payment_adjustment: true,
  rounding: { mode: 'half_even', installment_multiple: 1 },
  interest_recalculation: { rest: 'daily', compounding: 'none' },
};

/** The loan those cases take: $100 at 7% from 2024-01-01, 6 monthly installments from 2024-02-01. */
export const fineract100At7 = {
  principal: 10_000,
  annual_interest_rate: '7',
  term_count: 6,
  disbursement_date: '2024-01-01',
  first_payment_date: '2024-02-01',
};

/**
 * The loan LoanInterestRecalculationCOBTest takes on create4IProgressive (BaseLoanIntegrationTest): €8,000 at 10%
 * from 2023-01-01, 4 monthly installments from 2023-02-01.
 */
export const fineract8000At10 = {
  principal: 800_000,
  annual_interest_rate: '10',
  term_count: 4,
  disbursement_date: '2023-01-01',
  first_payment_date: '2023-02-01',
};
