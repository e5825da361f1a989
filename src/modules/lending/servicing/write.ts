import type { CalendarDate } from '../../../kernel/dates.js';
import type { RawQuery } from '../../../kernel/db.js';
import { type IdempotencyKey, keyInsertSql, type StoredResponse } from '../../../kernel/idempotency.js';
import { type Column, recordset, runStatement, Statement } from '../../../kernel/statement.js';
import { type LoanEventPayload, publishedSql } from '../events/published.js';
import type { Balances, Posting } from '../journal/posting.js';
import { type Attached, attachedCtes } from '../payments-port/attached.js';
import type { Amounts, InstallmentRow, LoanProjection, ProductStore, StoredEvent } from '../product.js';
import { productWriteCtes } from './product-rows.js';

/**
 * The write of loans: ONE statement, atomic by itself (no BEGIN/COMMIT). Its first CTE, `guard`, updates each
 * loan only if its version and the tenant's business date are still what its read saw; every other CTE (the
 * events, the changed installment rows, the postings, the product's rows, the idempotency keys) joins its rows to
 * `guard` by the write's index, so when a loan moved on nothing at all is written for it and its caller reads
 * again. See README: "How a write stays equal to the replay".
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
  /** Another module's rows, written with the loan or not at all (payments-port/attached.ts). */
  attached: readonly Attached[];
  /** The domain event the write publishes with its loan event (events/published.ts), if any. */
  published: { type: string; payload: LoanEventPayload } | null;
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
const UPSERT_SET = COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ');

/** Each write's rows tagged with the write's index `k` in the batch (the guard returns the indexes it wrote). */
type Tagged<R> = { k: number; row: R };
const tagged = <R>(writes: readonly LoanWrite[], rowsOf: (w: LoanWrite) => readonly R[]): Tagged<R>[] =>
  writes.flatMap((w, k) => rowsOf(w).map((row) => ({ k, row })));
const K: Column<Tagged<unknown>> = ['k', 'int', (t) => t.k];

/**
 * The loans' update, only where each is still at the version its write was planned from;
 * `test/lending/statement-plans.test.ts` checks that its plan probes `loans` by key in the batch's order.
 */
export function guardSql(s: Statement, writes: readonly LoanWrite[]): string {
  const v = recordset<LoanWrite>(s, 'v', writes, [
    ['k', 'int', (_, k) => k],
    ['tenant', 'uuid', (w) => w.tenantId],
    ['loan', 'uuid', (w) => w.loanId],
    ['version', 'int', (w) => w.version],
    ['business_date', 'date', (w) => w.businessDate],
    ['activates', 'boolean', (w) => w.activates],
    ['status', 'text', (w) => w.projection.status],
    ['cob_active', 'boolean', (w) => w.projection.cobActive],
    ['days_past_due', 'int', (w) => w.projection.daysPastDue],
    ['delinquency_bucket', 'text', (w) => w.projection.delinquencyBucket],
    ['credit_balance', 'bigint', (w) => w.projection.creditBalance],
    ['next_due_date', 'date', (w) => w.projection.nextDueDate],
    ['oldest_unpaid_due', 'date', (w) => w.projection.oldestUnpaidDue],
    ['next_late_fee_on', 'date', (w) => w.projection.nextLateFeeOn],
    ['accrual_cursor', 'int', (w) => w.projection.accrualCursor],
    ['rate_num', 'numeric', (w) => w.projection.rate?.num.toString() ?? null],
    ['rate_den', 'numeric', (w) => w.projection.rate?.den.toString() ?? null],
    ['rate_steps', 'jsonb', (w) => w.projection.rateSteps ?? null],
    ['rest_pending', 'bigint', (w) => w.projection.restPending?.amount ?? null],
    ['rest_until', 'date', (w) => w.projection.restPending?.until ?? null],
    ['after_maturity_from', 'date', (w) => w.projection.afterMaturity?.since ?? null],
    ['after_maturity_earned', 'bigint', (w) => w.projection.afterMaturity?.earned ?? null],
    ['after_maturity_balance', 'bigint', (w) => w.projection.afterMaturity?.balance ?? null],
    ['balances', 'jsonb', (w) => w.checkpoint.balances],
    ['journal_through', 'bigint', (w) => w.checkpoint.through],
    ['last_sequence', 'int', (w) => w.lastSequence],
    ['updated_at', 'timestamptz', (w) => w.updatedAt.toISOString()],
  ]);
  // A write that activates the loan holds the business-date row (KEY SHARE): see LoanWrite.activates. CASE runs
  // the locking subquery only for those.
  const date = (lock: string) =>
    `(SELECT business_date FROM business_dates b WHERE b.tenant_id = v.tenant${lock})`;
  return `guard AS (
      UPDATE loans t SET status = v.status, cob_active = v.cob_active, days_past_due = v.days_past_due,
             delinquency_bucket = v.delinquency_bucket, credit_balance = v.credit_balance,
             next_due_date = v.next_due_date, oldest_unpaid_due = v.oldest_unpaid_due,
             next_late_fee_on = v.next_late_fee_on, accrual_cursor = v.accrual_cursor, balances = v.balances,
             rate_num = coalesce(v.rate_num, t.rate_num), rate_den = coalesce(v.rate_den, t.rate_den),
             rate_steps = v.rate_steps, rest_pending = v.rest_pending, rest_until = v.rest_until,
             after_maturity_from = v.after_maturity_from, after_maturity_earned = v.after_maturity_earned,
             after_maturity_balance = v.after_maturity_balance,
             journal_through = v.journal_through, last_sequence = v.last_sequence, version = t.version + 1,
             updated_at = v.updated_at
        FROM ${v}
       WHERE t.tenant_id = v.tenant AND t.id = v.loan AND t.version = v.version
         AND CASE WHEN v.activates THEN ${date(' FOR KEY SHARE')} ELSE ${date('')} END = v.business_date
      RETURNING v.k, v.tenant, v.loan)`;
}

function eventsSql(s: Statement, writes: readonly LoanWrite[]): string {
  const e = recordset<Tagged<WriteEvent>>(
    s,
    'e',
    tagged(writes, (w) => (w.event ? [w.event] : [])),
    [
      K,
      ['sequence', 'int', (t) => t.row.sequence],
      ['id', 'uuid', (t) => t.row.id],
      ['type', 'text', (t) => t.row.type],
      ['effective_date', 'date', (t) => t.row.effectiveDate],
      ['payload', 'jsonb', (t) => t.row.payload],
      ['business_date', 'date', (t) => t.row.businessDate],
      ['actor', 'text', (t) => t.row.actor],
    ],
  );
  return `event AS (
      INSERT INTO loan_events (tenant_id, loan_id, sequence, id, type, effective_date, payload, business_date, actor)
      SELECT g.tenant, g.loan, e.sequence, e.id, e.type, e.effective_date, e.payload, e.business_date, e.actor
        FROM ${e} JOIN guard g ON g.k = e.k)`;
}

/** The changed installment rows' upsert: one CTE whatever their number. */
function upsertRowsSql(s: Statement, writes: readonly LoanWrite[]): string {
  const u = recordset<Tagged<InstallmentRow>>(
    s,
    'u',
    tagged(writes, (w) => w.changed),
    [
      K,
      ['number', 'int', (t) => t.row.number],
      ['period_start', 'date', (t) => t.row.periodStart],
      ['due_date', 'date', (t) => t.row.dueDate],
      ['opening_balance', 'bigint', (t) => t.row.openingBalance],
      ['interest_accrual', 'bigint', (t) => t.row.interestAccrual],
      ...amounts('due', (r) => r.due),
      ...amounts('paid', (r) => r.paid),
      ...amounts('waived', (r) => r.waived),
      ['accrued', 'bigint', (t) => t.row.accrued],
      ['late_fee_assessed', 'boolean', (t) => t.row.lateFeeAssessed],
    ],
  );
  return `rows AS (
      INSERT INTO loan_installments (tenant_id, loan_id, number, ${COLUMNS.join(', ')})
      SELECT g.tenant, g.loan, u.number, ${COLUMNS.map((c) => `u.${c}`).join(', ')}
        FROM ${u} JOIN guard g ON g.k = u.k
      ON CONFLICT (tenant_id, loan_id, number) DO UPDATE SET ${UPSERT_SET})`;
}

/** An installment's four amounts of one kind (due, paid, waived) as columns `principal_due`, ... */
const amounts = (kind: string, of: (r: InstallmentRow) => Amounts): Column<Tagged<InstallmentRow>>[] =>
  (['principal', 'interest', 'fees', 'penalties'] as const).map((part) => [
    `${part}_${kind}`,
    'bigint',
    (t) => of(t.row)[part],
  ]);

/** Rows numbered above what a schedule now has (it became shorter). */
function removeRowsSql(s: Statement, writes: readonly LoanWrite[]): string {
  const cut = tagged(writes, (w) => (w.removeAbove === null ? [] : [w.removeAbove]));
  const d = recordset<Tagged<number>>(s, 'd', cut, [K, ['above', 'int', (t) => t.row]]);
  return `removed AS (
      DELETE FROM loan_installments i USING ${d} JOIN guard g ON g.k = d.k
       WHERE i.tenant_id = g.tenant AND i.loan_id = g.loan AND i.number > d.above)`;
}

function postingsSql(s: Statement, writes: readonly LoanWrite[]): string {
  const p = recordset<Tagged<Posting>>(
    s,
    'p',
    tagged(writes, (w) => w.postings),
    [
      K,
      ['entry_date', 'date', (t) => t.row.entryDate],
      ['kind', 'text', (t) => t.row.kind],
      ['event_id', 'uuid', (t) => t.row.eventId],
      ['debit_account', 'text', (t) => t.row.debitAccount],
      ['credit_account', 'text', (t) => t.row.creditAccount],
      ['amount', 'bigint', (t) => t.row.amount],
    ],
  );
  return `posted AS (
      INSERT INTO loan_journal (tenant_id, loan_id, entry_date, kind, event_id, debit_account, credit_account, amount)
      SELECT g.tenant, g.loan, p.entry_date, p.kind, p.event_id, p.debit_account, p.credit_account, p.amount
        FROM ${p} JOIN guard g ON g.k = p.k)`;
}

function keysSql(s: Statement, writes: readonly LoanWrite[]): string {
  type Key = NonNullable<LoanWrite['key']>;
  const y = recordset<Tagged<Key>>(
    s,
    'y',
    tagged(writes, (w) => (w.key ? [w.key] : [])),
    [
      K,
      ['key', 'text', (t) => t.row.key],
      ['request_hash', 'text', (t) => t.row.requestHash],
      ['status', 'int', (t) => t.row.response.status],
      ['body', 'text', (t) => t.row.response.body],
    ],
  );
  return `keyed AS (${keyInsertSql(`${y} JOIN guard g ON g.k = y.k`, {
    tenant: 'g.tenant',
    key: 'y.key',
    requestHash: 'y.request_hash',
    status: 'y.status',
    body: 'y.body',
  })})`;
}

/**
 * Writes loans, each only if it has not moved on since its read (another write, a close-of-business batch, a new
 * day); returns which were written. One statement for all of them, whose text does not depend on their number;
 * a write with product rows goes alone (its product's CTEs take their rows FROM `guard`).
 */
export async function writeLoans(raw: RawQuery, given: readonly LoanWrite[]): Promise<boolean[]> {
  // In one global order (tenant, loan), the guard locks the loans of two statements in flight in the same order:
  // they wait for each other, never deadlock.
  const order = given.map((_, i) => i).sort((a, b) => byLoan(given[a]!, given[b]!));
  const writes = order.map((i) => given[i]!);
  const s = new Statement();
  const ctes = [
    guardSql(s, writes),
    eventsSql(s, writes),
    upsertRowsSql(s, writes),
    removeRowsSql(s, writes),
    postingsSql(s, writes),
    keysSql(s, writes),
    ...attachedCtes(s, writes),
  ];
  const published = publishedSql(
    s,
    writes.flatMap((w, k) => (w.published && w.event ? [{ k, id: w.event.id, ...w.published }] : [])),
  );
  if (published) ctes.push(published);
  const w = writes[0]!;
  if (w.product) {
    if (writes.length > 1) throw new Error('a write with product rows goes alone');
    const product = productWriteCtes(s, w.product.store, w.projection, w.product.stored);
    ctes.push(...product.map((c, k) => `product${k} AS (${c})`));
  }
  const done = await runStatement<{ k: number }>(raw, `WITH ${ctes.join(',\n')}\nSELECT k FROM guard`, s);
  const written = given.map(() => false);
  for (const { k } of done) written[order[k]!] = true;
  return written;
}

const byLoan = (a: LoanWrite, b: LoanWrite): number =>
  a.tenantId === b.tenantId ? (a.loanId < b.loanId ? -1 : 1) : a.tenantId < b.tenantId ? -1 : 1;
