export {
  constantYieldPayment,
  type LeaseDisclosure,
  type LeaseSchedule,
  type LeaseScheduleRow,
  leaseSchedule,
} from './schedule.js';
export { allowedLeaseTransitions, LEASE_STATUSES, type LeaseStatus, transitionLease } from './state.js';
export {
  type EarlyTerminationInput,
  type EarlyTerminationQuote,
  earlyTerminationQuote,
  type MaturityPurchaseQuote,
  maturityDate,
  maturityPurchaseQuote,
} from './termination.js';
export {
  type LeaseProgramTerms,
  type LeaseProgramTermsInput,
  type LeaseRequest,
  type LeaseTerms,
  leaseProgramTermsSchema,
  leaseRequestSchema,
  resolveLeaseTerms,
} from './terms.js';
