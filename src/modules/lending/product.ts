import type { PgTable } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { CalendarDate } from '../../kernel/dates.js';
import type { Db } from '../../kernel/db.js';
import type { Minor, RoundingMode } from '../../kernel/money.js';
import type { Failure, Result } from '../../kernel/result.js';
import type { ProviderDefinition } from '../../providers/index.js';
import type { LateFeeTerms } from './domain/common-terms.js';

/**
 * What every lending product (installment loan, lease, line of credit) gives the generic servicing: the seed's
 * LendingProgramProtocol (generate_schedule, apply_payment, calculate_payoff) shaped the way an event-sourced store
 * uses it. A `LendingProgram` is built from one program's terms by its provider definition; its `servicing` is the
 * product's, shared by every program of that product, and works from a loan's own terms snapshot.
 */

/** A product: the key of its `lending_program` definition (registry.ts lists them). */
export type LendingProduct = string;

/**
 * A lending program type: the provider definition that validates a program's terms and builds its
 * `LendingProgram`, and the servicing every loan of the product gets. The registry's definitions are the only list
 * of products.
 */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds definitions of every program's terms.
export interface LendingProgramDefinition<T = any> extends ProviderDefinition<T, LendingProgram> {
  readonly servicing: LoanServicing;
  /** What a loan or quote request under the type takes (published for forms; `open` and `quote` validate). */
  readonly requestSchema?: z.ZodType;
}

export interface LendingProgram {
  readonly product: LendingProduct;
  /** Validates a loan request within the program's bounds and resolves the loan's own terms. */
  open(request: unknown): Result<OpenedLoan>;
  /** generate_schedule for a request, nothing stored: the wire JSON of a quote (rows, totals, disclosure). */
  quote(request: unknown): Result<Record<string, unknown>>;
}

/** A loan request resolved under its program: what the loans row stores. */
export interface OpenedLoan {
  /** The loan's resolved terms: a JSON snapshot only the product reads back. */
  terms: Record<string, unknown>;
  currency: string;
  /** Amount financed (installment loan), adjusted capitalized cost (lease) or credit limit (line). */
  amount: Minor;
  /** Disbursement, commencement or opening date. */
  startDate: CalendarDate;
  maturityDate: CalendarDate | null;
  installmentCount: number;
  parameters: ServicingParameters;
  /** Wire JSON of the origination disclosure (APR, finance charge, amount financed, total of payments). */
  disclosure: Record<string, unknown> | null;
}

/** The parts of the terms close of business reads from plain columns. */
export interface ServicingParameters {
  /** The annual rate as an exact fraction (9.4822% is 94822 / 1,000,000). */
  rate: { num: bigint; den: bigint };
  dayCount: string | null;
  interestCalculation: string | null;
  roundingMode: RoundingMode;
  /** Flat interest is charged on this amount every period; null for declining balance. */
  flatInterestBasis: Minor | null;
  lateFee: LateFeeTerms | null;
  chargeOffAfterDays: number | null;
  delinquencyBuckets: readonly number[];
  /** Progressive interest recalculation: each row's period rate factor φ as [num, den] (recalculation-progressive.ts). */
  periodFactors?: [string, string][] | null;
}

/** A loan event as stored (loan_events). */
export interface StoredEvent {
  id: string;
  sequence: number;
  type: string;
  effectiveDate: CalendarDate;
  payload: Record<string, unknown>;
}

/** What an action asks the product to record. */
export type EventDraft = Omit<StoredEvent, 'id' | 'sequence'>;

export const LOAN_ACTIONS = [
  'approve',
  'reject',
  'withdraw',
  'disburse',
  'disburse_tranche',
  'payment',
  'payment_reversal',
  'draw',
  'fee',
  'freeze',
  'unfreeze',
  'charge_off',
  'close',
  'terminate',
  'rate_change',
] as const;
export type LoanAction = (typeof LOAN_ACTIONS)[number];

/** An action as the routes validated it; products read what they need and refuse what they do not support. */
export interface ActionInput {
  action: LoanAction;
  effectiveDate?: CalendarDate;
  amount?: Minor;
  /** When given, must be the loan's currency. */
  currency?: string;
  /** Payments: settle the loan by the payoff rules rather than the waterfall. */
  payoff?: boolean;
  /** Reversals: the payment event to reverse. */
  paymentId?: string;
  /** Rate changes: the annual rate from the effective date, percent ("6"). */
  annualInterestRate?: string;
  /** Product-specific fields (a lease termination's reason, say). */
  details?: Record<string, unknown>;
}

/**
 * One installment row of the projection (loan_installments): the installment engine's serviced installment,
 * which leases reuse (principal = depreciation, interest = rent charge).
 */
import type { Installment } from './domain/installment/installments.js';

export type { Amounts } from './domain/installment/installments.js';
export type InstallmentRow = Installment;

export interface LedgerLine {
  account: string;
  side: 'debit' | 'credit';
  amount: Minor;
}

/** A balanced journal entry as an engine produces it. */
export interface LedgerEntry {
  date: CalendarDate;
  kind: string;
  eventId: string | null;
  lines: readonly LedgerLine[];
}

/** A replayed loan in the shape the store keeps. */
export interface LoanProjection {
  status: string;
  /** Whether close of business must visit the loan. */
  cobActive: boolean;
  daysPastDue: number;
  delinquencyBucket: string;
  creditBalance: Minor;
  nextDueDate: CalendarDate | null;
  oldestUnpaidDue: CalendarDate | null;
  nextLateFeeOn: CalendarDate | null;
  accrualCursor: number | null;
  installments: readonly InstallmentRow[];
  /** The whole replayed journal (the restated history). The store posts its difference from what it holds. */
  journal: readonly LedgerEntry[];
  /** Wire JSON per event id: what the event did (a payment's allocation, a reversal's date). */
  effects: ReadonlyMap<string, Record<string, unknown>>;
  /** The product's own projection (a line's open cycle and statements), written by its `store`. */
  product?: unknown;
  /** The annual rate in force (the loan's `rate_num / rate_den`), when the product's rate can change. */
  rate?: { num: bigint; den: bigint };
  /** A daily-interest loan's rates by date when they changed (the loan's `rate_steps`); absent or null: none. */
  rateSteps?: Record<string, string | null>[] | null;
  /** A recalculating loan's principal paid but earning until its rest date (the loan's `rest_pending`, `rest_until`). */
  restPending?: { amount: Minor; until: CalendarDate } | null;
  /**
   * A recalculating loan past maturity: the stretch its last installment earns since `since`, what it earned before
   * and the balance (the loan's `after_maturity_from`, `_earned`, `_balance`); absent or null: none.
   */
  afterMaturity?: { since: CalendarDate; earned: Minor; balance: Minor } | null;
}

export interface ReplayOptions {
  /** true: after the close of business of `asOf`; false: during `asOf`, after its events. */
  closeOfBusiness: boolean;
}

/** A replay during a date (after its events, before its close of business) that one more payment may continue. */
export interface DayReplay {
  /** calculate_payoff on the date: what payoffQuote(terms, events, date) gives. */
  payoffQuote(): Result<Record<string, unknown>>;
  /**
   * What replay(terms, [...events, event], date, { closeOfBusiness: false }) gives, continued from this replay;
   * null when it cannot be (not a payment on the date after every event, or continued already): then replay.
   */
  withPayment(event: StoredEvent): Result<LoanProjection, Failure> | null;
}

export interface LoanServicing {
  readonly product: LendingProduct;
  /** The event an action records (apply_payment and every other step), or why the product refuses it. */
  event(
    input: ActionInput,
    loan: { startDate: CalendarDate },
    businessDate: CalendarDate,
  ): Result<EventDraft>;
  /** Replays a loan's events as of a date. */
  replay(
    terms: unknown,
    events: readonly StoredEvent[],
    asOf: CalendarDate,
    options: ReplayOptions,
  ): Result<LoanProjection, Failure>;
  /**
   * The replay of `events` during `asOf` kept for one more payment on that date: a collection quotes the payoff
   * from it when it reads the loan, then its write continues it with the payment instead of replaying the events
   * again (DayReplay). Optional: without it the write replays.
   */
  replayDuring?(terms: unknown, events: readonly StoredEvent[], asOf: CalendarDate): Result<DayReplay>;
  /** calculate_payoff: the wire JSON of a payoff quote for `date` (`details`: product fields of the request). */
  payoffQuote(
    terms: unknown,
    events: readonly StoredEvent[],
    date: CalendarDate,
    details?: Record<string, unknown>,
  ): Result<Record<string, unknown>>;
  /** The loan's terms snapshot as wire JSON (snake_case). */
  termsJson(terms: unknown): Record<string, unknown>;
  /** Close-of-business statements for this product, run in order inside each batch's transaction. */
  readonly closeOfBusiness: readonly CobStep[];
  /** The product's own tables, for products whose projection does not fit the generic rows. */
  readonly store?: ProductStore;
}

export interface LoanKey {
  tenantId: string;
  loanId: string;
}

/**
 * One of a product's own projection tables, kept equal to the replay like the generic rows: the product says what
 * rows the replay gives, servicing reads, compares and writes them (servicing/product-rows.ts).
 */
export interface ProductTable {
  /** Its drizzle table, keyed by (tenant_id, loan_id, ...key). */
  readonly table: PgTable;
  /** The columns (drizzle field names) after tenantId and loanId that identify a row; none: one row per loan. */
  readonly key: readonly string[];
  /** The rows the replay gives the loan (drizzle field names, without tenantId and loanId). */
  rows(projection: LoanProjection): readonly object[];
}

/** A product's own tables, and its part of the loan view. */
export interface ProductStore {
  readonly tables: readonly ProductTable[];
  /**
   * What the product adds to (or replaces in) GET /v1/loans/{id}: statements, its schedule view (from the
   * generic `schedule` rows), its outstanding amounts read from the journal `balances`.
   */
  details(
    db: Db,
    loan: LoanKey & { terms: unknown; amount: Minor },
    view: {
      installments: readonly InstallmentRow[];
      schedule: readonly Record<string, unknown>[];
      balances: Readonly<Record<string, Minor>>;
    },
  ): Promise<Record<string, unknown>>;
}

export type { CobBatch } from './domain/cob-batch.js';

import type { CobBatch } from './domain/cob-batch.js';

/** A set-based statement (or a few) over a batch. Never loan by loan. Returns the rows it changed. */
export interface CobStep {
  name: string;
  run(db: Db, batch: CobBatch): Promise<number>;
}
