import { describe, expect, it } from 'vitest';
import { at, borrower, d, deps, loan, monthly } from '../../../../../test/support/compliance/rules.js';
import type { BorrowerFacts } from '../context.js';
import { militaryLendingAct, militaryLendingActConfig } from './military-lending-act.js';

const config = militaryLendingActConfig.parse({});
const covered = borrower({ military: { mlaCovered: true, activeDuty: [{ start: d('2023-01-01') }] } });
const run = (b: BorrowerFacts, l = loan()) =>
  militaryLendingAct.evaluate(at('approval', { borrower: b, loan: l }), config, deps);

const applicationFee = { kind: 'application' as const, amount: 1_000, financeCharge: false };

describe('military_lending_act', () => {
  it('passes a Military APR just under 36% and blocks one just over', () => {
    const under = run(covered);
    expect(under.outcome).toBe('pass');
    expect(under.facts?.mapr_percent).toBe('35.995826945170');
    const over = run(covered, loan({ schedule: monthly(d('2024-01-15'), 12, 10_047) }));
    expect(over.outcome).toBe('block');
    expect(over.reasons).toEqual(['the Military APR 36.02% exceeds 36.00% (232.4(b))']);
  });

  it('counts an application fee that Reg Z leaves out of the finance charge', () => {
    const result = run(covered, loan({ upfrontCharges: [applicationFee] }));
    expect(result.outcome).toBe('block');
    expect(result.facts).toMatchObject({ mapr_percent: '38.021019157590', counted_charges: 1_000 });
    // The same fee is not counted when the tenant's config leaves application fees out.
    const lenient = militaryLendingActConfig.parse({ counted_charges: ['credit_insurance'] });
    const ctx = at('approval', { borrower: covered, loan: loan({ upfrontCharges: [applicationFee] }) });
    expect(militaryLendingAct.evaluate(ctx, lenient, deps).outcome).toBe('pass');
  });

  it('blocks a prepayment penalty and mandatory arbitration for covered borrowers', () => {
    const result = run(covered, loan({ hasPrepaymentPenalty: true, hasMandatoryArbitration: true }));
    expect(result.outcome).toBe('block');
    expect(result.reasons).toEqual([
      'the contract has a prepayment penalty (232.8(f))',
      'the contract requires arbitration (232.8(c))',
    ]);
  });

  it('passes borrowers who are not covered and warns when the status is unknown', () => {
    const notCovered = borrower({ military: { mlaCovered: false, activeDuty: [] } });
    expect(run(notCovered, loan({ hasPrepaymentPenalty: true })).outcome).toBe('pass');
    const unknown = run(borrower(), loan({ hasPrepaymentPenalty: true }));
    expect(unknown.outcome).toBe('warn');
    expect(run(borrower()).outcome).toBe('pass');
  });

  it('annualizes open-end charges over a billing cycle', () => {
    const line = loan({
      creditType: 'open_end',
      product: 'line_of_credit',
      annualRatePercent: '30',
      schedule: [],
    });
    expect(run(covered, line).outcome).toBe('pass');
    const withFee = {
      ...line,
      upfrontCharges: [{ kind: 'participation' as const, amount: 2_500, financeCharge: false }],
    };
    const result = run(covered, withFee);
    expect(result.outcome).toBe('block');
    expect(result.facts?.mapr_percent).toBe('60.416666666667');
  });

  it('checks a new rate against the limit', () => {
    const ctx = at('rate_change', {
      borrower: covered,
      loan: loan(),
      rateChange: { newAnnualRatePercent: '36.01', effectiveDate: d('2024-06-01') },
    });
    expect(militaryLendingAct.evaluate(ctx, config, deps).outcome).toBe('block');
  });
});
