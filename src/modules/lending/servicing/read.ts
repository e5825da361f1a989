import type { CalendarDate } from '../../../kernel/dates.js';
import { type RawQuery, rowJsonSql } from '../../../kernel/db.js';
import { type HeldKey, heldKeyOf, heldKeySql } from '../../../kernel/idempotency.js';
import {
  type Column,
  recordsetJson,
  recordsetSql,
  runStatement,
  Statement,
} from '../../../kernel/statement.js';
import type { Balances } from '../journal/posting.js';
import type { DayReplay, InstallmentRow, LoanServicing, StoredEvent } from '../product.js';
import { type LoanRow, loans } from '../tables.js';
import { productReadSql } from './product-rows.js';
import { loanFromJson } from './store.js';

/**
 * The read of a loan write: ONE statement, no lock, one snapshot. It returns the loan row (with its `version`),
 * the business date, the events, the installment rows, the journal posted since the loan's checkpoint, the
 * product's own stored rows and the request's idempotency key. Because it is one snapshot, the journal rows it
 * sees are exactly those of the version it sees (every posting for a loan is written together with a version
 * bump), which the write's guard then checks.
 */
export interface LoanRead {
  loan: LoanRow;
  businessDate: CalendarDate;
  events: StoredEvent[];
  installments: InstallmentRow[];
  since: { balances: Balances; through: number };
  /** The product's own tables' rows of the loan (product-rows.ts), null for a product without tables. */
  product: unknown;
  /**
   * The replay during the business date that quoting this read's payoff made (LoanService.payoffOf): the write
   * planned from this read continues it with its payment rather than replaying the events again.
   */
  replayed?: DayReplay;
}

interface Raw {
  loan: Record<string, unknown> | null;
  business_date: string | null;
  events: [string, number, string, CalendarDate, Record<string, unknown>][] | null;
  installments: unknown[][] | null;
  journal: [string, number, number][] | null;
  held: unknown;
  product: unknown;
}

/** An installment row from its json array (the column order of the read). */
function installmentOf(x: unknown[]): InstallmentRow {
  const n = (k: number) => x[k] as number;
  const four = (k: number) => ({ principal: n(k), interest: n(k + 1), fees: n(k + 2), penalties: n(k + 3) });
  return {
    number: n(0),
    periodStart: x[1] as CalendarDate,
    dueDate: x[2] as CalendarDate,
    openingBalance: n(3),
    interestAccrual: n(4),
    due: four(5),
    paid: four(9),
    waived: four(13),
    accrued: n(17),
    lateFeeAssessed: x[18] as boolean,
  };
}

/** What one read asks: the loan (null: a malformed id, no loan) and the request's key if it has one. */
export interface ReadRequest {
  tenantId: string;
  loanId: string | null;
  key: string | null;
}

const REQUEST: Column<ReadRequest>[] = [
  ['k', 'int', (_, k) => k],
  ['tenant', 'uuid', (q) => q.tenantId],
  ['loan', 'uuid', (q) => q.loanId],
  ['key', 'text', (q) => q.key],
];

/**
 * The read statement's text: the same for every loan (each product's own read is chosen by the loan's product).
 * It reads several loans at once, one row each in the order asked (a batch, see LoanWriter). Each loan is looked
 * up by its key (OFFSET 0 keeps the lookup a subquery of its own): flattened into a join, the generic plan for the
 * recordset's assumed 100 rows hashed the whole `loans` table on every read of a portfolio under some thousands
 * of loans (EXPLAIN: a sequential scan of 128 loans took 0.25 of a read's 0.54 ms).
 */
export function readText(products: readonly LoanServicing[]): string {
  const tenant = 'r.tenant';
  const loan = 'r.loan';
  const reads = products.flatMap((p) =>
    p.store && p.store.tables.length > 0
      ? [`WHEN '${p.product}' THEN ${productReadSql(p.store, tenant, loan)}`]
      : [],
  );
  const product = reads.length > 0 ? `CASE l.product ${reads.join(' ')} END` : 'NULL::json';
  return `SELECT CASE WHEN l.id IS NULL THEN NULL ELSE ${rowJsonSql(loans, '(SELECT l.*) AS l0')} END AS loan,
           (SELECT business_date::text FROM business_dates WHERE tenant_id = ${tenant}) AS business_date,
           (SELECT json_agg(json_build_array(id, sequence, type, effective_date, payload) ORDER BY sequence)
              FROM loan_events WHERE tenant_id = ${tenant} AND loan_id = ${loan}) AS events,
           (SELECT json_agg(json_build_array(number, period_start, due_date, opening_balance, interest_accrual,
                     principal_due, interest_due, fees_due, penalties_due, principal_paid, interest_paid, fees_paid,
                     penalties_paid, principal_waived, interest_waived, fees_waived, penalties_waived, accrued,
                     late_fee_assessed) ORDER BY number)
              FROM loan_installments WHERE tenant_id = ${tenant} AND loan_id = ${loan}) AS installments,
           (SELECT json_agg(json_build_array(account, amount, last))
              FROM (SELECT s.account, sum(s.amount) AS amount, max(j.id) AS last
                      FROM loan_journal j
                      CROSS JOIN LATERAL (VALUES (j.debit_account, j.amount), (j.credit_account, -j.amount))
                           AS s (account, amount)
                     WHERE j.tenant_id = ${tenant} AND j.loan_id = ${loan} AND j.id > l.journal_through
                     GROUP BY s.account) AS b) AS journal,
           ${heldKeySql(tenant, 'r.key')} AS held,
           ${product} AS product
      FROM ${recordsetSql('$1::json', 'r', REQUEST)}
      LEFT JOIN LATERAL (SELECT * FROM loans WHERE tenant_id = r.tenant AND id = r.loan OFFSET 0) AS l ON true
     ORDER BY r.k`;
}

/** What a read found: `read` undefined when the tenant has no such loan; the request's key if used already. */
export interface ReadResult {
  read: LoanRead | undefined;
  held: HeldKey | null;
}

/** Reads loans for their writes, in one statement, one result per request in order. */
export async function readLoans(
  raw: RawQuery,
  text: string,
  requests: readonly ReadRequest[],
): Promise<ReadResult[]> {
  const s = new Statement();
  s.param(recordsetJson(requests, REQUEST));
  const rows = await runStatement<Raw>(raw, text, s);
  return rows.map((r, k) => resultOf(r, requests[k]!.tenantId));
}

function resultOf(r: Raw, tenantId: string): ReadResult {
  const held = heldKeyOf(r.held);
  if (!r.loan) return { read: undefined, held };
  if (!r.business_date) throw new Error(`tenant ${tenantId} has no business date`);
  const loan = loanFromJson(r.loan);
  const balances: Balances = {};
  let through = loan.journalThrough;
  for (const [account, amount, last] of r.journal ?? []) {
    balances[account] = Number(amount);
    through = Math.max(through, Number(last));
  }
  return {
    held,
    read: {
      loan,
      businessDate: r.business_date as CalendarDate,
      events: (r.events ?? []).map(([id, sequence, type, effectiveDate, payload]) => ({
        id,
        sequence,
        type,
        effectiveDate,
        payload,
      })),
      installments: (r.installments ?? []).map(installmentOf),
      since: { balances, through },
      product: r.product ?? null,
    },
  };
}
