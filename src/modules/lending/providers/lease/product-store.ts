import { type LeaseTerms, maturityDate } from '../../domain/lease/index.js';
import type { ProductStore } from '../../product.js';

/**
 * A lease keeps nothing outside the generic rows; its view shows the schedule with the lease's own names and
 * what it owes from the journal: the lease balance (unamortized cost), rent earned and unpaid (negative: paid in
 * advance), late fees, and what a termination left to pay.
 */
export const leaseStore: ProductStore = {
  tables: [],

  async details(_db, loan, { installments, schedule, balances }) {
    const t = loan.terms as LeaseTerms;
    return {
      schedule: schedule.map((row, k) => ({
        ...row,
        rent_charge: row.interest,
        depreciation: row.principal,
        tax: installments[k]!.due.fees,
      })),
      outstanding: {
        lease_balance: balances.lease_receivable ?? 0,
        rent: balances.rent_receivable ?? 0,
        late_fees: balances.penalties_receivable ?? 0,
        termination: balances.termination_receivable ?? 0,
      },
      lease: {
        base_payment: installments[0] ? installments[0].due.principal + installments[0].due.interest : null,
        adjusted_capitalized_cost: t.adjustedCapitalizedCost,
        residual_value: t.residualValue,
        maturity_date: maturityDate(t),
      },
    };
  },
};
