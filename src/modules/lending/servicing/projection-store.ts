import { type SQL, sql } from 'drizzle-orm';
import type { CalendarDate } from '../../../kernel/dates.js';
import { type Db, rows } from '../../../kernel/db.js';
import type { Balances, Posting } from '../journal/posting.js';
import type { InstallmentRow, LoanProjection, StoredEvent } from '../product.js';

/**
 * The reads and writes of one servicing write, in as few round trips as the locking allows: lock the loan
 * (statement 1), read what the replay needs (statement 2: business date, events, installment rows, the journal
 * posted since the loan's checkpoint), write everything that changed (statement 3). A payment costs these three
 * statements plus BEGIN and COMMIT.
 */

/** The advisory lock key that orders a tenant's writes against the start of a close-of-business day. */
export const businessDayLock = (tenantId: string): SQL =>
  sql`hashtextextended('plinth.business_day:' || ${tenantId}::text, 0)`;

export interface WriteInputs {
  businessDate: CalendarDate;
  events: StoredEvent[];
  installments: InstallmentRow[];
  since: { balances: Balances; through: number };
}

interface Raw {
  business_date: string;
  events: StoredEvent[] | null;
  installments: RawRow[] | null;
  journal: { account: string; amount: number; last: number }[] | null;
}

type RawRow = {
  number: number;
  period_start: CalendarDate;
  due_date: CalendarDate;
  opening_balance: number;
  interest_accrual: number;
  due: [number, number, number, number];
  paid: [number, number, number, number];
  waived: [number, number, number, number];
  accrued: number;
  late_fee_assessed: boolean;
};

const amounts = (a: [number, number, number, number]) => ({
  principal: a[0],
  interest: a[1],
  fees: a[2],
  penalties: a[3],
});

/** Statement 2. Call after the loan lock: the business date must be read after it (README). */
export async function readForWrite(
  db: Db,
  tenantId: string,
  loanId: string,
  journalThrough: number,
): Promise<WriteInputs> {
  const [r] = await rows<Raw>(
    db,
    sql`SELECT
          (SELECT business_date::text FROM business_dates WHERE tenant_id = ${tenantId}) AS business_date,
          (SELECT json_agg(json_build_object('id', id, 'sequence', sequence, 'type', type,
                                             'effectiveDate', effective_date, 'payload', payload) ORDER BY sequence)
             FROM loan_events WHERE tenant_id = ${tenantId} AND loan_id = ${loanId}) AS events,
          (SELECT json_agg(json_build_object(
                    'number', number, 'period_start', period_start, 'due_date', due_date,
                    'opening_balance', opening_balance, 'interest_accrual', interest_accrual,
                    'due', json_build_array(principal_due, interest_due, fees_due, penalties_due),
                    'paid', json_build_array(principal_paid, interest_paid, fees_paid, penalties_paid),
                    'waived', json_build_array(principal_waived, interest_waived, fees_waived, penalties_waived),
                    'accrued', accrued, 'late_fee_assessed', late_fee_assessed) ORDER BY number)
             FROM loan_installments WHERE tenant_id = ${tenantId} AND loan_id = ${loanId}) AS installments,
          (SELECT json_agg(json_build_object('account', account, 'amount', amount, 'last', last))
             FROM (SELECT s.account, sum(s.amount) AS amount, max(j.id) AS last
                     FROM loan_journal j
                     CROSS JOIN LATERAL (VALUES (j.debit_account, j.amount), (j.credit_account, -j.amount))
                          AS s (account, amount)
                    WHERE j.tenant_id = ${tenantId} AND j.loan_id = ${loanId} AND j.id > ${journalThrough}
                    GROUP BY s.account) AS b) AS journal`,
  );
  if (!r?.business_date) throw new Error(`tenant ${tenantId} has no business date`);
  const balances: Balances = {};
  let through = journalThrough;
  for (const b of r.journal ?? []) {
    balances[b.account] = Number(b.amount);
    through = Math.max(through, Number(b.last));
  }
  return {
    businessDate: r.business_date as CalendarDate,
    events: r.events ?? [],
    installments: (r.installments ?? []).map((x) => ({
      number: x.number,
      periodStart: x.period_start,
      dueDate: x.due_date,
      openingBalance: Number(x.opening_balance),
      interestAccrual: Number(x.interest_accrual),
      due: amounts(x.due),
      paid: amounts(x.paid),
      waived: amounts(x.waived),
      accrued: Number(x.accrued),
      lateFeeAssessed: x.late_fee_assessed,
    })),
    since: { balances, through },
  };
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

/** The rows' upsert from parallel arrays (unnest): one statement whatever their number. */
function upsertRows(tenantId: string, loanId: string, changed: readonly InstallmentRow[]): SQL {
  const values = changed.map(valuesOf);
  const arrays = sql.join(
    [
      sql`${sql.param(changed.map((r) => r.number))}::int[]`,
      ...COLUMNS.map((_, k) => sql`${sql.param(values.map((v) => v[k]))}::${sql.raw(TYPES[k]!)}[]`),
    ],
    sql`, `,
  );
  return sql`INSERT INTO loan_installments (tenant_id, loan_id, number, ${sql.raw(COLUMNS.join(', '))})
    SELECT ${tenantId}::uuid, ${loanId}::uuid, u.* FROM unnest(${arrays}) AS u
    ON CONFLICT (tenant_id, loan_id, number) DO UPDATE SET ${sql.raw(COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', '))}`;
}

function insertPostings(tenantId: string, loanId: string, postings: readonly Posting[]): SQL {
  const col = <T>(f: (p: Posting) => T) => sql.param(postings.map(f));
  return sql`INSERT INTO loan_journal (tenant_id, loan_id, entry_date, kind, event_id, debit_account, credit_account, amount)
    SELECT ${tenantId}::uuid, ${loanId}::uuid, u.*
      FROM unnest(${col((p) => p.entryDate)}::date[], ${col((p) => p.kind)}::text[], ${col((p) => p.eventId)}::uuid[],
                  ${col((p) => p.debitAccount)}::text[], ${col((p) => p.creditAccount)}::text[],
                  ${col((p) => p.amount)}::bigint[]) AS u
    RETURNING id`;
}

export interface WriteOutputs {
  tenantId: string;
  loanId: string;
  /** The event recorded, with the business date it was recorded on and who recorded it. */
  event: (StoredEvent & { businessDate: CalendarDate; actor: string }) | null;
  changed: readonly InstallmentRow[];
  /** Delete rows numbered above this (a schedule that became shorter); null: none. */
  removeAbove: number | null;
  postings: readonly Posting[];
  projection: LoanProjection;
  balances: Balances;
  /** The checkpoint before this write's postings (their ids are above it). */
  journalThrough: number;
  lastSequence: number;
}

/** Statement 3: the event, the changed rows, the postings and the loan's projection, in one statement. */
export async function writeProjection(
  db: Db,
  w: WriteOutputs,
): Promise<{ version: number; updatedAt: Date; journalThrough: number }> {
  const { tenantId, loanId, event: e, projection: p } = w;
  const parts: SQL[] = [];
  if (e)
    parts.push(sql`ev AS (INSERT INTO loan_events (tenant_id, loan_id, sequence, id, type, effective_date, payload, business_date, actor)
      VALUES (${tenantId}, ${loanId}, ${e.sequence}, ${e.id}, ${e.type}, ${e.effectiveDate}, ${JSON.stringify(e.payload)}::jsonb,
              ${e.businessDate}, ${e.actor}))`);
  if (w.changed.length > 0) parts.push(sql`rows AS (${upsertRows(tenantId, loanId, w.changed)})`);
  if (w.removeAbove !== null)
    parts.push(
      sql`removed AS (DELETE FROM loan_installments WHERE tenant_id = ${tenantId} AND loan_id = ${loanId} AND number > ${w.removeAbove})`,
    );
  parts.push(
    w.postings.length > 0
      ? sql`posted AS (${insertPostings(tenantId, loanId, w.postings)})`
      : sql`posted AS (SELECT NULL::bigint AS id WHERE false)`,
  );
  const [r] = await rows<{ version: number; updated_at: string | Date; journal_through: string | number }>(
    db,
    sql`WITH ${sql.join(parts, sql`, `)}
        UPDATE loans SET status = ${p.status}, cob_active = ${p.cobActive}, days_past_due = ${p.daysPastDue},
               delinquency_bucket = ${p.delinquencyBucket}, credit_balance = ${p.creditBalance},
               next_due_date = ${p.nextDueDate}, oldest_unpaid_due = ${p.oldestUnpaidDue},
               next_late_fee_on = ${p.nextLateFeeOn}, accrual_cursor = ${p.accrualCursor},
               balances = ${JSON.stringify(w.balances)}::jsonb,
               journal_through = greatest(${w.journalThrough}::bigint, coalesce((SELECT max(id) FROM posted), 0)),
               last_sequence = ${w.lastSequence}, version = version + 1, updated_at = now()
         WHERE tenant_id = ${tenantId} AND id = ${loanId}
        RETURNING version, updated_at, journal_through`,
  );
  return {
    version: r!.version,
    updatedAt: new Date(r!.updated_at),
    journalThrough: Number(r!.journal_through),
  };
}
