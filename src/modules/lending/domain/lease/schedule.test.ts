import { describe, expect, it } from 'vitest';
import { fedExampleTerms } from '../../../../../test/support/lending/lease.js';
import { constantYieldPayment, leaseSchedule } from './schedule.js';

describe('lease schedule: Federal Reserve consumer leasing guide example', () => {
  // Adjusted capitalized cost $18,800; 48 monthly payments in advance; residual $12,350; rate 8.497%.
  const schedule = leaseSchedule(fedExampleTerms());

  it('computes the constant-yield base payment $244.69', () => {
    expect(schedule.basePayment).toBe(24469);
    expect(constantYieldPayment(1880000, 1235000, '8.497', 48).toFixed(4)).toBe('24468.8117');
  });

  it('splits month 1 into rent charge $131.39 and depreciation $113.30, leaving $18,686.70', () => {
    const first = schedule.rows[0]!;
    expect(first).toMatchObject({
      number: 1,
      dueDate: '2024-01-15',
      payment: 24469,
      rentCharge: 13139,
      depreciation: 11330,
      balance: 1868670,
    });
  });

  it('matches every row the guide publishes, at the yield of the rounded base payment', () => {
    // The guide's constant-yield table: month 2 is ($18,686.70 − $244.69) × the lease's yield = $130.59. At the
    // nominal 8.497% ÷ 12 it would be $130.58: the guide earns rent at the yield that the rounded payment
    // ($244.69, not $244.6881) implies, so that the rent charges add up to the full-term rent charge.
    const published = [
      { number: 1, payment: 24469, rentCharge: 13139, depreciation: 11330, balance: 1868670 },
      { number: 2, payment: 24469, rentCharge: 13059, depreciation: 11410, balance: 1857260 },
    ];
    expect(schedule.rows.slice(0, 2)).toMatchObject(published);
    expect(schedule.disclosure.totalOfBasePayments).toBe(1174512); // $244.69 × 48
    expect(schedule.disclosure.rentCharge).toBe(529512); // $11,745.12 − ($18,800 − $12,350)
  });

  it('earns rent at the yield implied by the rounded payment, not at the nominal rate', () => {
    // 8.497% nominal; the rounded payment $244.69 > $244.6881 implies 8.49714…% (0.70809536…% a month).
    expect(schedule.rentRate.slice(0, 12)).toBe('0.0070809536');
    const rate = Number(schedule.rentRate);
    for (const row of schedule.rows.slice(0, -1)) {
      const before = row.balance + row.depreciation;
      expect(row.rentCharge).toBe(Math.round(rate * (before - row.payment)));
    }
  });

  it('shows the money-factor shortcut ($244.66) only as information', () => {
    expect(schedule.moneyFactorShortcutPayment).toBe(24466);
    expect(schedule.rows.every((row, i) => i === 47 || row.payment === 24469)).toBe(true);
  });

  it('ends at the residual value with depreciation summing exactly to cap cost − residual', () => {
    const last = schedule.rows.at(-1)!;
    expect(schedule.rows).toHaveLength(48);
    expect(last.balance).toBe(1235000);
    expect(last.dueDate).toBe('2027-12-15');
    expect(schedule.rows.reduce((s, r) => s + r.depreciation, 0)).toBe(1880000 - 1235000);
    expect(schedule.disclosure.depreciationAndAmortizedAmounts).toBe(645000);
    // Total of base payments = depreciation + rent charge.
    expect(schedule.disclosure.totalOfBasePayments).toBe(645000 + schedule.disclosure.rentCharge);
  });

  it('adds tax on each payment and fills the Regulation M disclosure', () => {
    const first = schedule.rows[0]!;
    expect(first.tax).toBe(1468); // 6% of $244.69 = $14.6814
    expect(first.total).toBe(24469 + 1468);
    const disclosure = schedule.disclosure;
    expect(disclosure.amountDueAtSigning).toBe(first.total); // no cap cost reduction, fee capitalized at 0
    expect(disclosure.totalOfPayments).toBe(schedule.rows.reduce((s, r) => s + r.total, 0) + 39500);
  });

  it('accepts the rate as a money factor and still uses the constant-yield payment', () => {
    const viaMoneyFactor = leaseSchedule(fedExampleTerms({ money_factor: '0.0035404' }));
    expect(viaMoneyFactor.basePayment).toBe(24469);
  });
});

describe('lease schedule edge cases', () => {
  it('keeps rent charges non-negative at a zero rate with a payment rounded down', () => {
    // (1,000,000 − 0) / 36 = 27,777.78 → rounded down to whole dollars: 27,700.
    const terms = fedExampleTerms(
      { capitalized_cost: 1000000, residual_value: 0, annual_interest_rate: '0', term_count: 36 },
      { rounding: { mode: 'down', installment_multiple: 100 } },
    );
    const schedule = leaseSchedule(terms);
    expect(schedule.basePayment).toBe(27700);
    const last = schedule.rows.at(-1)!;
    expect(last.rentCharge).toBe(0);
    expect(last.payment).toBe(1000000 - 35 * 27700);
    expect(schedule.rows.every((r) => r.rentCharge === 0)).toBe(true);
    expect(last.balance).toBe(0);
  });

  it('counts a capitalized cost reduction and a non-capitalized acquisition fee as due at signing', () => {
    const terms = fedExampleTerms(
      { capitalized_cost: 2000000, cap_cost_reduction: 200000 },
      { acquisition_fee: { amount: 59500, capitalized: false } },
    );
    const schedule = leaseSchedule(terms);
    expect(terms.adjustedCapitalizedCost).toBe(1800000);
    expect(schedule.disclosure.amountDueAtSigning).toBe(200000 + schedule.rows[0]!.total + 59500);
  });

  it('anchors due dates on the first payment day through short months', () => {
    const terms = fedExampleTerms({ disbursement_date: '2024-01-31', term_count: 12 });
    const dates = leaseSchedule(terms).rows.map((r) => r.dueDate);
    expect(dates.slice(0, 4)).toEqual(['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30']);
  });
});
