import type { CalendarDate } from '../../../kernel/dates.js';
import type { RawQuery } from '../../../kernel/db.js';
import { addBalances, journalDelta, ledgerBalances, nonZero, toPostings } from '../journal/posting.js';
import type { LoanProjection, LoanServicing } from '../product.js';
import { type LoanRead, readLoan, readText } from './read.js';
import { changedRows } from './rows.js';
import type { LoanRow } from './store.js';
import { type LoanWrite, type WriteEvent, writeLoan } from './write.js';

/** What a write decided from its read: the event it records (if any) and the replay. */
export interface Plan {
  event: WriteEvent | null;
  projection: LoanProjection;
  /** The date of the restatement entry: the business date (a rebuild: the date it replays to). */
  asOf: CalendarDate;
}

/**
 * The two statements of every loan write: `read` (no lock) and `write` (guarded by the version and business date
 * the read saw). `prepare` turns a plan into the write and the loan row the write leaves, before anything is
 * written, so that a response can be rendered and stored with the write itself.
 */
export class LoanWriter {
  readonly #texts: { plain: string; keyed: string };

  constructor(
    private readonly deps: { raw: RawQuery; servicing: (product: string) => LoanServicing | null },
  ) {
    this.#texts = { plain: readText(deps.servicing, false), keyed: readText(deps.servicing, true) };
  }

  /** `loanId` null: a malformed id (no loan), the key is still looked up. */
  read(tenantId: string, loanId: string | null, key: string | null) {
    const text = key === null ? this.#texts.plain : this.#texts.keyed;
    return readLoan(this.deps.raw, text, tenantId, loanId, key);
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

  write(w: LoanWrite): Promise<boolean> {
    return writeLoan(this.deps.raw, w);
  }
}
