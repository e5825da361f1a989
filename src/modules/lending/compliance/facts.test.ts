import { describe, expect, it } from 'vitest';
import { loanTerms } from '../../../../test/support/lending/installment.js';
import {
  disclosureFlows,
  generateSchedule,
  loanTermsOf,
  replay,
  snapshotSchedule,
} from '../domain/installment/index.js';
import { installmentSchedule, loanFacts } from './facts.js';

describe('loanFacts', () => {
  const facts = (terms: Record<string, unknown>) =>
    loanFacts({ product: 'installment_loan', terms, schedule: [], disclosure: null }).annualRatePercent;

  it('gives a rate cap the highest rate a loan’s scheduled rate changes reach', () => {
    const terms = { currency: 'USD', annual_interest_rate: '7', disbursement_date: '2024-01-01' };
    expect(facts(terms)).toBe('7');
    expect(
      facts({
        ...terms,
        rate_changes: [
          { effective_date: '2024-03-01', annual_interest_rate: '21.5' },
          { effective_date: '2024-06-01', annual_interest_rate: '4' },
        ],
      }),
    ).toBe('21.5');
    expect(
      facts({ ...terms, rate_changes: [{ effective_date: '2024-03-01', annual_interest_rate: '4' }] }),
    ).toBe('7');
  });
});

describe('installmentSchedule', () => {
  it('takes a loan not yet disbursed from the schedule its replay uses, generated once per terms snapshot', () => {
    const terms = loanTerms();
    const stream = installmentSchedule(terms);
    const shared = snapshotSchedule(terms);
    // The replay of the same snapshot (the approval's plan) gets the very rows the gate's stream was made from.
    expect(snapshotSchedule(loanTermsOf(terms))).toBe(shared);
    expect(stream).toEqual(disclosureFlows(terms, generateSchedule(terms).rows).payments);
    expect(replay(terms, [], terms.disbursementDate).ok).toBe(true);
    expect(snapshotSchedule(terms)).toBe(shared);
  });
});
