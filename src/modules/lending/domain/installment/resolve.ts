import type { CalendarDate } from '../../../../kernel/dates.js';
import { err, type Failure, type FieldIssue, ok, type Result } from '../../../../kernel/result.js';
import { fieldIssues } from '../../../../kernel/validation.js';
import { toLateFee, validationFailure } from '../common-terms.js';
import { comparePercent, percentRatio } from '../exact.js';
import { chargeIssues, toCharges } from './charges.js';
import { type FixedInstallment, fixedInstallmentTerm } from './fixed-installment.js';
import { toScheduleOptions } from './options.js';
import { dueDateAt, fixedLengthEnd, intervalOf } from './periods.js';
import { type RateChange, rateChangeIssues } from './rate-changes.js';
import { generateSchedule } from './schedule.js';
import {
  type InstallmentProgramTerms,
  installmentLoanRequestSchema,
  installmentProgramTermsSchema,
  type LoanTerms,
  type PrepaymentPenaltyTerms,
} from './terms.js';
import { scheduledTrancheIssues, toMultiDisbursement, trancheIssues } from './tranches.js';

/** Parses a program's `terms` JSON; failures name the offending fields (`annual_interest_rate.max`). */
export function parseProgramTerms(input: unknown): Result<InstallmentProgramTerms, Failure> {
  const parsed = installmentProgramTermsSchema.safeParse(input);
  return parsed.success
    ? ok(parsed.data)
    : err(validationFailure('invalid program terms', fieldIssues(parsed.error)));
}

/**
 * Resolves a loan or quote request against its program: the request's choices must lie within the program's
 * bounds, omitted ones take the program's defaults. Every problem is reported at once, each with the request
 * field it concerns (`annual_interest_rate`, `term_count`, `first_payment_date`, ...).
 */
export function resolveLoanTerms(
  program: InstallmentProgramTerms,
  request: unknown,
): Result<LoanTerms, Failure> {
  const parsed = installmentLoanRequestSchema.safeParse(request);
  if (!parsed.success) return err(validationFailure('invalid loan request', fieldIssues(parsed.error)));
  const r = parsed.data;
  const issues: FieldIssue[] = [];
  const issue = (path: string, message: string) => issues.push({ path, message });

  if (r.principal < program.principal.min || r.principal > program.principal.max)
    issue('principal', `must be between ${program.principal.min} and ${program.principal.max}`);

  const rate = r.annual_interest_rate ?? program.annual_interest_rate.default;
  const rb = program.annual_interest_rate;
  if (comparePercent(rate, rb.min) < 0 || comparePercent(rate, rb.max) > 0)
    issue('annual_interest_rate', `must be between ${rb.min} and ${rb.max}`);

  const fixed = fixedInstallmentOf(program, r, issue);
  const tb = program.term_count;
  // With a fixed installment the term follows from it (below).
  let termCount = fixed === null ? (r.term_count ?? tb.default) : tb.max;
  if (fixed === null && (termCount < tb.min || termCount > tb.max))
    issue('term_count', `must be between ${tb.min} and ${tb.max}`);

  const downPayment = r.down_payment;
  if (downPayment >= r.principal) issue('down_payment', 'must be less than principal');
  else {
    // down_payment / principal within [min_percent, max_percent], compared exactly.
    const lo = percentRatio(program.down_payment.min_percent);
    const hi = percentRatio(program.down_payment.max_percent);
    const dp = BigInt(downPayment);
    const p = BigInt(r.principal);
    if (dp * lo.den < p * lo.num || dp * hi.den > p * hi.num)
      issue(
        'down_payment',
        `must be between ${program.down_payment.min_percent}% and ${program.down_payment.max_percent}% of principal`,
      );
  }

  const frequency = program.repayment_frequency;
  const options = toScheduleOptions(program);
  const interval = intervalOf(frequency, options.repaymentEvery);
  const disbursementDate = r.disbursement_date;
  const firstPaymentDate = r.first_payment_date ?? dueDateAt(interval, disbursementDate, 1);
  if (firstPaymentDate <= disbursementDate) issue('first_payment_date', 'must be after disbursement_date');
  // An odd first period may be short or long, but not longer than two regular periods: beyond that the first
  // installment would carry months of interest, which is a data-entry error far more often than a product.
  else if (firstPaymentDate > dueDateAt(interval, disbursementDate, 2))
    issue('first_payment_date', 'must be within two repayment periods of disbursement_date');

  if (issues.length === 0 && options.fixedLength !== null) {
    // The fixed end must fall after the loan's last regular due date but one (Fineract refuses the same).
    const end = fixedLengthEnd(interval, disbursementDate, options.fixedLength);
    const before = termCount === 1 ? disbursementDate : dueDateAt(interval, firstPaymentDate, termCount - 2);
    const regular = dueDateAt(interval, firstPaymentDate, termCount - 1);
    if (end <= before || end > regular)
      issue(
        'term_count',
        `the program's fixed_length (${options.fixedLength}) ends the loan on ${end}: it must end after installment ${termCount - 1} is due and no later than ${regular}`,
      );
  }
  const charges = toCharges(program.charges);
  if (issues.length > 0) return err(validationFailure('invalid loan request', issues));

  const terms: LoanTerms = {
    currency: program.currency,
    principal: r.principal,
    downPayment,
    amountFinanced: r.principal - downPayment,
    annualInterestRate: rate,
    interestMethod: program.interest_method,
    amortization: program.amortization,
    interestCalculation: program.interest_calculation,
    dayCount: program.day_count,
    repaymentFrequency: frequency,
    termCount,
    fixedInstallment: fixed,
    rateChanges: [],
    tranches: [],
    multiDisbursement: toMultiDisbursement(program.multi_disbursement),
    disbursementDate,
    firstPaymentDate,
    grace: {
      principalPeriods: program.grace.principal_periods,
      interestPeriods: program.grace.interest_periods,
      interestFreePeriods: program.grace.interest_free_periods,
    },
    options,
    charges,
    rounding: { mode: program.rounding.mode, installmentMultiple: program.rounding.installment_multiple },
    allocationOrder: program.allocation_order,
    futureInstallments: program.future_installments,
    lateFee: toLateFee(program.late_fee),
    prepaymentPenalty: prepaymentPenaltyTerms(program.prepayment_penalty),
    payoffInterest: program.payoff_interest,
    delinquency: {
      buckets: program.delinquency.buckets,
      chargeOffAfterDays: program.delinquency.charge_off_after_days,
    },
  };
  if (fixed !== null) {
    const term = fixedInstallmentTerm({ ...terms, fixedInstallment: fixed }, tb);
    if (!term.ok) issue('fixed_installment', term.error);
    else terms.termCount = termCount = term.value;
  }
  const changes = rateChangesOf(program, r.rate_changes, issue);
  if (issues.length === 0 && changes.length > 0) {
    const last = generateSchedule(terms).rows.at(-1)!.dueDate;
    issues.push(...rateChangeIssues(changes, disbursementDate, last));
    terms.rateChanges = changes;
  }
  const tranches = (r.tranches ?? []).map((t) => ({ date: t.date, amount: t.amount }));
  if (issues.length === 0) {
    issues.push(...trancheIssues(terms.multiDisbursement, tranches, disbursementDate, terms.amountFinanced));
    if (issues.length === 0 && tranches.length > 0) {
      terms.tranches = tranches;
      issues.push(
        ...scheduledTrancheIssues(terms.multiDisbursement!, tranches, generateSchedule(terms).rows),
      );
    }
  }
  if (issues.length === 0)
    issues.push(
      ...chargeIssues({
        charges,
        termCount,
        amountFinanced: r.principal - downPayment,
        rounding: program.rounding,
      }),
    );
  if (issues.length > 0) return err(validationFailure('invalid loan request', issues));
  return ok(terms);
}

/**
 * The request's fixed installment, checked against the program's `fixed_installment`: allowed, within its bounds,
 * a multiple of the installment multiple, and not sent with a term_count (the term follows from it).
 */
function fixedInstallmentOf(
  program: InstallmentProgramTerms,
  r: { fixed_installment?: number | undefined; term_count?: number | undefined },
  issue: (path: string, message: string) => void,
): FixedInstallment | null {
  const amount = r.fixed_installment;
  if (amount === undefined) return null;
  const bounds = program.fixed_installment;
  if (bounds === null) {
    issue(
      'fixed_installment',
      'the program does not allow a fixed installment (its terms have no fixed_installment)',
    );
    return null;
  }
  if (r.term_count !== undefined)
    issue('term_count', 'must be omitted with fixed_installment: the term follows from the installment');
  if (amount < bounds.min || amount > bounds.max)
    issue('fixed_installment', `must be between ${bounds.min} and ${bounds.max}`);
  const multiple = program.rounding.installment_multiple;
  if (multiple > 1 && amount % multiple !== 0)
    issue('fixed_installment', `must be a multiple of rounding.installment_multiple (${multiple})`);
  return { amount, lastInstallmentThresholdPercent: bounds.last_installment_threshold_percent };
}

/** The request's rate changes, each rate within the program's bounds, where the program allows them. */
function rateChangesOf(
  program: InstallmentProgramTerms,
  requested: { effective_date: CalendarDate; annual_interest_rate: string }[] | undefined,
  issue: (path: string, message: string) => void,
): RateChange[] {
  if (requested === undefined || requested.length === 0) return [];
  if (!program.rate_changes) {
    issue('rate_changes', 'the program does not allow rate changes (its terms have rate_changes false)');
    return [];
  }
  const { min, max } = program.annual_interest_rate;
  requested.forEach((c, k) => {
    if (comparePercent(c.annual_interest_rate, min) < 0 || comparePercent(c.annual_interest_rate, max) > 0)
      issue(`rate_changes.${k}.annual_interest_rate`, `must be between ${min} and ${max}`);
  });
  return requested.map((c) => ({
    effectiveDate: c.effective_date,
    annualInterestRate: c.annual_interest_rate,
  }));
}

function prepaymentPenaltyTerms(
  p: InstallmentProgramTerms['prepayment_penalty'],
): PrepaymentPenaltyTerms | null {
  if (p === null) return null;
  if (p.type === 'flat') return { type: 'flat', amount: p.amount, withinInstallments: p.within_installments };
  return { type: 'percent', percent: p.percent, withinInstallments: p.within_installments };
}
