import { describe, expect, it } from 'vitest';
import { at, borrower, d, deps, loan } from '../../../../../test/support/compliance/rules.js';
import type { FeeFacts, LoanFacts } from '../context.js';
import { lateFeeCap, lateFeeCapConfig } from './late-fee-cap.js';

const config = lateFeeCapConfig.parse({
  state_caps: [
    { state: 'TX', max_amount: 1_500, max_percent: '5', combine: 'greater', min_days_late: 10 },
    { state: 'NY', max_amount: 2_500, max_percent: '5' },
  ],
});
const line = loan({ creditType: 'open_end', product: 'line_of_credit', schedule: [] });
const fee = (amount: number, more: Partial<FeeFacts> = {}): FeeFacts => ({
  kind: 'late',
  amount,
  date: d('2024-06-01'),
  paymentDue: 40_000,
  daysLate: 15,
  ...more,
});
const assess = (f: FeeFacts, l: LoanFacts = loan(), state = 'TX', cfg = config) =>
  lateFeeCap.evaluate(at('fee_assessment', { borrower: borrower({ state }), loan: l, fee: f }), cfg, deps);

describe('late_fee_cap', () => {
  it('applies the open-end safe harbor: $30 first, $41 repeat', () => {
    expect(assess(fee(3_000), line).outcome).toBe('pass');
    expect(assess(fee(3_001), line).outcome).toBe('block');
    expect(assess(fee(4_100, { repeatWithinSixCycles: true }), line).outcome).toBe('pass');
    const over = assess(fee(4_101, { repeatWithinSixCycles: true }), line);
    expect(over.outcome).toBe('block');
    expect(over.reasons).toEqual(['the late fee $41.01 exceeds the safe harbor of $41.00']);
  });

  it('never lets an open-end penalty fee exceed the minimum payment due', () => {
    const result = assess(fee(2_500, { paymentDue: 2_000 }), line);
    expect(result.outcome).toBe('block');
    expect(result.reasons).toEqual(['the late fee $25.00 exceeds the payment due $20.00']);
  });

  it('takes configured safe-harbor amounts and a cost-justified amount', () => {
    const updated = lateFeeCapConfig.parse({ open_end: { first_violation: 3_200, repeat_violation: 4_300 } });
    expect(assess(fee(3_200), line, 'TX', updated).outcome).toBe('pass');
    const costed = lateFeeCapConfig.parse({ open_end: { cost_justified_amount: 3_500 } });
    expect(assess(fee(3_500), line, 'TX', costed).outcome).toBe('pass');
    expect(assess(fee(3_501), line, 'TX', costed).outcome).toBe('block');
  });

  it('applies the greater or the lesser of a flat and a percent state cap', () => {
    // TX: greater of $15 and 5% of $400 = $20.
    expect(assess(fee(2_000)).outcome).toBe('pass');
    expect(assess(fee(2_001)).outcome).toBe('block');
    // NY: lesser of $25 and 5% of $400 = $20.
    expect(assess(fee(2_000), loan(), 'NY').outcome).toBe('pass');
    const ny = assess(fee(2_001), loan(), 'NY');
    expect(ny.outcome).toBe('block');
    expect(ny.citation).toBe('NY late-charge limit');
  });

  it('refuses a fee before the state waiting period', () => {
    expect(assess(fee(1_000, { daysLate: 9 })).outcome).toBe('block');
    expect(assess(fee(1_000, { daysLate: 10 })).outcome).toBe('pass');
  });

  it('passes states without a row and closed-end fees that are not late fees', () => {
    expect(assess(fee(99_999), loan(), 'CA').outcome).toBe('pass');
    expect(assess(fee(99_999, { kind: 'returned_payment' })).outcome).toBe('pass');
  });

  it('rejects a state row that caps nothing', () => {
    expect(lateFeeCapConfig.safeParse({ state_caps: [{ state: 'TX' }] }).success).toBe(false);
  });
});
