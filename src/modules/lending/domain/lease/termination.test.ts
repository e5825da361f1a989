import { describe, expect, it } from 'vitest';
import { fedExampleTerms } from '../../../../../test/support/lending/lease.js';
import { parseDate } from '../../../../kernel/dates.js';
import { leaseSchedule } from './schedule.js';
import { earlyTerminationQuote, maturityDate, maturityPurchaseQuote } from './termination.js';

const terms = fedExampleTerms(); // ET fee $200, disposition fee $395, purchase option fee $300
const schedule = leaseSchedule(terms);
const rows = schedule.rows;

function quote(input: Parameters<typeof earlyTerminationQuote>[2], t = terms) {
  const result = earlyTerminationQuote(t, leaseSchedule(t), input);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('early termination', () => {
  it('charges the balance gap plus fees, and the payments due and unpaid', () => {
    // Payments are due on the 15th; by 2025-01-20 thirteen have fallen due and twelve were made.
    const q = quote({ terminationDate: parseDate('2025-01-20'), paymentsMade: 12, realizedValue: 1500000 });
    expect(q.paymentsDue).toBe(13);
    expect(q.unpaidPayments).toBe(rows[12]!.total);
    expect(q.adjustedLeaseBalance).toBe(rows[12]!.balance);
    expect(q.earlyTerminationPayoff).toBe(rows[12]!.balance + 20000 + 39500);
    expect(q.earlyTerminationCharge).toBe(rows[12]!.balance - 1500000 + 20000 + 39500);
    expect(q.totalDue).toBe(q.unpaidPayments + q.earlyTerminationCharge);
    expect(q.refundDue).toBe(0);
  });

  it('does not count a payment falling due on the termination date itself', () => {
    const q = quote({ terminationDate: parseDate('2025-01-15'), paymentsMade: 12, realizedValue: 1500000 });
    expect(q.paymentsDue).toBe(12);
    expect(q.unpaidPayments).toBe(0);
    expect(q.adjustedLeaseBalance).toBe(rows[11]!.balance);
  });

  it('does not credit a surplus unless the program says so', () => {
    const rich = { terminationDate: parseDate('2025-01-20'), paymentsMade: 13, realizedValue: 2000000 };
    const kept = quote(rich);
    expect(kept.surplusCredited).toBe(0);
    expect(kept.earlyTerminationCharge).toBe(20000 + 39500);
    const crediting = fedExampleTerms({}, { early_termination: { fee: 20000, credit_surplus: true } });
    const credited = quote(rich, crediting);
    expect(credited.surplusCredited).toBe(2000000 - rows[12]!.balance);
    expect(credited.totalDue).toBe(0);
    expect(credited.refundDue).toBe(2000000 - rows[12]!.balance - 20000 - 39500);
  });

  it('credits payments made ahead of their due dates', () => {
    const q = quote({ terminationDate: parseDate('2025-01-20'), paymentsMade: 15, realizedValue: 1500000 });
    expect(q.prepaidPayments).toBe(rows[13]!.total + rows[14]!.total);
    expect(q.totalDue).toBe(q.earlyTerminationCharge - q.prepaidPayments);
  });

  it('refuses after maturity and rejects impossible inputs', () => {
    expect(maturityDate(terms)).toBe('2028-01-15');
    const late = earlyTerminationQuote(terms, schedule, {
      terminationDate: parseDate('2028-01-15'),
      paymentsMade: 48,
      realizedValue: 0,
    });
    expect(!late.ok && late.error.code).toBe('lease_matured');
    const tooMany = earlyTerminationQuote(terms, schedule, {
      terminationDate: parseDate('2025-01-20'),
      paymentsMade: 49,
      realizedValue: 0,
    });
    expect(!tooMany.ok && tooMany.error.fields?.[0]?.path).toBe('payments_made');
  });
});

describe('purchase at maturity', () => {
  it('is the residual value plus the purchase option fee plus anything unpaid', () => {
    const result = maturityPurchaseQuote(terms, schedule, { paymentsMade: 47, otherCharges: 2500 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toEqual({
      residualValue: 1235000,
      purchaseOptionFee: 30000,
      unpaidPayments: rows[47]!.total,
      otherCharges: 2500,
      total: 1235000 + 30000 + rows[47]!.total + 2500,
    });
  });
});
