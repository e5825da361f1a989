import { err, type Failure, failure, ok, type Result } from '../../../../kernel/result.js';
import { financeChargeDisclosure } from '../../domain/apr/index.js';
import { percentRatio } from '../../domain/exact.js';
import {
  disclosureFlows,
  generateSchedule,
  type InstallmentProgramTerms,
  type LoanTerms,
  progressiveServicing,
  RECALCULATED_DAILY,
  recalculationOf,
  resolveLoanTerms,
  type Schedule,
} from '../../domain/installment/index.js';
import type { LendingProgram, OpenedLoan } from '../../product.js';
import { disclosureJson, scheduleRowJson, termsJson, totalsJson } from './json.js';

interface Priced {
  terms: LoanTerms;
  schedule: Schedule;
  disclosure: ReturnType<typeof disclosureJson>;
}

/**
 * Terms, schedule and the Truth in Lending disclosure of a request (1026.18: the amount financed, less the prepaid
 * finance charge, against the rows' payments with the fees that are finance charges; charges.ts).
 */
function price(program: InstallmentProgramTerms, request: unknown): Result<Priced> {
  const resolved = resolveLoanTerms(program, request);
  if (!resolved.ok) return resolved;
  const terms = resolved.value;
  const schedule = generateSchedule(terms);
  const disclosure = financeChargeDisclosure(disclosureFlows(terms, schedule.rows));
  if (!disclosure.ok) return err(scheduleFailure(disclosure.error, request));
  return ok({ terms, schedule, disclosure: disclosureJson(disclosure.value) });
}

/** The request fields a schedule is built from: what a failure of the schedule's disclosure is about. */
const SCHEDULE_FIELDS = [
  'principal',
  'down_payment',
  'annual_interest_rate',
  'term_count',
  'fixed_installment',
  'rate_changes',
  'tranches',
  'disbursement_date',
  'first_payment_date',
] as const;

/**
 * The disclosure is computed from flows Plinth built (the schedule's rows), so its own field paths
 * (`payments.3.amount`) mean nothing to the client: the failure names the fields of the request the schedule came
 * from instead, keeping its code and reason.
 */
export function scheduleFailure(cause: Failure, request: unknown): Failure {
  const sent = typeof request === 'object' && request !== null ? Object.keys(request) : [];
  const reason = `these terms give a schedule with no Truth in Lending disclosure (${cause.message}${
    cause.fields?.length ? `: ${cause.fields.map((f) => `${f.path} ${f.message}`).join('; ')}` : ''
  })`;
  return failure('unprocessable', cause.code, reason, {
    fields: SCHEDULE_FIELDS.filter((f) => sent.includes(f)).map((path) => ({ path, message: reason })),
  });
}

/** An installment-loan program: quotes and originates loans within its terms. */
export function installmentProgram(program: InstallmentProgramTerms): LendingProgram {
  return {
    product: 'installment_loan',
    quote(request) {
      const priced = price(program, request);
      if (!priced.ok) return priced;
      const { terms, schedule, disclosure } = priced.value;
      return ok({
        product: 'installment_loan',
        terms: termsJson(terms),
        schedule: schedule.rows.map(scheduleRowJson),
        totals: totalsJson(schedule),
        disclosure,
      });
    },
    open(request): Result<OpenedLoan> {
      const priced = price(program, request);
      if (!priced.ok) return priced;
      const { terms, schedule, disclosure } = priced.value;
      return ok({
        terms: { ...terms },
        currency: terms.currency,
        amount: terms.amountFinanced,
        startDate: terms.disbursementDate,
        maturityDate: schedule.rows.at(-1)?.dueDate ?? null,
        installmentCount: schedule.rows.length,
        disclosure,
        parameters: {
          rate: percentRatio(terms.annualInterestRate),
          dayCount: terms.dayCount,
          // A recalculating loan's close of business accrues on the principal balance (recalculation.ts).
          interestCalculation: recalculationOf(terms) ? RECALCULATED_DAILY : terms.interestCalculation,
          ...progressiveServicing(terms),
          roundingMode: terms.rounding.mode,
          flatInterestBasis: terms.interestMethod === 'flat' ? terms.amountFinanced : null,
          lateFee: terms.lateFee,
          chargeOffAfterDays: terms.delinquency.chargeOffAfterDays,
          delinquencyBuckets: terms.delinquency.buckets,
        },
      });
    },
  };
}
