import { describe, expect, it } from 'vitest';
import { at, borrower, d, deps, loan, sampleList } from '../../../../../test/support/compliance/rules.js';
import { SdnIndex } from '../ofac/sdn-index.js';
import type { RuleDeps } from '../rule.js';
import { ofacScreening, ofacScreeningConfig } from './ofac-screening.js';

const config = ofacScreeningConfig.parse({});
const withList: RuleDeps = { ...deps, sdn: SdnIndex.build(sampleList()) };
const onboard = (full: string, dateOfBirth?: string, ruleDeps = withList) =>
  ofacScreening.evaluate(
    at('customer_onboarding', {
      borrower: borrower({ name: { full }, dateOfBirth: dateOfBirth ? d(dateOfBirth) : undefined }),
    }),
    config,
    ruleDeps,
  );

describe('ofac_screening', () => {
  it('blocks an exact match and names the entry', () => {
    const result = onboard('Elias Viktor QUARTERMAINE');
    expect(result.outcome).toBe('block');
    expect(result.reasons).toEqual([
      'the borrower matches SDN entry 9001 "QUARTERMAINE, Elias Viktor" [SDGT] with score 1.0000',
    ]);
    expect(result.facts).toMatchObject({ best_score: 1, best_ent_num: 9001 });
  });

  it('warns on a near match with its score', () => {
    const result = onboard('Maria De La Fuente Ramirez');
    expect(result.outcome).toBe('warn');
    expect(result.reasons[0]).toMatch(
      /^near match: the borrower matches SDN entry 9003 .* with score 0\.9\d{3}$/,
    );
  });

  it('passes a name with no match', () => {
    expect(onboard('Jane Q Borrower').outcome).toBe('pass');
  });

  it('lets a contradicting date of birth turn a match into a near match', () => {
    expect(onboard('Rustam Khalidov', '1980-01-01').outcome).toBe('block');
    const other = onboard('Rustam Khalidov', '1995-01-01');
    expect(other.outcome).toBe('warn');
    expect(other.reasons[0]).toContain('date of birth mismatch');
  });

  it('screens the payer of a payment', () => {
    const ctx = at('payment_collection', {
      borrower: borrower(),
      loan: loan(),
      payment: { amount: 10_000, date: d('2024-06-01'), payerName: 'Wei Ming Chou' },
    });
    const result = ofacScreening.evaluate(ctx, config, withList);
    expect(result.outcome).toBe('block');
    expect(result.reasons[0]).toContain(
      'the payer matches SDN entry 9008 "CHOU, Wei Ming" (listed as "ZHOU, Weiming")',
    );
  });

  it('blocks while no list is loaded, unless configured otherwise', () => {
    expect(onboard('Jane Q Borrower', undefined, deps).outcome).toBe('block');
    const lenient = ofacScreeningConfig.parse({ no_list: 'warn' });
    const ctx = at('customer_onboarding', { borrower: borrower() });
    expect(ofacScreening.evaluate(ctx, lenient, deps).outcome).toBe('warn');
    expect(ofacScreeningConfig.safeParse({ near_threshold: 0.99, match_threshold: 0.9 }).success).toBe(false);
  });
});
