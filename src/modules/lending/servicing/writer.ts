import { Batcher } from '../../../kernel/batcher.js';
import type { CalendarDate } from '../../../kernel/dates.js';
import type { RawQuery } from '../../../kernel/db.js';
import { type LoanEventPayload, publishedType } from '../events/published.js';
import { addBalances, journalDelta, ledgerBalances, nonZero, toPostings } from '../journal/posting.js';
import type { LedgerEntry, LoanProjection, LoanServicing, StoredEvent } from '../product.js';
import type { LoanRow } from '../tables.js';
import { type LoanRead, type ReadRequest, type ReadResult, readLoans, readText } from './read.js';
import { changedRows } from './rows.js';
import { type LoanWrite, type WriteEvent, writeLoans } from './write.js';

/** What a write decided from its read: the event it records (if any) and the replay. */
export interface Plan {
  event: WriteEvent | null;
  projection: LoanProjection;
  /** The date of the restatement entry: the business date (a rebuild: the date it replays to). */
  asOf: CalendarDate;
}

/**
 * Most concurrent reads (and writes) one statement carries. Two batches of each may run at once: one fills while
 * the other runs, and PostgreSQL can use two cores.
 */
const BATCH = { maxBatch: 32, maxInFlight: 2 };

/**
 * The two statements of every loan write: `read` (no lock) and `write` (guarded by the version and business date
 * the read saw). `prepare` turns a plan into the write and the loan row the write leaves, before anything is
 * written, so that a response can be rendered and stored with the write itself.
 *
 * Concurrent requests share statements (group commit, kernel/batcher.ts): the reads waiting while others run go
 * as one statement, and so do the writes, with one commit. Each write still applies only to its own loan as its
 * own read saw it. Two writes of one loan never share a statement; a product with its own store (leases,
 * lines) writes alone, its CTEs taking their rows FROM `guard`.
 */
export class LoanWriter {
  readonly #reads: Batcher<ReadRequest, ReadResult>;
  readonly #writes: Batcher<LoanWrite, boolean>;

  constructor(
    private readonly deps: {
      raw: RawQuery;
      servicing: (product: string) => LoanServicing | null;
      /** Every product's servicing: the read statement reads each one's own tables. */
      products: readonly LoanServicing[];
      /** Told after a write that published a domain event. */
      published?: () => void;
    },
  ) {
    const text = readText(deps.products);
    this.#reads = new Batcher((requests) => readLoans(deps.raw, text, requests), BATCH);
    this.#writes = new Batcher((writes) => writeLoans(deps.raw, writes), {
      ...BATCH,
      key: (w) => w.loanId,
      alone: (w) => w.product !== null,
    });
  }

  /** `loanId` null: a malformed id (no loan), the key is still looked up. */
  read(tenantId: string, loanId: string | null, key: string | null): Promise<ReadResult> {
    return this.#reads.submit({ tenantId, loanId, key }).result;
  }

  prepare(read: LoanRead, plan: Plan, now: Date): { loan: LoanRow; write: LoanWrite } {
    const { loan } = read;
    const p = plan.projection;
    const rows = p.installments;
    // The stored journal (checkpoint + rows since) against the replay's: the write posts the difference.
    const before = addBalances(loan.balances, read.since.balances);
    const after = ledgerBalances(p.journal);
    const entries = journalDelta(p.journal, plan.event?.id ?? null, before, after, plan.asOf);
    // The new checkpoint is what was read: the write's own postings are read back as "since" by the next write,
    // which spares the write statement from waiting for their ids.
    const checkpoint = { balances: nonZero(before), through: read.since.through };
    const lastSequence = plan.event ? plan.event.sequence : loan.lastSequence;
    const store = this.deps.servicing(loan.product)?.store;
    const write: LoanWrite = {
      tenantId: loan.tenantId,
      loanId: loan.id,
      version: loan.version,
      businessDate: read.businessDate,
      activates: p.cobActive && !loan.cobActive,
      event: plan.event,
      changed: changedRows(read.installments, rows),
      removeAbove: rows.length < read.installments.length ? rows.length : null,
      postings: entries.flatMap(toPostings),
      projection: p,
      checkpoint,
      lastSequence,
      updatedAt: now,
      product: store ? { store, stored: read.product } : null,
      key: null,
      attached: [],
      published: published(read.events, plan.event, loan.id, p),
    };
    const written: LoanRow = {
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
      balances: checkpoint.balances,
      journalThrough: checkpoint.through,
      lastSequence,
      version: loan.version + 1,
      updatedAt: now,
    };
    return { loan: written, write };
  }

  async write(w: LoanWrite): Promise<boolean> {
    const written = await this.#writes.submit(w).result;
    if (written && w.published) this.deps.published?.();
    return written;
  }
}

/** The domain event a loan event publishes (events/published.ts): what it did, as the loan stands after it. */
function published(
  events: readonly StoredEvent[],
  event: WriteEvent | null,
  loanId: string,
  p: LoanProjection,
): LoanWrite['published'] {
  const type = event && publishedType(event.type, p.status);
  if (!event || !type) return null;
  const { amount, paymentId, ...details } = event.payload as { amount?: unknown; paymentId?: unknown };
  // A reversal names the payment it reverses; its amount is that payment's. A disbursement records no amount (the
  // terms say what it pays out): its amount is the principal its journal entry advanced.
  const reversed = typeof paymentId === 'string' ? events.find((e) => e.id === paymentId) : undefined;
  const value = reversed
    ? reversed.payload.amount
    : (amount ?? (event.type === 'disburse' ? advanced(p.journal, event.id) : undefined));
  const payload: LoanEventPayload = {
    loan_id: loanId,
    event_id: event.id,
    effective_date: event.effectiveDate,
    amount: typeof value === 'number' ? value : value === undefined || value === null ? null : Number(value),
    status: p.status,
    next_due_date: p.nextDueDate,
    details: { ...details, ...(typeof paymentId === 'string' && { payment_id: paymentId }) },
  };
  return { type, payload };
}

/**
 * What a disbursement event advanced: the debits of its `disbursement` entries (the receivable, before any fee
 * withheld from the proceeds); null when it posted none (a line of credit opens with nothing drawn).
 */
function advanced(journal: readonly LedgerEntry[], eventId: string): number | null {
  let total: number | null = null;
  for (const e of journal)
    if (e.eventId === eventId && e.kind === 'disbursement')
      for (const l of e.lines) if (l.side === 'debit') total = (total ?? 0) + l.amount;
  return total;
}
