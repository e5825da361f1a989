import type { Scope } from '../../../kernel/audit.js';
import type { CalendarDate } from '../../../kernel/dates.js';
import { type Db, isUniqueViolation, type RawQuery } from '../../../kernel/db.js';
import type { HeldKey } from '../../../kernel/idempotency.js';
import { isUuid } from '../../../kernel/ids.js';
import { err, failure, invalidField, notFound, ok, type Result } from '../../../kernel/result.js';
import type { BusinessDateService } from '../business-date/service.js';
import type { LendingChecks } from '../compliance/gate.js';
import { DISCLOSES_APR, type OriginatorDisclosure } from '../compliance/originator-disclosure.js';
import * as journal from '../journal/store.js';
import type { InstallmentRow, LoanServicing } from '../product.js';
import type { ProgramService } from '../programs.js';
import { rateInForce } from '../rate-in-force.js';
import { LENDING_SERVICING } from '../registry.js';
import type { JournalRow, LoanRow } from '../tables.js';
import { LoanActions } from './actions.js';
import { balancesOf, scheduleJson } from './json.js';
import { duplicateRef, newLoanRow } from './origination.js';
import type { LoanRead } from './read.js';
import * as store from './store.js';
import { LoanWriter } from './writer.js';

export type { ActionOutcome, KeyedStep } from './actions.js';

export interface LoanInput {
  programId: string;
  customerId?: string;
  externalRef?: string;
  /** The product's request fields (principal, rates, dates ...), validated by the program. */
  request: Record<string, unknown>;
  /** The Truth in Lending figures the originator disclosed (closed-end loans with an APR only). */
  originatorDisclosure?: OriginatorDisclosure;
}

export interface LoanDetails {
  loan: LoanRow;
  businessDate: CalendarDate;
  installments: InstallmentRow[];
  events: store.EventRecord[];
  journal: JournalRow[];
  /** The annual rate in force on the business date, in percent (rate-in-force.ts). */
  rateInForce: string;
  /** What each event did (a payment's allocation), from a replay as of the business date. */
  effects: ReadonlyMap<string, Record<string, unknown>>;
  /** What the product adds to the view (a line's statements, a lease's schedule), from its own store. */
  extra: Record<string, unknown>;
}

/**
 * Loans of every product, event-sourced: origination and the reads here, every change through `LoanActions`
 * (actions.ts). A write appends one event, replays the events as of the business date through the product's
 * engine, and writes the installment rows that changed, the journal difference and the loan in one statement.
 */
type ListOptions = store.LoanFilter & { limit: number; before?: string };

export class LoanService {
  readonly #writer: LoanWriter;
  readonly #actions: LoanActions;

  constructor(
    private readonly deps: {
      db: Db;
      raw: RawQuery;
      programs: ProgramService;
      businessDates: BusinessDateService;
      servicing: (product: string) => LoanServicing | null;
      customerExists: (scope: Scope, id: string) => Promise<boolean>;
      /** The compliance gate of approvals, disbursements, fees and rate changes (absent: nothing is gated). */
      checks?: LendingChecks;
      /** Told when a write published a domain event (the relay in this process hands it out at once). */
      published?: () => void;
    },
  ) {
    this.#writer = new LoanWriter({
      raw: deps.raw,
      servicing: deps.servicing,
      products: LENDING_SERVICING,
      published: deps.published,
    });
    this.#actions = new LoanActions({
      raw: deps.raw,
      writer: this.#writer,
      servicing: (product) => this.#servicing(product),
      checks: deps.checks,
    });
  }

  #servicing(product: string): Result<LoanServicing> {
    const s = this.deps.servicing(product);
    return s
      ? ok(s)
      : err(failure('unprocessable', 'product_not_serviced', `${product} accounts are not serviced yet`));
  }

  async create(scope: Scope, input: LoanInput): Promise<Result<LoanRow>> {
    const found = await this.deps.programs.lending(scope, input.programId);
    if (!found.ok)
      return found.error.kind === 'not_found'
        ? err(invalidField('program_id', 'no such program', 'unknown_program'))
        : found;
    const { program, lending } = found.value;
    if (program.status !== 'active')
      return err(invalidField('program_id', 'the program is retired', 'program_retired'));
    const servicing = this.#servicing(lending.product);
    if (!servicing.ok) return servicing;
    if (input.originatorDisclosure && !DISCLOSES_APR.has(lending.product))
      return err(
        invalidField(
          'originator_disclosure',
          `a ${lending.product} has no closed-end APR disclosure to give`,
        ),
      );
    if (input.customerId && !(await this.deps.customerExists(scope, input.customerId)))
      return err(invalidField('customer_id', 'no such customer', 'unknown_customer'));
    const opened = lending.open(input.request);
    if (!opened.ok) return opened;
    await this.deps.businessDates.ensure(scope.tenantId);
    try {
      const row = await store.insertLoan(
        this.deps.db,
        newLoanRow(scope.tenantId, program.id, lending.product, input, opened.value),
      );
      return ok(row);
    } catch (e) {
      if (input.externalRef && isUniqueViolation(e, 'loans_external_ref'))
        return err(duplicateRef(input.externalRef));
      throw e;
    }
  }

  async get(scope: Scope, id: string): Promise<Result<LoanRow>> {
    const row = isUuid(id) ? await store.findLoan(this.deps.db, scope.tenantId, id) : undefined;
    return row ? ok(row) : err(notFound('loan'));
  }

  /**
   * The loan as a write reads it (one statement, shared with the reads in flight): its row, the business date,
   * its events and installment rows. For callers that read a loan before acting on it (a collection).
   */
  async snapshot(scope: Scope, id: string): Promise<Result<LoanRead>> {
    return (await this.snapshotKeyed(scope, id, null)).read;
  }

  /** `snapshot` with the request's Idempotency-Key looked up in the same statement (`held`: used before). */
  async snapshotKeyed(
    scope: Scope,
    id: string,
    key: string | null,
  ): Promise<{ read: Result<LoanRead>; held: HeldKey | null }> {
    const { read, held } = await this.#writer.read(scope.tenantId, isUuid(id) ? id : null, key);
    return { read: read ? ok(read) : err(notFound('loan')), held };
  }

  /**
   * calculate_payoff on the snapshot's business date (null: the loan's product has no payoff in its state). The
   * replay it quotes from is kept on the read (`replayed`), for a write planned from the same read to continue.
   */
  payoffOf(read: LoanRead): Result<Record<string, unknown>> {
    const servicing = this.#servicing(read.loan.product);
    if (!servicing.ok) return servicing;
    const { terms } = read.loan;
    if (!servicing.value.replayDuring)
      return servicing.value.payoffQuote(terms, read.events, read.businessDate);
    const day = servicing.value.replayDuring(terms, read.events, read.businessDate);
    if (!day.ok) return day;
    read.replayed = day.value;
    return day.value.payoffQuote();
  }

  /** The loan with its schedule, events, journal and what each event did. */
  async details(scope: Scope, id: string): Promise<Result<LoanDetails>> {
    const found = await this.get(scope, id);
    if (!found.ok) return found;
    const loan = found.value;
    const { db } = this.deps;
    const businessDate = await this.deps.businessDates.ensure(scope.tenantId);
    const installments = await store.loadInstallments(db, scope.tenantId, id);
    const events = await store.listEvents(db, scope.tenantId, id);
    const rows = await journal.journalRows(db, scope.tenantId, id);
    const servicing = this.deps.servicing(loan.product);
    const replayed = servicing?.replay(loan.terms, events, businessDate, { closeOfBusiness: false });
    const effects = replayed?.ok ? replayed.value.effects : new Map<string, Record<string, unknown>>();
    const extra = servicing?.store
      ? await servicing.store.details(
          db,
          { tenantId: scope.tenantId, loanId: id, terms: loan.terms, amount: loan.amount },
          { installments, schedule: scheduleJson(installments, loan.amount), balances: balancesOf(rows) },
        )
      : {};
    return ok({
      loan,
      businessDate,
      rateInForce: rateInForce(loan, businessDate),
      installments,
      events,
      journal: rows,
      effects,
      extra,
    });
  }

  list(scope: Scope, opts: ListOptions & { summary: true }): Promise<store.LoanSummary[]>;
  list(scope: Scope, opts: ListOptions & { summary?: false }): Promise<store.LoanView[]>;
  async list(scope: Scope, opts: ListOptions & { summary?: boolean }): Promise<store.LoanSummary[]> {
    // An id that is no loan's (another tenant's program, a typo) finds no loans rather than failing.
    if ((opts.programId && !isUuid(opts.programId)) || (opts.customerId && !isUuid(opts.customerId)))
      return [];
    const { summary, ...filter } = opts;
    const query = { ...filter, before: opts.before && isUuid(opts.before) ? opts.before : undefined };
    return summary
      ? store.listLoans(this.deps.db, scope.tenantId, { ...query, summary })
      : store.listLoans(this.deps.db, scope.tenantId, query);
  }

  /** Records an action as an event and services the loan (actions.ts). */
  act(...args: Parameters<LoanActions['act']>): ReturnType<LoanActions['act']> {
    return this.#actions.act(...args);
  }

  /** `act` under an Idempotency-Key (actions.ts). */
  actKeyed(...args: Parameters<LoanActions['actKeyed']>): ReturnType<LoanActions['actKeyed']> {
    return this.#actions.actKeyed(...args);
  }

  /** Re-projects a loan from its events and posts what the journal lacks (actions.ts). */
  rebuild(...args: Parameters<LoanActions['rebuild']>): ReturnType<LoanActions['rebuild']> {
    return this.#actions.rebuild(...args);
  }

  /**
   * calculate_payoff on `date` (default: the business date), within [disbursement, business date]. `details` are
   * the product's own quote fields (a lease's realized value).
   */
  async payoffQuote(
    scope: Scope,
    id: string,
    date?: CalendarDate,
    details: Record<string, unknown> = {},
  ): Promise<Result<Record<string, unknown>>> {
    const found = await this.get(scope, id);
    if (!found.ok) return found;
    const loan = found.value;
    const servicing = this.#servicing(loan.product);
    if (!servicing.ok) return servicing;
    const today = await this.deps.businessDates.ensure(scope.tenantId);
    const on = date ?? today;
    if (on > today) return err(invalidField('date', `must not be after the business date ${today}`));
    if (on < loan.startDate)
      return err(invalidField('date', `must not be before the disbursement date ${loan.startDate}`));
    const events = await store.loadEvents(this.deps.db, scope.tenantId, id);
    return servicing.value.payoffQuote(loan.terms, events, on, details);
  }
}
