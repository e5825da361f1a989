import type { FinanceChargeDisclosure } from '../../domain/apr/index.js';
import {
  chargesJson,
  type LoanTerms,
  type Schedule,
  type ScheduleRow,
  scheduleOptionsJson,
} from '../../domain/installment/index.js';

/** Wire JSON (snake_case) of the installment engine's values. */

export const scheduleRowJson = (r: ScheduleRow) => ({
  number: r.number,
  due_date: r.dueDate,
  principal: r.principal,
  interest: r.interest,
  fees: r.fees,
  total: r.total,
  balance: r.balance,
});

export const totalsJson = (s: Schedule) => ({
  down_payment: s.totals.downPayment,
  amount_financed: s.totals.amountFinanced,
  principal: s.totals.principal,
  interest: s.totals.interest,
  fees: s.totals.fees,
  fees_at_disbursement: s.totals.feesAtDisbursement,
  total: s.totals.total,
});

export const disclosureJson = (d: FinanceChargeDisclosure) => ({
  apr: d.apr.apr,
  apr_exact: d.apr.aprExact,
  tolerance: d.apr.tolerance,
  finance_charge: d.financeCharge,
  amount_financed: d.amountFinanced,
  total_of_payments: d.totalOfPayments,
  unit_period: d.apr.unitPeriod,
  transaction_kind: d.apr.transactionKind,
});

export function termsJson(t: LoanTerms): Record<string, unknown> {
  const fee = t.lateFee;
  const penalty = t.prepaymentPenalty;
  return {
    currency: t.currency,
    principal: t.principal,
    down_payment: t.downPayment,
    amount_financed: t.amountFinanced,
    annual_interest_rate: t.annualInterestRate,
    interest_method: t.interestMethod,
    amortization: t.amortization,
    interest_calculation: t.interestCalculation,
    day_count: t.dayCount,
    repayment_frequency: t.repaymentFrequency,
    term_count: t.termCount,
    fixed_installment: t.fixedInstallment && {
      amount: t.fixedInstallment.amount,
      last_installment_threshold_percent: t.fixedInstallment.lastInstallmentThresholdPercent,
    },
    rate_changes: t.rateChanges.map((c) => ({
      effective_date: c.effectiveDate,
      annual_interest_rate: c.annualInterestRate,
    })),
    tranches: t.tranches.map((x) => ({ date: x.date, amount: x.amount })),
    multi_disbursement: t.multiDisbursement && {
      max_tranches: t.multiDisbursement.maxTranches,
      max_outstanding: t.multiDisbursement.maxOutstanding,
    },
    disbursement_date: t.disbursementDate,
    first_payment_date: t.firstPaymentDate,
    grace: {
      principal_periods: t.grace.principalPeriods,
      interest_periods: t.grace.interestPeriods,
      interest_free_periods: t.grace.interestFreePeriods,
    },
    ...scheduleOptionsJson(t.options),
    charges: chargesJson(t.charges),
    rounding: { mode: t.rounding.mode, installment_multiple: t.rounding.installmentMultiple },
    allocation_order: t.allocationOrder,
    future_installments: t.futureInstallments,
    late_fee:
      fee === null
        ? null
        : fee.type === 'flat'
          ? { type: 'flat', amount: fee.amount, grace_days: fee.graceDays }
          : { type: 'percent', percent: fee.percent, grace_days: fee.graceDays, min: fee.min, max: fee.max },
    prepayment_penalty:
      penalty === null
        ? null
        : penalty.type === 'flat'
          ? { type: 'flat', amount: penalty.amount, within_installments: penalty.withinInstallments }
          : { type: 'percent', percent: penalty.percent, within_installments: penalty.withinInstallments },
    payoff_interest: t.payoffInterest,
    delinquency: {
      buckets: t.delinquency.buckets,
      charge_off_after_days: t.delinquency.chargeOffAfterDays,
    },
  };
}
