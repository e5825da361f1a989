export { closingDateIn, firstCycleEnd, nextCycleEnd } from './cycle.js';
export {
  type CycleInterest,
  type CycleInterestInput,
  cycleInterest,
  type PrincipalMovement,
} from './interest.js';
export {
  type Allocation,
  assessLateFee,
  availableCredit,
  balanceOf,
  draw,
  type LastStatement,
  LINE_STATUSES,
  type LineState,
  type LineStatus,
  openLine,
  type Posting,
  postFee,
  postPayment,
  type Transaction,
} from './line.js';
export { closeCycle, type Statement } from './statement.js';
export { requestClose, transitionLine } from './status.js';
export {
  ALLOCATION_TARGETS,
  type AllocationTarget,
  type LineProgramTerms,
  type LineProgramTermsInput,
  type LineRequest,
  type LineTerms,
  lineProgramTermsSchema,
  lineRequestSchema,
  resolveLineTerms,
} from './terms.js';
