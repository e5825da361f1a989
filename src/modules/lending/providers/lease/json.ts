import type { LeaseSchedule, LeaseScheduleRow, LeaseTerms } from '../../domain/lease/index.js';

import { lateFeeJson } from '../support.js';

/** Wire JSON (snake_case) of leases: terms, schedule rows, the Regulation M disclosure. */

export function termsJson(t: LeaseTerms): Record<string, unknown> {
  return {
    currency: t.currency,
    gross_capitalized_cost: t.grossCapitalizedCost,
    cap_cost_reduction: t.capCostReduction,
    adjusted_capitalized_cost: t.adjustedCapitalizedCost,
    residual_value: t.residualValue,
    annual_interest_rate: t.annualRate,
    money_factor: t.moneyFactor,
    term_count: t.termCount,
    disbursement_date: t.startDate,
    first_payment_date: t.firstPaymentDate,
    rounding: { mode: t.rounding.mode, installment_multiple: t.rounding.installmentMultiple },
    late_fee: lateFeeJson(t.lateFee),
    tax: { rate: t.tax.rate, fixed_per_payment: t.tax.fixedPerPayment },
    acquisition_fee: { amount: t.acquisitionFee.amount, capitalized: t.acquisitionFee.capitalized },
    disposition_fee: t.dispositionFee,
    purchase_option_fee: t.purchaseOptionFee,
    early_termination: { fee: t.earlyTermination.fee, credit_surplus: t.earlyTermination.creditSurplus },
  };
}

/** A schedule row in the shape every product's rows share, plus the lease's own split. */
export const scheduleRowJson = (r: LeaseScheduleRow) => ({
  number: r.number,
  due_date: r.dueDate,
  principal: r.depreciation,
  interest: r.rentCharge,
  fees: r.tax,
  total: r.total,
  balance: r.balance,
  payment: r.payment,
  rent_charge: r.rentCharge,
  depreciation: r.depreciation,
  tax: r.tax,
});

export const totalsJson = (s: LeaseSchedule) => {
  const sum = (f: (r: LeaseScheduleRow) => number) => s.rows.reduce((a, r) => a + f(r), 0);
  return {
    payments: sum((r) => r.payment),
    rent_charge: sum((r) => r.rentCharge),
    depreciation: sum((r) => r.depreciation),
    tax: sum((r) => r.tax),
    total: sum((r) => r.total),
  };
};

/**
 * The Consumer Leasing disclosure (Regulation M, 12 CFR 1013.4). A lease has no APR; its rent charge is the
 * constant-yield charge at the lease rate, disclosed with the money factor it corresponds to.
 */
export const disclosureJson = (t: LeaseTerms, s: LeaseSchedule) => {
  const d = s.disclosure;
  return {
    lease_rate: t.annualRate,
    money_factor: t.moneyFactor,
    gross_capitalized_cost: d.grossCapitalizedCost,
    cap_cost_reduction: d.capCostReduction,
    adjusted_capitalized_cost: d.adjustedCapitalizedCost,
    residual_value: d.residualValue,
    depreciation_and_amortized_amounts: d.depreciationAndAmortizedAmounts,
    rent_charge: d.rentCharge,
    total_of_base_payments: d.totalOfBasePayments,
    term_count: d.termCount,
    base_payment: d.basePayment,
    tax_per_payment: d.taxPerPayment,
    total_periodic_payment: d.totalPeriodicPayment,
    amount_due_at_signing: d.amountDueAtSigning,
    total_of_payments: d.totalOfPayments,
    money_factor_shortcut_payment: s.moneyFactorShortcutPayment,
  };
};
