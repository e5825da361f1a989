import { describe, expect, it } from 'vitest';
import { lendingApr, loan } from '../../../../test/support/compliance/rules.js';
import { militaryApr, regZFigures } from './figures.js';
import type { AprCalculator } from './lending-port.js';

const counting = () => {
  let calls = 0;
  const apr: AprCalculator = (input) => {
    calls++;
    return lendingApr(input);
  };
  return { apr, calls: () => calls };
};

describe('Truth in Lending figures', () => {
  it('are computed once per loan and shared', () => {
    const l = loan({ upfrontCharges: [{ kind: 'origination', amount: 1_000, financeCharge: true }] });
    const c = counting();
    const first = regZFigures(l, c.apr);
    expect(first.ok && first.value).toMatchObject({
      amountFinanced: 99_000,
      financeCharge: 21_552,
      totalOfPayments: 120_552,
    });
    regZFigures(l, c.apr);
    // No charge beyond the finance charges: the MAPR is the APR, without another solve.
    const mapr = militaryApr(l, c.apr, new Set(['application']));
    expect(mapr.ok && first.ok && mapr.value.mapr).toBe(first.ok && first.value.apr.aprExact);
    expect(c.calls()).toBe(1);
  });

  it("take lending's own figures when it passed them", () => {
    const regZ = {
      amountFinanced: 1,
      financeCharge: 2,
      totalOfPayments: 3,
      apr: { apr: '9.00', aprExact: '9', tolerance: '0.125', transactionKind: 'regular' as const },
    };
    const c = counting();
    expect(regZFigures(loan({ regZ }), c.apr)).toEqual({ ok: true, value: regZ });
    expect(c.calls()).toBe(0);
  });

  it('solve again for the MAPR when MLA counts a charge Reg Z does not', () => {
    const c = counting();
    const l = loan({ upfrontCharges: [{ kind: 'credit_insurance', amount: 1_000, financeCharge: false }] });
    const mapr = militaryApr(l, c.apr, new Set(['credit_insurance']));
    expect(mapr.ok && mapr.value).toEqual({ mapr: '38.021019157590', countedCharges: 1_000 });
    expect(c.calls()).toBe(1);
  });
});
