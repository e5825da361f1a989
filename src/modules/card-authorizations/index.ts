// The card-authorizations module's public surface: expense categories, lines of credit, the card registry,
// authorization requests, the decision engine and its relays, and the loan-funding port.
export type { Card, CardInput, CardStatus } from './cards/service.js';
export { CARD_STATUSES, CardService } from './cards/service.js';
export type { ExpenseCategory, ExpenseCategoryInput } from './categories/service.js';
export { ExpenseCategoryService } from './categories/service.js';
export type { Decider } from './decisions/group-commit.js';
export type { BatchItem, BatchResult } from './decisions/items.js';
export type { CardMessage, Decision, DecisionReason } from './domain/messages.js';
export type { LoanExists } from './domain/owners.js';
export type { CardRelay } from './domain/relay.js';
export type {
  CardDirectoryView,
  ExpenseCategoryResolver,
  LineOfCreditResolver,
  PendingTransaction,
} from './domain/resolvers.js';
export type { CardSpendPosting, FundingRunReport, LoanFunding } from './funding/service.js';
export type { LineOfCredit, LineOfCreditInput } from './lines/service.js';
export { LineOfCreditService } from './lines/service.js';
export {
  CARD_CHANGES,
  type CardAuthorizations,
  type CardAuthorizationsNeeds,
  cardAuthorizationsModule,
} from './module.js';
export { cardAuthorizationRegistries } from './registry.js';
export type { AuthorizationRequest, AuthorizationRequestDetail } from './requests/service.js';
export { AuthorizationRequestService } from './requests/service.js';
