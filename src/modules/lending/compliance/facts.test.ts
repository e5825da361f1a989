import { describe, expect, it } from 'vitest';
import { loanFacts } from './facts.js';

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
