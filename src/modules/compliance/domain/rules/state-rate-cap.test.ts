import { describe, expect, it } from 'vitest';
import { at, borrower, d, deps, loan, monthly } from '../../../../../test/support/compliance/rules.js';
import { stateRateCap, stateRateCapConfig } from './state-rate-cap.js';

const config = stateRateCapConfig.parse({
  caps: [
    { state: 'TX', max_rate_percent: '36', citation: 'Tex. Fin. Code § 342' },
    { state: 'TX', license_type: 'bank', max_rate_percent: '18', rate_basis: 'note_rate' },
    { state: 'CA', max_rate_percent: '36', min_principal: 250_000, max_principal: 1_000_000 },
  ],
});

const run = (ctx: Parameters<typeof stateRateCap.evaluate>[0], cfg = config) =>
  stateRateCap.evaluate(ctx, cfg, deps);

describe('state_rate_cap', () => {
  it('passes an APR just under the cap and blocks one just over it', () => {
    const under = run(at('approval', { borrower: borrower(), loan: loan() }));
    expect(under.outcome).toBe('pass');
    expect(under.facts?.rate_percent).toBe('35.995826945170');
    expect(under.citation).toBe('Tex. Fin. Code § 342');
    const over = run(
      at('approval', {
        borrower: borrower(),
        loan: loan({ schedule: monthly(d('2024-01-15'), 12, 10_047) }),
      }),
    );
    expect(over.outcome).toBe('block');
    expect(over.reasons[0]).toBe('the APR 36.02% exceeds the TX cap of 36.00%');
  });

  it('counts prepaid finance charges in the APR', () => {
    const fee = { kind: 'origination' as const, amount: 1_000, financeCharge: true };
    expect(run(at('quote', { borrower: borrower(), loan: loan({ upfrontCharges: [fee] }) })).outcome).toBe(
      'block',
    );
  });

  it('uses the licence-specific row and its note-rate basis before the "*" row', () => {
    const bank = loan({ licenseType: 'bank', annualRatePercent: '18.01' });
    const result = run(at('approval', { borrower: borrower(), loan: bank }));
    expect(result.outcome).toBe('block');
    expect(result.facts).toMatchObject({ rate_basis: 'note_rate', cap_percent: '18' });
    expect(
      run(at('approval', { borrower: borrower(), loan: { ...bank, annualRatePercent: '18' } })).outcome,
    ).toBe('pass');
  });

  it('checks the new rate of a rate change', () => {
    const ctx = at('rate_change', {
      borrower: borrower(),
      loan: loan(),
      rateChange: { newAnnualRatePercent: '36.5', effectiveDate: d('2024-06-01') },
    });
    expect(run(ctx).outcome).toBe('block');
  });

  it('applies tiered rows by principal and reports unlisted amounts with the configured outcome', () => {
    const ca = borrower({ state: 'CA' });
    expect(run(at('approval', { borrower: ca, loan: loan() })).outcome).toBe('warn');
    const big = loan({ principal: 300_000, schedule: monthly(d('2024-01-15'), 12, 30_138) });
    expect(run(at('approval', { borrower: ca, loan: big })).outcome).toBe('pass');
    const strict = stateRateCapConfig.parse({ unlisted_state: 'block' });
    expect(run(at('approval', { borrower: borrower({ state: 'NY' }), loan: loan() }), strict).outcome).toBe(
      'block',
    );
  });

  it('rejects a bad table', () => {
    const bad = stateRateCapConfig.safeParse({ caps: [{ state: 'Texas', max_rate_percent: 'x', extra: 1 }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(
      expect.arrayContaining(['caps.0.state', 'caps.0.max_rate_percent', 'caps.0']),
    );
  });
});
