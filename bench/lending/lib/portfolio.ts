import { sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type { Context } from '../../../src/context.js';
import { SYSTEM_ACTOR } from '../../../src/kernel/audit.js';
import { addDays, type CalendarDate, parseDate } from '../../../src/kernel/dates.js';
import { type Db, rows } from '../../../src/kernel/db.js';
import { unwrap } from '../../../src/kernel/result.js';
import type { RunProgress } from '../../../src/modules/lending/index.js';
import { toPostings } from '../../../src/modules/lending/journal/posting.js';
import { balancesSince } from '../../../src/modules/lending/journal/store.js';
import { loanEvents, loanInstallments, loans } from '../../../src/modules/lending/tables.js';

/**
 * A realistic installment portfolio seeded in bulk with SQL. A few template loans are originated and serviced
 * through the services (approve, disburse, on-time or missed payments) and closed through the day before the
 * business date; generate_series then copies them into `count` loans with their events, installment rows and
 * journal (as opening balances), so every seeded loan is a genuine loan whose replay is what the store holds. The mix, on the day closed (2024-07-15):
 *   40% monthly 30/360 loans, current, due dates spread over the month; 30% daily actual/365 loans, current;
 *   10% due that day (the accruing installment moves on);  10% missed July 5: late fee that day (grace 10 days);
 *    8% missed June 14: 31 days past due (bucket 1-30 → 31-60);  2% missed since April 16: charged off at 90 days.
 */
export const CLOSE_DAY = parseDate('2024-07-15');

const base = {
  currency: 'USD',
  annual_interest_rate: { min: '0', max: '36', default: '11.5' },
  term_count: { min: 1, max: 360, default: 12 },
  principal: { min: 100_000, max: 10_000_000 },
  late_fee: { type: 'flat', amount: 2500, grace_days: 10 },
  delinquency: { buckets: [30, 60, 90, 120], charge_off_after_days: 90 },
};
const PROGRAMS = {
  monthly: base,
  daily: { ...base, interest_calculation: 'daily', day_count: 'actual/365' },
} as const;

interface Template {
  program: keyof typeof PROGRAMS;
  principal: number;
  disbursed: string;
  /** Installments paid on their due dates. */
  paid: number;
  share: number;
}

const TEMPLATES: Template[] = [
  // Current loans, due dates spread over the month, paid on time: they accrue.
  ...Array.from({ length: 20 }, (_, k) => ({
    program: 'monthly' as const,
    principal: 600_000 + 50_000 * k,
    disbursed: `2024-01-${String(k + 1 + (k >= 14 ? 2 : 0)).padStart(2, '0')}`,
    paid: k + 1 + (k >= 14 ? 2 : 0) < 15 ? 6 : 5,
    share: 2,
  })),
  ...Array.from({ length: 6 }, (_, k) => ({
    program: 'daily' as const,
    principal: 2_000_000 + 100_000 * k,
    disbursed: `2024-02-${String(3 * k + 2).padStart(2, '0')}`,
    paid: 3 * k + 2 < 15 ? 5 : 4,
    share: 5,
  })),
  { program: 'monthly', principal: 800_000, disbursed: '2024-01-15', paid: 5, share: 10 },
  { program: 'monthly', principal: 1_500_000, disbursed: '2024-01-05', paid: 5, share: 10 },
  { program: 'monthly', principal: 600_000, disbursed: '2024-01-14', paid: 4, share: 8 },
  { program: 'monthly', principal: 900_000, disbursed: '2024-01-16', paid: 2, share: 2 },
];

/** Template loans seedPortfolio makes through the product path before copying them. */
export const TEMPLATE_COUNT = TEMPLATES.length;

const loanId = (prefix: string) => sql.raw(`('${prefix}-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid`);

const columns = (table: Parameters<typeof getTableConfig>[0], except: string[]) =>
  getTableConfig(table)
    .columns.map((c) => c.name)
    .filter((n) => !except.includes(n));

/**
 * Builds the template loans through the API's services, with the business date the day before CLOSE_DAY:
 * originated and paid (backdated) as their template says, then closed through that day. Returns their ids.
 */
async function templates(ctx: Context, tenantId: string): Promise<string[]> {
  const scope = { tenantId, actor: SYSTEM_ACTOR };
  unwrap(await ctx.lending.businessDates.set(scope, addDays(CLOSE_DAY, -1)));
  const programIds: Record<string, string> = {};
  for (const [name, terms] of Object.entries(PROGRAMS))
    programIds[name] = unwrap(
      await ctx.lending.programs.create(scope, { name, programType: 'installment_loan', terms }),
    ).id;
  const ids: string[] = [];
  for (const t of TEMPLATES) {
    const request = { principal: t.principal, disbursement_date: t.disbursed };
    const programId = programIds[t.program]!;
    const loan = unwrap(await ctx.lending.loans.create(scope, { programId, request }));
    const start = parseDate(t.disbursed);
    unwrap(await ctx.lending.loans.act(scope, loan.id, { action: 'approve', effectiveDate: start }));
    unwrap(await ctx.lending.loans.act(scope, loan.id, { action: 'disburse' }));
    const quote = unwrap(await ctx.lending.programs.quote(scope, programId, request)).quote as {
      schedule: { due_date: CalendarDate; total: number }[];
    };
    for (const row of quote.schedule.slice(0, t.paid))
      unwrap(
        await ctx.lending.loans.act(scope, loan.id, {
          action: 'payment',
          amount: row.total,
          effectiveDate: row.due_date,
        }),
      );
    ids.push(loan.id);
  }
  await closeThrough(ctx, tenantId, addDays(CLOSE_DAY, -1));
  return ids;
}

/** Requests close of business through `day` and waits until it is closed; calls `progress` while it runs. */
export async function closeThrough(
  ctx: Context,
  tenantId: string,
  day: CalendarDate,
  progress: (run: RunProgress | undefined) => void = () => {},
): Promise<void> {
  const scope = { tenantId, actor: SYSTEM_ACTOR };
  const requested = await ctx.lending.closeOfBusiness.request(scope, day);
  if (!requested.ok) throw new Error(requested.error.message);
  for (;;) {
    const [run] = await ctx.lending.closeOfBusiness.runs(scope, { from: day, to: day, limit: 1 });
    if (run?.status === 'completed') return;
    if (run?.error) throw new Error(`close of business failed: ${run.error}`);
    progress(run);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The template (1-based) of loan number g (g % 100), by the mix's shares. */
const MIX = TEMPLATES.flatMap((t, k) => Array<number>(t.share).fill(k + 1));

/**
 * Seeds `count` loans for a tenant that has none yet: `prefix` (8 hex digits) keeps two seeded tenants' ids
 * apart. The tenant's business date is CLOSE_DAY afterwards. Returns the seconds it took.
 */
export async function seedPortfolio(
  ctx: Context,
  tenantId: string,
  count: number,
  prefix: string,
): Promise<number> {
  const t0 = performance.now();
  const ids = await templates(ctx, tenantId);
  await copyTemplates(ctx.database.db, tenantId, ids, count, prefix);
  return (performance.now() - t0) / 1000;
}

/**
 * The set-based half of seedPortfolio: `count` copies of the template loans `ids` (by the mix), with their
 * events, installment rows and journal (as opening balances). Exposed so a bench can seed more copies of templates
 * it already has.
 *
 * The copies are written in the order of their ids (copy g's rows after copy g-1's), as the product writes loans one
 * after another: each copy reads its template's rows from a hash of the few template rows, so the million-row side
 * streams through in g order. (A merge join sorted the million copies by template instead: every index took its
 * inserts at random places, and the heap held each table in template order, so a reader in id order, the loan tape,
 * jumped across the whole table.) The secondary indexes are dropped and built again after the copies, one sort
 * each, rather than grown row by row. Afterwards VACUUM sets the hint bits and visibility map, as a book that has
 * been on a server for a while has them, so the first reader does not pay for writing them.
 */
export async function copyTemplates(
  db: Db,
  tenantId: string,
  ids: string[],
  count: number,
  prefix: string,
): Promise<void> {
  await db.transaction(async (db) => {
    // The copies are of rows that passed their foreign keys; a superuser skips re-checking them row by row (a
    // million loans' installments are twelve million checks). Triggers are off for this transaction only.
    const [su] = await rows<{ s: boolean }>(
      db,
      sql`SELECT rolsuper AS s FROM pg_roles WHERE rolname = current_user`,
    );
    if (su?.s) await db.execute(sql`SET LOCAL session_replication_role = replica`);
    // Hash joins keep the copies in g order (see above); compiling these one-off statements is not worth it.
    await db.execute(sql`SET LOCAL enable_mergejoin = off`);
    await db.execute(sql`SET LOCAL jit = off`);
    await db.execute(sql`SET LOCAL maintenance_work_mem = '256MB'`);
    const secondary = await rows<{ name: string; def: string }>(
      db,
      sql`SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
            FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid
           WHERE i.indrelid IN ('loans'::regclass, 'loan_installments'::regclass, 'loan_events'::regclass,
                                'loan_journal'::regclass)
             AND c.oid IS NULL`,
    );
    for (const { name } of secondary) await db.execute(sql`DROP INDEX ${sql.identifier(name)}`);
    // Template number (1-based index into ids) of copy g; `t.k` is the template number of a template's row.
    const k = sql`(${sql.param(MIX)}::int[])[g % 100 + 1]`;
    const templateRows = (table: 'loans' | 'loan_installments' | 'loan_events') =>
      sql`(SELECT s.k, x.* FROM ${sql.raw(table)} x
             JOIN unnest(${sql.param(ids)}::uuid[]) WITH ORDINALITY AS s (id, k)
               ON x.${sql.raw(table === 'loans' ? 'id' : 'loan_id')} = s.id
            WHERE x.tenant_id = ${tenantId})`;
    const id = loanId(prefix);
    const loanCols = columns(loans, [
      'id',
      'external_ref',
      'balances',
      'journal_through',
      'created_at',
      'updated_at',
    ]);
    await db.execute(sql`
    INSERT INTO loans (id, balances, journal_through, ${sql.raw(loanCols.join(', '))})
    SELECT ${id}, '{}', 0, ${sql.raw(loanCols.map((c) => `t.${c}`).join(', '))}
      FROM generate_series(1, ${count}) AS g JOIN ${templateRows('loans')} AS t ON t.k = ${k}`);
    const rowCols = columns(loanInstallments, ['loan_id']);
    await db.execute(sql`
    INSERT INTO loan_installments (loan_id, ${sql.raw(rowCols.join(', '))})
    SELECT ${id}, ${sql.raw(rowCols.map((c) => `t.${c}`).join(', '))}
      FROM generate_series(1, ${count}) AS g JOIN ${templateRows('loan_installments')} AS t ON t.k = ${k}`);
    const eventCols = columns(loanEvents, ['loan_id', 'id']);
    await db.execute(sql`
    INSERT INTO loan_events (loan_id, id, ${sql.raw(eventCols.join(', '))})
    SELECT ${id}, (${prefix} || '-' || lpad(to_hex(t.sequence), 4, '0') || '-7000-9000-' || lpad(to_hex(g), 12, '0'))::uuid,
           ${sql.raw(eventCols.map((c) => `t.${c}`).join(', '))}
      FROM generate_series(1, ${count}) AS g JOIN ${templateRows('loan_events')} AS t ON t.k = ${k}`);
    // Each copy's history enters the journal as opening balances: a few two-sided rows per loan.
    const opening = [];
    for (const [n, templateId] of ids.entries()) {
      const { balances } = await balancesSince(db, tenantId, templateId, 0);
      const lines = Object.entries(balances)
        .filter(([, v]) => v !== 0)
        .map(([account, v]) => ({
          account,
          side: v > 0 ? ('debit' as const) : ('credit' as const),
          amount: Math.abs(v),
        }));
      const entry = { date: addDays(CLOSE_DAY, -1), kind: 'restatement', eventId: null, lines };
      opening.push(...toPostings(entry).map((p) => ({ ...p, k: n + 1 })));
    }
    await db.execute(sql`
    INSERT INTO loan_journal (tenant_id, loan_id, entry_date, kind, debit_account, credit_account, amount)
    SELECT ${tenantId}::uuid, ${id}, (t.j->>'entryDate')::date, t.j->>'kind', t.j->>'debitAccount',
           t.j->>'creditAccount', (t.j->>'amount')::bigint
      FROM generate_series(1, ${count}) AS g
      JOIN (SELECT (j->>'k')::int AS k, j FROM jsonb_array_elements(${JSON.stringify(opening)}::jsonb) AS j) AS t
        ON t.k = ${k}`);
    for (const { def } of secondary) await db.execute(sql.raw(def));
  });
  await db.execute(sql`VACUUM (ANALYZE) loans, loan_installments, loan_events, loan_journal`);
}

/** Ids of n loans spread over the tenant's portfolio (every template represented). */
export async function sampleLoans(db: Db, tenantId: string, n: number): Promise<string[]> {
  const found = await rows<{ id: string }>(
    db,
    sql`SELECT id FROM loans WHERE tenant_id = ${tenantId} ORDER BY id LIMIT ${n}`,
  );
  return found.map((r) => r.id);
}
