// The card-authorizations module's public surface: expense categories, lines of credit, the card registry,
// authorization requests, the decision engine and its relays, and the loan-funding port.
export type { Card, CardInput, CardStatus } from './cards.js';
export { CARD_STATUSES, CardService } from './cards.js';
export type { ExpenseCategory, ExpenseCategoryInput } from './categories.js';
export { ExpenseCategoryService } from './categories.js';
export type { CardMessage, Decision, DecisionReason } from './domain/messages.js';
export type { CardRelay } from './domain/relay.js';
export type {
  CardDirectoryView,
  ExpenseCategoryResolver,
  LineOfCreditResolver,
  PendingTransaction,
} from './domain/resolvers.js';
export type { Decider } from './engine/group-commit.js';
export type { BatchItem, BatchResult } from './engine/items.js';
export type { CardSpendPosting, FundingRunReport, LoanFunding } from './funding.js';
export type { LineOfCredit, LineOfCreditInput } from './lines.js';
export { LineOfCreditService } from './lines.js';
export {
  CARD_CHANGES,
  type CardAuthorizations,
  type CardAuthorizationsNeeds,
  cardAuthorizationsModule,
} from './module.js';
export { cardAuthorizationRegistries } from './registry.js';
export type { AuthorizationRequest, AuthorizationRequestDetail } from './requests.js';
export { AuthorizationRequestService } from './requests.js';
export { cardAuthorizationRoutes } from './routes/index.js';
export * as cardAuthorizationTables from './store.js';
