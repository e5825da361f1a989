import type { Scope } from '../../../kernel/audit.js';
import type { CalendarDate } from '../../../kernel/dates.js';
import { type Db, isUniqueViolation } from '../../../kernel/db.js';
import { isUuid, uuidv7 } from '../../../kernel/ids.js';
import { err, failure, invalidField, notFound, ok, type Result, unwrap } from '../../../kernel/result.js';
import type { BusinessDateService } from '../business-date/service.js';
import type { LateFeeTerms } from '../domain/common-terms.js';
import { percentRatio } from '../domain/exact.js';
import { addBalances, journalDelta, ledgerBalances, nonZero, toPostings } from '../journal/posting.js';
import * as journal from '../journal/store.js';
import type {
  ActionInput,
  InstallmentRow,
  LoanProjection,
  LoanServicing,
  ReplayOptions,
  StoredEvent,
} from '../product.js';
import type { ProgramService } from '../programs.js';
import { balancesOf } from './json.js';
import { readForWrite, type WriteInputs, type WriteOutputs, writeProjection } from './projection-store.js';
import { changedRows } from './rows.js';
import * as store from './store.js';

export interface LoanInput {
  programId: string;
  customerId?: string;
  externalRef?: string;
  /** The product's request fields (principal, rates, dates ...), validated by the program. */
  request: Record<string, unknown>;
}

export interface LoanDetails {
  loan: store.LoanRow;
  businessDate: CalendarDate;
  installments: InstallmentRow[];
  events: store.EventRecord[];
  journal: journal.JournalRow[];
  /** What each event did (a payment's allocation), from a replay as of the business date. */
  effects: ReadonlyMap<string, Record<string, unknown>>;
  /** What the product adds to the view (a line's statements, a lease's schedule), from its own store. */
  extra: Record<string, unknown>;
}

export interface ActionOutcome {
  loan: store.LoanRow;
  event: StoredEvent;
  projection: LoanProjection;
}

/** The late fee as close of business reads it: a percent carries its exact ratio. */
function lateFeeColumn(fee: LateFeeTerms | null): Record<string, unknown> | null {
  if (!fee) return null;
  if (fee.type === 'flat') return { ...fee };
  const r = percentRatio(fee.percent);
  return { ...fee, rateNum: r.num.toString(), rateDen: r.den.toString() };
}

/** Lifecycle steps that precede the disbursement: their effective date may be before the start date. */
const ORIGINATION = new Set(['approve', 'reject', 'withdraw', 'disburse']);

const duplicateRef = (ref: string) =>
  failure('conflict', 'duplicate_external_ref', `a loan with external_ref "${ref}" already exists`, {
    fields: [{ path: 'external_ref', message: 'already used by another loan' }],
  });

/**
 * Loans of every product, event-sourced. Each write locks the loan, appends one event, replays the events as of
 * the business date through the product's engine, rewrites the installment rows that changed and posts the
 * journal difference, all in one transaction; a failure writes nothing.
 */
export class LoanService {
  constructor(
    private readonly deps: {
      db: Db;
      programs: ProgramService;
      businessDates: BusinessDateService;
      servicing: (product: string) => LoanServicing | null;
      customerExists: (scope: Scope, id: string) => Promise<boolean>;
    },
  ) {}

  #servicing(product: string): Result<LoanServicing> {
    const s = this.deps.servicing(product);
    return s
      ? ok(s)
      : err(failure('unprocessable', 'product_not_serviced', `${product} accounts are not serviced yet`));
  }

  async create(scope: Scope, input: LoanInput): Promise<Result<store.LoanRow>> {
    const found = await this.deps.programs.lending(scope, input.programId);
    if (!found.ok)
      return found.error.kind === 'not_found'
        ? err(invalidField('program_id', 'no such program', 'unknown_program'))
        : found;
    const { program, lending } = found.value;
    if (program.status !== 'active')
      return err(invalidField('program_id', 'the program is retired', 'program_retired'));
    if (!lending.servicing) return this.#servicing(lending.product) as Result<never>;
    if (input.customerId && !(await this.deps.customerExists(scope, input.customerId)))
      return err(invalidField('customer_id', 'no such customer', 'unknown_customer'));
    const opened = lending.open(input.request);
    if (!opened.ok) return opened;
    await this.deps.businessDates.ensure(scope.tenantId);
    const o = opened.value;
    const p = o.parameters;
    try {
      const row = await store.insertLoan(this.deps.db, {
        tenantId: scope.tenantId,
        id: uuidv7(),
        programId: program.id,
        product: lending.product,
        customerId: input.customerId ?? null,
        externalRef: input.externalRef ?? null,
        currency: o.currency,
        status: 'application',
        amount: o.amount,
        terms: o.terms,
        disclosure: o.disclosure,
        startDate: o.startDate,
        maturityDate: o.maturityDate,
        installmentCount: o.installmentCount,
        rateNum: p.rate.num.toString(),
        rateDen: p.rate.den.toString(),
        dayCount: p.dayCount,
        interestCalculation: p.interestCalculation,
        roundingMode: p.roundingMode,
        flatInterestBasis: p.flatInterestBasis,
        lateFee: lateFeeColumn(p.lateFee),
        lateFeeGraceDays: p.lateFee?.graceDays ?? null,
        chargeOffAfterDays: p.chargeOffAfterDays,
        delinquencyBuckets: [...p.delinquencyBuckets],
      });
      return ok(row);
    } catch (e) {
      if (input.externalRef && isUniqueViolation(e, 'loans_external_ref'))
        return err(duplicateRef(input.externalRef));
      throw e;
    }
  }

  async get(scope: Scope, id: string): Promise<Result<store.LoanRow>> {
    const row = isUuid(id) ? await store.findLoan(this.deps.db, scope.tenantId, id) : undefined;
    return row ? ok(row) : err(notFound('loan'));
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
          { installments, balances: balancesOf(rows) },
        )
      : {};
    return ok({ loan, businessDate, installments, events, journal: rows, effects, extra });
  }

  async list(
    scope: Scope,
    opts: { limit: number; before?: string; status?: string },
  ): Promise<store.LoanRow[]> {
    return store.listLoans(this.deps.db, scope.tenantId, {
      ...opts,
      before: opts.before && isUuid(opts.before) ? opts.before : undefined,
    });
  }

  /** Records an action (approve, disburse, a payment, a reversal, ...) as an event and services the loan. */
  async act(scope: Scope, id: string, input: ActionInput): Promise<Result<ActionOutcome>> {
    if (!isUuid(id)) return err(notFound('loan'));
    return this.deps.db.transaction(async (tx) => {
      const loan = await store.lockLoan(tx, scope.tenantId, id);
      if (!loan) return err(notFound('loan'));
      const servicing = unwrap(this.#servicing(loan.product));
      if (input.currency !== undefined && input.currency !== loan.currency)
        return err(
          failure(
            'unprocessable',
            'currency_mismatch',
            `the loan is in ${loan.currency}, not ${input.currency}`,
            {
              fields: [{ path: 'currency', message: `must be ${loan.currency}` }],
            },
          ),
        );
      // Read after the lock: close of business moves the date before it locks its batches (README).
      const read = await readForWrite(tx, scope.tenantId, id, loan.journalThrough);
      const today = read.businessDate;
      const draft = unwrap(servicing.event(input, loan, today));
      if (draft.effectiveDate > today)
        return err(
          invalidField(
            'effective_date',
            `must not be after the business date ${today}`,
            'effective_date_after_business_date',
          ),
        );
      if (!ORIGINATION.has(draft.type) && draft.effectiveDate < loan.startDate)
        return err(
          invalidField(
            'effective_date',
            `must not be before the disbursement date ${loan.startDate}`,
            'effective_date_before_disbursement',
          ),
        );
      const event: StoredEvent = { id: uuidv7(), sequence: loan.lastSequence + 1, ...draft };
      const projection = unwrap(
        servicing.replay(loan.terms, [...read.events, event], today, { closeOfBusiness: false }),
      );
      const actor = scope.actor.id ? `${scope.actor.type}:${scope.actor.id}` : scope.actor.type;
      const updated = await this.#write(tx, loan, read, projection, { ...event, businessDate: today, actor });
      return ok({ loan: updated, event, projection });
    });
  }

  /**
   * Re-projects a loan from its events as of `asOf` and posts whatever the stored journal lacks, as one
   * restatement. A repair tool, and close of business done loan by loan (the benchmark's baseline).
   */
  async rebuild(
    tenantId: string,
    id: string,
    asOf: CalendarDate,
    options: ReplayOptions,
  ): Promise<Result<store.LoanRow>> {
    return this.deps.db.transaction(async (tx) => {
      const loan = await store.lockLoan(tx, tenantId, id);
      if (!loan) return err(notFound('loan'));
      const servicing = unwrap(this.#servicing(loan.product));
      const read = await readForWrite(tx, tenantId, id, loan.journalThrough);
      const projection = unwrap(servicing.replay(loan.terms, read.events, asOf, options));
      return ok(await this.#write(tx, loan, { ...read, businessDate: asOf }, projection, null));
    });
  }

  /** Writes the changed projection and posts what makes the stored journal equal to the replay. */
  async #write(
    tx: Db,
    loan: store.LoanRow,
    read: WriteInputs,
    projection: LoanProjection,
    event: WriteOutputs['event'],
  ): Promise<store.LoanRow> {
    const rows = projection.installments;
    const before = addBalances(loan.balances, read.since.balances);
    const after = ledgerBalances(projection.journal);
    const entries = journalDelta(projection.journal, event?.id ?? null, before, after, read.businessDate);
    const balances = nonZero(after);
    const written = await writeProjection(tx, {
      tenantId: loan.tenantId,
      loanId: loan.id,
      event,
      changed: changedRows(read.installments, rows),
      removeAbove: rows.length < read.installments.length ? rows.length : null,
      postings: entries.flatMap(toPostings),
      projection,
      balances,
      journalThrough: read.since.through,
      lastSequence: event ? event.sequence : loan.lastSequence,
    });
    // Products with tables of their own (a line's cycle and statements) write them in the same transaction.
    await this.deps
      .servicing(loan.product)
      ?.store?.write(tx, { tenantId: loan.tenantId, loanId: loan.id }, projection);
    const p = projection;
    return {
      ...loan,
      status: p.status,
      cobActive: p.cobActive,
      daysPastDue: p.daysPastDue,
      delinquencyBucket: p.delinquencyBucket,
      creditBalance: p.creditBalance,
      nextDueDate: p.nextDueDate,
      oldestUnpaidDue: p.oldestUnpaidDue,
      nextLateFeeOn: p.nextLateFeeOn,
      accrualCursor: p.accrualCursor,
      balances,
      lastSequence: event ? event.sequence : loan.lastSequence,
      journalThrough: written.journalThrough,
      version: written.version,
      updatedAt: written.updatedAt,
    };
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
