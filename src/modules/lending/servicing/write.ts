import type { CalendarDate } from '../../../kernel/dates.js';
import type { RawQuery } from '../../../kernel/db.js';
import { type IdempotencyKey, keyInsertSql, type StoredResponse } from '../../../kernel/idempotency.js';
import { runStatement, Statement } from '../../../kernel/statement.js';
import type { Balances, Posting } from '../journal/posting.js';
import type { InstallmentRow, LoanProjection, ProductStore, StoredEvent } from '../product.js';

/**
 * The write of a loan: ONE statement, atomic by itself (no BEGIN/COMMIT). Its first CTE, `guard`, updates the
 * loan only if its version and the tenant's business date are still what the read saw; every other CTE (the
 * event, the changed installment rows, the postings, the product's rows, the idempotency key) takes its rows FROM
 * `guard`, so when the loan moved on nothing at all is written and the caller reads again. See README: "How a
 * write stays equal to the replay".
 */

export interface WriteEvent extends StoredEvent {
  /** The business date it was recorded on, and who recorded it. */
  businessDate: CalendarDate;
  actor: string;
}

export interface LoanWrite {
  tenantId: string;
  loanId: string;
  /** What the read saw: the write applies only while both still hold. */
  version: number;
  businessDate: CalendarDate;
  /**
   * The write makes close of business visit the loan (`cob_active` from false to true). Such a write must commit
   * before or after a close-of-business day start, never across it, so it holds the business-date row (KEY SHARE)
   * and sees the latest date: the day start's FOR UPDATE waits for it, or it waits for the day start and fails.
   */
  activates: boolean;
  event: WriteEvent | null;
  changed: readonly InstallmentRow[];
  /** Delete rows numbered above this (a schedule that became shorter); null: none. */
  removeAbove: number | null;
  postings: readonly Posting[];
  projection: LoanProjection;
  /** The journal checkpoint: balances over the loan's journal rows with id <= journalThrough. */
  checkpoint: { balances: Balances; through: number };
  lastSequence: number;
  updatedAt: Date;
  /** The product's own tables and what the read found in them. */
  product: { store: ProductStore; stored: unknown } | null;
  /** The idempotency key, completed with the response the request gets, stored with the write. */
  key: (IdempotencyKey & { response: StoredResponse }) | null;
}

const COLUMNS = [
  'period_start',
  'due_date',
  'opening_balance',
  'interest_accrual',
  'principal_due',
  'interest_due',
  'fees_due',
  'penalties_due',
  'principal_paid',
  'interest_paid',
  'fees_paid',
  'penalties_paid',
  'principal_waived',
  'interest_waived',
  'fees_waived',
  'penalties_waived',
  'accrued',
  'late_fee_assessed',
] as const;
const TYPES = ['date', 'date', ...Array<string>(15).fill('bigint'), 'boolean'];
const UPSERT_SET = COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ');

const valuesOf = (r: InstallmentRow): unknown[] => [
  r.periodStart,
  r.dueDate,
  r.openingBalance,
  r.interestAccrual,
  r.due.principal,
  r.due.interest,
  r.due.fees,
  r.due.penalties,
  r.paid.principal,
  r.paid.interest,
  r.paid.fees,
  r.paid.penalties,
  r.waived.principal,
  r.waived.interest,
  r.waived.fees,
  r.waived.penalties,
  r.accrued,
  r.lateFeeAssessed,
];

/** The rows' upsert from parallel arrays (unnest): one CTE whatever their number. */
function upsertRows(s: Statement, tenant: string, loan: string, changed: readonly InstallmentRow[]): string {
  const values = changed.map(valuesOf);
  const arrays = [
    s.param(
      changed.map((r) => r.number),
      'int[]',
    ),
    ...COLUMNS.map((_, k) =>
      s.param(
        values.map((v) => v[k]),
        `${TYPES[k]}[]`,
      ),
    ),
  ];
  return `INSERT INTO loan_installments (tenant_id, loan_id, number, ${COLUMNS.join(', ')})
    SELECT ${tenant}, ${loan}, u.* FROM guard, unnest(${arrays.join(', ')}) AS u
    ON CONFLICT (tenant_id, loan_id, number) DO UPDATE SET ${UPSERT_SET}`;
}

function insertPostings(s: Statement, tenant: string, loan: string, postings: readonly Posting[]): string {
  const col = <T>(f: (p: Posting) => T, type: string) => s.param(postings.map(f), `${type}[]`);
  return `INSERT INTO loan_journal (tenant_id, loan_id, entry_date, kind, event_id, debit_account, credit_account, amount)
    SELECT ${tenant}, ${loan}, u.*
      FROM guard, unnest(${col((p) => p.entryDate, 'date')}, ${col((p) => p.kind, 'text')}, ${col((p) => p.eventId, 'uuid')},
                         ${col((p) => p.debitAccount, 'text')}, ${col((p) => p.creditAccount, 'text')},
                         ${col((p) => p.amount, 'bigint')}) AS u`;
}

/** Writes the loan; false when it moved on since the read (another write, a close-of-business batch, a new day). */
export async function writeLoan(raw: RawQuery, w: LoanWrite): Promise<boolean> {
  const s = new Statement();
  const tenant = s.param(w.tenantId, 'uuid');
  const loan = s.param(w.loanId, 'uuid');
  const p = w.projection;
  const lock = w.activates ? ' FOR KEY SHARE' : '';
  const ctes = [
    `guard AS (
      UPDATE loans SET status = ${s.param(p.status)}, cob_active = ${s.param(p.cobActive)},
             days_past_due = ${s.param(p.daysPastDue)}, delinquency_bucket = ${s.param(p.delinquencyBucket)},
             credit_balance = ${s.param(p.creditBalance)}, next_due_date = ${s.param(p.nextDueDate)},
             oldest_unpaid_due = ${s.param(p.oldestUnpaidDue)}, next_late_fee_on = ${s.param(p.nextLateFeeOn)},
             accrual_cursor = ${s.param(p.accrualCursor)}, balances = ${s.param(JSON.stringify(w.checkpoint.balances), 'jsonb')},
             journal_through = ${s.param(w.checkpoint.through)}, last_sequence = ${s.param(w.lastSequence)},
             version = version + 1, updated_at = ${s.param(w.updatedAt.toISOString(), 'timestamptz')}
       WHERE tenant_id = ${tenant} AND id = ${loan} AND version = ${s.param(w.version)}
         AND (SELECT business_date FROM business_dates WHERE tenant_id = ${tenant}${lock}) = ${s.param(w.businessDate, 'date')}
      RETURNING 1)`,
  ];
  const e = w.event;
  if (e)
    ctes.push(`event AS (
      INSERT INTO loan_events (tenant_id, loan_id, sequence, id, type, effective_date, payload, business_date, actor)
      SELECT ${tenant}, ${loan}, ${s.param(e.sequence, 'int')}, ${s.param(e.id, 'uuid')}, ${s.param(e.type, 'text')},
             ${s.param(e.effectiveDate, 'date')}, ${s.param(JSON.stringify(e.payload), 'jsonb')},
             ${s.param(e.businessDate, 'date')}, ${s.param(e.actor, 'text')} FROM guard)`);
  if (w.changed.length > 0) ctes.push(`rows AS (${upsertRows(s, tenant, loan, w.changed)})`);
  if (w.removeAbove !== null)
    ctes.push(`removed AS (
      DELETE FROM loan_installments WHERE tenant_id = ${tenant} AND loan_id = ${loan}
         AND number > ${s.param(w.removeAbove, 'int')} AND EXISTS (SELECT 1 FROM guard))`);
  if (w.postings.length > 0) ctes.push(`posted AS (${insertPostings(s, tenant, loan, w.postings)})`);
  if (w.product)
    ctes.push(
      ...w.product.store
        .write(s, { tenant, loan }, p, w.product.stored)
        .map((c, k) => `product${k} AS (${c})`),
    );
  const k = w.key;
  if (k)
    ctes.push(
      `keyed AS (${keyInsertSql('guard', {
        tenant,
        key: s.param(k.key, 'text'),
        requestHash: s.param(k.requestHash, 'text'),
        status: s.param(k.response.status, 'int'),
        body: s.param(k.response.body, 'text'),
      })})`,
    );
  const written = await runStatement(raw, `WITH ${ctes.join(',\n')}\nSELECT 1 AS written FROM guard`, s);
  return written.length > 0;
}
