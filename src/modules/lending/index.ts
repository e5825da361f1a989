// The lending module's public surface: programs, loans and their servicing, the business date, close of business.
export { BusinessDateService } from './business-date/service.js';
export {
  CardFundingService,
  type CardPosting,
  type CardSpend,
} from './card-funding/service.js';
export { closeOfBusinessRoutes, runJson } from './close-of-business/routes.js';
export { CloseOfBusinessService, COB_BATCH_QUEUE } from './close-of-business/service.js';
export type { RunProgress } from './close-of-business/store.js';
export { LoanCompliance } from './compliance/collections.js';
export { checkDisclosedApr, computeApr } from './domain/apr/index.js';
export {
  type CollateralRecovery,
  type ServicingStatus,
  type StatusRecord,
  statusAsOf,
} from './domain/servicing-status.js';
export type { BecameLate, NoticeLoan, NoticePage, PaymentDue } from './events/notices.js';
export { LoanNotices } from './events/notices.js';
export { type DayClosedPayload, LENDING_EVENTS, type LoanEventPayload } from './events/published.js';
export { type Lending, lendingModule } from './module.js';
export { type Attached, type AttachedKind, attach } from './payments-port/attached.js';
export {
  type CollectibleLoan,
  type InstallmentDue,
  LoanPayments,
  type LoanSnapshot,
} from './payments-port/port.js';
export type { ActionInput, LendingProduct, LendingProgram, LoanServicing } from './product.js';
export { type Program, type ProgramInput, ProgramService } from './programs.js';
export { closeOfBusinessSteps, lendingProgramRegistry, servicingOf } from './registry.js';
export type { CreditAccountRecord, MonthEndPosition } from './reporting/credit.js';
export type { Dated, LoanOutcome } from './reporting/outcomes.js';
export {
  type LoanPosition,
  LoanPositions,
  OFF_BOOK,
  type PositionChange,
  type PositionState,
  positionState,
} from './reporting/positions.js';
export type {
  DisbursementRecord,
  LoanTapeRecord,
  PaymentRecord,
  PostingTotal,
  TrialBalanceLine,
} from './reporting/records.js';
export { LendingReportSource } from './reporting/source.js';
export { programJson, programRoutes } from './routes.js';
export { type AsOf, reconcile } from './servicing/reconcile.js';
export { loanRoutes } from './servicing/routes.js';
export { type ActionOutcome, type LoanInput, LoanService } from './servicing/service.js';
export type { ServicingStatusPayload, StatusChangeInput } from './servicing-status/service.js';
export { ServicingStatusService } from './servicing-status/service.js';
export * as lendingTables from './store.js';
