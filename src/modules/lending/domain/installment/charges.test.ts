import { describe, expect, it } from 'vitest';
import { d, loanTerms, program } from '../../../../../test/support/lending/installment.js';
import { financeChargeDisclosure } from '../apr/compute.js';
import { disclosureFlows } from './charges.js';
import type { LoanEvent } from './events.js';
import { isBalanced, journalBalances } from './ledger.js';
import { calculatePayoff } from './payoff.js';
import { replay } from './replay.js';
import { resolveLoanTerms } from './resolve.js';
import { generateSchedule } from './schedule.js';
import { installmentProgramTermsSchema } from './terms.js';

/**
 * Charges in the schedule against the loans Apache Fineract's own end-to-end suite asserts
 * (apache/fineract fineract-e2e-tests-runner/src/test/resources/features/LoanCharge.feature, scenarios FEE01-FEE03),
 * and their place in the Truth in Lending disclosure (12 CFR 1026.4, 1026.18, Appendix J).
 */

const fee = (c: Record<string, unknown>) => ({ name: 'fee', ...c });

// Fineract's default loan in LoanCharge.feature: 1000 EUR, one repayment 30 days after 1 January 2023, no interest.
const oneRepayment = (charges: unknown[]) =>
  loanTerms(
    { charges, repayment_every: { count: 30, unit: 'days' }, term_count: { min: 1, max: 12, default: 1 } },
    { principal: 100_000, annual_interest_rate: '0', term_count: 1, disbursement_date: '2023-01-01' },
  );

const opened = (extra: LoanEvent[] = []): LoanEvent[] => [
  { id: 'a', sequence: 1, effectiveDate: d('2023-01-01'), type: 'approve' },
  { id: 'b', sequence: 2, effectiveDate: d('2023-01-01'), type: 'disburse' },
  ...extra,
];

describe('Fineract LoanCharge.feature', () => {
  it('FEE01: a 1.5 % disbursement fee is 15.00, paid at disbursement from the proceeds; the total due is 1015', () => {
    const terms = oneRepayment([
      fee({ due: 'disbursement', calculation: 'percent_of_amount', percent: '1.5' }),
    ]);
    const s = generateSchedule(terms);
    expect(s.totals.feesAtDisbursement).toBe(1_500);
    expect(s.rows.map((r) => [r.dueDate, r.principal, r.interest, r.fees, r.total])).toEqual([
      [d('2023-01-31'), 100_000, 0, 0, 100_000],
    ]);
    expect(s.totals.total).toBe(101_500);
    // "Repayment (at time of disbursement) 15.0": the loan balance stays 1000, the borrower receives 985.
    const state = replay(terms, opened(), d('2023-01-01'));
    expect(state.ok).toBe(true);
    if (!state.ok) return;
    expect(state.value.balances.loans_receivable).toBe(100_000);
    expect(state.value.balances.cash).toBe(-98_500);
    expect(state.value.balances.fee_income).toBe(-1_500);
    expect(state.value.outstanding.fees).toBe(0);
    expect(journalBalances(state.value.journal)).toEqual(state.value.balances);
  });

  it('FEE02: a flat 15 fee due with the installment holding its date is part of that installment: 1015', () => {
    const terms = oneRepayment([fee({ due: 'specified_installment', installment: 1, amount: 1_500 })]);
    const s = generateSchedule(terms);
    expect(s.rows.map((r) => [r.principal, r.interest, r.fees, r.total])).toEqual([
      [100_000, 0, 1_500, 101_500],
    ]);
    expect(s.totals).toMatchObject({ principal: 100_000, interest: 0, fees: 1_500, total: 101_500 });
  });

  it('FEE03: a 1.5 % installment fee of principal and interest on a flat 3000 at 12 % for 3 months is 15.45 each', () => {
    const terms = loanTerms(
      {
        interest_method: 'flat',
        charges: [fee({ due: 'installment', calculation: 'percent_of_amount_and_interest', percent: '1.5' })],
      },
      { principal: 300_000, annual_interest_rate: '12', term_count: 3, disbursement_date: '2023-01-01' },
    );
    const s = generateSchedule(terms);
    expect(s.rows.map((r) => [r.dueDate, r.principal, r.interest, r.fees, r.total])).toEqual([
      [d('2023-02-01'), 100_000, 3_000, 1_545, 104_545],
      [d('2023-03-01'), 100_000, 3_000, 1_545, 104_545],
      [d('2023-04-01'), 100_000, 3_000, 1_545, 104_545],
    ]);
    expect(s.totals).toMatchObject({ principal: 300_000, interest: 9_000, fees: 4_635, total: 313_635 });
  });
});

describe('servicing a loan with charges', () => {
  // $3,000 at 12 % over 3 months with a $10 installment fee and a $30 origination fee from the proceeds.
  const terms = loanTerms(
    {
      charges: [
        fee({ due: 'installment', amount: 1_000 }),
        fee({ name: 'origination', due: 'disbursement', amount: 3_000 }),
      ],
    },
    { principal: 300_000, term_count: 3, disbursement_date: '2024-01-15' },
  );
  const rows = generateSchedule(terms).rows;

  it('the waterfall collects the installment fee first: paying the installment settles it', () => {
    const r = replay(
      terms,
      opened([
        { id: 'p', sequence: 3, effectiveDate: rows[0]!.dueDate, type: 'payment', amount: rows[0]!.total },
      ]).map((e) => (e.type === 'payment' ? e : { ...e, effectiveDate: d('2024-01-15') })),
      rows[0]!.dueDate,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const first = r.value.installments[0]!;
    expect(first.paid).toEqual(first.due);
    expect(first.paid.fees).toBe(1_000);
    expect(r.value.payments[0]!.lines.find((l) => l.component === 'fees')?.amount).toBe(1_000);
    expect(r.value.journal.every(isBalanced)).toBe(true);
    expect(journalBalances(r.value.journal)).toEqual(r.value.balances);
  });

  it('a payoff owes the fee of the period it falls in, not those of periods not started', () => {
    const events = opened().map((e) => ({ ...e, effectiveDate: d('2024-01-15') }));
    const during = replay(terms, events, d('2024-02-01'), { closeOfBusiness: false });
    expect(during.ok).toBe(true);
    if (!during.ok) return;
    const quote = calculatePayoff(during.value, d('2024-02-01'));
    expect(quote.fees).toBe(1_000);
    const paid = replay(
      terms,
      [
        ...events,
        { id: 'x', sequence: 3, effectiveDate: d('2024-02-01'), type: 'payoff', amount: quote.total },
      ],
      d('2024-02-01'),
    );
    expect(paid.ok).toBe(true);
    if (!paid.ok) return;
    expect(paid.value.status).toBe('paid_off');
    // Fee income: the origination fee and the one installment fee earned; the other two were waived.
    expect(paid.value.balances.fee_income).toBe(-4_000);
    expect(journalBalances(paid.value.journal)).toEqual(paid.value.balances);
  });
});

describe('Truth in Lending (1026.4, 1026.18, Appendix J)', () => {
  const request = { principal: 100_000, term_count: 12, disbursement_date: '2024-01-15' };
  const disclosure = (charges: unknown[]) => {
    const terms = loanTerms({ charges }, request);
    const d = financeChargeDisclosure(disclosureFlows(terms, generateSchedule(terms).rows));
    if (!d.ok) throw new Error(d.error.message);
    return d.value;
  };
  const none = disclosure([]);

  it('a finance charge from the proceeds is prepaid: amount financed less it, finance charge more, APR higher', () => {
    const d = disclosure([fee({ due: 'disbursement', amount: 2_000 })]);
    expect(d.amountFinanced).toBe(none.amountFinanced - 2_000);
    expect(d.financeCharge).toBe(none.financeCharge + 2_000);
    expect(d.totalOfPayments).toBe(none.totalOfPayments);
    // $1,000 at 12 % for a year with a $20 prepaid finance charge: $980 advanced against 11 payments of $88.85 and
    // one of $88.84 is 15.8555 % a year (the monthly rate solving the annuity equation, found by bisection apart).
    expect(d.apr.apr).toBe('15.86');
    expect(d.apr.aprExact.startsWith('15.85546')).toBe(true);
  });

  it('an installment fee that is a finance charge is in the payments; one that is not is in neither', () => {
    const fc = disclosure([fee({ due: 'installment', amount: 100 })]);
    expect(fc.totalOfPayments).toBe(none.totalOfPayments + 1_200);
    expect(fc.financeCharge).toBe(none.financeCharge + 1_200);
    expect(Number(fc.apr.apr)).toBeGreaterThan(Number(none.apr.apr));
    const excluded = disclosure([fee({ due: 'installment', amount: 100, finance_charge: false })]);
    expect(excluded).toEqual(none);
  });
});

describe('validation names the field', () => {
  const parse = (charges: unknown[]) =>
    installmentProgramTermsSchema.safeParse({
      currency: 'USD',
      annual_interest_rate: { min: '0', max: '20', default: '10' },
      term_count: { min: 1, max: 12, default: 6 },
      principal: { min: 1, max: 1_000_000 },
      charges,
    });
  const paths = (charges: unknown[]) => {
    const r = parse(charges);
    return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
  };

  it('refuses what a charge’s time and calculation do not allow', () => {
    expect(paths([fee({ due: 'installment' })])).toEqual(['charges.0.amount']);
    expect(paths([fee({ due: 'disbursement', calculation: 'percent_of_interest', percent: '1' })])).toEqual([
      'charges.0.calculation',
    ]);
    expect(paths([fee({ due: 'specified_installment', amount: 5 })])).toEqual(['charges.0.installment']);
    expect(paths([fee({ due: 'specified_installment', amount: 5, installment: 13 })])).toEqual([
      'charges.0.installment',
    ]);
    expect(paths([fee({ due: 'installment', amount: 5, installment: 2 })])).toEqual([
      'charges.0.installment',
    ]);
    expect(paths([fee({ due: 'installment', calculation: 'percent_of_amount', percent: '0' })])).toEqual([
      'charges.0.percent',
    ]);
    expect(paths([fee({ due: 'installment', amount: 5 })])).toEqual([]);
  });

  it('a loan too short for a specified installment, or too small for its fees, is refused naming the request field', () => {
    const p = program({
      term_count: { min: 1, max: 12, default: 6 },
      charges: [
        fee({ due: 'specified_installment', installment: 4, amount: 500 }),
        fee({ due: 'disbursement', amount: 2_000 }),
      ],
    });
    const r = resolveLoanTerms(p, { principal: 2_000, term_count: 3, disbursement_date: '2024-01-15' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.fields?.map((f) => f.path)).toEqual(['term_count', 'principal']);
  });
});
