import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROUNDING_MODES } from '../../../../kernel/money.js';
import { leaseSchedule } from './schedule.js';
import { leaseProgramTermsSchema, resolveLeaseTerms } from './terms.js';

const lease = fc
  .record({
    capitalizedCost: fc.integer({ min: 100_000, max: 50_000_000 }),
    residualShare: fc.double({ min: 0, max: 0.95, noNaN: true }),
    rateBp: fc.integer({ min: 0, max: 2500 }),
    termCount: fc.integer({ min: 1, max: 84 }),
    mode: fc.constantFrom(...ROUNDING_MODES),
    multiple: fc.constantFrom(1, 5, 100),
    taxRate: fc.constantFrom('0', '6', '8.875'),
  })
  .map((l) => {
    const program = leaseProgramTermsSchema.parse({
      currency: 'USD',
      annual_interest_rate: { min: '0', max: '25', default: '5' },
      term_count: { min: 1, max: 84, default: 36 },
      rounding: { mode: l.mode, installment_multiple: l.multiple },
      tax: { rate: l.taxRate },
    });
    const result = resolveLeaseTerms(program, {
      capitalized_cost: l.capitalizedCost,
      residual_value: Math.floor(l.capitalizedCost * l.residualShare),
      annual_interest_rate: (l.rateBp / 100).toString(),
      term_count: l.termCount,
      disbursement_date: '2025-03-31',
    });
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  });

describe('lease schedule properties', () => {
  it('depreciates exactly to the residual, with no negative rent charge', () => {
    fc.assert(
      fc.property(lease, (terms) => {
        const schedule = leaseSchedule(terms);
        const depreciation = schedule.rows.reduce((s, r) => s + r.depreciation, 0);
        expect(depreciation + terms.residualValue).toBe(terms.adjustedCapitalizedCost);
        expect(schedule.rows.at(-1)!.balance).toBe(terms.residualValue);
        for (const row of schedule.rows) {
          expect(row.rentCharge).toBeGreaterThanOrEqual(0);
          expect(row.rentCharge + row.depreciation).toBe(row.payment);
          expect(row.total).toBe(row.payment + row.tax);
        }
        // Every payment but the last is the base payment.
        expect(schedule.rows.slice(0, -1).every((r) => r.payment === schedule.basePayment)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('earns rent at the yield that makes the rounded payments and the residual worth the adjusted cap cost', () => {
    fc.assert(
      fc.property(lease, (terms) => {
        const schedule = leaseSchedule(terms);
        const y = new Decimal(schedule.rentRate);
        expect(y.gte(0)).toBe(true);
        const payments = schedule.basePayment * terms.termCount;
        if (payments <= terms.adjustedCapitalizedCost - terms.residualValue) {
          expect(y.isZero()).toBe(true);
          return;
        }
        if (schedule.basePayment >= terms.adjustedCapitalizedCost) return; // no yield: the nominal rate stands
        let presentValue = new Decimal(terms.residualValue).div(y.plus(1).pow(terms.termCount));
        for (let k = 0; k < terms.termCount; k++) {
          presentValue = presentValue.plus(new Decimal(schedule.basePayment).div(y.plus(1).pow(k)));
        }
        expect(presentValue.minus(terms.adjustedCapitalizedCost).abs().lt('1e-9')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
