import { sql } from 'drizzle-orm';
import type { CalendarDate } from '../../src/kernel/dates.js';
import { type Db, rows } from '../../src/kernel/db.js';
import { servicingOf } from '../../src/modules/lending/index.js';
import { ledgerBalances, nonZero } from '../../src/modules/lending/journal/posting.js';
import type { StoredEvent } from '../../src/modules/lending/product.js';
import type { LineProduct } from '../../src/modules/lending/providers/line_of_credit/servicing.js';
import { creditLines, lineStatements } from '../../src/modules/lending/providers/line_of_credit/store.js';
import type { TestApp } from '../helpers/app.js';

/** A line-of-credit program: $500 to $50,000 lines, 18% by default, cycles closing on the 15th. */
export const lineProgramTerms = (overrides: Record<string, unknown> = {}) => ({
  currency: 'USD',
  credit_limit: { min: 50_000, max: 5_000_000 },
  annual_interest_rate: { min: '0', max: '36', default: '18' },
  day_count: 'actual/365',
  cycle_day: { min: 1, max: 31, default: 15 },
  minimum_payment: { floor: 2_500, percent: '2' },
  payment_due_days: 25,
  late_fee: { type: 'flat', amount: 3_000, grace_days: 0 },
  ...overrides,
});

export type Call = (
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  body?: unknown,
) => ReturnType<TestApp['call']>;

export async function lineTenant(t: TestApp, businessDate = '2024-01-10', terms = lineProgramTerms()) {
  const tenant = await t.tenant();
  const call: Call = (method, url, body) => t.call(method, url, { key: tenant.key, body });
  const bd = await call('PUT', '/v1/business-date', { business_date: businessDate });
  if (bd.statusCode !== 200) throw new Error(bd.body);
  const p = await call('POST', '/v1/programs', { name: 'Lines', program_type: 'line_of_credit', terms });
  if (p.statusCode !== 201) throw new Error(p.body);
  return { tenant, call, programId: p.json().id as string };
}

/** An open line: applied for, approved and opened (disbursed) on `open_date`. */
export async function openLine(call: Call, programId: string, request: Record<string, unknown> = {}) {
  const created = await call('POST', '/v1/loans', {
    program_id: programId,
    credit_limit: 500_000,
    open_date: '2024-01-10',
    ...request,
  });
  if (created.statusCode !== 201) throw new Error(created.body);
  const id = created.json().id as string;
  for (const step of ['approve', 'disburse']) {
    const r = await call('POST', `/v1/loans/${id}/${step}`);
    if (r.statusCode !== 201) throw new Error(r.body);
  }
  return id;
}

export async function closeThrough(call: Call, date: string) {
  const r = await call('POST', '/v1/close-of-business', { date });
  if (r.statusCode !== 200) throw new Error(r.body);
}

const plain = (o: Record<string, unknown>) =>
  JSON.stringify(
    Object.fromEntries(
      Object.entries(o)
        .filter(([k]) => k !== 'tenantId' && k !== 'loanId')
        .map(([k, v]): [string, unknown] => [
          k,
          typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v,
        ])
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
  );

/**
 * Compares what the store holds for every line of a tenant with the replay of its events: the loan's projection
 * columns, its cycle row, its statements and its journal balances per account.
 */
export async function lineMismatches(
  db: Db,
  tenantId: string,
  at: (loanId: string) => { asOf: CalendarDate; closeOfBusiness: boolean },
): Promise<string[]> {
  const loans = await rows<Record<string, unknown> & { id: string; terms: unknown }>(
    db,
    sql`SELECT id, terms, status, cob_active, days_past_due, delinquency_bucket, next_due_date::text,
               oldest_unpaid_due::text, next_late_fee_on::text
          FROM loans WHERE tenant_id = ${tenantId} AND product = 'line_of_credit' ORDER BY id`,
  );
  const events = await rows<StoredEvent & { loan_id: string }>(
    db,
    sql`SELECT loan_id, id, sequence, type, effective_date::text AS "effectiveDate", payload
          FROM loan_events WHERE tenant_id = ${tenantId} ORDER BY loan_id, sequence`,
  );
  const cycles = await db.select().from(creditLines).where(sql`${creditLines.tenantId} = ${tenantId}`);
  const statements = await db
    .select()
    .from(lineStatements)
    .where(sql`${lineStatements.tenantId} = ${tenantId}`)
    .orderBy(lineStatements.loanId, lineStatements.number);
  const balances = await rows<{ loan_id: string; account: string; amount: number }>(
    db,
    sql`SELECT j.loan_id, s.account, sum(s.amount)::float8 AS amount
          FROM loan_journal j
          CROSS JOIN LATERAL (VALUES (j.debit_account, j.amount), (j.credit_account, -j.amount)) AS s (account, amount)
         WHERE j.tenant_id = ${tenantId} GROUP BY j.loan_id, s.account`,
  );
  const servicing = servicingOf('line_of_credit')!;
  const problems: string[] = [];
  for (const loan of loans) {
    const { asOf, closeOfBusiness } = at(loan.id);
    const own = events.filter((e) => e.loan_id === loan.id);
    const replayed = servicing.replay(loan.terms, own, asOf, { closeOfBusiness });
    if (!replayed.ok) {
      problems.push(`${loan.id}: replay failed: ${replayed.error.message}`);
      continue;
    }
    const p = replayed.value;
    const expected: Record<string, unknown> = {
      status: p.status,
      cob_active: p.cobActive,
      days_past_due: p.daysPastDue,
      delinquency_bucket: p.delinquencyBucket,
      next_due_date: p.nextDueDate,
      oldest_unpaid_due: p.oldestUnpaidDue,
      next_late_fee_on: p.nextLateFeeOn,
    };
    for (const [k, v] of Object.entries(expected))
      if (loan[k] !== v)
        problems.push(`${loan.id} ${asOf}: ${k} stored ${String(loan[k])}, replay ${String(v)}`);
    const product = p.product as LineProduct;
    const cycle = cycles.find((c) => c.loanId === loan.id);
    if (product.line && (!cycle || plain(cycle) !== plain(product.line)))
      problems.push(
        `${loan.id} ${asOf}: line\n stored ${plain(cycle ?? {})}\n replay ${plain(product.line)}`,
      );
    const stored = statements.filter((s) => s.loanId === loan.id).map(plain);
    const want = product.statements.map((s) => plain({ ...s }));
    if (JSON.stringify(stored) !== JSON.stringify(want))
      problems.push(
        `${loan.id} ${asOf}: statements\n stored ${stored.join('\n')}\n replay ${want.join('\n')}`,
      );
    const journal = nonZero(
      Object.fromEntries(balances.filter((b) => b.loan_id === loan.id).map((b) => [b.account, b.amount])),
    );
    const ledger = nonZero(ledgerBalances(p.journal));
    if (plain(journal) !== plain(ledger))
      problems.push(`${loan.id} ${asOf}: journal ${plain(journal)} replay ${plain(ledger)}`);
  }
  return problems;
}
