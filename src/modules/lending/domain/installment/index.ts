// The installment-loan engine: pure functions over terms, schedules and loan events (no I/O).

export { lateFeeAmount } from '../common-terms.js';
export {
  type Allocation,
  type AllocationBucket,
  type AllocationLine,
  allocatePayment,
} from './allocation.js';
export {
  chargesJson,
  disbursementCharges,
  disclosureFlows,
  type ScheduledCharge,
  toCharges,
} from './charges.js';
export { DEFAULT_DELINQUENCY_BUCKETS, daysPastDue, delinquencyBucket } from './delinquency.js';
export {
  ALLOWED_FROM,
  checkTransition,
  compareEvents,
  LOAN_STATUSES,
  type LoanEvent,
  type LoanEventType,
  type LoanStatus,
} from './events.js';
export {
  type Amounts,
  type Installment,
  installmentsFromSchedule,
  outstandingAmounts,
  totalOutstanding,
} from './installments.js';
export { type AccrualRow, accruedInterestTo, type InterestBasis, interestBasis } from './interest.js';
export { type LateFeeAssessment, lateFeeAssessmentDate, lateFeesDue } from './late-fees.js';
export {
  ACCOUNTS,
  type Account,
  isBalanced,
  type JournalEntry,
  type JournalLine,
  journalBalances,
  restatementEntry,
} from './ledger.js';
export { type ScheduleOptions, scheduleOptionsJson } from './options.js';
export { calculatePayoff, type Payoff, settleForPayoff } from './payoff.js';
export {
  dueDateAt,
  type Interval,
  intervalOf,
  PERIODS_PER_YEAR,
  REPAYMENT_FREQUENCIES,
  type RepaymentFrequency,
} from './periods.js';
export { type RateStep, stepsJson } from './rate-timeline.js';
export { RECALCULATED_DAILY, recalculationOf } from './recalculation.js';
export { progressiveServicing } from './recalculation-progressive.js';
export { type LoanState, type ReplayOptions, replay } from './replay.js';
export { type ReplayedDay, replayDuring } from './replay-during.js';
export { parseProgramTerms, resolveLoanTerms } from './resolve.js';
export {
  type FrozenSchedule,
  generateSchedule,
  type Schedule,
  type ScheduleRow,
  snapshotSchedule,
} from './schedule.js';
export type { PaymentRecord } from './servicing.js';
export {
  type Component,
  type InstallmentLoanRequest,
  type InstallmentProgramTerms,
  installmentLoanRequestSchema,
  installmentProgramTermsSchema,
  type LoanTerms,
  loanTermsOf,
} from './terms.js';
