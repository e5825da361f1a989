import { sql } from 'drizzle-orm';
import type { CalendarDate } from '../../src/kernel/dates.js';
import { type Db, rows } from '../../src/kernel/db.js';
import { servicingOf } from '../../src/modules/lending/index.js';
import { ledgerBalances, nonZero } from '../../src/modules/lending/journal/posting.js';
import type { StoredEvent } from '../../src/modules/lending/product.js';
import type { LineProduct } from '../../src/modules/lending/providers/line_of_credit/servicing.js';
import { creditLines, lineStatements } from '../../src/modules/lending/providers/line_of_credit/store.js';
import { loanInstallments } from '../../src/modules/lending/tables.js';

/** Sorted keys, numeric strings as numbers, without the tenant and loan keys: equal rows print equal. */
const plain = (o: object) =>
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

const installmentColumns = (r: object) => {
  const x = r as Record<string, unknown> & { due: object; paid: object; waived: object };
  const flat: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x))
    if (k === 'due' || k === 'paid' || k === 'waived')
      for (const [c, n] of Object.entries(v as object)) flat[`${c}${k[0]!.toUpperCase()}${k.slice(1)}`] = n;
    else flat[k] = v;
  return plain(flat);
};

/**
 * Compares what the store holds for every lease or line of a tenant with the replay of its events: the loan's
 * projection columns, its installment rows, a line's cycle row and statements, and the journal balances per
 * account. `at` says, per loan, which replay the store should equal.
 */
export async function mismatches(
  db: Db,
  tenantId: string,
  product: 'lease' | 'line_of_credit',
  at: (loanId: string) => { asOf: CalendarDate; closeOfBusiness: boolean },
): Promise<string[]> {
  const loans = await rows<Record<string, unknown> & { id: string; terms: unknown }>(
    db,
    sql`SELECT id, terms, status, cob_active, days_past_due, delinquency_bucket, credit_balance::float8,
               next_due_date::text, oldest_unpaid_due::text, next_late_fee_on::text, accrual_cursor
          FROM loans WHERE tenant_id = ${tenantId} AND product = ${product} ORDER BY id`,
  );
  const events = await rows<StoredEvent & { loan_id: string }>(
    db,
    sql`SELECT loan_id, id, sequence, type, effective_date::text AS "effectiveDate", payload
          FROM loan_events WHERE tenant_id = ${tenantId} ORDER BY loan_id, sequence`,
  );
  const installments = await db
    .select()
    .from(loanInstallments)
    .where(sql`${loanInstallments.tenantId} = ${tenantId}`)
    .orderBy(loanInstallments.loanId, loanInstallments.number);
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
  const servicing = servicingOf(product)!;
  const problems: string[] = [];
  for (const loan of loans) {
    const { asOf, closeOfBusiness } = at(loan.id);
    const where = `${loan.id} ${asOf}`;
    const own = events.filter((e) => e.loan_id === loan.id);
    const replayed = servicing.replay(loan.terms, own, asOf, { closeOfBusiness });
    if (!replayed.ok) {
      problems.push(`${where}: replay failed: ${replayed.error.message}`);
      continue;
    }
    const p = replayed.value;
    const expected: Record<string, unknown> = {
      status: p.status,
      cob_active: p.cobActive,
      days_past_due: p.daysPastDue,
      delinquency_bucket: p.delinquencyBucket,
      credit_balance: p.creditBalance,
      next_due_date: p.nextDueDate,
      oldest_unpaid_due: p.oldestUnpaidDue,
      next_late_fee_on: p.nextLateFeeOn,
      accrual_cursor: p.accrualCursor,
    };
    for (const [k, v] of Object.entries(expected))
      if (loan[k] !== v) problems.push(`${where}: ${k} stored ${String(loan[k])}, replay ${String(v)}`);
    const storedRows = installments.filter((r) => r.loanId === loan.id).map(plain);
    const wantRows = p.installments.map(installmentColumns);
    if (storedRows.join('\n') !== wantRows.join('\n'))
      problems.push(
        `${where}: installments\n stored ${storedRows.join('\n')}\n replay ${wantRows.join('\n')}`,
      );
    if (product === 'line_of_credit') {
      const line = p.product as LineProduct;
      const cycle = cycles.find((c) => c.loanId === loan.id);
      if (line.line && (!cycle || plain(cycle) !== plain(line.line)))
        problems.push(`${where}: line\n stored ${plain(cycle ?? {})}\n replay ${plain(line.line)}`);
      const stored = statements.filter((s) => s.loanId === loan.id).map(plain);
      const want = line.statements.map(plain);
      if (stored.join('\n') !== want.join('\n'))
        problems.push(`${where}: statements\n stored ${stored.join('\n')}\n replay ${want.join('\n')}`);
    }
    const journal = nonZero(
      Object.fromEntries(balances.filter((b) => b.loan_id === loan.id).map((b) => [b.account, b.amount])),
    );
    const ledger = nonZero(ledgerBalances(p.journal));
    if (plain(journal) !== plain(ledger))
      problems.push(`${where}: journal ${plain(journal)} replay ${plain(ledger)}`);
  }
  return problems;
}
